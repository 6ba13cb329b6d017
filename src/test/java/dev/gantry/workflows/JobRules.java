package dev.gantry.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Rules about jobs: permissions, timeouts, concurrency, step summaries. */
final class JobRules {
  /**
   * The only scopes a job of the suite may write, each for one kind of work (the last two:
   * attestations).
   */
  private static final Set<String> WRITABLE =
      Set.of("contents", "packages", "security-events", "id-token", "attestations");

  private static final String PR_ONLY = "github.event_name == 'pull_request'";

  private JobRules() {}

  static void check(Suite suite, List<Violation> out) {
    Set<String> calleeGroups = new HashSet<>();
    for (Workflow w : suite.workflows()) {
      if (w.isReusable()) {
        w.jobs()
            .values()
            .forEach(j -> calleeGroups.add(j.path("concurrency").path("group").asText("")));
      }
    }
    calleeGroups.remove("");
    for (Workflow w : suite.workflows()) {
      checkTopPermissions(w, out);
      checkWorkflowConcurrency(suite, w, calleeGroups, out);
      w.jobs()
          .forEach(
              (id, job) -> {
                checkPermissions(suite, w, id, job, out);
                checkTimeout(w, id, job, out);
                checkJobConcurrency(w, id, job, calleeGroups, out);
                if (!Jobs.isCall(job)
                    && Jobs.isHeavy(suite, w, id)
                    && !Jobs.writesSummary(suite, w, id)) {
                  out.add(
                      new Violation(
                          w.path(),
                          "summary",
                          "job " + id + " does heavy work but writes no step summary"));
                }
              });
    }
  }

  private static void checkTopPermissions(Workflow w, List<Violation> out) {
    JsonNode top = w.root().path("permissions");
    if (!top.isObject()) {
      out.add(
          new Violation(
              w.path(), "permissions", "no top-level `permissions: {}` (or read-only map)"));
      return;
    }
    Jobs.declared(top)
        .forEach(
            (scope, level) -> {
              if (level.equals("write")) {
                out.add(
                    new Violation(
                        w.path(),
                        "permissions",
                        "top-level permissions grant "
                            + scope
                            + ": write to every job; grant it to the job that needs it"));
              }
            });
  }

  private static void checkPermissions(
      Suite suite, Workflow w, String id, JsonNode job, List<Violation> out) {
    JsonNode permissions = job.path("permissions");
    if (!permissions.isObject()) {
      out.add(
          new Violation(
              w.path(), "permissions", "job " + id + " has no permissions: map of its own"));
      return;
    }
    Map<String, String> declared = Jobs.declared(permissions);
    Map<String, String> needed = Jobs.needed(suite, w, id, job);
    declared.forEach(
        (scope, level) -> {
          if (!Set.of("none", "read", "write").contains(level)) {
            out.add(
                new Violation(
                    w.path(),
                    "permissions",
                    "job " + id + ": " + scope + ": " + level + " is not none/read/write"));
          } else if (level.equals("write") && !WRITABLE.contains(scope)) {
            out.add(
                new Violation(
                    w.path(), "permissions", "job " + id + " asks for " + scope + ": write"));
          } else if (level.equals("write") && Jobs.rank(needed.getOrDefault(scope, "none")) < 2) {
            out.add(
                new Violation(
                    w.path(),
                    "permissions",
                    "job " + id + " asks for " + scope + ": write but does nothing that needs it"));
          }
        });
    needed.forEach(
        (scope, level) -> {
          if (Jobs.rank(declared.getOrDefault(scope, "none")) < Jobs.rank(level)) {
            out.add(
                new Violation(
                    w.path(),
                    "permissions",
                    "job "
                        + id
                        + " needs "
                        + scope
                        + ": "
                        + level
                        + (Jobs.isCall(job) ? " (its callee's jobs ask for it)" : "")
                        + " but does not grant it"));
          }
        });
  }

  private static void checkTimeout(Workflow w, String id, JsonNode job, List<Violation> out) {
    JsonNode timeout = job.path("timeout-minutes");
    if (Jobs.isCall(job)) {
      if (!timeout.isMissingNode()) {
        out.add(
            new Violation(
                w.path(),
                "timeout",
                "job "
                    + id
                    + " calls a workflow: GitHub rejects timeout-minutes there "
                    + "(the callee's jobs carry theirs)"));
      }
    } else if (!timeout.isInt() || timeout.asInt() < 1 || timeout.asInt() > 360) {
      out.add(
          new Violation(
              w.path(), "timeout", "job " + id + " has no timeout-minutes between 1 and 360"));
    }
  }

  /**
   * Jobs that release, promote or deploy: serialized, never cancelled, in a group no caller uses.
   */
  private static void checkJobConcurrency(
      Workflow w, String id, JsonNode job, Set<String> calleeGroups, List<Violation> out) {
    JsonNode concurrency = job.path("concurrency");
    if (!Jobs.isCall(job) && Jobs.isSensitive(w, id)) {
      String group = concurrency.path("group").asText("");
      if (group.isEmpty() || concurrency.path("cancel-in-progress").asBoolean(false)) {
        out.add(
            new Violation(
                w.path(),
                "concurrency",
                "job "
                    + id
                    + " releases, promotes or deploys: it needs a "
                    + "concurrency group with cancel-in-progress: false"));
      } else if (w.isReusable() && !group.startsWith("gantry-")) {
        out.add(
            new Violation(
                w.path(),
                "concurrency",
                "job "
                    + id
                    + ": a reusable workflow's group starts with "
                    + "gantry- so no caller's group can equal it"));
      }
    }
    if (!w.isReusable() && calleeGroups.contains(concurrency.path("group").asText(""))) {
      out.add(
          new Violation(
              w.path(),
              "concurrency",
              "job "
                  + id
                  + " uses the concurrency group of a reusable "
                  + "workflow's job: the callee would wait for (or cancel) its caller"));
    }
  }

  private static void checkWorkflowConcurrency(
      Suite suite, Workflow w, Set<String> calleeGroups, List<Violation> out) {
    JsonNode concurrency = w.root().path("concurrency");
    if (w.isReusable()) {
      if (!concurrency.isMissingNode()) {
        out.add(
            new Violation(
                w.path(),
                "concurrency",
                "a reusable workflow must not set workflow-level concurrency "
                    + "(it would share its caller's group); set it on the jobs that need it"));
      }
      return;
    }
    boolean callsSensitive =
        w.jobs().values().stream()
            .filter(Jobs::isCall)
            .map(j -> suite.callee(j.path("uses").asText()))
            .flatMap(Optional::stream)
            .anyMatch(c -> c.jobs().keySet().stream().anyMatch(id -> Jobs.isSensitive(c, id)));
    if (!callsSensitive) {
      return;
    }
    String group = concurrency.path("group").asText("");
    JsonNode cancel = concurrency.path("cancel-in-progress");
    boolean cancelOk =
        cancel.isMissingNode()
            || (cancel.isBoolean() && !cancel.asBoolean())
            || Jobs.expression(cancel.asText()).equals(PR_ONLY);
    if (group.isEmpty() || !cancelOk) {
      out.add(
          new Violation(
              w.path(),
              "concurrency",
              "calls a workflow that promotes, releases or deploys: needs a "
                  + "workflow concurrency group that never cancels a push's run (cancel-in-progress: false, or only for "
                  + "pull requests)"));
    }
    if (group.startsWith("gantry-") || calleeGroups.contains(group)) {
      out.add(
          new Violation(
              w.path(),
              "concurrency",
              "group '"
                  + group
                  + "' is (or looks like) a reusable "
                  + "workflow's: the callee would wait for (or cancel) its caller"));
    }
  }
}
