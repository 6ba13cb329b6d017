package dev.gantry;

import dev.gantry.cli.Gantry;
import dev.gantry.cli.Environment;

/** Process entry point: the only place that touches the real environment. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Gantry.run(args, Environment.system()));
  }
}
