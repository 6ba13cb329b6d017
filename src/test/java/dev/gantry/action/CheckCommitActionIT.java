package dev.gantry.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.action.ActionStep.Result;
import dev.gantry.check.GitHubHistory;
import dev.gantry.check.ImageRevision;
import dev.gantry.testing.LoggedRequest;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code command: check-commit} as the runner runs it: GitHub on WireMock ({@link GitHubHistory}),
 * the image now at {@code latest} on the real registry with the revision label build-images stamps
 * (or none). Every case asserts the exit code, the {@code ::error} annotation, the outputs, and
 * that nothing was written to GitHub or the registry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckCommitActionIT {
  private static final AtomicLong SEED = new AtomicLong(1_900);
  private static final String TESTS = "stack-tests.yml";
  private RegistryServer registry;
  private GitHubHistory github;
  private List<String> main;
  private int mark;

  @BeforeAll
  void start() {
    registry = RegistryServer.open();
  }

  @AfterAll
  void stop() {
    registry.close();
  }

  /** main: five commits in a line, each tested on push. */
  private void history() {
    github = new GitHubHistory();
    main = github.line(null, 5);
    github.branch("main", main.get(4));
    main.forEach(c -> github.run(TESTS, c, "push", "success"));
    lastDeployed = "";
    mark = registry.mark();
  }

  @AfterEach
  void closeGitHub() {
    github.close();
  }

  @Test
  void aNewerTestedCommitOnWorkflowRunIsEligible() {
    history();
    String image = deployed("forward", main.get(1));

    Result r = step("workflow_run", main.get(3)).run();

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(List.of(), r.errors());
    Map<String, String> out = r.outputs();
    assertEquals("true", out.get("eligible"), r.all());
    assertTrue(
        out.get("reason")
            .contains(main.get(3) + " is ahead of " + main.get(1) + " (" + image + ")"),
        out.get("reason"));
    assertTrue(out.get("reason").contains(main.get(3) + " passed " + TESTS), out.get("reason"));
    assertEquals("", out.get("rollback-from"));
    assertTrue(ActionStep.declaredOutputs().containsAll(out.keySet()), out.keySet().toString());
    assertTrue(r.summary().startsWith("### Gantry check-commit: eligible"), r.summary());
    assertNothingWritten();
  }

  @Test
  void latestWithoutARevisionLabelIsAllowedAndSaysSo() {
    history();
    String image = registry.hostPort() + "/check/unlabelled";
    TestImages.push(
        TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
        registry,
        "check/unlabelled",
        "latest");

    Result r = step("workflow_run", main.get(4)).input("not-behind", image).run();

    assertEquals(0, r.exitCode(), r.all());
    assertTrue(
        r.outputs()
            .get("reason")
            .contains(
                image
                    + ":latest has no "
                    + ImageRevision.LABEL
                    + " label: nothing to compare with, allowed"),
        r.all());
    assertNothingWritten();
  }

  @Test
  void noLatestYetIsAllowedAndSaysSo() {
    history();
    String image = registry.hostPort() + "/check/first-release";

    Result r = step("workflow_run", main.get(4)).input("not-behind", image).run();

    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.outputs().get("reason").contains("no image at " + image + ":latest"), r.all());
    assertNothingWritten();
  }

  @Test
  void aReRunOfAnOldRunOnWorkflowRunIsRefused() {
    history();
    String image = deployed("backwards", main.get(4));

    Result r = step("workflow_run", main.get(2)).run();

    String reason =
        main.get(2)
            + " is behind "
            + main.get(4)
            + " at "
            + image
            + ": moving backwards needs a rollback (--allow-rollback)";
    assertRefused(r, reason);
  }

  @Test
  void theSameMoveOnADispatchWithRollbackIsAllowedAndReported() {
    history();
    String image = deployed("rollback", main.get(4));
    ObjectNode inputs =
        EventPayloads.JSON.createObjectNode().put("sha", main.get(2)).put("rollback", true);

    Result r =
        ActionStep.on("workflow_dispatch", EventPayloads.workflowDispatch(inputs), main.get(4))
            .env("GITHUB_API_URL", github.apiUrl())
            .input("command", "check-commit")
            .input("github-token", GitHubHistory.TOKEN)
            .input("tested-by", TESTS)
            .input("not-behind", image.replace(":latest", ""))
            .input("allow-rollback", "true")
            .run();

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(List.of(), r.errors());
    assertEquals(main.get(4), r.outputs().get("rollback-from"), r.all());
    assertTrue(
        r.outputs().get("reason").contains("rollback from " + main.get(4) + " to " + main.get(2)),
        r.all());
    assertNothingWritten();
  }

  @Test
  void aCommitThatDivergedFromTheDeployedOneIsRefused() {
    history();
    String hotfix = github.commit(main.get(1)); // deployed from a branch that never reached main
    String image = deployed("diverged", hotfix);

    Result r = step("workflow_run", main.get(4)).run();

    assertRefused(r, main.get(4) + " has diverged from " + hotfix + " at " + image);
  }

  @Test
  void aCommitNotOnTheDefaultBranchIsRefused() {
    history();
    String pr = github.commit(main.get(4));
    github.run(TESTS, pr, "push", "success");
    deployed("not-on-main", main.get(1));

    Result r = step("workflow_run", pr).run();

    assertRefused(
        r,
        pr
            + " is not on main (compare main..."
            + pr
            + " is ahead: commits the branch does not have)");
  }

  @Test
  void aCommitWhoseTestsFailedIsRefused() {
    history();
    String untested = github.commit(main.get(4));
    github.branch("main", untested);
    github.run(TESTS, untested, "push", "failure");
    deployed("failed-tests", main.get(1));

    Result r = step("workflow_run", untested).run();

    assertRefused(r, untested + " has no successful push run of " + TESTS);
  }

  @Test
  void badInputIsExit2BeforeAnyRequest() {
    history();
    Result r =
        step("workflow_run", main.get(4))
            .input("tested-by", "stack tests")
            .input("not-behind", "")
            .run();

    assertEquals(2, r.exitCode(), r.all());
    assertEquals(1, r.errors().size(), r.all());
    assertTrue(r.errors().get(0).contains("invalid --tested-by 'stack tests'"), r.all());
    assertEquals(List.of(), github.calls());
    assertEquals(List.of(), gantryRequests());
  }

  /**
   * A check-commit step for {@code sha} on {@code event}, tested-by stack-tests.yml, not-behind the
   * image last deployed.
   */
  private ActionStep step(String event, String sha) {
    ActionStep step =
        "workflow_run".equals(event)
            ? ActionStep.on(
                event, EventPayloads.workflowRun(sha, "main"), main.get(main.size() - 1))
            : ActionStep.on(event, EventPayloads.push(EventPayloads.sha(), sha), sha);
    return step.env("GITHUB_API_URL", github.apiUrl())
        .input("command", "check-commit")
        .input("github-token", GitHubHistory.TOKEN)
        .input("tested-by", TESTS)
        .input("not-behind", lastDeployed);
  }

  private String lastDeployed = "";

  /**
   * Pushes an image labelled with {@code commit} as {@code check/NAME:latest}; returns {@code
   * HOST/check/NAME:latest}.
   */
  private String deployed(String name, String commit) {
    TestImages.push(
        TestImages.multiArch(
            TempDirs.create("gantry-layout-"),
            SEED.incrementAndGet(),
            Map.of(
                ImageRevision.LABEL,
                commit,
                "org.opencontainers.image.source",
                "https://github.com/acme/api")),
        registry,
        "check/" + name,
        "latest");
    mark = registry.mark();
    lastDeployed = registry.hostPort() + "/check/" + name + ":latest";
    return lastDeployed;
  }

  private void assertRefused(Result r, String reason) {
    assertEquals(8, r.exitCode(), r.all());
    assertEquals(
        List.of("::error title=gantry check-commit refused::" + reason), r.errors(), r.all());
    assertEquals("false", r.outputs().get("eligible"), r.all());
    assertEquals(reason, r.outputs().get("reason"));
    assertEquals("", r.outputs().get("rollback-from"));
    assertTrue(r.summary().contains("**Refused:** " + reason), r.summary());
    assertEquals(
        List.of("::add-mask::" + GitHubHistory.TOKEN),
        r.stdoutLines().stream().filter(l -> l.contains(GitHubHistory.TOKEN)).toList(),
        "the token is masked first and printed nowhere else");
    assertTrue(
        !r.stderr().contains(GitHubHistory.TOKEN)
            && !r.outputFile().contains(GitHubHistory.TOKEN)
            && !r.summary().contains(GitHubHistory.TOKEN));
    assertNothingWritten();
  }

  private void assertNothingWritten() {
    assertEquals(List.of(), github.writes());
    assertTrue(
        github.calls().stream().allMatch(c -> c.startsWith("GET ")), github.calls().toString());
    List<LoggedRequest> requests = gantryRequests();
    assertTrue(
        requests.stream().allMatch(q -> q.method().equals("GET") || q.method().equals("HEAD")),
        requests.toString());
  }

  private List<LoggedRequest> gantryRequests() {
    return registry.requestLogSince(mark).stream()
        .filter(q -> q.userAgent().startsWith("gantry/"))
        .toList();
  }
}
