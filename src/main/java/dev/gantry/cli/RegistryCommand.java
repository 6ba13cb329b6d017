package dev.gantry.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * What every registry command has: the environment it runs in, and the registry options (which
 * carry {@code --json}, so the error handler knows whether to print the error document).
 */
abstract class RegistryCommand implements Callable<Integer>, JsonOutput {
  final Environment env;

  @Mixin RegistryOptions registry;

  RegistryCommand(Environment env) {
    this.env = env;
  }

  @Override
  public final boolean json() {
    return registry.json;
  }
}
