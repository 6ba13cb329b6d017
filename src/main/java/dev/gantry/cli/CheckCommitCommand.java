package dev.gantry.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.Json;
import dev.gantry.check.Check;
import dev.gantry.check.CheckRequest;
import dev.gantry.check.CommitApi;
import dev.gantry.check.CommitChecker;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.release.GitHubRest;
import dev.gantry.session.Session;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "check-commit",
    mixinStandardHelpOptions = true,
    description =
        "Decide whether a commit may move forward: on the branch, tested by a workflow, not behind the commit "
            + "deployed now. Exit 0 eligible, 8 refused (one line saying why). Reads only.")
final class CheckCommitCommand extends RegistryCommand {
  @Mixin GitHubOptions github;

  @Option(
      names = "--sha",
      paramLabel = "COMMIT",
      required = true,
      description = "The full 40-hex commit SHA.")
  String sha;

  @Option(
      names = "--branch",
      paramLabel = "BRANCH",
      description = "The branch the commit must be on (default: the repository's default branch).")
  @Nullable String branch;

  @Option(
      names = "--tested-by",
      paramLabel = "WORKFLOW",
      description =
          "A workflow (file name or id) that must have a successful push run of exactly this commit.")
  @Nullable String testedBy;

  @Option(
      names = "--not-behind",
      paramLabel = "IMAGE[:TAG]",
      description =
          "The commit must not be behind the one in this image's "
              + "org.opencontainers.image.revision label (tag default latest).")
  @Nullable String notBehind;

  @Option(
      names = "--allow-rollback",
      description = "Allow the commit to be behind --not-behind's (a rollback, reported).")
  boolean allowRollback;

  CheckCommitCommand(Environment env) {
    super(env);
  }

  @Override
  public Integer call() {
    CommitChecker.Verdict verdict;
    CheckRequest request =
        CheckRequest.parse(github.repository, sha, branch, testedBy, notBehind, allowRollback);
    String imageRegistry =
        request.notBehind() == null ? null : request.notBehind().repository().registry();
    try (Session session = registry.open(env, imageRegistry)) {
      GitHubRest rest = session.gitHub(github.settings(env));
      verdict =
          CommitChecker.check(
              request,
              new CommitApi(rest, request.repository()),
              image -> session.store(new PromoteRequest.Image(image.repository(), null), false));
    }
    env.stdout().println(registry.json ? json(verdict) : text(verdict));
    if (!verdict.eligible()) {
      env.stderr().println("gantry: refused: " + verdict.reason());
      return ExitCode.REFUSED;
    }
    return ExitCode.OK;
  }

  private static String text(CommitChecker.Verdict v) {
    StringBuilder s = new StringBuilder();
    for (Check c : v.checks()) {
      s.append(
          String.format(
              Locale.ROOT, "%-10s %-8s %s%n", c.name(), c.ok() ? "ok" : "refused", c.detail()));
    }
    s.append(v.eligible() ? "eligible: " : "refused: ").append(v.eligible() ? v.sha() : v.reason());
    if (v.rollbackFrom() != null) {
      s.append(" (rollback from ").append(v.rollbackFrom()).append(')');
    }
    return s.toString();
  }

  private static String json(CommitChecker.Verdict v) {
    ObjectNode root = Json.object();
    root.put("command", "check-commit");
    root.put("status", v.eligible() ? "ok" : "refused");
    root.put("eligible", v.eligible());
    root.put("sha", v.sha());
    root.put("branch", v.branch());
    root.put("reason", v.reason());
    root.put("rollbackFrom", v.rollbackFrom());
    ArrayNode checks = root.putArray("checks");
    for (Check c : v.checks()) {
      checks.addObject().put("check", c.name()).put("ok", c.ok()).put("detail", c.detail());
    }
    return Json.write(root);
  }
}
