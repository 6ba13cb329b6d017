package dev.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.auth.CredentialSource;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code PUT /v2/<name>/manifests/<reference>}: the bytes read, sent back unchanged. */
class PutManifestTest {
  private final MockRegistry registry = new MockRegistry();
  private final RemoteRepository remote =
      registry.client(CredentialSource.none()).forPush(registry.repository("demo/api"));

  @AfterEach
  void close() {
    registry.close();
  }

  private static MockResponse created(Digest d) {
    return new MockResponse.Builder()
        .code(201)
        .addHeader("Docker-Content-Digest", d)
        .addHeader("Location", "/v2/demo/api/manifests/" + d)
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"index", "docker"})
  void bodyIsTheExactBytesWithTheMediaTypeAsContentType(String kind) {
    Manifest m = kind.equals("index") ? TestManifests.index("m") : TestManifests.dockerImage("m");
    registry.server.enqueue(created(m.digest()));

    remote.putManifest(Ref.tag("latest"), m);

    RecordedRequest r = registry.requests().get(0);
    assertEquals("PUT", r.getMethod());
    assertEquals("/v2/demo/api/manifests/latest", r.getTarget());
    assertArrayEquals(m.bytes(), r.getBody().toByteArray());
    assertEquals(m.mediaType(), r.getHeaders().get("Content-Type"));
    assertEquals(String.valueOf(m.size()), r.getHeaders().get("Content-Length"));
  }

  @Test
  void bytesReadAreTheBytesWritten() {
    Manifest source = TestManifests.index("m");
    registry.server.enqueue(MockRegistry.manifest(source));
    registry.server.enqueue(created(source.digest()));

    remote.putManifest(Ref.tag("latest"), remote.getManifest(Ref.tag("sha-1")));

    assertArrayEquals(source.bytes(), registry.requests().get(1).getBody().toByteArray());
  }

  @Test
  void answerWithoutADigestIsAccepted() {
    registry.server.enqueue(MockRegistry.status(201));

    remote.putManifest(Ref.tag("latest"), TestManifests.index("m"));

    assertEquals(1, registry.server.getRequestCount());
  }

  @Test
  void registryReportingAnotherDigestIsAFailureNamingBoth() {
    Manifest m = TestManifests.index("m");
    Digest other = TestManifests.index("other").digest();
    registry.server.enqueue(created(other));

    GantryException e =
        assertThrows(GantryException.class, () -> remote.putManifest(Ref.tag("latest"), m));

    assertEquals(GantryException.Kind.FAILED, e.kind());
    assertTrue(
        e.getMessage()
            .startsWith(
                "put manifest " + registry.registry() + "/demo/api:latest: digest mismatch"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains(other.toString()) && e.getMessage().contains(m.digest().toString()),
        e.getMessage());
  }

  @Test
  void putByDigestUsesTheDigestInThePath() {
    Manifest m = TestManifests.index("m");
    registry.server.enqueue(created(m.digest()));

    remote.putManifest(Ref.of(m.digest()), m);

    assertEquals("/v2/demo/api/manifests/" + m.digest(), registry.requests().get(0).getTarget());
  }
}
