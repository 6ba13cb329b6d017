package dev.gantry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "copy", mixinStandardHelpOptions = true, description = "Copy an image between repositories or registries.")
final class CopyCommand implements Callable<Integer> {
  private final Environment env;

  CopyCommand(Environment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    throw new UnsupportedOperationException("copy: not built yet");
  }
}
