package dev.gantry.check;

import dev.gantry.registry.ImageReference;
import dev.gantry.store.ImageStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code check-commit}: reads GitHub (and the registry for {@code --not-behind}), decides with
 * {@link CommitRules}, stops at the first refusal. Only GETs: nothing anywhere is written.
 */
public final class CommitChecker {
  /**
   * The answer: eligible or not, the one line saying why, the checks that ran, the commit a
   * rollback leaves.
   */
  public record Verdict(
      String sha,
      String branch,
      boolean eligible,
      String reason,
      @Nullable String rollbackFrom,
      List<Check> checks) {
    public Verdict {
      checks = List.copyOf(checks);
    }
  }

  private CommitChecker() {}

  public static Verdict check(
      CheckRequest req, CommitApi gh, Function<ImageReference, ImageStore> open) {
    String sha = req.sha();
    String branch = req.branch() != null ? req.branch() : gh.defaultBranch();
    List<Check> checks = new ArrayList<>();
    checks.add(CommitRules.onBranch(branch, sha, gh.compare(branch, sha)));
    if (req.testedBy() != null && last(checks).ok()) {
      checks.add(
          CommitRules.tested(
              req.testedBy(), sha, gh.successfulPushRun(req.testedBy(), sha).orElse(null)));
    }
    if (req.notBehind() != null && last(checks).ok()) {
      String tag = req.notBehindTag();
      ImageRevision.Found found = ImageRevision.read(open.apply(req.notBehind()), tag);
      String where = req.notBehind().repository() + ":" + tag;
      checks.add(
          found.commit() == null
              ? CommitRules.nothingDeployed(
                  Objects.requireNonNull(found.absent(), "no commit found says why"))
              : CommitRules.notBehind(
                  where,
                  found.commit(),
                  sha,
                  gh.compare(found.commit(), sha),
                  req.allowRollback()));
    }
    Check last = last(checks);
    if (!last.ok()) {
      return new Verdict(sha, branch, false, last.detail(), null, checks);
    }
    String rollbackFrom =
        checks.stream().map(Check::rollbackFrom).filter(f -> f != null).findFirst().orElse(null);
    String reason = String.join("; ", checks.stream().map(Check::detail).toList());
    return new Verdict(sha, branch, true, reason, rollbackFrom, checks);
  }

  private static Check last(List<Check> checks) {
    return checks.get(checks.size() - 1);
  }
}
