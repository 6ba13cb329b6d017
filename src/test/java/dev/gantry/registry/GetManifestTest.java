package dev.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.auth.CredentialSource;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.MediaTypes;
import dev.gantry.image.Ref;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /v2/<name>/manifests/<reference>}: the exact bytes, verified. */
class GetManifestTest {
  private static final Manifest INDEX = TestManifests.index("m");
  private static final Manifest IMAGE = TestManifests.dockerImage("m");

  private final MockRegistry registry = new MockRegistry();
  private final RemoteRepository remote =
      registry.client(CredentialSource.none()).forPull(registry.repository("demo/api"));

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void acceptListsAllFourManifestTypes() {
    registry.server.enqueue(MockRegistry.manifest(INDEX));

    remote.getManifest(Ref.tag("sha-1"));

    RecordedRequest r = registry.requests().get(0);
    assertEquals("GET", r.getMethod());
    assertEquals("/v2/demo/api/manifests/sha-1", r.getTarget());
    List<String> accepted = List.of(r.getHeaders().get("Accept").split(",\\s*"));
    assertEquals(
        List.of(
            MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST_LIST,
            MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_MANIFEST),
        accepted);
    assertEquals(
        List.of(
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json"),
        accepted);
  }

  @Test
  void bytesAreKeptExactlyWithTheServedMediaType() {
    registry.server.enqueue(MockRegistry.manifest(IMAGE));

    Manifest got = remote.getManifest(Ref.tag("sha-1"));

    assertArrayEquals(IMAGE.bytes(), got.bytes());
    assertEquals(MediaTypes.DOCKER_MANIFEST, got.mediaType());
    assertEquals(IMAGE.digest(), got.digest());
  }

  @Test
  void contentTypeParametersAreIgnored() {
    registry.server.enqueue(
        MockRegistry.manifest(INDEX)
            .newBuilder()
            .setHeader("Content-Type", MediaTypes.OCI_INDEX + "; charset=utf-8")
            .build());

    assertEquals(MediaTypes.OCI_INDEX, remote.getManifest(Ref.tag("sha-1")).mediaType());
  }

  @Test
  void genericContentTypeFallsBackToTheDeclaredMediaType() {
    registry.server.enqueue(
        MockRegistry.manifest(INDEX)
            .newBuilder()
            .setHeader("Content-Type", "application/json")
            .build());

    assertEquals(MediaTypes.OCI_INDEX, remote.getManifest(Ref.tag("sha-1")).mediaType());
  }

  /**
   * Regression test (fixed; the bug was in MediaTypes.isKnown, line 22: {@code
   * KNOWN.contains(mediaType)} on an immutable {@code Set.of}, which throws NullPointerException
   * for null; reached from RemoteRepository.getManifest lines 99 and 102): a manifest served with a
   * media type Gantry does not know and whose body declares none (schema 1, a bare OCI manifest)
   * ends in a NullPointerException ("gantry: internal error", exit 1) instead of the intended "get
   * manifest <image>: unsupported manifest media type …" RegistryException. isKnown/isIndex must
   * return false for null.
   */
  @Test
  void unknownMediaTypeWithNoneDeclaredIsAFailureNamingIt() {
    byte[] bytes = "{\"schemaVersion\":1,\"name\":\"demo/api\"}".getBytes(StandardCharsets.UTF_8);
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/vnd.docker.distribution.manifest.v1+prettyjws")
            .body(new okio.Buffer().write(bytes))
            .build());

    GantryException e =
        assertThrows(GantryException.class, () -> remote.getManifest(Ref.tag("sha-1")));

    assertEquals(GantryException.Kind.FAILED, e.kind());
    assertTrue(
        e.getMessage().contains("application/vnd.docker.distribution.manifest.v1+prettyjws"),
        e.getMessage());
  }

  /**
   * Regression test (fixed; the bug was in same cause as above, RemoteRepository.getManifest line
   * 99): a registry that sends no Content-Type makes {@code MediaTypes.bare(null)} null and {@code
   * isKnown(null)} throw, before the code that falls back to the manifest's own {@code mediaType}
   * field ever runs. The fallback should apply: this index declares its type.
   */
  @Test
  void missingContentTypeFallsBackToTheDeclaredMediaType() {
    registry.server.enqueue(
        new MockResponse.Builder().code(200).body(new okio.Buffer().write(INDEX.bytes())).build());

    assertEquals(INDEX, remote.getManifest(Ref.tag("sha-1")));
  }

  @Test
  void reportedDigestThatDiffersFromTheBytesIsAMismatchNamingBoth() {
    Digest wrong = TestManifests.index("other").digest();
    registry.server.enqueue(
        MockRegistry.manifest(INDEX)
            .newBuilder()
            .setHeader("Docker-Content-Digest", wrong)
            .build());

    GantryException e =
        assertThrows(GantryException.class, () -> remote.getManifest(Ref.tag("sha-1")));

    assertEquals(GantryException.Kind.FAILED, e.kind());
    assertTrue(
        e.getMessage()
            .startsWith("get manifest " + registry.registry() + "/demo/api:sha-1: digest mismatch"),
        e.getMessage());
    assertTrue(e.getMessage().contains(wrong.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(INDEX.digest().toString()), e.getMessage());
  }

  @Test
  void byDigestTheBytesMustHashToThatDigest() {
    Digest asked = TestManifests.index("other").digest();
    // The registry serves different bytes and does not report a digest at all.
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", INDEX.mediaType())
            .body(new okio.Buffer().write(INDEX.bytes()))
            .build());

    GantryException e =
        assertThrows(GantryException.class, () -> remote.getManifest(Ref.of(asked)));

    assertEquals(GantryException.Kind.FAILED, e.kind());
    assertTrue(
        e.getMessage()
            .startsWith(
                "get manifest " + registry.registry() + "/demo/api@" + asked + ": digest mismatch"),
        e.getMessage());
    assertTrue(e.getMessage().contains(INDEX.digest().toString()), e.getMessage());
    assertEquals("/v2/demo/api/manifests/" + asked, registry.requests().get(0).getTarget());
  }

  @Test
  void byDigestMatchingBytesAreAccepted() {
    registry.server.enqueue(MockRegistry.manifest(INDEX));

    assertEquals(INDEX, remote.getManifest(Ref.of(INDEX.digest())));
  }

  /**
   * Regression test (fixed; the bug was in RemoteRepository.getManifest: {@code
   * manifest.digest().toString().equals(reference)}): Digest accepts sha512 and has {@code
   * matches(bytes)} for exactly this, but getManifest compares against the sha256 of the bytes as a
   * string, so a GET by a correct sha512 digest (e.g. {@code --from @sha512:…}) always fails with
   * "digest mismatch". It should verify with {@code Digest.parse(reference).matches(bytes)}.
   */
  @Test
  void byCorrectSha512DigestIsAccepted() throws Exception {
    String sha512 =
        "sha512:"
            + HexFormat.of()
                .formatHex(
                    java.security.MessageDigest.getInstance("SHA-512").digest(INDEX.bytes()));
    registry.server.enqueue(
        MockRegistry.manifest(INDEX).newBuilder().removeHeader("Docker-Content-Digest").build());

    assertArrayEquals(INDEX.bytes(), remote.getManifest(Ref.parse(sha512)).bytes());
  }

  /**
   * GHCR answers a request whose Accept lacks the OCI index type with 404 MANIFEST_UNKNOWN "OCI
   * index found, but Accept header does not support OCI indexes". Succeeding here proves the type
   * is sent.
   */
  @Test
  void ghcrServesAnOciIndexOnlyWhenAcceptedAndWeAcceptIt() {
    registry.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String accept = String.join(",", r.getHeaders().values("Accept"));
            if (!accept.contains(MediaTypes.OCI_INDEX)) {
              return r.getMethod().equals("HEAD")
                  ? MockRegistry.status(404)
                  : MockRegistry.error(
                      404,
                      "MANIFEST_UNKNOWN",
                      "OCI index found, but Accept header does not support OCI indexes");
            }
            return r.getMethod().equals("HEAD")
                ? MockRegistry.manifestHead(INDEX)
                : MockRegistry.manifest(INDEX);
          }
        });

    assertEquals(INDEX, remote.getManifest(Ref.tag("sha-1")));
    assertEquals(java.util.Optional.of(INDEX.digest()), remote.headManifest(Ref.tag("latest")));
  }

  @Test
  void truncatedBodyIsAFailureNotAShortManifest() {
    for (int i = 0; i < MockRegistry.FAST_RETRIES.maxAttempts(); i++) {
      registry.server.enqueue(
          new MockResponse.Builder()
              .code(200)
              .addHeader("Content-Type", INDEX.mediaType())
              .body(new okio.Buffer().write(INDEX.bytes()))
              .onResponseBody(new mockwebserver3.SocketEffect.CloseSocket())
              .build());
    }

    GantryException e =
        assertThrows(GantryException.class, () -> remote.getManifest(Ref.tag("sha-1")));

    assertEquals(GantryException.Kind.FAILED, e.kind());
    assertTrue(
        e.getMessage().startsWith("get manifest " + registry.registry() + "/demo/api:sha-1: "),
        e.getMessage());
    assertEquals(
        MockRegistry.FAST_RETRIES.maxAttempts(),
        registry.server.getRequestCount(),
        "each cut body was retried");
  }

  @Test
  void declaredMediaTypeWinsOverTheContentType() {
    // An OCI index served as a Docker manifest list, and the reverse: the bytes say what they are.
    Manifest dockerList =
        Manifest.of(
            new String(INDEX.bytes(), StandardCharsets.UTF_8)
                .replace(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST)
                .getBytes(StandardCharsets.UTF_8),
            MediaTypes.DOCKER_MANIFEST_LIST);
    registry.server.enqueue(
        MockRegistry.manifest(Manifest.of(INDEX.bytes(), MediaTypes.DOCKER_MANIFEST_LIST)));
    registry.server.enqueue(
        MockRegistry.manifest(Manifest.of(dockerList.bytes(), MediaTypes.OCI_INDEX)));

    assertEquals(MediaTypes.OCI_INDEX, remote.getManifest(Ref.tag("a")).mediaType());
    assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, remote.getManifest(Ref.tag("b")).mediaType());
  }

  @Test
  void missingMediaTypeIsInferredFromTheStructure() {
    byte[] index =
        ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST
                + "\",\"size\":7,\"digest\":\""
                + IMAGE.digest()
                + "\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] image =
        ("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                + "\"size\":2,\"digest\":\""
                + IMAGE.digest()
                + "\"},\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .body(new okio.Buffer().write(index))
            .build());
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/octet-stream")
            .body(new okio.Buffer().write(image))
            .build());

    assertEquals(MediaTypes.OCI_INDEX, remote.getManifest(Ref.tag("a")).mediaType());
    assertEquals(MediaTypes.OCI_MANIFEST, remote.getManifest(Ref.tag("b")).mediaType());
  }
}
