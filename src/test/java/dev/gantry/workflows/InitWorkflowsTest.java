package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.ProcessRunner;
import dev.gantry.testing.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The callers {@code gantry init} writes are held to what the shipped templates are held to:
 * actionlint and action-validator find nothing, and the workflow policy (with Gantry's reusable
 * workflows as the callees, so inputs, secrets and permissions of every call are checked) finds
 * nothing but the one template rule a rendered file breaks on purpose: its branch filters name the
 * branch, not {@code $default-branch} (and, with deploy off, the one that wants the manual
 * skip_deploy input wired: skip-deploy is then {@code true}). The callers call a published Gantry
 * (acme/gantry, as {@code --gantry} names it), so the suite is held as published there: its
 * reusable workflows take Gantry from acme/gantry, and every call must reach one of them.
 */
class InitWorkflowsTest {
  private static final Path ROOT = WorkflowPolicyTest.ROOT;
  private static final String PUBLISHED = "acme/gantry";
  private static final Pattern CALL =
      Pattern.compile("(?m)^ +uses: (\\S+/\\.github/workflows/\\S+)$");
  private static final List<String> CALLERS =
      List.of(
          "stack-tests.yml",
          "docker-scan-and-promote.yml",
          "release-and-deploy.yml",
          "sbom-and-supply-chain.yml");

  static Stream<Arguments> settings() {
    return Stream.of(
        Arguments.of(
            "options",
            null,
            List.of("--images", "base,backend,frontend", "--default-branch", "main")),
        Arguments.of(
            "another registry, no deploy",
            null,
            List.of(
                "--images",
                "api,team/web",
                "--default-branch",
                "release/2026",
                "--registry",
                "registry.example.com:5000",
                "--no-deploy")),
        Arguments.of(
            "gantry.yml with build settings",
            """
            default-branch: "1.x"
            images:
              - name: base
                context: backend
                dockerfile: backend/Dockerfile.base
              - name: backend
                context: backend
                after: [base]
                build-args: {GREETING: "hello world", QUOTE: "it's \\"quoted\\" # not a comment"}
                target: runtime
                platforms: linux/amd64,linux/arm64
              - name: cert-generator
            """,
            List.of()),
        // The rehearsal's example application (scripts/rehearse.sh) is a valid adopter's settings
        // file.
        Arguments.of("examples/app", exampleSettings(), List.of()));
  }

  /**
   * The suite as published at acme/gantry: the reusable workflows' gantry-repository default says
   * so (as a release's commit B does), and so do the templates init does not render.
   */
  private static Suite published(Suite suite) {
    Suite out = suite;
    for (Workflow w : suite.workflows()) {
      out = out.with(w.path(), w.text().replace("OWNER/gantry", PUBLISHED));
    }
    return out;
  }

  private static String exampleSettings() {
    try {
      return Files.readString(ROOT.resolve("examples/app/.github/gantry.yml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settings")
  void theGeneratedCallersLintCleanAndKeepThePolicy(
      String label, String gantryYml, List<String> options) throws IOException {
    Path dir = TempDirs.create("gantry-init-");
    if (gantryYml != null) {
      Files.createDirectories(dir.resolve(".github"));
      Files.writeString(dir.resolve(".github/gantry.yml"), gantryYml);
    }
    List<String> args =
        new ArrayList<>(List.of("init", "--dir", dir.toString(), "--gantry", PUBLISHED));
    args.addAll(options);
    GantryRunner.Result init = new GantryRunner().run(args.toArray(String[]::new));
    assertEquals(0, init.exitCode(), init::all);

    Suite suite = published(Suite.load(ROOT));
    assertEquals(PUBLISHED, suite.gantryRepository());
    for (String caller : CALLERS) {
      String text = Files.readString(dir.resolve(".github/workflows/" + caller));
      assertFalse(text.contains("$default-branch"), caller);
      assertFalse(text.contains("OWNER"), caller);
      Matcher calls = CALL.matcher(text);
      int found = 0;
      while (calls.find()) {
        found++;
        assertTrue(
            calls.group(1).startsWith(PUBLISHED + "/") && suite.callee(calls.group(1)).isPresent(),
            caller + " calls " + calls.group(1) + ", not a reusable workflow of " + PUBLISHED);
      }
      assertTrue(found > 0, caller + " calls no reusable workflow");
      suite = suite.with(Workflow.TEMPLATES + caller, text);
    }
    boolean noDeploy = options.contains("--no-deploy");
    List<Violation> violations =
        WorkflowPolicy.check(suite).stream()
            .filter(
                v ->
                    !(v.rule().equals("default-branch") && v.file().startsWith(Workflow.TEMPLATES)))
            // Deploy off: skip-deploy is `true` outright, so the template's manual skip_deploy
            // input has nothing to add.
            .filter(
                v ->
                    !(noDeploy
                        && v.message()
                            .equals(
                                "the skip_deploy input must reach the reusable workflow's skip-deploy")))
            .toList();
    if (noDeploy) {
      assertTrue(
          Files.readString(dir.resolve(".github/workflows/release-and-deploy.yml"))
              .contains("      skip-deploy: true\n"));
    }
    assertEquals(
        List.of(),
        violations,
        () -> violations.stream().map(Violation::toString).collect(Collectors.joining("\n")));
    long resolved =
        WorkflowPolicy.check(suite).stream().filter(v -> v.rule().equals("default-branch")).count();
    assertTrue(resolved >= CALLERS.size(), "every caller filters its default branch: " + resolved);

    // The linter script lints a repository root with an action.yml: give the adopter's tree
    // Gantry's own.
    Files.copy(ROOT.resolve("action.yml"), dir.resolve("action.yml"));
    ProcessRunner.Result lint =
        ProcessRunner.run(
            List.of("bash", ROOT.resolve(".ci/lint/lint-workflows.sh").toString(), dir.toString()),
            Duration.ofSeconds(180),
            Map.of("NO_COLOR", "1"),
            null);
    assertEquals(0, lint.exitCode(), () -> lint.stdoutText() + lint.stderr());
    for (String caller : CALLERS) {
      assertTrue(
          lint.stdoutText().contains("action-validator: ok .github/workflows/" + caller),
          lint::stdoutText);
    }
    assertTrue(
        lint.stdoutText().contains("actionlint: " + CALLERS.size() + " files"), lint::stdoutText);
  }
}
