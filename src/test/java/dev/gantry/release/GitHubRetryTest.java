package dev.gantry.release;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.gantry.GantryException;
import dev.gantry.http.HttpClients;
import dev.gantry.http.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One retry policy for a GitHub call: rate-limit answers, 5xx and connection errors all spend the
 * one attempt budget of {@link RetryPolicy#DEFAULT}, on the shared client as the program wires it;
 * waits are recorded, never slept.
 */
@Timeout(30)
class GitHubRetryTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final String COMMIT = "/commits/" + FakeGitHub.SHA;

  private final FakeGitHub gh = new FakeGitHub();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    gh.close();
  }

  private GitHubRest rest() {
    OkHttpClient shared = HttpClients.create(RetryPolicy.DEFAULT, sleeps::add, 4, List.of());
    return new GitHubRest(shared, gh.apiUrl(), FakeGitHub.TOKEN, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private HttpUrl commitUrl() {
    return HttpUrl.get(gh.apiUrl() + gh.repoPath(COMMIT));
  }

  @Test
  void aSecondaryLimitAnsweredForeverSpendsExactlyTheOneBudget() {
    gh.wm.stubFor(
        get(urlPathEqualTo(gh.repoPath(COMMIT)))
            .atPriority(1)
            .willReturn(
                FakeGitHub.json(
                        429,
                        gh.fixture("errors/secondary-rate-limit.json").replace("{{status}}", "429"))
                    .withHeader("Retry-After", "1")));

    GantryException e =
        assertThrows(GantryException.class, () -> rest().get(commitUrl(), "read commit x"));

    assertEquals(
        RetryPolicy.DEFAULT.maxAttempts(),
        gh.count("GET", gh.repoPath(COMMIT)),
        () -> String.join("\n", gh.calls()));
    assertEquals(
        Collections.nCopies(RetryPolicy.DEFAULT.maxAttempts() - 1, Duration.ofSeconds(1)), sleeps);
    assertTrue(e.getMessage().startsWith("read commit x: "), e.getMessage());
  }

  @Test
  void aPrimaryLimitResettingInThirtySecondsIsWaitedOutOnce() {
    gh.wm.stubFor(
        get(urlPathEqualTo(gh.repoPath(COMMIT)))
            .atPriority(1)
            .inScenario("primary")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(
                FakeGitHub.json(403, "{\"message\":\"API rate limit exceeded\"}")
                    .withHeader("x-ratelimit-remaining", "0")
                    .withHeader("x-ratelimit-reset", Long.toString(NOW.getEpochSecond() + 30)))
            .willSetStateTo("reset"));

    rest().get(commitUrl(), "read commit x");

    assertEquals(2, gh.count("GET", gh.repoPath(COMMIT)), () -> String.join("\n", gh.calls()));
    assertEquals(List.of(Duration.ofSeconds(31)), sleeps);
  }

  @Test
  void aPrimaryLimitAnHourAwayFailsAtOnceNamingTheTime() {
    gh.wm.stubFor(
        get(urlPathEqualTo(gh.repoPath(COMMIT)))
            .atPriority(1)
            .willReturn(
                FakeGitHub.json(403, "{\"message\":\"API rate limit exceeded\"}")
                    .withHeader("x-ratelimit-remaining", "0")
                    .withHeader("x-ratelimit-reset", Long.toString(NOW.getEpochSecond() + 3600))));

    GantryException e =
        assertThrows(GantryException.class, () -> rest().get(commitUrl(), "read commit x"));

    assertEquals(
        "read commit x: GitHub API rate limit exhausted: try again after 11:00:00 UTC (in 60 min)",
        e.getMessage());
    assertEquals(1, gh.count("GET", gh.repoPath(COMMIT)));
    assertTrue(sleeps.isEmpty(), sleeps::toString);
  }

  @Test
  void a503ThenSuccessIsRetriedOnceAfterABackoff() {
    gh.wm.stubFor(
        get(urlPathEqualTo(gh.repoPath(COMMIT)))
            .atPriority(1)
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(FakeGitHub.json(503, "{\"message\":\"Service Unavailable\"}"))
            .willSetStateTo("up"));

    String sha = rest().get(commitUrl(), "read commit x").path("sha").asText();

    assertEquals(FakeGitHub.SHA, sha);
    assertEquals(2, gh.count("GET", gh.repoPath(COMMIT)));
    assertEquals(1, sleeps.size());
  }
}
