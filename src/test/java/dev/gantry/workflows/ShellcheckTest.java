package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gantry.testing.ProcessRunner;
import dev.gantry.workflows.Workflow.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * shellcheck finds nothing in the repository's shell scripts, nor in any {@code run:} block of the
 * workflows and templates (each written to a file as the bash script the runner makes of it).
 */
class ShellcheckTest {
  private static final Path ROOT = WorkflowPolicyTest.ROOT;

  /**
   * Never scanned: build output, dependencies, git, and mvnw (the Maven Wrapper's generated POSIX
   * script).
   */
  private static final Set<String> SKIP = Set.of(".git", "target", "node_modules", "mvnw");

  @Test
  void everyShellScriptIsClean() throws IOException {
    List<Path> scripts = shellScripts();
    List<String> names = scripts.stream().map(p -> ROOT.relativize(p).toString()).toList();
    assertTrue(
        names.containsAll(
            List.of(
                "scripts/deploy.sh",
                "scripts/remote-deploy.sh",
                "scripts/release-plan.sh",
                ".ci/run",
                "bench/promote.sh",
                "bin/gantry",
                ".ci/lint/lint-workflows.sh")),
        "scripts found: " + names);
    List<String> command = new ArrayList<>(List.of("shellcheck", "--norc", "--format=gcc"));
    command.addAll(names);
    assertClean(command, names);
  }

  @Test
  void everyRunBlockIsClean(@TempDir Path dir) throws IOException {
    Map<Path, String> blocks = writeRunBlocks(WorkflowPolicyTest.repository(), dir);
    assertTrue(blocks.size() > 20, "only " + blocks.size() + " run: blocks found");
    List<String> command = new ArrayList<>(List.of("shellcheck", "--norc", "--format=gcc"));
    blocks.keySet().forEach(p -> command.add(p.toString()));
    assertClean(command, List.copyOf(blocks.values()));
  }

  @Test
  void aPlantedMistakeIsFound(@TempDir Path dir) throws IOException {
    Suite suite =
        Suite.of(
            Map.of(
                ".github/workflows/x.yml",
                """
        name: X
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            env:
              TARGET: /tmp
            steps:
              - run: rm -rf $TARGET/*
        """));
    Map<Path, String> blocks = writeRunBlocks(suite, dir);
    ProcessRunner.Result result =
        ProcessRunner.run(
            List.of(
                "shellcheck",
                "--norc",
                "--format=gcc",
                blocks.keySet().iterator().next().toString()),
            Duration.ofSeconds(60),
            Map.of(),
            null);
    assertTrue(result.stdoutText().contains("SC2086"), result.stdoutText() + result.stderr());
  }

  /**
   * Each bash run: block as the script the runner makes of it, by file, with where it came from.
   */
  private static Map<Path, String> writeRunBlocks(Suite suite, Path dir) throws IOException {
    Map<Path, String> blocks = new LinkedHashMap<>();
    for (Workflow w : suite.workflows()) {
      String shell = w.root().path("defaults").path("run").path("shell").asText("bash");
      for (Step step : w.allSteps()) {
        String run = step.run();
        if (run == null || !step.node().path("shell").asText(shell).startsWith("bash")) {
          continue;
        }
        assertTrue(!run.contains("${{"), w.path() + ", " + step.where() + ": ${{ }} in run:");
        String name =
            w.path().replaceAll("[/.]", "_") + "." + step.job() + "." + (step.index() + 1) + ".sh";
        Path file = dir.resolve(name);
        // What the runner executes: bash --noprofile --norc -eo pipefail FILE, with the env: of the
        // workflow,
        // the job and the step exported (declared here so shellcheck knows they are set).
        Set<String> env = new TreeSet<>();
        for (var node :
            List.of(
                w.root().path("env"),
                w.root().path("jobs").path(step.job()).path("env"),
                step.node().path("env"))) {
          node.fieldNames().forEachRemaining(env::add);
        }
        Files.writeString(
            file,
            "#!/usr/bin/env bash\n# "
                + w.path()
                + ", "
                + step.where()
                + "\nset -eo pipefail\n"
                + (env.isEmpty() ? "" : "export " + String.join(" ", env) + "\n")
                + run);
        blocks.put(file, w.path() + ", " + step.where());
      }
    }
    return blocks;
  }

  private static void assertClean(List<String> command, List<String> what) {
    ProcessRunner.Result result;
    try {
      result = ProcessRunner.run(command, Duration.ofSeconds(120), Map.of(), null);
    } catch (IllegalStateException e) {
      fail(
          "cannot run shellcheck: install it (`apt-get install shellcheck`; .ci/run does): "
              + e.getMessage());
      return;
    }
    assertEquals(
        "",
        result.stdoutText() + result.stderr(),
        "shellcheck findings in " + what.size() + " scripts");
    assertEquals(0, result.exitCode());
  }

  /** Every *.sh file, and every file starting with a sh or bash shebang, outside {@link #SKIP}. */
  private static List<Path> shellScripts() throws IOException {
    try (Stream<Path> walk = Files.walk(ROOT)) {
      return walk.filter(p -> ROOT.relativize(p).getNameCount() > 0)
          .filter(
              p -> {
                for (Path part : ROOT.relativize(p)) {
                  if (SKIP.contains(part.toString())) {
                    return false;
                  }
                }
                return true;
              })
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".sh") || hasShellShebang(p))
          .sorted()
          .toList();
    }
  }

  private static boolean hasShellShebang(Path file) {
    try (var in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(64);
      String line =
          new String(head, java.nio.charset.StandardCharsets.ISO_8859_1)
              .lines()
              .findFirst()
              .orElse("");
      return line.matches("#!\\s*(/usr/bin/env\\s+)?(/bin/|/usr/bin/)?(ba)?sh\\b.*")
          || line.matches("#!/usr/bin/env (ba)?sh\\b.*");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
