package dev.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.auth.CredentialSource;
import dev.gantry.image.Manifest;
import dev.gantry.image.MediaTypes;
import dev.gantry.image.Ref;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code HEAD /v2/<name>/manifests/<reference>}: how a target's current digest is read. */
class HeadManifestTest {
  private static final Manifest M = TestManifests.index("m");

  private final MockRegistry registry = new MockRegistry();
  private final RemoteRepository remote =
      registry.client(CredentialSource.none()).forPull(registry.repository("demo/api"));

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void digestFromTheHeaderWithoutReadingABody() {
    registry.server.enqueue(MockRegistry.manifestHead(M));
    registry.server.enqueue(MockRegistry.manifestHead(M));

    assertEquals(Optional.of(M.digest()), remote.headManifest(Ref.tag("latest")));
    // The connection is still usable: a Content-Length without a body must not leave the next
    // exchange confused.
    assertEquals(Optional.of(M.digest()), remote.headManifest(Ref.tag("stable")));

    List<RecordedRequest> rs = registry.requests();
    assertEquals(2, rs.size());
    RecordedRequest head = rs.get(0);
    assertEquals("HEAD", head.getMethod());
    assertEquals("/v2/demo/api/manifests/latest", head.getTarget());
    assertEquals(MediaTypes.ACCEPT, head.getHeaders().get("Accept"));
    assertEquals(0, head.getBodySize());
  }

  @Test
  void digestNotFoundIsEmptyWithNoFurtherRequest() {
    registry.server.enqueue(MockRegistry.status(404));

    assertEquals(Optional.empty(), remote.headManifest(Ref.of(M.digest())));
    assertEquals(1, registry.server.getRequestCount());
  }

  @Test
  void digestReferenceIsPutInThePathAsIs() {
    registry.server.enqueue(MockRegistry.manifestHead(M));

    remote.headManifest(Ref.of(M.digest()));

    assertEquals("/v2/demo/api/manifests/" + M.digest(), registry.requests().get(0).getTarget());
  }

  @Test
  void withoutDockerContentDigestFallsBackToGetAndHashesTheBytes() {
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", M.mediaType())
            .setHeader("Content-Length", M.size())
            .build());
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", M.mediaType())
            .body(new okio.Buffer().write(M.bytes()))
            .build());

    assertEquals(Optional.of(M.digest()), remote.headManifest(Ref.tag("latest")));

    assertEquals(
        List.of("HEAD /v2/demo/api/manifests/latest", "GET /v2/demo/api/manifests/latest"),
        registry.requestLines());
  }

  @Test
  void headRefusedWith405FallsBackToGet() {
    registry.server.enqueue(MockRegistry.status(405));
    registry.server.enqueue(MockRegistry.manifest(M));

    assertEquals(Optional.of(M.digest()), remote.headManifest(Ref.tag("latest")));

    assertEquals(
        List.of("HEAD /v2/demo/api/manifests/latest", "GET /v2/demo/api/manifests/latest"),
        registry.requestLines());
  }

  @Test
  void tagThatHeadCallsMissingIsCheckedWithGet() {
    // Some registries answer HEAD 404 for a tag that GET finds: an existing tag must not look new.
    registry.server.enqueue(MockRegistry.status(404));
    registry.server.enqueue(MockRegistry.manifest(M));
    registry.server.enqueue(MockRegistry.status(404));
    registry.server.enqueue(MockRegistry.error(404, "MANIFEST_UNKNOWN", "manifest unknown"));

    assertEquals(Optional.of(M.digest()), remote.headManifest(Ref.tag("latest")));
    assertEquals(Optional.empty(), remote.headManifest(Ref.tag("stable")));

    assertEquals(
        List.of(
            "HEAD /v2/demo/api/manifests/latest",
            "GET /v2/demo/api/manifests/latest",
            "HEAD /v2/demo/api/manifests/stable",
            "GET /v2/demo/api/manifests/stable"),
        registry.requestLines());
  }

  @Test
  void serverErrorIsAFailureNamingTheOperationAndImage() {
    for (int i = 0; i < MockRegistry.FAST_RETRIES.maxAttempts(); i++) {
      registry.server.enqueue(MockRegistry.status(500));
    }

    GantryException e =
        assertThrows(GantryException.class, () -> remote.headManifest(Ref.tag("latest")));

    assertEquals(GantryException.Kind.FAILED, e.kind());
    assertEquals(
        "check manifest " + registry.registry() + "/demo/api:latest: HTTP 500", e.getMessage());
  }

  @Test
  void forbiddenIsAnAuthenticationError() {
    registry.server.enqueue(MockRegistry.status(403));

    GantryException e =
        assertThrows(GantryException.class, () -> remote.headManifest(Ref.tag("latest")));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
    assertTrue(
        e.getMessage()
            .startsWith("check manifest " + registry.registry() + "/demo/api:latest: HTTP 403"),
        e.getMessage());
  }

  /**
   * Regression test (fixed; the bug was in RemoteRepository.headManifest: {@code
   * Digest.parse(digest.trim())} on the registry's header): a malformed Docker-Content-Digest from
   * the registry surfaces as Kind.BAD_INPUT ("invalid digest 'sha256:zzz' (expected sha256:<64
   * hex>)"), i.e. exit 2 "bad input ... nothing is sent", without naming the operation or the
   * image. It is the registry's bad answer: it should be a RegistryException.protocol (Kind.FAILED,
   * exit 1) reading "check manifest <image>: ...". (getManifest already treats the same header as a
   * mismatch, FAILED.)
   */
  @Test
  void malformedDigestHeaderIsARegistryFailureNotBadInput() {
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Docker-Content-Digest", "sha256:zzz")
            .build());

    GantryException e =
        assertThrows(GantryException.class, () -> remote.headManifest(Ref.tag("latest")));

    assertEquals(GantryException.Kind.FAILED, e.kind(), e.getMessage());
    assertTrue(
        e.getMessage().startsWith("check manifest " + registry.registry() + "/demo/api:latest: "),
        e.getMessage());
  }
}
