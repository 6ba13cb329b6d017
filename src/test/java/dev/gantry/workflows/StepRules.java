package dev.gantry.workflows;

import dev.gantry.workflows.Workflow.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Rules about single steps: pins, run scripts, checkouts, Trivy, SARIF uploads, SSH. */
final class StepRules {
  private static final Pattern USES_LINE =
      Pattern.compile("^\\s*(?:-\\s+)?uses:\\s*[\"']?([^\\s\"'#]+)[\"']?\\s*(?:#\\s*(.*))?$");
  private static final Pattern PINNED =
      Pattern.compile("^([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:/[^@]+)?)@([0-9a-f]{40})$");
  private static final Pattern VERSION_COMMENT = Pattern.compile("^v\\d+\\.\\d+\\.\\d+\\b.*");
  private static final Pattern SSH_CALL = Pattern.compile("(^|[\\s|;&(])ssh\\s");

  private StepRules() {}

  static void check(Suite suite, List<Violation> out) {
    Map<String, String> pinOf = new HashMap<>();
    Map<String, String> commentOf = new HashMap<>();
    for (Workflow w : suite.workflows()) {
      Map<String, List<String>> comments = usesComments(w.text());
      Set<String> seen = new HashSet<>();
      for (Step step : w.allSteps()) {
        String uses = step.uses();
        if (!uses.isEmpty() && seen.add(uses)) {
          checkPin(w, step, uses, comments, pinOf, commentOf, out);
        }
        checkRun(suite, w, step, out);
        if (step.usesAction("actions/checkout")
            && !isFalse(step.node().path("with").path("persist-credentials").asText(""))) {
          out.add(
              new Violation(
                  w.path(),
                  "checkout",
                  step.where() + ": actions/checkout without persist-credentials: false"));
        }
        if (uses.startsWith("appleboy/ssh-action")) {
          out.add(
              new Violation(
                  w.path(),
                  "ssh",
                  step.where()
                      + ": appleboy/ssh-action puts its envs (the registry token) "
                      + "on the server's process list; run OpenSSH with a pinned known_hosts line"));
        }
      }
      for (String job : w.jobs().keySet()) {
        checkLocalActions(w, job, out);
        checkScriptCheckouts(w, job, out);
        checkTrivy(w, job, out);
        checkSarif(w, job, out);
      }
    }
  }

  /** The comment after each {@code uses:} value in the raw text (YAML trees drop comments). */
  static Map<String, List<String>> usesComments(String text) {
    Map<String, List<String>> comments = new HashMap<>();
    for (String line : text.split("\n", -1)) {
      Matcher m = USES_LINE.matcher(line);
      if (m.matches()) {
        comments
            .computeIfAbsent(m.group(1), k -> new ArrayList<>())
            .add(m.group(2) == null ? "" : m.group(2).trim());
      }
    }
    return comments;
  }

  private static void checkPin(
      Workflow w,
      Step step,
      String uses,
      Map<String, List<String>> comments,
      Map<String, String> pinOf,
      Map<String, String> commentOf,
      List<Violation> out) {
    if (uses.startsWith("./")) {
      return;
    }
    if (uses.startsWith("docker://")) {
      if (!uses.matches("docker://[^@]+@sha256:[0-9a-f]{64}")) {
        out.add(
            new Violation(
                w.path(),
                "pin",
                step.where() + ": " + uses + " is not pinned by digest (@sha256:...)"));
      }
      return;
    }
    Matcher m = PINNED.matcher(uses);
    if (!m.matches()) {
      out.add(
          new Violation(
              w.path(),
              "pin",
              step.where() + ": " + uses + " is not pinned to a full 40-character commit SHA"));
      return;
    }
    for (String comment : comments.getOrDefault(uses, List.of(""))) {
      if (!VERSION_COMMENT.matcher(comment).matches()) {
        out.add(
            new Violation(
                w.path(),
                "pin",
                step.where()
                    + ": "
                    + uses
                    + " needs its version in a comment, e.g. `# v1.2.3` (found: '"
                    + comment
                    + "')"));
      } else {
        String version = comment.split("\\s+")[0];
        String known = commentOf.putIfAbsent(uses, version);
        if (known != null && !known.equals(version)) {
          out.add(
              new Violation(
                  w.path(),
                  "pin",
                  step.where()
                      + ": "
                      + uses
                      + " is commented "
                      + version
                      + " here and "
                      + known
                      + " elsewhere"));
        }
      }
    }
    String action = m.group(1);
    String sha = m.group(2);
    String known = pinOf.putIfAbsent(action, sha);
    if (known != null && !known.equals(sha)) {
      out.add(
          new Violation(
              w.path(),
              "pin",
              step.where()
                  + ": "
                  + action
                  + " is pinned to "
                  + sha
                  + " here and to "
                  + known
                  + " elsewhere: use one version across the suite"));
    }
  }

  private static void checkRun(Suite suite, Workflow w, Step step, List<Violation> out) {
    String run = step.run();
    if (run == null) {
      return;
    }
    if (run.contains("${{")) {
      out.add(
          new Violation(
              w.path(),
              "run-expression",
              step.where()
                  + ": ${{ }} inside run: (pass the value through env: and use \"$VAR\")"));
    }
    Suite.calledScript(w, run)
        .ifPresent(
            script -> {
              if (!suite.files().containsKey(script)) {
                out.add(
                    new Violation(
                        w.path(),
                        "script",
                        step.where() + ": calls " + script + ", which is not in " + Suite.SCRIPTS));
              }
            });
    // A step calling a Gantry script is judged by what the script does (its text follows the
    // step's).
    String effective = suite.effectiveRun(w, run);
    if (SSH_CALL.matcher(effective).find()) {
      if (!effective.contains("StrictHostKeyChecking=yes")
          || !effective.contains("UserKnownHostsFile=")) {
        out.add(
            new Violation(
                w.path(),
                "ssh",
                step.where()
                    + ": ssh without StrictHostKeyChecking=yes and a pinned UserKnownHostsFile"));
      }
      if (effective.matches("(?s).*StrictHostKeyChecking=(no|accept-new|off).*")) {
        out.add(
            new Violation(w.path(), "ssh", step.where() + ": ssh that accepts unknown host keys"));
      }
    }
  }

  /**
   * A step calling .gantry/scripts/X.sh needs an earlier checkout of Gantry at .gantry in its job
   * that brings X.sh (a sparse checkout must list it), as the deploy job's checkout brings
   * scripts/remote-deploy.sh. In Gantry's own workflows, a step calling scripts/X.sh needs an
   * earlier checkout of this repository at the root that brings it.
   */
  private static void checkScriptCheckouts(Workflow w, String job, List<Violation> out) {
    List<Step> steps = w.steps(job);
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      List<Step> before = steps.subList(0, i);
      Suite.ownScript(w, step.run())
          .filter(
              script ->
                  before.stream()
                      .noneMatch(
                          s ->
                              s.usesAction("actions/checkout")
                                  && s.with("path").isEmpty()
                                  && s.with("repository").isEmpty()
                                  && (s.with("sparse-checkout").isBlank()
                                      || s.with("sparse-checkout")
                                          .lines()
                                          .map(String::strip)
                                          .anyMatch(script::equals))))
          .ifPresent(
              script ->
                  out.add(
                      new Violation(
                          w.path(),
                          "script",
                          step.where()
                              + ": calls "
                              + script
                              + " but no earlier step checks Gantry itself out at the root")));
      String script = Suite.calledScript(step.run()).orElse(null);
      if (script == null) {
        continue;
      }
      boolean brought =
          steps.subList(0, i).stream()
              .anyMatch(
                  s ->
                      s.usesAction("actions/checkout")
                          && s.with("path").equals(".gantry")
                          && (s.with("sparse-checkout").isBlank()
                              || s.with("sparse-checkout")
                                  .lines()
                                  .map(String::strip)
                                  .anyMatch(script::equals)));
      if (!brought) {
        out.add(
            new Violation(
                w.path(),
                "script",
                step.where()
                    + ": calls .gantry/"
                    + script
                    + " but no earlier checkout of Gantry at .gantry brings it"));
      }
    }
  }

  /**
   * In a reusable workflow {@code uses: ./x} is read from the caller's workspace: it must be a
   * directory an earlier step of the job checked out from a named repository (Gantry), never the
   * caller's own code.
   */
  private static void checkLocalActions(Workflow w, String job, List<Violation> out) {
    if (!w.isReusable()) {
      return;
    }
    List<Step> steps = w.steps(job);
    for (Step step : steps) {
      String uses = step.uses();
      if (!uses.startsWith("./")) {
        continue;
      }
      String dir = trimPath(uses);
      boolean checkedOut =
          steps.subList(0, step.index()).stream()
              .anyMatch(
                  s ->
                      s.usesAction("actions/checkout")
                          && trimPath(s.with("path")).equals(dir)
                          && !s.with("repository").isEmpty());
      if (!checkedOut) {
        out.add(
            new Violation(
                w.path(),
                "local-action",
                step.where()
                    + ": "
                    + uses
                    + " in a reusable workflow must be checked out first from a named repository into that path"));
      }
    }
  }

  private static void checkTrivy(Workflow w, String job, List<Violation> out) {
    List<Step> steps = w.steps(job);
    for (Step step : steps) {
      if (!step.usesAction("aquasecurity/trivy-action")) {
        continue;
      }
      if (!step.with("version").matches("v\\d+\\.\\d+\\.\\d+")) {
        out.add(
            new Violation(
                w.path(), "trivy", step.where() + ": pin Trivy itself with `version: vX.Y.Z`"));
      }
      String scanType = step.with("scan-type");
      if (!scanType.isEmpty() && !scanType.equals("image")) {
        continue;
      }
      if (!step.with("severity").equals("CRITICAL,HIGH")
          || !isTrue(step.with("ignore-unfixed"))
          || isFalse(step.with("cache"))) {
        out.add(
            new Violation(
                w.path(),
                "trivy",
                step.where()
                    + ": image scans use severity CRITICAL,HIGH, ignore-unfixed: true and the DB cache"));
      }
      boolean uploaded =
          steps.stream()
              .skip(step.index() + 1)
              .anyMatch(
                  s ->
                      s.usesAction("github/codeql-action/upload-sarif")
                          && s.with("category").startsWith("trivy-"));
      if (!uploaded) {
        out.add(
            new Violation(
                w.path(),
                "trivy",
                step.where() + ": the SARIF is not uploaded with category trivy-<image>"));
      }
    }
  }

  private static void checkSarif(Workflow w, String job, List<Violation> out) {
    boolean takesSha = w.call().path("inputs").has("sha");
    for (Step step : w.steps(job)) {
      if (!step.usesAction("github/codeql-action/upload-sarif")) {
        continue;
      }
      if (step.with("category").isEmpty()) {
        out.add(
            new Violation(w.path(), "sarif", step.where() + ": upload-sarif without a category"));
      }
      if (takesSha && (step.with("sha").isEmpty() || step.with("ref").isEmpty())) {
        out.add(
            new Violation(
                w.path(),
                "sarif",
                step.where()
                    + ": results of a given commit need upload-sarif's sha and ref (the run's own are another commit)"));
      }
    }
  }

  private static String trimPath(String path) {
    String p = path.startsWith("./") ? path.substring(2) : path;
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  static boolean isTrue(String value) {
    return value.equals("true");
  }

  static boolean isFalse(String value) {
    return value.equals("false");
  }
}
