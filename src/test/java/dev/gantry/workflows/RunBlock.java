package dev.gantry.workflows;

import dev.gantry.testing.ProcessRunner;
import dev.gantry.workflows.Workflow.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One {@code run:} step of the suite, executed the way the runner executes it: {@code bash
 * --noprofile --norc -eo pipefail FILE} in a work directory, with the runner's variables
 * (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP, GITHUB_*) and the step's {@code env:}, whose
 * expressions the test evaluates: it must give every one of them. A step that calls a Gantry script
 * (.gantry/scripts/X.sh, or scripts/X.sh in Gantry's own workflows) finds the repository's scripts
 * there, as its job's checkout of Gantry brings them.
 */
final class RunBlock {
  private final String where;
  private final String script;
  private final Set<String> envNames;
  private final boolean ownCheckout;

  private RunBlock(String where, String script, Set<String> envNames, boolean ownCheckout) {
    this.where = where;
    this.script = script;
    this.envNames = envNames;
    this.ownCheckout = ownCheckout;
  }

  /** The step of {@code job} whose name starts with {@code stepName}. */
  static RunBlock of(String file, String job, String stepName) {
    Workflow w =
        WorkflowPolicyTest.repository()
            .byPath(file)
            .orElseThrow(() -> new IllegalArgumentException(file));
    Step step =
        w.steps(job).stream()
            .filter(s -> s.node().path("name").asText("").startsWith(stepName))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(file + ": no step '" + stepName + "' in " + job));
    if (step.run() == null) {
      throw new IllegalArgumentException(file + ", " + step.where() + " is not a run: step");
    }
    Set<String> names = new TreeSet<>();
    step.node().path("env").fieldNames().forEachRemaining(names::add);
    w.root().path("jobs").path(job).path("env").fieldNames().forEachRemaining(names::add);
    return new RunBlock(
        file + ", " + step.where(), step.run(), names, Suite.ownScript(w, step.run()).isPresent());
  }

  /** What one run did: exit code, output, the step outputs it wrote and its summary. */
  record Result(
      int exitCode, String stdout, String stderr, Map<String, String> outputs, String summary) {
    String all() {
      return "exit "
          + exitCode
          + "\n--- stdout\n"
          + stdout
          + "--- stderr\n"
          + stderr
          + "--- outputs\n"
          + outputs
          + "\n--- summary\n"
          + summary;
    }
  }

  /**
   * The runner's own variables for a push to main of Acme/shop (a mixed-case owner, as GitHub
   * allows).
   */
  static Map<String, String> runnerDefaults() {
    Map<String, String> env = new HashMap<>();
    env.put("GITHUB_REPOSITORY", "Acme/shop");
    env.put("GITHUB_REPOSITORY_OWNER", "Acme");
    env.put("GITHUB_EVENT_NAME", "push");
    env.put("GITHUB_ACTOR", "octocat");
    env.put("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567");
    env.put("GITHUB_REF", "refs/heads/main");
    env.put("GITHUB_SERVER_URL", "https://github.com");
    env.put("GITHUB_RUN_ID", "4242");
    env.put("GITHUB_RUN_NUMBER", "17");
    env.put("GITHUB_WORKFLOW", "Release & Deploy");
    return env;
  }

  Result run(Path workDir, Map<String, String> stepEnv) {
    return run(workDir, stepEnv, Map.of(), Duration.ofSeconds(60));
  }

  /**
   * Runs with the step's env, runner variables overridden by {@code runner}, in {@code workDir}.
   */
  Result run(
      Path workDir, Map<String, String> stepEnv, Map<String, String> runner, Duration timeout) {
    if (!stepEnv.keySet().equals(envNames)) {
      throw new IllegalArgumentException(
          where + " takes env " + envNames + "; the test gives " + stepEnv.keySet());
    }
    try {
      Path temp = Files.createDirectories(workDir.resolve(".runner/temp"));
      Path output = Files.writeString(workDir.resolve(".runner/output"), "");
      Path summary = Files.writeString(workDir.resolve(".runner/summary"), "");
      Path file = Files.writeString(workDir.resolve(".runner/step.sh"), script);
      if (Suite.calledScript(script).isPresent()) {
        copyScripts(workDir.resolve(".gantry/scripts"));
      } else if (ownCheckout) {
        copyScripts(workDir.resolve("scripts"));
      }
      Map<String, String> env = new LinkedHashMap<>(runnerDefaults());
      env.putAll(runner);
      env.put("RUNNER_TEMP", temp.toString());
      env.put("GITHUB_OUTPUT", output.toString());
      env.put("GITHUB_STEP_SUMMARY", summary.toString());
      env.putAll(stepEnv);
      List<String> command =
          List.of(
              "bash",
              "-c",
              "cd \"$0\" && exec bash --noprofile --norc -eo pipefail \"$1\"",
              workDir.toString(),
              file.toString());
      ProcessRunner.Result r = ProcessRunner.run(command, timeout, env, null);
      return new Result(
          r.exitCode(),
          r.stdoutText(),
          r.stderr(),
          outputs(Files.readString(output)),
          Files.readString(summary));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The job's checkout of Gantry, for a step that calls .gantry/scripts/X.sh (at .gantry) or, in
   * Gantry's own workflows, scripts/X.sh (at the root): the repository's scripts (what the scripts
   * call next to themselves included), as they are now, with their modes.
   */
  private static void copyScripts(Path to) throws IOException {
    Path scripts = Files.createDirectories(to);
    try (var files = Files.list(WorkflowPolicyTest.ROOT.resolve("scripts"))) {
      for (Path script : files.filter(p -> p.toString().endsWith(".sh")).toList()) {
        Files.copy(
            script,
            scripts.resolve(script.getFileName()),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  /** GITHUB_OUTPUT's two forms: NAME=VALUE, and NAME<<DELIMITER, lines, DELIMITER. */
  static Map<String, String> outputs(String text) {
    Map<String, String> outputs = new LinkedHashMap<>();
    Iterator<String> lines = text.lines().iterator();
    while (lines.hasNext()) {
      String line = lines.next();
      int heredoc = line.indexOf("<<");
      int equals = line.indexOf('=');
      if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
        String delimiter = line.substring(heredoc + 2);
        StringBuilder value = new StringBuilder();
        for (String next = lines.next(); !next.equals(delimiter); next = lines.next()) {
          value.append(value.length() == 0 ? "" : "\n").append(next);
        }
        outputs.put(line.substring(0, heredoc), value.toString());
      } else if (equals > 0) {
        outputs.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return outputs;
  }
}
