package dev.gantry.release;

import static dev.gantry.release.FakeGitHub.SHA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.cli.ExitCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code gantry release} as a user meets it: options, token, API base, output, and what the release
 * body holds.
 */
@Timeout(60)
class ReleaseCliTest {
  private FakeGitHub gh;
  private ReleaseRunner gantry;

  @BeforeEach
  void start() {
    gh = new FakeGitHub();
    gantry = new ReleaseRunner(gh);
  }

  @AfterEach
  void stop() {
    GitHubCalls.assertNoTagRewritten(gh);
    gh.close();
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        Arguments.of(
            "repository without owner", List.of("--repository", "api", "--sha", SHA), "api"),
        Arguments.of(
            "repository with three parts",
            List.of("--repository", "acme/api/x", "--sha", SHA),
            "acme/api/x"),
        Arguments.of(
            "repository with empty name", List.of("--repository", "acme/", "--sha", SHA), "acme/"),
        Arguments.of(
            "repository with empty owner", List.of("--repository", "/api", "--sha", SHA), "/api"),
        Arguments.of(
            "repository with a space",
            List.of("--repository", "acme/my api", "--sha", SHA),
            "acme/my api"),
        Arguments.of("6-hex sha", List.of("--repository", "acme/api", "--sha", "6dcb09"), "6dcb09"),
        Arguments.of(
            "41-hex sha", List.of("--repository", "acme/api", "--sha", SHA + "a"), SHA + "a"),
        Arguments.of(
            "non-hex sha", List.of("--repository", "acme/api", "--sha", "6dcb09g"), "6dcb09g"),
        Arguments.of("branch as sha", List.of("--repository", "acme/api", "--sha", "main"), "main"),
        Arguments.of(
            "unknown format",
            List.of("--repository", "acme/api", "--sha", SHA, "--format", "YYYY.MM.PATCH"),
            "YYYY.MM.PATCH"),
        Arguments.of(
            "format without patch",
            List.of("--repository", "acme/api", "--sha", SHA, "--format", "YYYY.M"),
            "YYYY.M"),
        Arguments.of("no --sha", List.of("--repository", "acme/api"), "--sha"),
        Arguments.of("no --repository", List.of("--sha", SHA), "--repository"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInputIsExitTwoWithOneLineAndNoRequest(String what, List<String> args, String named) {
    List<String> all = new ArrayList<>(List.of("release"));
    all.addAll(args);

    ReleaseRunner.Result run = gantry.run(all.toArray(String[]::new));

    assertEquals(ExitCode.BAD_INPUT, run.exitCode(), run::all);
    assertEquals(1, run.stderrLines().size(), run::all);
    assertTrue(run.stderrLines().get(0).startsWith("gantry: "), run::all);
    assertTrue(
        run.stderrLines().get(0).contains(named), () -> "'" + named + "' not in: " + run.stderr());
    assertEquals("", run.stdout());
    assertEquals(List.of(), gh.calls(), "bad input must not reach GitHub");
  }

  @ParameterizedTest(name = "GITHUB_TOKEN={0}")
  @MethodSource("missingTokens")
  void noTokenIsExitTwoWithNoRequest(String token) {
    ReleaseRunner.Result run = gantry.env("GITHUB_TOKEN", token).release();

    assertEquals(ExitCode.BAD_INPUT, run.exitCode(), run::all);
    assertEquals(1, run.stderrLines().size(), run::all);
    assertTrue(run.stderr().contains("GITHUB_TOKEN is not set"), run::all);
    assertEquals(List.of(), gh.calls());
  }

  static Stream<String> missingTokens() {
    return Stream.of(null, "");
  }

  @Test
  void theTokenCanComeFromStandardInput() {
    String token = "ghs_fromstdin0987654321";
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");

    ReleaseRunner.Result run =
        gantry
            .env("GITHUB_TOKEN", null)
            .stdin(token + "\n")
            .secret(token)
            .release("--github-token-stdin");

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.assertAuthorized(gh, token);
    assertEquals(1, gh.count("POST", gh.repoPath("/releases")));
  }

  @Test
  void anEnterpriseServerBasePrefixesEveryPath() {
    gh.close();
    gh = new FakeGitHub("/api/v3");
    gantry = new ReleaseRunner(gh);
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").writes().assertExactly(run);
    assertTrue(
        gh.calls().stream().allMatch(c -> c.split(" ")[1].startsWith("/api/v3/repos/acme/api")),
        () -> String.join("\n", gh.calls()));
  }

  static Stream<Arguments> releaseFlags() {
    return Stream.of(
        Arguments.of(List.of(), false, false, "true"),
        Arguments.of(List.of("--draft"), true, false, "false"),
        Arguments.of(List.of("--prerelease"), false, true, "false"),
        Arguments.of(List.of("--no-latest"), false, false, "false"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("releaseFlags")
  void theReleaseIsMarkedAsTheFlagsSay(
      List<String> flags, boolean draft, boolean prerelease, String makeLatest) {
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");

    ReleaseRunner.Result run = gantry.release(flags.toArray(String[]::new));

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    JsonNode sent = gh.onlyBody("POST", gh.repoPath("/releases"));
    assertEquals("2026.11.0", sent.path("tag_name").asText());
    assertEquals("2026.11.0", sent.path("name").asText());
    assertEquals(SHA, sent.path("target_commitish").asText());
    assertEquals(draft, sent.path("draft").asBoolean(), sent::toString);
    assertEquals(prerelease, sent.path("prerelease").asBoolean(), sent::toString);
    assertTrue(sent.path("make_latest").isTextual(), sent::toString);
    assertEquals(makeLatest, sent.path("make_latest").asText(), sent::toString);
  }

  @Test
  void theBodyNamesTheCommitThenCarriesGitHubsNotesOnce() {
    String notes = FakeGitHub.notes("2026.11.0", "2026.10.4");
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    JsonNode sent = gh.onlyBody("POST", gh.repoPath("/releases"));
    String body = sent.path("body").asText();
    assertTrue(body.contains(SHA), body);
    assertTrue(body.contains(notes), body);
    assertTrue(body.indexOf(SHA) < body.indexOf(notes), body);
    // Notes are generated once, by the call above: asking GitHub to generate them again would print
    // them twice.
    assertFalse(sent.path("generate_release_notes").asBoolean(false), sent::toString);
  }

  @Test
  void hugeGeneratedNotesAreCutToGitHubsLimitWithANote() {
    StringBuilder notes = new StringBuilder("## What's Changed\n");
    for (int i = 0; notes.length() < 200_000; i++) {
      notes
          .append("* Change number ")
          .append(i)
          .append(" by @dev in https://github.com/acme/api/pull/")
          .append(i)
          .append('\n');
    }
    gh.lightweight("2026.10.4")
        .tagCreated("2026.11.0")
        .notesGenerated("2026.11.0", "2026.10.4", notes.toString())
        .releaseCreated("2026.11.0");

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    String body = gh.onlyBody("POST", gh.repoPath("/releases")).path("body").asText();
    assertTrue(body.length() <= 125_000, "body has " + body.length() + " characters");
    assertTrue(body.length() > 100_000, "cut far more than needed: " + body.length());
    assertTrue(body.contains(SHA), "the header survives");
    assertTrue(body.contains("* Change number 0 by @dev"), "the notes start survives");
    String lastLine = body.strip().lines().reduce((x, y) -> y).orElse("");
    assertFalse(
        lastLine.startsWith("* Change number"),
        () -> "no note after the cut: ..." + body.substring(body.length() - 300));
  }

  @Test
  void jsonIsOneDocumentWithTheContractsFields() {
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");

    ReleaseRunner.Result run = gantry.release("--json");

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    JsonNode json = run.json();
    assertEquals("release", json.path("command").asText(), run::all);
    assertEquals("ok", json.path("status").asText());
    assertEquals("2026.11.0", json.path("version").asText());
    assertEquals("2026.11.0", json.path("tag").asText());
    assertEquals("2026.10.4", json.path("previousTag").asText());
    assertTrue(
        json.path("alreadyReleased").isBoolean() && !json.path("alreadyReleased").asBoolean(),
        run::all);
    assertEquals(SHA, json.path("sha").asText());
    assertEquals(FakeGitHub.RELEASE_ID, json.path("release").path("id").asLong(), run::all);
    assertEquals(
        "https://github.com/acme/api/releases/tag/2026.11.0",
        json.path("release").path("url").asText());
    assertTrue(json.path("images").isArray() && json.path("images").isEmpty(), run::all);
    assertEquals("", run.stderr());
  }

  @Test
  void theHumanSummaryNamesVersionTagPreviousTagAndReleaseUrl() {
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    assertTrue(run.stdout().contains("2026.11.0"), run::all);
    assertTrue(run.stdout().contains("2026.10.4"), run::all);
    assertTrue(
        run.stdout().contains("https://github.com/acme/api/releases/tag/2026.11.0"), run::all);
    assertFalse(run.stdout().contains("already released"), run::all);
  }

  @Test
  void dryRunOnlyReadsAndSaysWhatItWouldDo() {
    gh.lightweight("2026.10.3").annotated("2026.10.4").freshRelease("2026.11.0", "2026.10.4");

    ReleaseRunner.Result run = gantry.release("--dry-run");

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.assertReadOnly(gh, run);
    GitHubCalls.of(gh)
        .reads(SHA, "2026.11.", "2026.10.")
        .tagObject(FakeGitHub.tagObjectSha("2026.10.4", FakeGitHub.otherCommit("2026.10.4")))
        .assertExactly(run);
    assertTrue(run.stdout().contains("2026.11.0"), run::all);
    assertTrue(run.stdout().contains("2026.10.4"), run::all);
    assertTrue(run.stdout().toLowerCase(Locale.ROOT).contains("notes"), run::all);
  }

  @Test
  void dryRunWithJsonIsOneDocumentToo() {
    gh.lightweight("2026.10.4");

    ReleaseRunner.Result run = gantry.release("--dry-run", "--json");

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.assertReadOnly(gh, run);
    assertEquals("2026.11.0", run.json().path("version").asText(), run::all);
    assertEquals("2026.10.4", run.json().path("previousTag").asText(), run::all);
  }

  @Test
  void jsonOnBadInputIsStillOneErrorDocument() {
    ReleaseRunner.Result run =
        gantry.run("release", "--json", "--repository", "acme", "--sha", SHA);

    assertEquals(ExitCode.BAD_INPUT, run.exitCode(), run::all);
    assertEquals("error", run.json().path("status").asText(), run::all);
    assertEquals(ExitCode.BAD_INPUT, run.json().path("exitCode").asInt(), run::all);
    assertEquals(List.of(), gh.calls());
  }
}
