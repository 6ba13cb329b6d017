package dev.gantry.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.workflows.Workflow.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules about what runs on whose commit: workflow_run gating and the commit it acts on, validation
 * of a manual sha, the Stack Tests -> Docker Scan & Promote -> Release & Deploy chain, and the
 * production deploy.
 */
final class ChainRules {
  static final String STACK_TESTS = "Stack Tests";
  static final String SCAN_AND_PROMOTE = "Docker Scan & Promote";
  static final String RELEASE_AND_DEPLOY = "Release & Deploy";
  static final String SBOM = "SBOM & Supply Chain";
  static final String DEFAULT_BRANCH = "$default-branch";

  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{(.*?)}}", Pattern.DOTALL);
  private static final Pattern SHA_INPUT =
      Pattern.compile("\\b(github\\.event\\.)?inputs\\.sha\\b");
  private static final String HEAD_SHA = "github.event.workflow_run.head_sha";
  private static final String RUN_ID = "github.event.workflow_run.id";

  private ChainRules() {}

  static void check(Suite suite, List<Violation> out) {
    for (Workflow w : suite.workflows()) {
      if (w.triggeredBy("workflow_run")) {
        checkGate(w, out);
        checkCommit(suite, w, out);
        checkNoCheckout(suite, w, out);
      }
      checkShaValidated(suite, w, out);
      w.jobs().keySet().forEach(id -> checkDeploy(w, id, out));
    }
    checkTemplateChain(suite, out);
  }

  /**
   * Every job runs only for a successful run of a push-side event of this repository (or a manual
   * dispatch).
   */
  private static void checkGate(Workflow w, List<Violation> out) {
    JsonNode trigger = w.on().path("workflow_run");
    if (!trigger.path("types").toString().equals("[\"completed\"]")) {
      out.add(
          new Violation(w.path(), "workflow-run-gate", "workflow_run must say types: [completed]"));
    }
    if (trigger.path("branches").size() == 0) {
      out.add(
          new Violation(
              w.path(),
              "workflow-run-gate",
              "workflow_run must filter branches (the default branch)"));
    }
    Map<String, JsonNode> jobs = w.jobs();
    for (String id : jobs.keySet()) {
      if (!gated(jobs, id, new HashSet<>())) {
        out.add(
            new Violation(
                w.path(),
                "workflow-run-gate",
                "job "
                    + id
                    + " can run without the gate: its if: (or "
                    + "a job it needs) must check conclusion == 'success', workflow_run.event and "
                    + "head_repository.full_name == github.repository"));
      }
    }
  }

  private static boolean gated(Map<String, JsonNode> jobs, String id, Set<String> seen) {
    JsonNode job = jobs.get(id);
    if (job == null || !seen.add(id)) {
      return false;
    }
    if (isGate(Jobs.expression(job.path("if").asText("")))) {
      return true;
    }
    for (String need : needs(job)) {
      if (gated(jobs, need, seen)) {
        return true;
      }
    }
    return false;
  }

  static boolean isGate(String condition) {
    return condition.contains("github.event.workflow_run.conclusion == 'success'")
        && condition.contains(
            "github.event.workflow_run.head_repository.full_name == github.repository")
        && condition.contains("github.event.workflow_run.event ==")
        && !condition.contains("'pull_request");
  }

  static List<String> needs(JsonNode job) {
    JsonNode needs = job.path("needs");
    List<String> list = new ArrayList<>();
    if (needs.isTextual()) {
      list.add(needs.asText());
    }
    needs.forEach(n -> list.add(n.asText()));
    return list;
  }

  /**
   * A workflow_run's GITHUB_SHA is the default branch's head. After a push-triggered workflow the
   * commit is the run's head_sha; after a workflow that was itself started by workflow_run or by
   * hand, even head_sha is just the branch head then, so the upstream run's record (an artifact, by
   * run id) must say which commit it acted on.
   */
  private static void checkCommit(Suite suite, Workflow w, List<Violation> out) {
    for (Step step : w.allSteps()) {
      if (step.run() != null && step.run().contains("GITHUB_SHA")) {
        out.add(
            new Violation(
                w.path(),
                "head-sha",
                step.where()
                    + ": GITHUB_SHA in a workflow_run workflow is the "
                    + "default branch's head, not the commit that was tested"));
      }
    }
    Matcher m = EXPRESSION.matcher(w.text());
    while (m.find()) {
      String e = Jobs.expression(m.group(1));
      if (e.contains("github.sha")
          && !e.contains(HEAD_SHA + " ||")
          && !e.contains("github.event_name == 'workflow_dispatch'")) {
        out.add(
            new Violation(
                w.path(),
                "head-sha",
                "${{ " + e + " }}: github.sha only as a manual dispatch's fallback"));
      }
    }
    for (JsonNode upstreamName : w.on().path("workflow_run").path("workflows")) {
      Optional<Workflow> upstream =
          suite.workflows().stream()
              .filter(
                  u -> u.name().equals(upstreamName.asText()) && u.isTemplate() == w.isTemplate())
              .findFirst();
      if (upstream.isEmpty()) {
        out.add(
            new Violation(
                w.path(),
                "chain",
                "workflow_run names '"
                    + upstreamName.asText()
                    + "', which no workflow next to it is called"));
        continue;
      }
      boolean pushed = upstream.get().triggeredBy("push");
      if (pushed && !w.text().contains(HEAD_SHA)) {
        out.add(
            new Violation(
                w.path(),
                "head-sha",
                "after '"
                    + upstreamName.asText()
                    + "' (a push workflow) the "
                    + "commit is "
                    + HEAD_SHA));
      }
      if (!pushed && (w.text().contains(HEAD_SHA) || !w.text().contains(RUN_ID))) {
        out.add(
            new Violation(
                w.path(),
                "head-sha",
                "after '"
                    + upstreamName.asText()
                    + "' (itself not a push "
                    + "workflow) "
                    + HEAD_SHA
                    + " is only the branch head: read the upstream run's record by "
                    + RUN_ID));
      }
    }
  }

  /**
   * A workflow_run workflow runs with secrets on code it did not test: it checks out nothing of its
   * own, except exactly the commit the gated upstream run tested (Gantry's own release builds what
   * CI passed).
   */
  private static void checkNoCheckout(Suite suite, Workflow w, List<Violation> out) {
    for (Step step : w.allSteps()) {
      if (step.usesAction("actions/checkout")
          && !Jobs.expression(step.with("ref")).equals(HEAD_SHA)) {
        out.add(
            new Violation(
                w.path(),
                "workflow-run-checkout",
                step.where()
                    + ": no checkout in a workflow_run workflow (it could be a pull request's code)"));
      }
    }
    w.jobs()
        .forEach(
            (id, job) ->
                suite
                    .callee(job.path("uses").asText(""))
                    .ifPresent(
                        callee -> {
                          for (Step step : callee.allSteps()) {
                            if (step.usesAction("actions/checkout")
                                && step.with("repository").isEmpty()) {
                              out.add(
                                  new Violation(
                                      callee.path(),
                                      "workflow-run-checkout",
                                      step.where()
                                          + ": called from the "
                                          + "workflow_run workflow "
                                          + w.path()
                                          + ", it may only check out a named repository (Gantry)"));
                            }
                          }
                        }));
  }

  /**
   * A manual or passed-in sha reaches nothing but the env of a step that checks it against a
   * regular expression, or the {@code sha} input of a reusable workflow of the suite that itself
   * checks it that way before any use (a template passes its event's sha on unchecked, as the
   * reusable workflow's first steps check it).
   */
  private static void checkShaValidated(Suite suite, Workflow w, List<Violation> out) {
    if (!hasShaInput(w)) {
      return;
    }
    for (String path : shaUses(suite, w, new HashSet<>()).unchecked()) {
      out.add(
          new Violation(
              w.path(),
              "sha-validation",
              path
                  + ": inputs.sha used before it is checked; pass it through the env of a step that"
                  + " tests it with =~ ^[0-9a-f]{40}$ and use that step's output, or to the sha input"
                  + " of a reusable workflow that does"));
    }
  }

  private static boolean hasShaInput(Workflow w) {
    return w.on().path("workflow_dispatch").path("inputs").has("sha")
        || w.call().path("inputs").has("sha");
  }

  /** Where a workflow uses inputs.sha: the places that check it first, and those that do not. */
  private record ShaUses(List<String> checked, List<String> unchecked) {}

  private static ShaUses shaUses(Suite suite, Workflow w, Set<String> seen) {
    ShaUses uses = new ShaUses(new ArrayList<>(), new ArrayList<>());
    seen.add(w.path());
    w.jobs()
        .forEach(
            (id, job) ->
                walk(
                    job,
                    "jobs." + id,
                    (path, value) -> {
                      if (SHA_INPUT.matcher(value).find()) {
                        (checks(suite, w, path, seen) ? uses.checked() : uses.unchecked())
                            .add(path);
                      }
                    }));
    return uses;
  }

  private static final Pattern STEP_ENV =
      Pattern.compile("^jobs\\.([^.]+)\\.steps\\[(\\d+)]\\.env\\.[^.]+$");
  private static final Pattern CALL_SHA = Pattern.compile("^jobs\\.([^.]+)\\.with\\.sha$");

  /** The value at {@code path} (it holds inputs.sha) is checked before anything uses it. */
  private static boolean checks(Suite suite, Workflow w, String path, Set<String> seen) {
    Matcher env = STEP_ENV.matcher(path);
    if (env.matches()) {
      String run = w.steps(env.group(1)).get(Integer.parseInt(env.group(2))).run();
      // A called Gantry script counts as the step's text.
      String effective = run == null ? "" : suite.effectiveRun(w, run);
      return effective.contains("=~") && effective.contains("[0-9a-f]{40}");
    }
    Matcher call = CALL_SHA.matcher(path);
    if (call.matches()) {
      Optional<Workflow> callee = suite.callee(w.jobs().get(call.group(1)).path("uses").asText(""));
      if (callee.isEmpty()
          || seen.contains(callee.get().path())
          || !callee.get().call().path("inputs").has("sha")) {
        return false;
      }
      ShaUses inCallee = shaUses(suite, callee.get(), new HashSet<>(seen));
      return !inCallee.checked().isEmpty() && inCallee.unchecked().isEmpty();
    }
    return false;
  }

  private interface Visitor {
    void visit(String path, String value);
  }

  private static void walk(JsonNode node, String path, Visitor visitor) {
    if (node.isTextual()) {
      visitor.visit(path, node.asText());
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", visitor);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        walk(e.getValue(), path + "." + e.getKey(), visitor);
      }
    }
  }

  /** The SSH deploy runs in the production environment, and a skip-deploy input can skip it. */
  private static void checkDeploy(Workflow w, String id, List<Violation> out) {
    if (!Jobs.deploys(w, id)) {
      return;
    }
    JsonNode job = w.jobs().get(id);
    JsonNode environment = job.path("environment");
    String name =
        environment.isObject() ? environment.path("name").asText() : environment.asText("");
    if (!name.equals("production")) {
      out.add(
          new Violation(
              w.path(), "deploy", "job " + id + " deploys outside the production environment"));
    }
    if (w.isReusable() && !job.path("if").asText("").contains("inputs.skip-deploy")) {
      out.add(
          new Violation(
              w.path(), "deploy", "job " + id + " cannot be skipped by the skip-deploy input"));
    }
    // scripts/remote-deploy.sh pins the host key it is given: the step must give it the secret
    // fingerprint.
    for (Workflow.Step step : w.steps(id)) {
      if (Jobs.isDeployStep(step)
          && Suite.calledScript(step.run()).isPresent()
          && !step.node()
              .path("env")
              .path("DEPLOY_HOST_FINGERPRINT")
              .asText("")
              .contains("secrets.")) {
        out.add(
            new Violation(
                w.path(),
                "ssh",
                step.where()
                    + ": the deploy script is not given the pinned host key "
                    + "(env DEPLOY_HOST_FINGERPRINT from a secret)"));
      }
    }
  }

  /**
   * Stack Tests -> Docker Scan & Promote -> Release & Deploy, by name, plus SBOM & Supply Chain.
   */
  private static void checkTemplateChain(Suite suite, List<Violation> out) {
    Map<String, Workflow> templates = new HashMap<>();
    suite.templates().forEach(t -> templates.put(t.name(), t));
    if (templates.isEmpty()) {
      return; // a suite without templates (a test snippet); the repository's test asserts they
      // exist
    }
    for (String name : List.of(STACK_TESTS, SCAN_AND_PROMOTE, RELEASE_AND_DEPLOY, SBOM)) {
      if (!templates.containsKey(name)) {
        out.add(new Violation(Workflow.TEMPLATES, "chain", "no template named '" + name + "'"));
      }
    }
    for (Workflow t : templates.values()) {
      checkDefaultBranch(t, out);
    }
    Workflow tests = templates.get(STACK_TESTS);
    if (tests != null) {
      JsonNode push = tests.on().path("push");
      if (!push.path("tags").toString().contains("\"v*\"") || !tests.triggeredBy("pull_request")) {
        out.add(
            new Violation(
                tests.path(),
                "chain",
                "Stack Tests runs on push (default branch, tags v*) and pull requests"));
      }
    }
    checkLink(
        templates.get(SCAN_AND_PROMOTE),
        STACK_TESTS,
        Map.of("sha", "string", "rollback", "boolean"),
        out);
    checkLink(
        templates.get(RELEASE_AND_DEPLOY),
        SCAN_AND_PROMOTE,
        Map.of("sha", "string", "skip_deploy", "boolean", "rollback", "boolean"),
        out);
    // Moving backwards needs a person: only a manual dispatch's rollback input may allow it.
    for (Workflow t : List.of(templates.get(SCAN_AND_PROMOTE), templates.get(RELEASE_AND_DEPLOY))) {
      if (t != null
          && !t.text()
              .contains(
                  "rollback: ${{ github.event_name == 'workflow_dispatch' && inputs.rollback }}")) {
        out.add(
            new Violation(
                t.path(),
                "chain",
                "the rollback input must reach the reusable workflow's rollback, "
                    + "and only on workflow_dispatch"));
      }
    }
    Workflow release = templates.get(RELEASE_AND_DEPLOY);
    if (release != null
        && !release
            .text()
            .contains(
                "skip-deploy: ${{ github.event_name == 'workflow_dispatch' && inputs.skip_deploy }}")) {
      out.add(
          new Violation(
              release.path(),
              "chain",
              "the skip_deploy input must reach the reusable workflow's skip-deploy"));
    }
    Workflow sbom = templates.get(SBOM);
    if (sbom != null
        && !(sbom.triggeredBy("push")
            && sbom.triggeredBy("pull_request")
            && sbom.triggeredBy("schedule"))) {
      out.add(
          new Violation(
              sbom.path(),
              "chain",
              "SBOM & Supply Chain runs on push, pull request and a schedule"));
    }
  }

  private static void checkLink(
      Workflow w, String upstream, Map<String, String> dispatchInputs, List<Violation> out) {
    if (w == null) {
      return;
    }
    JsonNode trigger = w.on().path("workflow_run");
    if (!trigger.path("workflows").toString().equals("[\"" + upstream + "\"]")) {
      out.add(
          new Violation(
              w.path(),
              "chain",
              "'"
                  + w.name()
                  + "' must run after '"
                  + upstream
                  + "' (workflow_run.workflows: [\""
                  + upstream
                  + "\"])"));
    }
    JsonNode inputs = w.on().path("workflow_dispatch").path("inputs");
    dispatchInputs.forEach(
        (input, type) -> {
          JsonNode spec = inputs.path(input);
          if (!spec.path("type").asText().equals(type) || spec.path("required").asBoolean(false)) {
            out.add(
                new Violation(
                    w.path(),
                    "chain",
                    "workflow_dispatch needs an optional " + type + " input " + input));
          }
        });
  }

  private static void checkDefaultBranch(Workflow t, List<Violation> out) {
    for (String event : List.of("push", "pull_request", "workflow_run")) {
      for (JsonNode branch : t.on().path(event).path("branches")) {
        if (!branch.asText().equals(DEFAULT_BRANCH)) {
          out.add(
              new Violation(
                  t.path(),
                  "default-branch",
                  event
                      + " filters branch '"
                      + branch.asText()
                      + "': a template says "
                      + DEFAULT_BRANCH));
        }
      }
    }
  }
}
