package dev.gantry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gantry.GantryException;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.registry.MockRegistry;
import dev.gantry.registry.RegistryClient;
import dev.gantry.registry.RemoteRepository;
import dev.gantry.registry.Repository;
import dev.gantry.registry.TestManifests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One token per registry and scope set: reused, refreshed once when rejected or expired, shared by
 * threads.
 */
class TokenCacheTest {
  private static final Manifest M = TestManifests.index("m");
  private static final String PULL = "repository:demo/api:pull";
  private static final CredentialSource USER = r -> Optional.of(Credentials.basic("ci-bot", "pw"));

  private final MockRegistry registry = new MockRegistry();
  private final Repository repo = registry.repository("demo/api");

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void tokenIsReusedByTheNextOperationOnTheSameScope() {
    registry.server.enqueue(registry.bearerChallenge(PULL));
    registry.server.enqueue(MockRegistry.token("tok-1", 300));
    registry.server.enqueue(MockRegistry.manifestHead(M));
    registry.server.enqueue(MockRegistry.manifest(M));
    RemoteRepository remote = registry.client(USER).forPull(repo);

    remote.headManifest(Ref.tag("latest"));
    registry.requests();
    assertEquals(M, remote.getManifest(Ref.tag("sha-1")));

    List<RecordedRequest> rs = registry.requests();
    assertEquals(1, rs.size(), "no second challenge and no second token request");
    assertEquals(
        "GET /v2/demo/api/manifests/sha-1", rs.get(0).getMethod() + " " + rs.get(0).getTarget());
    assertEquals("Bearer tok-1", rs.get(0).getHeaders().get("Authorization"));
  }

  @Test
  void tokenIsReusedAcrossRepositoryHandlesOfOneClient() {
    registry.server.enqueue(registry.bearerChallenge(PULL));
    registry.server.enqueue(MockRegistry.token("tok-1", 300));
    registry.server.enqueue(MockRegistry.manifestHead(M));
    registry.server.enqueue(MockRegistry.manifestHead(M));
    RegistryClient client = registry.client(USER);

    client.forPull(repo).headManifest(Ref.tag("a"));
    client.forPull(repo).headManifest(Ref.tag("b"));

    List<String> lines = registry.requestLines();
    assertEquals(
        List.of(
            "HEAD /v2/demo/api/manifests/a",
            "GET /token?service=reg&scope=repository%3Ademo%2Fapi%3Apull",
            "HEAD /v2/demo/api/manifests/a",
            "HEAD /v2/demo/api/manifests/b"),
        lines);
  }

  /**
   * Distribution challenges reads with {@code repository:demo/api:pull}; a push-scoped operation
   * must fold that into the scope set it already asked for, not cache the token under a second key
   * and fetch again.
   */
  @Test
  void pushAccessReusesTheTokenFetchedAfterAPullChallenge() {
    registry.server.enqueue(registry.bearerChallenge(PULL));
    registry.server.enqueue(MockRegistry.token("tok-1", 300));
    registry.server.enqueue(MockRegistry.manifestHead(M));
    registry.server.enqueue(MockRegistry.manifest(M));
    registry.server.enqueue(
        MockRegistry.token("tok-2", 300)); // only reached if a second token is fetched
    registry.server.enqueue(MockRegistry.manifest(M));
    RemoteRepository remote = registry.client(USER).forPush(repo);

    remote.headManifest(Ref.tag("latest"));
    remote.getManifest(Ref.tag("sha-1"));

    List<String> lines = registry.requestLines();
    assertEquals(
        1,
        lines.stream().filter(l -> l.startsWith("GET /token")).count(),
        "one token request per repository and operation; got " + lines);
  }

  @Test
  void invalidTokenOnACachedTokenFetchesExactlyOneNewToken() {
    registry.server.enqueue(registry.bearerChallenge(PULL));
    registry.server.enqueue(MockRegistry.token("tok-1", 300));
    registry.server.enqueue(MockRegistry.manifestHead(M));
    RemoteRepository remote = registry.client(USER).forPull(repo);
    remote.headManifest(Ref.tag("latest"));
    registry.requests();

    registry.server.enqueue(registry.bearerChallenge(PULL, "error=\"invalid_token\""));
    registry.server.enqueue(MockRegistry.token("tok-2", 300));
    registry.server.enqueue(MockRegistry.manifestHead(M));
    assertEquals(Optional.of(M.digest()), remote.headManifest(Ref.tag("latest")));

    List<RecordedRequest> rs = registry.requests();
    assertEquals(3, rs.size());
    assertEquals("Bearer tok-1", rs.get(0).getHeaders().get("Authorization"));
    assertEquals("/token", rs.get(1).getUrl().encodedPath());
    assertEquals("Bearer tok-2", rs.get(2).getHeaders().get("Authorization"));
  }

  @Test
  void freshTokenRejectedAgainIsAnAuthenticationErrorWithoutALoop() {
    registry.server.enqueue(registry.bearerChallenge(PULL));
    registry.server.enqueue(MockRegistry.token("tok-1", 300));
    registry.server.enqueue(registry.bearerChallenge(PULL, "error=\"insufficient_scope\""));
    registry.server.enqueue(MockRegistry.token("tok-never", 300));

    GantryException e =
        assertThrows(
            GantryException.class,
            () -> registry.client(USER).forPull(repo).getManifest(Ref.tag("latest")));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
    assertEquals(3, registry.server.getRequestCount());
  }

  @Test
  void replacementTokenRejectedToIsAnAuthenticationErrorWithoutALoop() {
    registry.server.enqueue(registry.bearerChallenge(PULL));
    registry.server.enqueue(MockRegistry.token("tok-1", 300));
    registry.server.enqueue(MockRegistry.manifestHead(M));
    RemoteRepository remote = registry.client(USER).forPull(repo);
    remote.headManifest(Ref.tag("latest"));

    registry.server.enqueue(registry.bearerChallenge(PULL, "error=\"invalid_token\""));
    registry.server.enqueue(MockRegistry.token("tok-2", 300));
    registry.server.enqueue(registry.bearerChallenge(PULL, "error=\"invalid_token\""));
    registry.server.enqueue(MockRegistry.token("tok-never", 300));
    GantryException e =
        assertThrows(GantryException.class, () -> remote.headManifest(Ref.tag("latest")));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
    assertEquals(6, registry.server.getRequestCount());
  }

  @Test
  void expiredTokenIsReplacedBeforeTheRequest() {
    registry.server.enqueue(registry.bearerChallenge(PULL));
    registry.server.enqueue(MockRegistry.token("tok-1", 60));
    registry.server.enqueue(MockRegistry.manifestHead(M));
    RemoteRepository remote = registry.client(USER).forPull(repo);
    remote.headManifest(Ref.tag("latest"));
    registry.requests();

    registry.clock.advance(Duration.ofSeconds(55)); // 60 s lifetime, refreshed 10 s early
    registry.server.enqueue(MockRegistry.token("tok-2", 60));
    registry.server.enqueue(MockRegistry.manifestHead(M));
    remote.headManifest(Ref.tag("latest"));

    List<RecordedRequest> rs = registry.requests();
    assertEquals(2, rs.size());
    assertEquals("/token", rs.get(0).getUrl().encodedPath());
    assertEquals("Bearer tok-2", rs.get(1).getHeaders().get("Authorization"));
  }

  @Test
  void parallelOperationsOnOneScopeMakeOneTokenRequest() throws Exception {
    AtomicInteger tokenRequests = new AtomicInteger();
    registry.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            if (r.getUrl().encodedPath().equals("/token")) {
              tokenRequests.incrementAndGet();
              // Slow enough that every thread is waiting for this token when it arrives.
              return MockRegistry.token("tok-shared", 300)
                  .newBuilder()
                  .headersDelay(200, TimeUnit.MILLISECONDS)
                  .build();
            }
            return "Bearer tok-shared".equals(r.getHeaders().get("Authorization"))
                ? MockRegistry.manifestHead(M)
                : registry.bearerChallenge(PULL);
          }
        });
    RegistryClient client = registry.client(USER);
    int threads = 8;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Optional<?>>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String tag = "t" + i;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return client.forPull(repo).headManifest(Ref.tag(tag));
                }));
      }
      for (Future<Optional<?>> f : results) {
        assertEquals(Optional.of(M.digest()), f.get(10, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, tokenRequests.get());
  }
}
