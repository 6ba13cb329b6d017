package dev.gantry.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.auth.CredentialSource;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.registry.MockRegistry;
import dev.gantry.registry.RegistryClient;
import dev.gantry.registry.RegistryException;
import dev.gantry.registry.Repository;
import dev.gantry.registry.TestManifests;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The retry interceptor against a live socket: what is retried, how often, and how long it waits.
 */
class RetryTest {
  private static final Manifest M = TestManifests.index("m");

  private final MockRegistry registry = new MockRegistry();
  private final Repository repo = registry.repository("demo/api");
  private final RegistryClient client = registry.client(CredentialSource.none());

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void tooManyRequestsWaitsForRetryAfter() {
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .addHeader("Retry-After", "2")
            .body("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}")
            .build());
    registry.server.enqueue(MockRegistry.manifest(M));

    assertEquals(M, client.forPull(repo).getManifest(Ref.tag("latest")));

    assertEquals(List.of(Duration.ofSeconds(2)), registry.sleeps);
    assertEquals(
        List.of("GET /v2/demo/api/manifests/latest", "GET /v2/demo/api/manifests/latest"),
        registry.requestLines());
  }

  @Test
  void retryAfterBeyondTheCapWaitsOnlyTheCap() {
    registry.server.enqueue(
        new MockResponse.Builder().code(503).addHeader("Retry-After", "86400").build());
    registry.server.enqueue(MockRegistry.manifestHead(M));

    client.forPull(repo).headManifest(Ref.tag("latest"));

    assertEquals(List.of(MockRegistry.FAST_RETRIES.maxRetryAfter()), registry.sleeps);
  }

  @Test
  void serviceUnavailableThenOkSucceedsWithOneRetry() {
    registry.server.enqueue(MockRegistry.status(503));
    registry.server.enqueue(MockRegistry.manifestHead(M));

    assertEquals(Optional.of(M.digest()), client.forPull(repo).headManifest(Ref.tag("latest")));

    assertEquals(2, registry.server.getRequestCount());
    assertEquals(1, registry.sleeps.size());
    Duration d = registry.sleeps.get(0);
    assertTrue(
        !d.isNegative() && d.compareTo(MockRegistry.FAST_RETRIES.baseDelay()) <= 0, d::toString);
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 500, 502, 503, 504})
  void transientFailuresGiveUpAfterExactlyMaxAttempts(int status) {
    for (int i = 0; i < 10; i++) {
      registry.server.enqueue(MockRegistry.status(status));
    }

    RegistryException e =
        assertThrows(
            RegistryException.class, () -> client.forPull(repo).getManifest(Ref.tag("latest")));

    assertEquals(status, e.status());
    int attempts = MockRegistry.FAST_RETRIES.maxAttempts();
    assertEquals(attempts, registry.server.getRequestCount());
    assertEquals(attempts - 1, registry.sleeps.size());
  }

  /**
   * Regression test (fixed; the bug was in HttpClients.create: {@code
   * .retryOnConnectionFailure(true)}): with that flag OkHttp's own RetryAndFollowUpInterceptor,
   * which runs below RetryInterceptor, silently replays every 408 once, at once and without
   * backoff. Each of RetryInterceptor's attempts is then two requests: a 408 storm costs 2 x
   * maxAttempts requests (10 with the default policy, where the README promises "up to 5 attempts
   * ... with backoff"). RetryInterceptor already retries connection failures itself, so OkHttp's
   * flag can be off.
   */
  @Test
  void requestTimeoutGivesUpAfterExactlyMaxAttempts() {
    for (int i = 0; i < 10; i++) {
      registry.server.enqueue(MockRegistry.status(408));
    }

    RegistryException e =
        assertThrows(
            RegistryException.class, () -> client.forPull(repo).getManifest(Ref.tag("latest")));

    assertEquals(408, e.status());
    assertEquals(MockRegistry.FAST_RETRIES.maxAttempts(), registry.server.getRequestCount());
  }

  @Test
  void notFoundIsNotRetried() {
    registry.server.enqueue(MockRegistry.error(404, "MANIFEST_UNKNOWN", "manifest unknown"));
    registry.server.enqueue(MockRegistry.manifest(M));

    GantryException e =
        assertThrows(
            GantryException.class, () -> client.forPull(repo).getManifest(Ref.tag("latest")));

    assertEquals(GantryException.Kind.NOT_FOUND, e.kind());
    assertEquals(1, registry.server.getRequestCount());
    assertTrue(registry.sleeps.isEmpty());
  }

  @Test
  void badRequestIsNotRetried() {
    registry.server.enqueue(MockRegistry.error(400, "MANIFEST_INVALID", "manifest invalid"));
    registry.server.enqueue(new MockResponse.Builder().code(201).build());

    GantryException e =
        assertThrows(
            GantryException.class, () -> client.forPush(repo).putManifest(Ref.tag("latest"), M));

    assertEquals(GantryException.Kind.FAILED, e.kind());
    assertTrue(e.getMessage().contains("MANIFEST_INVALID"), e.getMessage());
    assertEquals(1, registry.server.getRequestCount());
    assertTrue(registry.sleeps.isEmpty());
  }

  @Test
  void retriedPutSendsTheSameBytesAgain() {
    registry.server.enqueue(MockRegistry.status(502));
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(201)
            .addHeader("Docker-Content-Digest", M.digest())
            .build());

    client.forPush(repo).putManifest(Ref.tag("latest"), M);

    List<RecordedRequest> rs = registry.requests();
    assertEquals(2, rs.size());
    for (RecordedRequest r : rs) {
      assertEquals("PUT", r.getMethod());
      assertArrayEquals(M.bytes(), r.getBody().toByteArray());
      assertEquals(M.mediaType(), r.getHeaders().get("Content-Type"));
    }
  }

  @Test
  void connectionDroppedBeforeTheAnswerIsRetried() {
    registry.server.enqueue(
        new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
    registry.server.enqueue(MockRegistry.manifest(M));

    assertEquals(M, client.forPull(repo).getManifest(Ref.tag("latest")));
    assertEquals(2, registry.server.getRequestCount());
    assertEquals(1, registry.sleeps.size(), "retried by RetryInterceptor, after a backoff");
  }

  @Test
  void connectionDroppedMidResponseIsRetried() {
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", M.mediaType())
            .body(new okio.Buffer().write(M.bytes()))
            .onResponseStart(new SocketEffect.CloseSocket())
            .build());
    registry.server.enqueue(MockRegistry.manifest(M));

    assertEquals(M, client.forPull(repo).getManifest(Ref.tag("latest")));
    assertEquals(2, registry.server.getRequestCount());
    assertEquals(1, registry.sleeps.size());
  }

  @Test
  void manifestBodyCutAfterTheHeadersIsRetried() {
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", M.mediaType())
            .body(new okio.Buffer().write(M.bytes()))
            .onResponseBody(new SocketEffect.CloseSocket())
            .build());
    registry.server.enqueue(MockRegistry.manifest(M));

    assertEquals(M, client.forPull(repo).getManifest(Ref.tag("latest")));
    assertEquals(2, registry.server.getRequestCount());
    assertEquals(1, registry.sleeps.size(), "retried by RetryInterceptor, after a backoff");
  }

  @Test
  void unreachableRegistryFailsAfterMaxAttemptsNamingTheOperation() {
    String registryName = registry.registry();
    registry.close(); // nothing listens on the port any more
    Repository gone = new Repository(registryName, "demo/api");

    RegistryException e =
        assertThrows(
            RegistryException.class, () -> client.forPull(gone).headManifest(Ref.tag("latest")));

    assertEquals(GantryException.Kind.FAILED, e.kind());
    assertEquals(0, e.status());
    assertTrue(
        e.getMessage().startsWith("check manifest " + gone + ":latest: registry unreachable"),
        e.getMessage());
    assertEquals(MockRegistry.FAST_RETRIES.maxAttempts() - 1, registry.sleeps.size());
  }

  @Test
  void everyRequestCarriesTheUserAgent() {
    registry.server.enqueue(MockRegistry.status(503));
    registry.server.enqueue(MockRegistry.manifestHead(M));

    client.forPull(repo).headManifest(Ref.tag("latest"));

    for (RecordedRequest r : registry.requests()) {
      assertEquals(HttpClients.USER_AGENT, r.getHeaders().get("User-Agent"));
      assertTrue(HttpClients.USER_AGENT.startsWith("gantry/"));
    }
  }
}
