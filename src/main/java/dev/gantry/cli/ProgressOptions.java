package dev.gantry.cli;

import dev.gantry.progress.Progress;
import dev.gantry.progress.Summary;
import picocli.CommandLine.Option;

/** {@code --progress} and {@code --quiet}, for the commands that move images (copy, promote). */
final class ProgressOptions {
  @Option(
      names = "--progress",
      paramLabel = "auto|tty|plain|none",
      defaultValue = "auto",
      description =
          "Progress on standard error: tty (redrawn in place), plain (log lines), none; auto picks tty on a terminal, plain elsewhere (default: ${DEFAULT-VALUE}).")
  String progress;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress and no summary line on standard error (errors are still printed).")
  boolean quiet;

  /** Checks the value before any I/O; the bad-input error names it. */
  Progress.Mode mode() {
    Progress.Mode mode = Progress.Mode.parse(progress);
    return quiet ? Progress.Mode.NONE : mode;
  }

  /** Starts progress on the environment's standard error. */
  Progress start(Environment env) {
    return Progress.start(
        mode(),
        env.terminal() && !"dumb".equals(env.get("TERM")),
        env.clock(),
        env.stderr(),
        columns(env));
  }

  /** The summary line after the result, unless quiet. */
  void printSummary(Environment env, String command, Summary summary) {
    printSummary(env, command, summary, "");
  }

  /**
   * The summary line with {@code suffix} (the ledger's part, such as {@code ; ledger: 2 records
   * written}).
   */
  void printSummary(Environment env, String command, Summary summary, String suffix) {
    if (!quiet) {
      env.stderr().println(summary.line(command) + suffix);
      env.stderr().flush();
    }
  }

  private static int columns(Environment env) {
    String c = env.get("COLUMNS");
    try {
      return c == null ? 80 : Integer.parseInt(c.strip());
    } catch (NumberFormatException e) {
      return 80;
    }
  }
}
