package dev.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Manifest;
import dev.gantry.image.Referrer;
import dev.gantry.testing.Attachments;
import dev.gantry.testing.Clients;
import dev.gantry.testing.LoggedRequest;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The referrers tag schema on the real registry (distribution 2.8 has no referrers API: its 404 is
 * what sends Gantry to the fallback tag), read back with skopeo.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferrersFallbackIT {
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

  private Manifest pushImage(String repo, long seed) {
    TestImages.Layout layout = TestImages.singlePlatform(TempDirs.create("gantry-layout-"), seed);
    TestImages.push(layout, registry, repo, "v1");
    return Manifest.of(layout.manifest(), layout.mediaType());
  }

  private static Manifest pushBlobs(RemoteRepository repo, Attachments.Artifact a) {
    a.blobs()
        .forEach(
            (d, bytes) ->
                repo.writeBlob(
                    new Descriptor("application/octet-stream", d, bytes.length),
                    new ByteArrayInputStream(bytes)));
    return a.manifest();
  }

  @Test
  void referrersAreListedInTheFallbackIndexAndReadBack() throws Exception {
    Manifest image = pushImage("ref/app", 31);
    RemoteRepository repo =
        Clients.anonymous().forPush(new Repository(registry.hostPort(), "ref/app"));
    Manifest sbom = pushBlobs(repo, Attachments.referrer(image, Attachments.SBOM_TYPE, "sbom"));
    Manifest sig = pushBlobs(repo, Attachments.referrer(image, Attachments.SIGNATURE_TYPE, "sig"));
    int mark = registry.mark();

    assertEquals(List.of(), repo.referrers(image.digest(), Optional.empty()));
    repo.putReferrer(sbom);
    repo.putReferrer(sig);

    List<LoggedRequest> log = registry.requestLogSince(mark);
    String fallback = "/v2/ref/app/manifests/sha256-" + image.digest().hex();
    assertEquals(
        List.of(
            "GET /v2/ref/app/referrers/" + image.digest() + " -> 404",
            "GET " + fallback + " -> 404",
            "PUT /v2/ref/app/manifests/" + sbom.digest() + " -> 201",
            "GET " + fallback + " -> 404",
            "PUT " + fallback + " -> 201",
            "HEAD " + fallback + " -> 200",
            "PUT /v2/ref/app/manifests/" + sig.digest() + " -> 201",
            "GET " + fallback + " -> 200",
            "PUT " + fallback + " -> 201",
            "HEAD " + fallback + " -> 200"),
        log.stream().map(LoggedRequest::toString).toList());

    JsonNode index =
        JSON.readTree(skopeo.inspectRaw("ref/app:sha256-" + image.digest().hex(), registry));
    assertEquals("application/vnd.oci.image.index.v1+json", index.path("mediaType").asText());
    assertEquals(
        List.of(sbom.digest().toString(), sig.digest().toString()),
        List.of(
            index.path("manifests").get(0).path("digest").asText(),
            index.path("manifests").get(1).path("digest").asText()));
    assertEquals(
        Attachments.SBOM_TYPE, index.path("manifests").get(0).path("artifactType").asText());
    assertEquals(Skopeo.sha256(sbom.bytes()), skopeo.digest("ref/app@" + sbom.digest(), registry));

    // A fresh client (nothing cached) lists them, and filters by type.
    RemoteRepository reader =
        Clients.anonymous().forPull(new Repository(registry.hostPort(), "ref/app"));
    assertEquals(
        List.of(sbom.digest(), sig.digest()),
        reader.referrers(image.digest(), Optional.empty()).stream().map(Referrer::digest).toList());
    assertEquals(
        List.of(sig.digest()),
        reader.referrers(image.digest(), Optional.of(Attachments.SIGNATURE_TYPE)).stream()
            .map(Referrer::digest)
            .toList());
  }

  @Test
  void aSecondPutOfTheSameReferrerLeavesTheIndexAlone() {
    Manifest image = pushImage("ref/again", 32);
    RemoteRepository repo =
        Clients.anonymous().forPush(new Repository(registry.hostPort(), "ref/again"));
    Manifest sbom = pushBlobs(repo, Attachments.referrer(image, Attachments.SBOM_TYPE, "sbom"));
    repo.putReferrer(sbom);
    String before = skopeo.digest("ref/again:sha256-" + image.digest().hex(), registry);
    int mark = registry.mark();

    repo.putReferrer(sbom);

    assertTrue(
        registry.requestLogSince(mark).stream()
            .noneMatch(q -> q.method().equals("PUT") && q.path().contains("sha256-")),
        registry.requestLogSince(mark).toString());
    assertEquals(before, skopeo.digest("ref/again:sha256-" + image.digest().hex(), registry));
  }
}
