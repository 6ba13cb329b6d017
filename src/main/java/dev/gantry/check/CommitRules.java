package dev.gantry.check;

import org.jspecify.annotations.Nullable;

/**
 * Pure: what each answer GitHub or the registry gave means for the commit. Every refusal's detail
 * is the one line a user reads, so it names the commit and what it was compared with.
 */
final class CommitRules {
  private CommitRules() {}

  /** compare/{branch}...{sha}: the commit must be the branch head or in its history. */
  static Check onBranch(String branch, String sha, Comparison status) {
    return switch (status) {
      case IDENTICAL -> Check.ok("branch", sha + " is the head of " + branch);
      case BEHIND -> Check.ok("branch", sha + " is in the history of " + branch);
      case AHEAD ->
          Check.refused(
              "branch",
              sha
                  + " is not on "
                  + branch
                  + " (compare "
                  + branch
                  + "..."
                  + sha
                  + " is ahead: commits the branch does not have)");
      case DIVERGED ->
          Check.refused(
              "branch",
              sha
                  + " is not on "
                  + branch
                  + " (compare "
                  + branch
                  + "..."
                  + sha
                  + " has diverged)");
    };
  }

  static Check tested(String workflow, String sha, CommitApi.@Nullable Run run) {
    return run != null
        ? Check.ok(
            "tested-by",
            sha
                + " passed "
                + workflow
                + " (run "
                + run.id()
                + (run.url().isEmpty() ? "" : " " + run.url())
                + ")")
        : Check.refused("tested-by", sha + " has no successful push run of " + workflow);
  }

  /** No tag, or no revision label: nothing to be behind, said so. */
  static Check nothingDeployed(String absent) {
    return Check.ok("not-behind", absent + ": nothing to compare with, allowed");
  }

  /**
   * compare/{current}...{sha}: forward or the same commit is fine; backwards only as an asked-for
   * rollback.
   */
  static Check notBehind(
      String where, String current, String sha, Comparison status, boolean allowRollback) {
    return switch (status) {
      case AHEAD -> Check.ok("not-behind", sha + " is ahead of " + current + " (" + where + ")");
      case IDENTICAL -> Check.ok("not-behind", sha + " is the commit at " + where);
      case BEHIND ->
          allowRollback
              ? Check.rollback(
                  "not-behind",
                  "rollback from " + current + " to " + sha + " (" + where + ")",
                  current)
              : Check.refused(
                  "not-behind",
                  sha
                      + " is behind "
                      + current
                      + " at "
                      + where
                      + ": moving backwards needs a rollback (--allow-rollback)");
      case DIVERGED ->
          Check.refused("not-behind", sha + " has diverged from " + current + " at " + where);
    };
  }
}
