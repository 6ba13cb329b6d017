package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.workflows.GitHubExpressions.Case;
import dev.gantry.workflows.GitHubExpressions.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gates of the chain, read from the real files and evaluated by GitHub's own expression
 * evaluator against contexts shaped like the ones the runner builds: a fork's pull request, a
 * failed run, a re-run of an old run, a manual dispatch. What a gate cannot tell (a re-run of an
 * old, successful run looks like a new one) is stopped one step later: the automatic run never
 * allows a rollback, so check-commit's not-behind refuses the backwards move.
 */
class GateExpressionsTest {
  private static final Suite SUITE = WorkflowPolicyTest.repository();
  private static final String T_PROMOTE = "workflows-templates/docker-scan-and-promote.yml";
  private static final String T_RELEASE = "workflows-templates/release-and-deploy.yml";
  private static final String RELEASE = ".github/workflows/release-and-deploy.yml";
  private static final String BUILD = ".github/workflows/build-images.yml";
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String OLD_SHA = "89abcdef0123456789abcdef0123456789abcdef";

  /**
   * The github context of a workflow_run event after a run of {@code event} in {@code
   * headRepository}.
   */
  private static JsonNode afterRun(
      String event, String conclusion, String headRepository, String headSha, int attempt) {
    return GitHubExpressions.json(
        """
        {"github": {"event_name": "workflow_run", "repository": "acme/shop", "ref": "refs/heads/main",
          "sha": "%s", "event": {"workflow_run": {"id": 4242, "event": "%s", "conclusion": "%s", "status": "completed",
          "head_branch": "main", "head_sha": "%s", "run_attempt": %d, "head_repository": {"full_name": "%s"}}}},
         "inputs": {}}"""
            .formatted(SHA, event, conclusion, headSha, attempt, headRepository));
  }

  private static JsonNode dispatch(String inputs) {
    return GitHubExpressions.json(
        """
        {"github": {"event_name": "workflow_dispatch", "repository": "acme/shop", "ref": "refs/heads/main",
          "sha": "%s", "event": {"inputs": %s}}, "inputs": %s}"""
            .formatted(SHA, inputs, inputs));
  }

  private static String jobIf(String file, String job) {
    return workflow(file).jobs().get(job).path("if").asText();
  }

  private static String with(String file, String job, String input) {
    return workflow(file).jobs().get(job).path("with").path(input).asText();
  }

  private static Workflow workflow(String file) {
    return SUITE.workflows().stream().filter(w -> w.path().equals(file)).findFirst().orElseThrow();
  }

  private final List<Case> cases = new ArrayList<>();
  private final List<Boolean> expected = new ArrayList<>();

  private void expect(
      boolean truthy, String name, String expression, JsonNode contexts, String status) {
    cases.add(new Case(name, expression, contexts, status));
    expected.add(truthy);
  }

  private void expect(boolean truthy, String name, String expression, JsonNode contexts) {
    expect(truthy, name, expression, contexts, "success");
  }

  private void evaluateAll() {
    List<Outcome> outcomes = GitHubExpressions.evaluate(cases);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome o = outcomes.get(i);
      assertNull(o.error(), () -> o.c().name() + ": " + o.c().expression());
      if (o.truthy() != expected.get(i)) {
        wrong.add(
            o.c().name()
                + ": expected "
                + expected.get(i)
                + ", GitHub says "
                + o.value()
                + " for "
                + o.c().expression());
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void scanAndPromoteRunsOnlyAfterASuccessfulPushOfThisRepositoryOrByHand() {
    String gate = jobIf(T_PROMOTE, "scan-and-promote");
    expect(
        true,
        "a push's successful Stack Tests",
        gate,
        afterRun("push", "success", "acme/shop", SHA, 1));
    expect(
        false,
        "a fork's pull request (its tests passed)",
        gate,
        afterRun("pull_request", "success", "mallory/shop", SHA, 1));
    expect(
        false,
        "a same-repository pull request",
        gate,
        afterRun("pull_request", "success", "acme/shop", SHA, 1));
    expect(
        false,
        "a fork's push to its own default branch",
        gate,
        afterRun("push", "success", "mallory/shop", SHA, 1));
    expect(
        false, "a failed Stack Tests run", gate, afterRun("push", "failure", "acme/shop", SHA, 1));
    expect(
        false,
        "a cancelled Stack Tests run",
        gate,
        afterRun("push", "cancelled", "acme/shop", SHA, 1));
    expect(
        true,
        "a manual dispatch",
        gate,
        dispatch("{\"sha\": \"" + OLD_SHA + "\", \"rollback\": false}"));
    evaluateAll();
  }

  @Test
  void aReRunOfAnOldRunPassesTheGateButCanNeverAllowARollback() {
    String gate = jobIf(T_PROMOTE, "scan-and-promote");
    String promoteRollback = with(T_PROMOTE, "scan-and-promote", "rollback");
    String releaseRollback = with(T_RELEASE, "release-and-deploy", "rollback");
    JsonNode rerun = afterRun("push", "success", "acme/shop", OLD_SHA, 2);
    // Even an inputs context that says rollback (it cannot on workflow_run) does not allow it.
    ((ObjectNode) rerun).set("inputs", GitHubExpressions.json("{\"rollback\": true}"));
    expect(true, "the re-run of an old successful run looks like a new one", gate, rerun);
    expect(false, "...but the promotion it starts never allows a rollback", promoteRollback, rerun);
    expect(
        false,
        "...nor does the release",
        releaseRollback,
        afterRun("workflow_run", "success", "acme/shop", OLD_SHA, 2));
    expect(
        true,
        "a manual dispatch with rollback: true allows it",
        promoteRollback,
        dispatch("{\"sha\": \"" + OLD_SHA + "\", \"rollback\": true}"));
    expect(
        false,
        "a manual dispatch without it does not",
        promoteRollback,
        dispatch("{\"sha\": \"" + OLD_SHA + "\", \"rollback\": false}"));
    evaluateAll();
  }

  @Test
  void releaseRunsOnlyAfterASuccessfulPromotionOfThisRepository() {
    String gate = jobIf(T_RELEASE, "release-and-deploy");
    expect(
        true,
        "after an automatic promotion",
        gate,
        afterRun("workflow_run", "success", "acme/shop", SHA, 1));
    expect(
        true,
        "after a manual promotion",
        gate,
        afterRun("workflow_dispatch", "success", "acme/shop", SHA, 1));
    expect(
        false,
        "after a failed promotion (a moved tag, a refused commit, findings)",
        gate,
        afterRun("workflow_run", "failure", "acme/shop", SHA, 1));
    expect(
        false,
        "after a promotion from a fork",
        gate,
        afterRun("workflow_run", "success", "mallory/shop", SHA, 1));
    expect(
        false,
        "after a pull request's run",
        gate,
        afterRun("pull_request", "success", "acme/shop", SHA, 1));
    expect(
        true,
        "a manual dispatch",
        gate,
        dispatch("{\"sha\": \"\", \"skip_deploy\": true, \"rollback\": false}"));
    String skip = with(T_RELEASE, "release-and-deploy", "skip-deploy");
    expect(
        true,
        "a manual dispatch with skip_deploy skips the deploy",
        skip,
        dispatch("{\"sha\": \"\", \"skip_deploy\": true, \"rollback\": false}"));
    expect(
        false,
        "an automatic run deploys",
        skip,
        afterRun("workflow_run", "success", "acme/shop", SHA, 1));
    evaluateAll();
  }

  @Test
  void theDeployRunsOnlyForAReleasedVersionAndTheNotificationAlways() {
    String deploy = jobIf(RELEASE, "deploy");
    JsonNode released =
        GitHubExpressions.json(
            """
        {"inputs": {"skip-deploy": false, "dry-run": false}, "needs": {"release": {"result": "success",
          "outputs": {"version": "2026.11.0"}}}}""");
    expect(true, "a release that produced a version", deploy, released);
    expect(false, "the release job failed", deploy, released, "failure");
    expect(
        false,
        "a dry run",
        deploy,
        GitHubExpressions.json(
            """
        {"inputs": {"skip-deploy": false, "dry-run": true}, "needs": {"release": {"outputs": {"version": "2026.11.0"}}}}"""));
    expect(
        false,
        "skip-deploy",
        deploy,
        GitHubExpressions.json(
            """
        {"inputs": {"skip-deploy": true, "dry-run": false}, "needs": {"release": {"outputs": {"version": "2026.11.0"}}}}"""));
    expect(
        false,
        "no version (a refused commit)",
        deploy,
        GitHubExpressions.json(
            """
        {"inputs": {"skip-deploy": false, "dry-run": false}, "needs": {"release": {"outputs": {"version": ""}}}}"""));
    for (String file : List.of(RELEASE, ".github/workflows/scan-and-promote.yml")) {
      String notify = jobIf(file, "notify");
      expect(
          true,
          "the notification runs after a failure",
          notify,
          GitHubExpressions.json("{\"inputs\": {\"gantry-repository\": \"acme/gantry\"}}"),
          "failure");
      expect(
          false,
          "but not while Gantry is the unpublished placeholder (nothing to take notify.sh from)",
          notify,
          GitHubExpressions.json("{\"inputs\": {\"gantry-repository\": \"OWNER/gantry\"}}"),
          "failure");
    }
    String explain =
        workflow(".github/workflows/scan-and-promote.yml").steps("promote").stream()
            .filter(
                step -> step.node().path("name").asText().equals("Say why nothing was promoted"))
            .findFirst()
            .orElseThrow()
            .node()
            .path("if")
            .asText();
    expect(
        true,
        "a promote that failed (a moved tag) is explained",
        explain,
        GitHubExpressions.json("{\"steps\": {\"gantry\": {\"outcome\": \"failure\"}}}"),
        "failure");
    expect(
        false,
        "a later failure is not blamed on the promote",
        explain,
        GitHubExpressions.json("{\"steps\": {\"gantry\": {\"outcome\": \"success\"}}}"),
        "failure");
    expect(
        false,
        "nor is anything said when all went well",
        explain,
        GitHubExpressions.json("{\"steps\": {\"gantry\": {\"outcome\": \"success\"}}}"));
    String collect = jobIf(BUILD, "collect");
    expect(
        true,
        "build digests are collected after a failed leg",
        collect,
        GitHubExpressions.json("{\"needs\": {\"plan\": {\"result\": \"success\"}}}"),
        "failure");
    expect(
        false,
        "but not when the plan failed",
        collect,
        GitHubExpressions.json("{\"needs\": {\"plan\": {\"result\": \"failure\"}}}"),
        "failure");
    evaluateAll();
  }
}
