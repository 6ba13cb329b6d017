package dev.gantry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.registry.MockRegistry;
import dev.gantry.registry.RemoteRepository;
import dev.gantry.registry.Repository;
import dev.gantry.registry.TestManifests;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** htpasswd-style registries: a Basic challenge, answered once, then credentials sent up front. */
class BasicAuthTest {
  private static final Manifest M = TestManifests.index("m");
  private static final Credentials CREDS = Credentials.basic("AWS", "pw");
  private static final MockResponse CHALLENGE =
      new MockResponse.Builder()
          .code(401)
          .addHeader("WWW-Authenticate", "Basic realm=\"Registry Realm\"")
          .addHeader("Content-Type", "application/json")
          .body(
              "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")
          .build();

  private final MockRegistry registry = new MockRegistry();
  private final Repository repo = registry.repository("demo/api");

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void basicChallengeIsAnsweredWithBasicCredentials() {
    registry.server.enqueue(CHALLENGE);
    registry.server.enqueue(MockRegistry.manifest(M));

    assertEquals(
        M, registry.client(r -> Optional.of(CREDS)).forPull(repo).getManifest(Ref.tag("latest")));

    List<RecordedRequest> rs = registry.requests();
    assertEquals(2, rs.size());
    assertNull(rs.get(0).getHeaders().get("Authorization"));
    assertEquals("GET", rs.get(1).getMethod());
    assertEquals("/v2/demo/api/manifests/latest", rs.get(1).getTarget());
    assertEquals(CREDS.basicHeader(), rs.get(1).getHeaders().get("Authorization"));
  }

  @Test
  void laterRequestsSendBasicCredentialsUpFront() {
    registry.server.enqueue(CHALLENGE);
    registry.server.enqueue(MockRegistry.manifest(M));
    registry.server.enqueue(MockRegistry.manifestHead(M));
    RemoteRepository remote = registry.client(r -> Optional.of(CREDS)).forPull(repo);
    remote.getManifest(Ref.tag("latest"));
    registry.requests();

    remote.headManifest(Ref.tag("latest"));

    List<RecordedRequest> rs = registry.requests();
    assertEquals(1, rs.size());
    assertEquals(CREDS.basicHeader(), rs.get(0).getHeaders().get("Authorization"));
  }

  @Test
  void wrongCredentialsFailOnceWithoutARetryLoop() {
    registry.server.enqueue(CHALLENGE);
    registry.server.enqueue(CHALLENGE);
    registry.server.enqueue(MockRegistry.manifest(M)); // must not be reached

    GantryException e =
        assertThrows(
            GantryException.class,
            () ->
                registry
                    .client(r -> Optional.of(CREDS))
                    .forPull(repo)
                    .getManifest(Ref.tag("latest")));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
    assertEquals(2, registry.server.getRequestCount());
    assertTrue(e.getMessage().contains("get manifest " + repo + ":latest"), e.getMessage());
    assertTrue(e.getMessage().contains("401"), e.getMessage());
  }

  @Test
  void wrongCredentialsSentUpFrontAreNotRetried() {
    registry.server.enqueue(CHALLENGE);
    registry.server.enqueue(MockRegistry.manifest(M));
    RemoteRepository remote = registry.client(r -> Optional.of(CREDS)).forPull(repo);
    remote.getManifest(Ref.tag("latest"));

    registry.server.enqueue(CHALLENGE);
    registry.server.enqueue(MockRegistry.manifest(M));
    GantryException e =
        assertThrows(GantryException.class, () -> remote.getManifest(Ref.tag("latest")));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
    assertEquals(3, registry.server.getRequestCount());
  }

  @Test
  void basicChallengeWithoutCredentialsFailsAfterOneRequest() {
    registry.server.enqueue(CHALLENGE);

    GantryException e =
        assertThrows(
            GantryException.class,
            () ->
                registry
                    .client(CredentialSource.none())
                    .forPull(repo)
                    .headManifest(Ref.tag("latest")));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
    assertEquals(1, registry.server.getRequestCount());
  }
}
