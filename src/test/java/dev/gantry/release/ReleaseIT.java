package dev.gantry.release;

import static dev.gantry.release.FakeGitHub.SHA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.cli.ExitCode;
import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.LoggedRequest;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code gantry release} end to end: WireMock as GitHub, a real distribution registry for the
 * images, and skopeo as the independent witness that {@code repo:VERSION} is byte for byte {@code
 * repo:sha-<first 7>}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class ReleaseIT {
  private static final String FROM = "sha-" + FakeGitHub.SHORT_SHA;
  private static final AtomicLong SEED = new AtomicLong(700);

  private RegistryServer registry;
  private Skopeo skopeo;
  private FakeGitHub gh;

  @BeforeAll
  void startRegistry() {
    registry = RegistryServer.open();
    skopeo = Skopeo.isolated();
  }

  @AfterAll
  void stopRegistry() {
    skopeo.close();
    registry.close();
  }

  @BeforeEach
  void startGitHub() {
    gh = new FakeGitHub();
  }

  @AfterEach
  void stopGitHub() {
    GitHubCalls.assertNoTagRewritten(gh);
    gh.close();
  }

  private String push(String repo) {
    return TestImages.push(
        TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
        registry,
        repo,
        FROM);
  }

  private String image(String repo) {
    return registry.hostPort() + "/" + repo;
  }

  @Test
  void releasesTheCommitAndTagsEveryImageByDigest() {
    String api = "it/release-api";
    String web = "it/release-web";
    String apiDigest = push(api);
    String webDigest = push(web);
    gh.lightweight("2026.10.0", "2026.10.1").freshRelease("2026.11.0", "2026.10.1");
    int mark = registry.mark();

    ReleaseRunner.Result run =
        new ReleaseRunner(gh).release("--json", "--image", image(api), "--image", image(web));

    assertEquals(ExitCode.OK, run.exitCode(), () -> run.all() + gh.unmatched());
    // skopeo, not Gantry, says what the registry holds.
    for (String repo : List.of(api, web)) {
      assertArrayEquals(
          skopeo.inspectRaw(image(repo) + ":" + FROM, registry),
          skopeo.inspectRaw(image(repo) + ":2026.11.0", registry),
          repo);
    }
    assertEquals(apiDigest, skopeo.digest(image(api) + ":2026.11.0", registry));
    assertEquals(webDigest, skopeo.digest(image(web) + ":2026.11.0", registry));

    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").writes().assertExactly(run);
    String body = gh.onlyBody("POST", gh.repoPath("/releases")).path("body").asText();
    for (String expected :
        List.of(
            SHA,
            apiDigest,
            webDigest,
            "docker pull " + image(api) + ":2026.11.0",
            "docker pull " + image(web) + ":2026.11.0",
            FakeGitHub.notes("2026.11.0", "2026.10.1"))) {
      assertTrue(
          body.contains(expected), () -> "'" + expected + "' not in the release body:\n" + body);
    }
    JsonNode images = run.json().path("images");
    assertEquals(2, images.size(), run::all);
    for (JsonNode i : images) {
      assertEquals("promoted", i.path("outcome").asText(), run::all);
      assertEquals(
          i.path("image").asText().endsWith(api) ? apiDigest : webDigest,
          i.path("digest").asText(),
          run::all);
    }
    List<LoggedRequest> requests = gantryRequests(mark);
    assertEquals(
        2,
        requests.stream()
            .filter(q -> q.method().equals("PUT") && q.path().endsWith("/manifests/2026.11.0"))
            .count(),
        requests::toString);
    // Besides the version tags: the ledger's records (a manifest each, and the shared 2-byte empty
    // blob).
    assertTrue(
        requests.stream()
            .filter(q -> q.path().contains("/blobs/"))
            .allMatch(
                q ->
                    q.path()
                            .endsWith(
                                "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
                        || q.path().contains("/blobs/uploads/")),
        () -> "no image blob is read or written: " + requests);
    assertEquals(2, run.json().path("ledger").path("records").asInt(), run::all);
    for (String repo : List.of(api, web)) {
      GantryRunner.Result h =
          new GantryRunner().run("history", "--json", image(repo) + ":2026.11.0");
      assertEquals(0, h.exitCode(), h::all);
      assertTrue(
          h.stdout().contains("\"kind\":\"release\"")
              && h.stdout().contains("\"commit\":\"" + SHA + "\""),
          h::all);
    }
  }

  @Test
  void aSecondRunChangesNothingAnywhere() {
    String repo = "it/release-again";
    String digest = push(repo);
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");
    ReleaseRunner gantry = new ReleaseRunner(gh);
    ReleaseRunner.Result first = gantry.release("--image", image(repo));
    assertEquals(ExitCode.OK, first.exitCode(), first::all);
    gh.releaseExists("2026.11.0");
    gh.wm.resetRequests();
    int mark = registry.mark();

    ReleaseRunner.Result second = gantry.release("--json", "--image", image(repo));

    assertEquals(ExitCode.OK, second.exitCode(), second::all);
    assertTrue(second.json().path("alreadyReleased").asBoolean(), second::all);
    assertEquals(
        "unchanged", second.json().path("images").path(0).path("outcome").asText(), second::all);
    GitHubCalls.assertReadOnly(gh, second);
    assertEquals(
        0,
        gantryRequests(mark).stream().filter(q -> q.method().equals("PUT")).count(),
        "and no record: nothing moved");
    assertEquals(digest, skopeo.digest(image(repo) + ":2026.11.0", registry));
  }

  private List<LoggedRequest> gantryRequests(int mark) {
    return registry.requestLogSince(mark).stream()
        .filter(q -> q.userAgent().startsWith("gantry/"))
        .toList();
  }
}
