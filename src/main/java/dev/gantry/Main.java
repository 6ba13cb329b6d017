package dev.gantry;

import dev.gantry.cli.Environment;
import dev.gantry.cli.Gantry;
import dev.gantry.cli.UsageTexts;

/** Process entry point: the only place that touches the real environment. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (Version.requested(args)) {
      // Before the environment is read and the output redaction set up: a bare JVM start plus one
      // line.
      System.out.println(Version.line());
      return;
    }
    if (UsageTexts.printIfRequested(args, System.getenv(), System.console() != null, System.out)) {
      return; // the help picocli rendered at build time, without loading picocli
    }
    System.exit(Gantry.run(args, Environment.system()));
  }
}
