package dev.gantry.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Rules about reusable workflows: a typed interface, and callers that pass exactly what it
 * declares.
 */
final class CallRules {
  private static final Set<String> INPUT_TYPES = Set.of("string", "boolean", "number");

  private CallRules() {}

  static void check(Suite suite, List<Violation> out) {
    Set<String> gantryDefaults = new HashSet<>();
    for (Workflow w : suite.workflows()) {
      if (w.isReusable()) {
        checkInterface(w, out);
        JsonNode inputs = w.call().path("inputs");
        if (inputs.has("gantry-repository")) {
          gantryDefaults.add(
              inputs.path("gantry-repository").path("default").asText()
                  + "@"
                  + inputs.path("gantry-ref").path("default").asText());
        }
      }
      w.jobs()
          .forEach(
              (id, job) -> {
                if (Jobs.isCall(job)) {
                  checkCall(suite, w, id, job, out);
                }
              });
    }
    if (gantryDefaults.size() > 1) {
      out.add(
          new Violation(
              Workflow.WORKFLOWS,
              "call",
              "the reusable workflows disagree on where Gantry lives "
                  + "(gantry-repository@gantry-ref defaults): "
                  + gantryDefaults));
    }
  }

  private static void checkInterface(Workflow w, List<Violation> out) {
    JsonNode call = w.call();
    call.path("inputs")
        .properties()
        .forEach(
            e -> {
              JsonNode spec = e.getValue();
              if (!INPUT_TYPES.contains(spec.path("type").asText())
                  || spec.path("description").asText("").isBlank()) {
                out.add(
                    new Violation(
                        w.path(),
                        "interface",
                        "input "
                            + e.getKey()
                            + " needs a type (string, boolean, number) "
                            + "and a description"));
              }
              if (spec.path("required").asBoolean(false) && spec.has("default")) {
                out.add(
                    new Violation(
                        w.path(),
                        "interface",
                        "input " + e.getKey() + " is required and has a default"));
              }
            });
    call.path("secrets")
        .properties()
        .forEach(
            e -> {
              if (e.getValue().path("description").asText("").isBlank()) {
                out.add(
                    new Violation(
                        w.path(), "interface", "secret " + e.getKey() + " needs a description"));
              }
            });
    call.path("outputs")
        .properties()
        .forEach(
            e -> {
              if (e.getValue().path("description").asText("").isBlank()
                  || e.getValue().path("value").asText("").isBlank()) {
                out.add(
                    new Violation(
                        w.path(),
                        "interface",
                        "output " + e.getKey() + " needs a description and a value"));
              }
            });
  }

  private static void checkCall(
      Suite suite, Workflow w, String id, JsonNode job, List<Violation> out) {
    String uses = job.path("uses").asText();
    String where = "job " + id + " (" + uses + ")";
    if (job.path("secrets").isTextual()) {
      out.add(
          new Violation(
              w.path(),
              "secrets",
              where
                  + ": secrets: "
                  + job.path("secrets").asText()
                  + " hands over every secret; pass the ones it declares, by name"));
    }
    Matcher remote = Suite.remoteCall(uses);
    boolean local = uses.startsWith("./");
    if (!local && !remote.matches()) {
      out.add(new Violation(w.path(), "call", where + ": not a reusable workflow reference"));
      return;
    }
    boolean ours = remote.matches() && remote.group(1).equals(suite.gantryRepository());
    if (w.isTemplate() && local) {
      out.add(
          new Violation(
              w.path(),
              "call",
              where
                  + ": a template is copied into other repositories: call "
                  + suite.gantryRepository()
                  + "/.github/workflows/...@"
                  + suite.gantryRef()));
    } else if (w.isTemplate() && ours && !releaseRef(suite, remote.group(3))) {
      out.add(
          new Violation(
              w.path(),
              "call",
              where
                  + ": call Gantry at its release ref "
                  + suite.gantryRef()
                  + ", the ref its reusable workflows take the action and scripts from"));
    }
    if (!local && !ours) {
      if (!remote.group(3).matches("[0-9a-f]{40}")) {
        out.add(
            new Violation(
                w.path(),
                "pin",
                where + ": another repository's workflow is pinned by commit SHA"));
      }
      return;
    }
    Optional<Workflow> found = suite.callee(uses);
    if (found.isEmpty()) {
      out.add(new Violation(w.path(), "call", where + ": no such reusable workflow in the suite"));
      return;
    }
    Workflow callee = found.get();
    if (!callee.isReusable()) {
      out.add(
          new Violation(
              w.path(), "call", where + ": " + callee.path() + " is not on: workflow_call"));
      return;
    }
    checkPassed(w, where, "input", job.path("with"), callee.call().path("inputs"), out);
    checkPassed(
        w,
        where,
        "secret",
        job.path("secrets").isObject() ? job.path("secrets") : job.path("none"),
        callee.call().path("secrets"),
        out);
  }

  /**
   * The ref a template calls Gantry at: its release ref on the default branch (v1, which the
   * reusable workflows' gantry-ref defaults to), or in a release tree (gantry-ref a commit SHA) a
   * commit SHA: the commit whose reusable workflows pin the action commit, since a commit cannot
   * name its own SHA (scripts/prepare-release.sh).
   */
  private static boolean releaseRef(Suite suite, String ref) {
    return ref.equals(suite.gantryRef())
        || (suite.gantryRef().matches("[0-9a-f]{40}") && ref.matches("[0-9a-f]{40}"));
  }

  private static void checkPassed(
      Workflow w,
      String where,
      String kind,
      JsonNode passed,
      JsonNode declared,
      List<Violation> out) {
    passed
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!declared.has(name)) {
                out.add(
                    new Violation(
                        w.path(),
                        kind.equals("secret") ? "secrets" : "call",
                        where
                            + " passes "
                            + kind
                            + " "
                            + name
                            + ", which the workflow does not declare"));
              }
            });
    declared
        .properties()
        .forEach(
            e -> {
              if (e.getValue().path("required").asBoolean(false) && !passed.has(e.getKey())) {
                out.add(
                    new Violation(
                        w.path(),
                        kind.equals("secret") ? "secrets" : "call",
                        where + " does not pass the " + "required " + kind + " " + e.getKey()));
              }
            });
  }
}
