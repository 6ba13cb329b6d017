package dev.gantry;

import dev.gantry.cli.Environment;
import dev.gantry.cli.Gantry;

/** Process entry point: the only place that touches the real environment. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (Version.requested(args)) {
      // Before the environment is read and the output redaction set up: a bare JVM start plus one line.
      System.out.println(Version.line());
      return;
    }
    System.exit(Gantry.run(args, Environment.system()));
  }
}
