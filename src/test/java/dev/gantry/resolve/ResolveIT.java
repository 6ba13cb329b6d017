package dev.gantry.resolve;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.testing.FaultProxy;
import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.LoggedRequest;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code gantry resolve} on the real registry: one pinned reference per image, the index digest for
 * an index, reads only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResolveIT {
  private static final AtomicLong SEED = new AtomicLong(3_100);
  private static final ObjectMapper JSON = new ObjectMapper();
  private RegistryServer registry;
  private Skopeo skopeo;

  @BeforeAll
  void start() {
    registry = RegistryServer.open();
    skopeo = Skopeo.isolated();
  }

  @AfterAll
  void stop() {
    skopeo.close();
    registry.close();
  }

  @Test
  void printsOnePinnedReferencePerImageInOrder() {
    TestImages.Layout index =
        TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet());
    TestImages.push(index, registry, "resolve/api", "sha-abc1234");
    String web =
        TestImages.push(
            TestImages.singlePlatform(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
            registry,
            "resolve/web",
            "sha-abc1234");
    int mark = registry.mark();

    GantryRunner.Result r =
        new GantryRunner()
            .run("resolve", "--tag", "sha-abc1234", image("resolve/web"), image("resolve/api"));

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(
        image("resolve/web")
            + "@"
            + web
            + "\n"
            + image("resolve/api")
            + "@"
            + index.digest()
            + "\n",
        r.stdout());
    assertEquals(web, skopeo.digest(image("resolve/web") + ":sha-abc1234", registry));
    List<LoggedRequest> requests = gantryRequests(mark);
    assertTrue(
        requests.stream().allMatch(q -> q.method().equals("HEAD")),
        "one HEAD per image: " + requests);
    assertEquals(
        2,
        requests.stream().filter(q -> q.path().contains("/manifests/")).count(),
        requests.toString());
  }

  @Test
  void jsonIsExactlyOneObjectImageToDigest() {
    String digest =
        TestImages.push(
            TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
            registry,
            "resolve/json",
            "sha-1111111");

    GantryRunner.Result r =
        new GantryRunner().run("resolve", "--json", "--tag", "sha-1111111", image("resolve/json"));

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(1, r.stdout().strip().lines().count(), r.all());
    assertEquals(JSON.createObjectNode().put(image("resolve/json"), digest), json(r.stdout()));
  }

  @Test
  void aMissingTagIsExit4NamingImageAndTag() {
    TestImages.push(
        TestImages.singlePlatform(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
        registry,
        "resolve/partial",
        "sha-2222222");

    GantryRunner.Result r =
        new GantryRunner().run("resolve", "--tag", "sha-3333333", image("resolve/partial"));

    assertEquals(4, r.exitCode(), r.all());
    assertEquals("", r.stdout());
    assertEquals(
        "gantry: resolve " + image("resolve/partial") + ":sha-3333333: tag not found",
        r.stderr().strip());

    GantryRunner.Result asJson =
        new GantryRunner()
            .run("resolve", "--json", "--tag", "sha-3333333", image("resolve/partial"));
    assertEquals(4, asJson.exitCode());
    assertEquals("error", json(asJson.stdout()).path("status").asText(), asJson.all());
  }

  @Test
  void aRegistryThatSendsNoDigestOnHeadIsAskedForTheBytes() {
    TestImages.Layout index =
        TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet());
    TestImages.push(index, registry, "resolve/nodigest", "sha-4444444");
    try (FaultProxy proxy = FaultProxy.inFrontOf(registry)) {
      // A HEAD answered without Docker-Content-Digest (some registries and caches do); the GET is
      // the real registry's.
      proxy
          .wireMock()
          .stubFor(
              request("HEAD", urlPathEqualTo("/v2/resolve/nodigest/manifests/sha-4444444"))
                  .atPriority(1)
                  .willReturn(
                      aResponse().withStatus(200).withHeader("Content-Type", index.mediaType())));

      GantryRunner.Result r =
          new GantryRunner()
              .run("resolve", "--tag", "sha-4444444", proxy.hostPort() + "/resolve/nodigest");

      assertEquals(0, r.exitCode(), r.all());
      assertEquals(proxy.hostPort() + "/resolve/nodigest@" + index.digest() + "\n", r.stdout());
      assertEquals(
          List.of("HEAD", "GET"),
          proxy.requests().stream()
              .filter(q -> q.url().contains("/manifests/"))
              .map(FaultProxy.ProxiedRequest::method)
              .toList());
    }
  }

  @Test
  void badInputIsExit2WithNoRequest() {
    int mark = registry.mark();
    String repo = image("resolve/api");
    List<List<String>> cases =
        List.of(
            List.of("resolve", "--tag", "sha-abc1234"),
            List.of("resolve", "--tag", "-bad", repo),
            List.of("resolve", "--tag", "sha:abc", repo),
            List.of("resolve", "--tag", "sha-abc1234", repo + ":latest"),
            List.of("resolve", "--tag", "sha-abc1234", repo + "@sha256:" + "a".repeat(64)),
            List.of("resolve", "--tag", "sha-abc1234", repo, repo),
            List.of("resolve", "--tag", "sha-abc1234", "HTTP://x"));
    for (List<String> args : cases) {
      GantryRunner.Result r = new GantryRunner().run(args.toArray(String[]::new));
      assertEquals(2, r.exitCode(), args + "\n" + r.all());
      assertEquals(1, r.stderr().lines().count(), args + ": one line\n" + r.all());
      assertEquals("", r.stdout(), args.toString());
    }
    assertEquals(List.of(), gantryRequests(mark));
  }

  private String image(String repo) {
    return registry.hostPort() + "/" + repo;
  }

  private List<LoggedRequest> gantryRequests(int mark) {
    return registry.requestLogSince(mark).stream()
        .filter(q -> q.userAgent().startsWith("gantry/"))
        .toList();
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
