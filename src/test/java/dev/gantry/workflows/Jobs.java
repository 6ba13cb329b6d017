package dev.gantry.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.workflows.Workflow.Step;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What a job is and does, as the rules need to know it. */
final class Jobs {
  private Jobs() {}

  static boolean isCall(JsonNode job) {
    return job.has("uses");
  }

  /**
   * A local action ({@code uses: ./dir}): in this suite, the Gantry action (checked out, or the
   * repo itself).
   */
  static boolean isGantry(Step step) {
    return step.uses().startsWith("./");
  }

  static String gantryCommand(Step step) {
    String command = step.with("command");
    return command.isEmpty() ? "promote" : command;
  }

  /** A run: block of the job, or the Gantry script it calls, contains {@code text}. */
  static boolean runs(Suite suite, Workflow w, String job, String text) {
    return w.steps(job).stream()
        .anyMatch(s -> s.run() != null && suite.effectiveRun(w, s.run()).contains(text));
  }

  static boolean uses(Workflow w, String job, String action) {
    return w.steps(job).stream().anyMatch(s -> s.usesAction(action));
  }

  static final String REMOTE_DEPLOY = "scripts/remote-deploy.sh";

  static boolean releases(Workflow w, String job) {
    return w.steps(job).stream().anyMatch(s -> isGantry(s) && gantryCommand(s).equals("release"));
  }

  /** Moves tags: a promote, or a rollback by the ledger (which applies a promote plan). */
  static boolean promotes(Workflow w, String job) {
    return w.steps(job).stream()
        .anyMatch(
            s ->
                isGantry(s)
                    && (gantryCommand(s).equals("promote") || gantryCommand(s).equals("rollback")));
  }

  static boolean deploys(Workflow w, String job) {
    return w.steps(job).stream().anyMatch(Jobs::isDeployStep);
  }

  /**
   * The SSH deploy: a step calling scripts/remote-deploy.sh, or running ssh itself with
   * scripts/deploy.sh.
   */
  static boolean isDeployStep(Workflow.Step s) {
    // The script may be named in the step's env rather than its run text.
    return s.run() != null
        && (Suite.calledScript(s.run()).filter(REMOTE_DEPLOY::equals).isPresent()
            || s.node().toString().contains("deploy.sh")
                && s.run().matches("(?s).*(^|[\\s|;&(])ssh\\s.*"));
  }

  /** Moves something shared (a tag, a release, a server): must never run twice at once. */
  static boolean isSensitive(Workflow w, String job) {
    return releases(w, job) || promotes(w, job) || deploys(w, job);
  }

  /**
   * A run: block, or the Gantry script it calls, appends to the summary (in a line of code: a
   * script's header comment naming GITHUB_STEP_SUMMARY writes nothing); or the job runs the Gantry
   * action.
   */
  static boolean writesSummary(Suite suite, Workflow w, String job) {
    return w.steps(job).stream()
        .anyMatch(
            s ->
                isGantry(s)
                    || s.run() != null
                        && suite
                            .effectiveRun(w, s.run())
                            .lines()
                            .map(String::strip)
                            .anyMatch(
                                line ->
                                    !line.startsWith("#") && line.contains("GITHUB_STEP_SUMMARY")));
  }

  static boolean isHeavy(Suite suite, Workflow w, String job) {
    return uses(w, job, "docker/build-push-action")
        || w.steps(job).stream()
            .anyMatch(
                s ->
                    s.usesAction("aquasecurity/trivy-action")
                        && (s.with("scan-type").isEmpty() || s.with("scan-type").equals("image")))
        || uses(w, job, "anchore/sbom-action")
        || uses(w, job, "anchore/scan-action")
        || runs(suite, w, job, "mvnw -B verify")
        || runs(suite, w, job, "jib:build")
        || isSensitive(w, job);
  }

  /** The permissions a job declares, scope -> none/read/write; empty when {} or absent. */
  static Map<String, String> declared(JsonNode permissions) {
    Map<String, String> map = new TreeMap<>();
    permissions.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  /** The permissions a job's work needs at least (for a call, what the callee's jobs declare). */
  static Map<String, String> needed(Suite suite, Workflow w, String id, JsonNode job) {
    Map<String, String> needed = new TreeMap<>();
    if (isCall(job)) {
      Optional<Workflow> callee = suite.callee(job.path("uses").asText());
      callee.ifPresent(
          c -> c.jobs().values().forEach(j -> merge(needed, declared(j.path("permissions")))));
      return needed;
    }
    if (uses(w, id, "docker/build-push-action")
        || runs(suite, w, id, "jib:build")
        || promotes(w, id)
        || releases(w, id)) {
      needed.put("packages", "write");
    }
    if (uses(w, id, "github/codeql-action/upload-sarif")) {
      needed.put("security-events", "write");
    }
    if (releases(w, id)
        || runs(suite, w, id, "gh release ")
        || runs(suite, w, id, "/git/refs")
        || runs(suite, w, id, "git push ")) {
      needed.put("contents", "write");
    }
    if (uses(w, id, "actions/attest-build-provenance")) {
      needed.put("id-token", "write");
      needed.put("attestations", "write");
      if (w.steps(id).stream().anyMatch(s -> s.with("push-to-registry").equals("true"))) {
        needed.put("packages", "write");
      }
    }
    return needed;
  }

  static void merge(Map<String, String> into, Map<String, String> more) {
    more.forEach((scope, level) -> into.merge(scope, level, (a, b) -> rank(a) >= rank(b) ? a : b));
  }

  static int rank(String level) {
    return switch (level) {
      case "write" -> 2;
      case "read" -> 1;
      default -> 0;
    };
  }

  /** An expression's text without ${{ }} and with single spaces. */
  static String expression(String value) {
    String s = value.trim();
    if (s.startsWith("${{") && s.endsWith("}}")) {
      s = s.substring(3, s.length() - 2);
    }
    return s.replaceAll("\\s+", " ").trim();
  }
}
