package dev.gantry.release;

import static dev.gantry.release.FakeGitHub.SHA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.cli.ExitCode;
import dev.gantry.image.Manifest;
import dev.gantry.registry.InMemoryRegistry;
import dev.gantry.registry.MockRegistry;
import dev.gantry.registry.TestManifests;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --image}: each image moved from {@code sha-<first 7>} (or {@code --from}) to the version
 * by the promote engine, every source checked before anything is written on GitHub, and the digests
 * in the release body.
 */
@Timeout(60)
class ReleaseImagesTest {
  private static final String FROM = "sha-" + FakeGitHub.SHORT_SHA;
  private static final Manifest API = TestManifests.index("api");
  private static final Manifest WEB = TestManifests.index("web");

  private FakeGitHub gh;
  private ReleaseRunner gantry;
  private final MockRegistry registry = new MockRegistry();
  private final InMemoryRegistry store = new InMemoryRegistry();

  @BeforeEach
  void start() {
    gh = new FakeGitHub();
    gantry = new ReleaseRunner(gh);
    registry.server.setDispatcher(store);
  }

  @AfterEach
  void stop() {
    GitHubCalls.assertNoTagRewritten(gh);
    gh.close();
    registry.close();
  }

  private String image(String repo) {
    return registry.registry() + "/" + repo;
  }

  @Test
  void eachImageIsTaggedWithTheVersionAndListedInTheBody() {
    store.put("demo/api", FROM, API).put("demo/web", FROM, WEB);
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");

    ReleaseRunner.Result run =
        gantry.release("--json", "--image", image("demo/api"), "--image", image("demo/web"));

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    assertEquals(API.digest(), store.get("demo/api", "2026.11.0").digest());
    assertEquals(WEB.digest(), store.get("demo/web", "2026.11.0").digest());
    String body = gh.onlyBody("POST", gh.repoPath("/releases")).path("body").asText();
    for (String line :
        List.of(
            API.digest().toString(),
            WEB.digest().toString(),
            "docker pull " + image("demo/api") + ":2026.11.0",
            "docker pull " + image("demo/web") + ":2026.11.0")) {
      assertTrue(body.contains(line), () -> "'" + line + "' not in the body:\n" + body);
    }
    JsonNode images = run.json().path("images");
    assertEquals(2, images.size(), run::all);
    for (JsonNode i : images) {
      String expected =
          i.path("image").asText().endsWith("demo/api")
              ? API.digest().toString()
              : WEB.digest().toString();
      assertEquals(expected, i.path("digest").asText(), run::all);
      assertEquals("promoted", i.path("outcome").asText(), run::all);
    }
    List<String> puts = registry.requestLines().stream().filter(l -> l.startsWith("PUT ")).toList();
    assertEquals(
        List.of("PUT /v2/demo/api/manifests/2026.11.0", "PUT /v2/demo/web/manifests/2026.11.0"),
        puts.stream().sorted().toList());
  }

  @Test
  void theHumanSummaryHasALinePerImage() {
    store.put("demo/api", FROM, API);
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");

    ReleaseRunner.Result run = gantry.release("--image", image("demo/api"));

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    assertTrue(
        run.stdout()
            .lines()
            .anyMatch(l -> l.contains(image("demo/api")) && l.contains(API.digest().toString())),
        run::all);
  }

  @Test
  void aMissingImageSourceStopsTheReleaseBeforeAnyGitHubWrite() {
    store.put("demo/api", FROM, API); // demo/web has no sha-6dcb09b
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");

    ReleaseRunner.Result run =
        gantry.release("--image", image("demo/api"), "--image", image("demo/web"));

    assertEquals(ExitCode.NOT_FOUND, run.exitCode(), run::all);
    assertEquals(1, run.stderrLines().size(), run::all);
    assertTrue(run.stderr().contains("demo/web:" + FROM), run::all);
    GitHubCalls.assertReadOnly(gh, run);
    assertTrue(
        registry.requestLines().stream().noneMatch(l -> l.startsWith("PUT ")), "no image written");
  }

  @Test
  void fromNamesTheSourceTag() {
    store.put("demo/api", "build-42", API);
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");

    ReleaseRunner.Result run = gantry.release("--from", "build-42", "--image", image("demo/api"));

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    assertEquals(API.digest(), store.get("demo/api", "2026.11.0").digest());
  }

  @Test
  void aReRunTagsOnlyTheImagesThatLackTheVersion() {
    store.put("demo/api", FROM, API).put("demo/api", "2026.11.0", API).put("demo/web", FROM, WEB);
    gh.annotatedOn("2026.11.0", SHA).lightweight("2026.10.4").releaseExists("2026.11.0");

    ReleaseRunner.Result run =
        gantry.release("--json", "--image", image("demo/api"), "--image", image("demo/web"));

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    assertTrue(run.json().path("alreadyReleased").asBoolean(), run::all);
    assertEquals(
        List.of("PUT /v2/demo/web/manifests/2026.11.0"),
        registry.requestLines().stream().filter(l -> l.startsWith("PUT ")).toList());
    for (JsonNode i : run.json().path("images")) {
      assertEquals(
          i.path("image").asText().endsWith("demo/api") ? "unchanged" : "promoted",
          i.path("outcome").asText(),
          run::all);
    }
    GitHubCalls.assertReadOnly(gh, run);
  }

  /**
   * The source tag moves (a late push to sha-6dcb09b) after Gantry first read it. Whatever happens,
   * the release must not say one digest while the version tag holds another: either the body names
   * what was tagged, or the run stops as "source tag moved" (exit 5) before publishing.
   */
  @Test
  void aSourceThatMovesDuringTheRunNeverGivesABodyThatDisagreesWithTheTag() {
    Manifest moved = TestManifests.index("api, pushed again");
    store.put("demo/api", FROM, API);
    AtomicInteger reads = new AtomicInteger();
    registry.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            MockResponse response = store.dispatch(request);
            if (request.getMethod().equals("GET")
                && request.getUrl().encodedPath().equals("/v2/demo/api/manifests/" + FROM)
                && reads.incrementAndGet() == 1) {
              store.put("demo/api", FROM, moved);
            }
            return response;
          }
        });
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");

    ReleaseRunner.Result run = gantry.release("--json", "--image", image("demo/api"));

    Manifest tagged = store.get("demo/api", "2026.11.0");
    if (run.exitCode() == ExitCode.OK) {
      String body = gh.onlyBody("POST", gh.repoPath("/releases")).path("body").asText();
      assertTrue(
          body.contains(tagged.digest().toString()),
          () ->
              "the version tag holds " + tagged.digest() + " but the release body says:\n" + body);
      assertEquals(
          tagged.digest().toString(),
          run.json().path("images").path(0).path("digest").asText(),
          run::all);
    } else {
      assertEquals(ExitCode.SOURCE_MOVED, run.exitCode(), run::all);
      assertEquals(0, gh.count("POST", gh.repoPath("/releases")));
    }
  }

  @Test
  void dryRunWritesNeitherImagesNorGitHub() {
    store.put("demo/api", FROM, API);
    gh.lightweight("2026.10.4");

    ReleaseRunner.Result run = gantry.release("--dry-run", "--image", image("demo/api"));

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.assertReadOnly(gh, run);
    assertNull(store.get("demo/api", "2026.11.0"));
    assertTrue(registry.requestLines().stream().noneMatch(l -> l.startsWith("PUT ")));
  }
}
