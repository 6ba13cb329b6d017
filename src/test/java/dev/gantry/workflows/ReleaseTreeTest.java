package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.testing.ProcessRunner;
import dev.gantry.testing.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * scripts/prepare-release.sh (issue 11) on a git copy of this repository's action.yml, workflows
 * and templates: the release tree it leaves keeps the workflow policy and the release rules and
 * passes both linters; its three layers pin each other; it refuses bad arguments and trees with a
 * placeholder or a movable reference left. The release rehearsal (scripts/release-rehearsal.sh)
 * runs this class on the tree it prepared for the image it pushed: -Dgantry.release.tree=DIR
 * -Dgantry.release.owner=OWNER -Dgantry.release.digest=DIGEST.
 */
class ReleaseTreeTest {
  private static final Path ROOT = WorkflowPolicyTest.ROOT;
  private static final Path SCRIPT = ROOT.resolve("scripts/prepare-release.sh");
  private static final String OWNER = System.getProperty("gantry.release.owner", "acme");
  private static final String DIGEST =
      System.getProperty("gantry.release.digest", "sha256:" + "5e".repeat(32));
  private static final String REUSABLE_SCAN = ".github/workflows/scan-and-promote.yml";
  private static final String TEMPLATE_PROMOTE = "workflows-templates/docker-scan-and-promote.yml";

  private static Path tree;

  @BeforeAll
  static void prepareOnce() {
    String given = System.getProperty("gantry.release.tree", "");
    if (!given.isEmpty()) {
      tree = Path.of(given);
      return;
    }
    tree = copyOfRepository();
    ProcessRunner.Result result = prepare(tree, OWNER, DIGEST);
    assertEquals(0, result.exitCode(), result::stderr);
  }

  @Test
  void thePreparedTreeKeepsThePolicyAndTheReleaseRules() throws IOException {
    Suite suite = Suite.load(tree);
    List<Violation> violations = new ArrayList<>(WorkflowPolicy.check(suite));
    violations.addAll(
        ReleaseRules.check(suite, Files.readString(tree.resolve("action.yml")), action(tree)));
    assertEquals(
        List.of(), violations, () -> "violations in the release tree:\n" + lines(violations));
    assertEquals(OWNER + "/gantry", suite.gantryRepository());
    assertTrue(suite.gantryRef().matches("[0-9a-f]{40}"), suite.gantryRef());
  }

  @Test
  void theLintersPassOnThePreparedTree() {
    ProcessRunner.Result lint =
        ProcessRunner.run(
            List.of("bash", ROOT.resolve(".ci/lint/lint-workflows.sh").toString(), tree.toString()),
            Duration.ofSeconds(180),
            Map.of("NO_COLOR", "1"),
            null);
    assertEquals(0, lint.exitCode(), () -> lint.stdoutText() + lint.stderr());
    assertTrue(lint.stdoutText().contains("action-validator: ok action.yml"), lint::stdoutText);
  }

  /**
   * A: action.yml only; B: the reusable workflows only, pinning A; the work tree: the templates,
   * calling B.
   */
  @Test
  void theLayersPinEachOther() throws IOException {
    String a = git(tree, "rev-parse", "HEAD~1").strip();
    String b = git(tree, "rev-parse", "HEAD").strip();
    assertEquals("action.yml", git(tree, "diff", "--name-only", "HEAD~2", "HEAD~1").strip());
    assertEquals(
        ".github/workflows/build-images.yml\n.github/workflows/promote-stage.yml\n"
            + ".github/workflows/release-and-deploy.yml\n.github/workflows/rollback.yml\n"
            + ".github/workflows/sbom.yml\n.github/workflows/scan-and-promote.yml",
        git(tree, "diff", "--name-only", "HEAD~1", "HEAD").strip());
    assertTrue(
        git(tree, "diff", "--name-only", "HEAD")
            .lines()
            .allMatch(f -> f.startsWith("workflows-templates/")));
    assertEquals(
        "docker://ghcr.io/" + OWNER.toLowerCase() + "/gantry@" + DIGEST,
        action(tree).path("runs").path("image").asText());
    assertEquals(
        Files.readString(tree.resolve("action.yml")), git(tree, "show", a + ":action.yml"));
    Suite suite = Suite.load(tree);
    assertEquals(a, suite.gantryRef(), "the reusable workflows take Gantry from A");
    String promote = suite.text(TEMPLATE_PROMOTE);
    assertTrue(
        promote.contains("uses: " + OWNER + "/gantry/.github/workflows/scan-and-promote.yml@" + b),
        promote);
    // B's reusable workflows are the release's: the templates call exactly what a caller of the
    // release runs.
    assertEquals(
        git(tree, "show", b + ":" + REUSABLE_SCAN), Files.readString(tree.resolve(REUSABLE_SCAN)));
  }

  /**
   * The rules and the script's --check can fail: the default branch is full of what a release must
   * not have.
   */
  @Test
  void theDefaultBranchIsNotARelease() throws IOException {
    Suite suite = WorkflowPolicyTest.repository();
    List<Violation> violations =
        ReleaseRules.check(suite, Files.readString(ROOT.resolve("action.yml")), action(ROOT));
    List<String> rules = violations.stream().map(Violation::rule).distinct().sorted().toList();
    assertEquals(
        List.of("release-image", "release-placeholder", "release-ref"),
        rules,
        () -> lines(violations));
    ProcessRunner.Result check = run(ROOT, List.of("--check"));
    assertEquals(1, check.exitCode(), check::stderr);
    assertTrue(
        check.stderr().contains("left in action.yml:")
            && check.stderr().contains("image not pinned by digest")
            && check.stderr().contains("left in " + TEMPLATE_PROMOTE + ":")
            && check.stderr().contains("movable gantry-ref"),
        check::stderr);
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        Arguments.of(List.of(), "expected OWNER and DIGEST, got 0"),
        Arguments.of(List.of("acme"), "expected OWNER and DIGEST, got 1"),
        Arguments.of(List.of("acme", DIGEST, "extra"), "got 3"),
        Arguments.of(List.of("-acme", DIGEST), "bad OWNER '-acme'"),
        Arguments.of(List.of("acme/gantry", DIGEST), "bad OWNER 'acme/gantry'"),
        Arguments.of(List.of("", DIGEST), "bad OWNER ''"),
        Arguments.of(List.of("acme", "sha256:abc"), "bad DIGEST 'sha256:abc'"),
        Arguments.of(List.of("acme", "sha256:" + "AB".repeat(32)), "bad DIGEST 'sha256:ABAB"),
        Arguments.of(List.of("acme", "sha512:" + "ab".repeat(32)), "bad DIGEST 'sha512:"),
        Arguments.of(List.of("acme", "v1"), "bad DIGEST 'v1'"),
        Arguments.of(List.of("--check", "a_b"), "bad OWNER 'a_b'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArguments")
  void badArgumentsExit2WithOneLineAndTouchNothing(List<String> args, String message) {
    Path copy = copyOfRepository();
    String head = git(copy, "rev-parse", "HEAD");
    ProcessRunner.Result result = run(copy, args);
    assertEquals(2, result.exitCode(), result::stderr);
    assertEquals(1, result.stderr().strip().lines().count(), result::stderr);
    assertTrue(result.stderr().contains(message), result::stderr);
    assertEquals(head, git(copy, "rev-parse", "HEAD"));
    assertEquals("", git(copy, "status", "--porcelain"));
  }

  static Stream<Arguments> leftovers() {
    return Stream.of(
        Arguments.of(
            "a placeholder image in a template",
            TEMPLATE_PROMOTE,
            "      block-on-findings: true",
            "      block-on-findings: true # ghcr.io/OWNER/gantry:latest",
            "left in " + TEMPLATE_PROMOTE + ":",
            "placeholder"),
        Arguments.of(
            "a template at a branch",
            "workflows-templates/sbom-and-supply-chain.yml",
            "OWNER/gantry/.github/workflows/sbom.yml@v1",
            "OWNER/gantry/.github/workflows/sbom.yml@main",
            "left in workflows-templates/sbom-and-supply-chain.yml:",
            "movable reference to Gantry"),
        Arguments.of(
            "the action by tag in a reusable workflow",
            REUSABLE_SCAN,
            "        uses: ./.gantry\n",
            "        uses: " + OWNER + "/gantry@v1\n",
            "left in " + REUSABLE_SCAN + ":",
            "movable reference to Gantry"),
        Arguments.of(
            "a gantry-ref default at a branch",
            ".github/workflows/release-and-deploy.yml",
            "        default: v1\n",
            "        default: main\n",
            "left in .github/workflows/release-and-deploy.yml:",
            "movable gantry-ref default"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("leftovers")
  void aLeftoverFailsThePreparation(
      String what, String file, String from, String to, String where, String kind) {
    Path copy = copyOfRepository(file, from, to);
    ProcessRunner.Result result = prepare(copy, OWNER, DIGEST);
    assertEquals(1, result.exitCode(), () -> what + ": " + result.stderr());
    assertTrue(
        result.stderr().contains(where) && result.stderr().contains(kind),
        () -> what + ": " + result.stderr());
    assertTrue(result.stderr().contains("FAILED"), result::stderr);
  }

  @Test
  void aTreeThatIsNotADefaultBranchCheckoutIsRefused() throws IOException {
    Path twice = copyOfRepository();
    assertEquals(0, prepare(twice, OWNER, DIGEST).exitCode());
    git(twice, "commit", "-q", "-am", "release");
    ProcessRunner.Result again = prepare(twice, OWNER, DIGEST);
    assertEquals(1, again.exitCode(), again::stderr);
    assertTrue(again.stderr().contains("already prepared?"), again::stderr);

    Path dirty = copyOfRepository();
    Files.writeString(
        dirty.resolve("action.yml"), "# edited\n", java.nio.file.StandardOpenOption.APPEND);
    ProcessRunner.Result result = prepare(dirty, OWNER, DIGEST);
    assertEquals(1, result.exitCode(), result::stderr);
    assertTrue(result.stderr().contains("uncommitted changes"), result::stderr);
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** See {@link RepositoryCopy}. */
  private static Path copyOfRepository() {
    return RepositoryCopy.committed(TempDirs.create("release-tree"), "default branch");
  }

  /** The same with {@code file}'s {@code from} replaced by {@code to}. */
  private static Path copyOfRepository(String file, String from, String to) {
    return RepositoryCopy.committed(
        TempDirs.create("release-tree"), "default branch", file, from, to);
  }

  private static ProcessRunner.Result prepare(Path dir, String owner, String digest) {
    return run(dir, List.of(owner, digest));
  }

  private static ProcessRunner.Result run(Path dir, List<String> args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                "-c",
                "cd \"$1\" && shift && exec bash \"$@\"",
                "prepare",
                dir.toString(),
                SCRIPT.toString()));
    command.addAll(args);
    return ProcessRunner.run(command, Duration.ofSeconds(60), RepositoryCopy.GIT_ID, null);
  }

  private static String git(Path dir, String... args) {
    return RepositoryCopy.git(dir, args);
  }

  private static JsonNode action(Path root) throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(root.resolve("action.yml").toFile());
  }

  private static String lines(List<Violation> violations) {
    return violations.stream().map(Violation::toString).collect(Collectors.joining("\n"));
  }
}
