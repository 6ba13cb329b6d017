package dev.gantry.release;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.gantry.release.FakeGitHub.SHA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.gantry.cli.ExitCode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What GitHub refuses, and how it says so: one line on stderr, the exit code of the README's table,
 * no write after a refusal; secondary rate limits waited out, primary ones not.
 */
@Timeout(60)
class ReleaseGitHubErrorsTest {
  /** An hour after the runner's clock: far away, however it is measured against the run's clock. */
  private static final Instant RESET = ReleaseRunner.NOV_23.plus(Duration.ofHours(1));

  private FakeGitHub gh;
  private ReleaseRunner gantry;

  @BeforeEach
  void start() {
    gh = new FakeGitHub();
    gantry = new ReleaseRunner(gh);
    gh.lightweight("2026.10.4");
  }

  @AfterEach
  void stop() {
    GitHubCalls.assertNoTagRewritten(gh);
    gh.close();
  }

  @Test
  void badCredentialsAreExitThreeWithOneLineAndNoWrite() {
    gh.stub(
        get(urlPathEqualTo(gh.repoPath("/commits/" + SHA)))
            .willReturn(FakeGitHub.json(401, gh.fixture("errors/bad-credentials.json"))));

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.AUTHENTICATION, run.exitCode(), run::all);
    assertOneLine(run, "Bad credentials");
    GitHubCalls.assertReadOnly(gh, run);
  }

  @Test
  void aTokenWithoutContentsWriteIsExitThreeAndTheLineNamesThePermission() {
    gh.stub(
        post(urlPathEqualTo(gh.repoPath("/git/tags")))
            .willReturn(
                FakeGitHub.json(403, gh.fixture("errors/not-accessible-by-integration.json"))));

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.AUTHENTICATION, run.exitCode(), run::all);
    assertOneLine(run, "contents: write");
    assertEquals(0, gh.count("POST", gh.repoPath("/git/refs")));
    assertEquals(0, gh.count("POST", gh.repoPath("/releases")));
  }

  @Test
  void anUnknownCommitIsExitFourWithOneLineNamingIt() {
    ReleaseRunner.Result run =
        gantry.run("release", "--repository", "acme/api", "--sha", "deadbeefcafe");

    assertEquals(ExitCode.NOT_FOUND, run.exitCode(), run::all);
    assertOneLine(run, "deadbeefcafe");
    GitHubCalls.assertReadOnly(gh, run);
    assertEquals(1, gh.count("GET", gh.repoPath("/commits/deadbeefcafe")));
  }

  @Test
  void anUnknownRepositoryIsExitFour() {
    gh.stub(
        get(urlPathEqualTo(gh.repoPath("/commits/" + SHA)))
            .willReturn(FakeGitHub.json(404, gh.fixture("errors/not-found.json"))));

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.NOT_FOUND, run.exitCode(), run::all);
    assertOneLine(run, "acme/api");
    GitHubCalls.assertReadOnly(gh, run);
  }

  /** Secondary limits, as 403 or 429, on reads and writes. */
  @ParameterizedTest(name = "{0} {1} answers {2}")
  @CsvSource({
    "GET, /commits/" + SHA + ", 403",
    "GET, /git/matching-refs/tags/2026.11., 429",
    "POST, /git/tags, 403",
    "POST, /releases/generate-notes, 429"
  })
  void aSecondaryRateLimitIsWaitedOutThenTheCallIsRepeated(String method, String rest, int status) {
    gh.freshRelease("2026.11.0", "2026.10.4");
    gh.stub(
        request(method, gh.repoPath(rest))
            .inScenario("limit")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                FakeGitHub.json(
                        status,
                        gh.fixture("errors/secondary-rate-limit.json")
                            .replace("{{status}}", Integer.toString(status)))
                    .withHeader("Retry-After", "1"))
            .willSetStateTo("waited"));

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    List<LoggedRequest> tries =
        gh.requests().stream()
            .filter(
                r ->
                    r.getMethod().getName().equals(method)
                        && FakeGitHub.path(r).equals(gh.repoPath(rest)))
            .toList();
    assertEquals(2, tries.size(), () -> String.join("\n", gh.calls()));
    long waited = tries.get(1).getLoggedDate().getTime() - tries.get(0).getLoggedDate().getTime();
    assertTrue(waited >= 900, "waited only " + waited + " ms of Retry-After: 1");
    assertEquals(1, gh.count("POST", gh.repoPath("/releases")));
  }

  @Test
  void aSecondaryRateLimitLongerThanAMinuteFailsAtOnce() {
    gh.freshRelease("2026.11.0", "2026.10.4");
    gh.stub(
        post(urlPathEqualTo(gh.repoPath("/git/tags")))
            .willReturn(
                FakeGitHub.json(
                        403,
                        gh.fixture("errors/secondary-rate-limit.json").replace("{{status}}", "403"))
                    .withHeader("Retry-After", "120")));
    long started = System.nanoTime();

    ReleaseRunner.Result run = gantry.release();

    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertNotEquals(ExitCode.OK, run.exitCode(), run::all);
    assertEquals(1, run.stderrLines().size(), run::all);
    assertTrue(tookMs < 15_000, "took " + tookMs + " ms");
    assertEquals(
        1, gh.count("POST", gh.repoPath("/git/tags")), () -> String.join("\n", gh.calls()));
    assertEquals(0, gh.count("POST", gh.repoPath("/git/refs")));
  }

  /** A primary limit an hour away: no waiting, one line saying when to retry. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"GET, /commits/" + SHA, "POST, /releases/generate-notes"})
  @Timeout(30)
  void aPrimaryRateLimitFailsAtOnceNamingTheResetTime(String method, String rest) {
    gh.freshRelease("2026.11.0", "2026.10.4");
    gh.stub(request(method, gh.repoPath(rest)).willReturn(primaryLimit()));
    long started = System.nanoTime();

    ReleaseRunner.Result run = gantry.release();

    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertNotEquals(ExitCode.OK, run.exitCode(), run::all);
    assertEquals(1, run.stderrLines().size(), run::all);
    String line = run.stderrLines().get(0);
    assertTrue(
        line.contains("2026-11-23T11:00") || line.contains("11:00"),
        () -> "no reset time in: " + line);
    assertTrue(tookMs < 15_000, "took " + tookMs + " ms");
    assertEquals(
        1,
        gh.calls().stream().filter(c -> c.equals(method + " " + gh.repoPath(rest))).count(),
        () -> String.join("\n", gh.calls()));
  }

  @Test
  void aReleaseThatFailsAfterTheTagSaysReRunAndTheReRunCompletesIt() {
    gh.freshRelease("2026.11.0", "2026.10.4").releaseMissing("2026.11.0");
    gh.stub(
        post(urlPathEqualTo(gh.repoPath("/releases")))
            .inScenario("release")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(FakeGitHub.json(422, gh.fixture("errors/validation-failed.json")))
            .willSetStateTo("fixed"));

    ReleaseRunner.Result first = gantry.release();

    assertNotEquals(ExitCode.OK, first.exitCode(), first::all);
    assertEquals(1, first.stderrLines().size(), first::all);
    String line = first.stderrLines().get(0).toLowerCase(Locale.ROOT);
    assertTrue(
        line.matches(".*\\b(re-?run|run .* again).*"),
        () -> "does not say re-running completes it: " + line);
    assertEquals(1, gh.count("POST", gh.repoPath("/git/refs")), "the tag was created");

    gh.wm.resetRequests();
    ReleaseRunner.Result second = gantry.release("--json");

    assertEquals(ExitCode.OK, second.exitCode(), second::all);
    assertEquals(
        0, gh.count("POST", gh.repoPath("/git/tags")), () -> String.join("\n", gh.calls()));
    assertEquals(
        0, gh.count("POST", gh.repoPath("/git/refs")), () -> String.join("\n", gh.calls()));
    assertEquals(
        1, gh.count("POST", gh.repoPath("/releases")), () -> String.join("\n", gh.calls()));
    assertEquals("2026.11.0", second.json().path("version").asText());
    assertTrue(second.json().path("alreadyReleased").asBoolean(), second::all);
  }

  @Test
  void aTokenEchoedInGitHubsMessageIsNotPrinted() {
    gh.stub(
        get(urlPathEqualTo(gh.repoPath("/commits/" + SHA)))
            .willReturn(
                FakeGitHub.json(
                    401,
                    gh.fixture("errors/bad-credentials.json")
                        .replace(
                            "\"Bad credentials\"",
                            "\"Bad credentials: token " + FakeGitHub.TOKEN + " is revoked\""))));

    // The runner fails the test if the token shows anywhere in stdout or stderr.
    ReleaseRunner.Result run = gantry.release("--json");

    assertEquals(ExitCode.AUTHENTICATION, run.exitCode(), run::all);
  }

  private static MappingBuilder request(String method, String path) {
    return method.equals("GET") ? get(urlPathEqualTo(path)) : post(urlPathEqualTo(path));
  }

  /**
   * GitHub's primary limit: 403, remaining 0, reset an hour after the run's clock; the Date header
   * agrees with it.
   */
  private ResponseDefinitionBuilder primaryLimit() {
    return aResponse()
        .withStatus(403)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withHeader(
            "Date",
            DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ReleaseRunner.NOV_23.atOffset(ZoneOffset.UTC)))
        .withHeader("X-RateLimit-Limit", "5000")
        .withHeader("X-RateLimit-Remaining", "0")
        .withHeader("X-RateLimit-Used", "5000")
        .withHeader("X-RateLimit-Resource", "core")
        .withHeader("X-RateLimit-Reset", Long.toString(RESET.getEpochSecond()))
        .withBody(gh.fixture("errors/primary-rate-limit.json"));
  }

  private static void assertOneLine(ReleaseRunner.Result run, String named) {
    List<String> lines = run.stderrLines();
    assertEquals(1, lines.size(), run::all);
    assertTrue(lines.get(0).startsWith("gantry: "), lines.get(0));
    assertTrue(lines.get(0).contains(named), () -> "'" + named + "' not in: " + lines.get(0));
  }
}
