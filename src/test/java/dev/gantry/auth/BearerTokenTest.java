package dev.gantry.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.registry.MockRegistry;
import dev.gantry.registry.Repository;
import dev.gantry.registry.TestManifests;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Docker token protocol as the registry sees it: challenge, token request with credentials,
 * retry.
 */
class BearerTokenTest {
  private static final Manifest M = TestManifests.index("m");
  private static final String PULL = "repository:demo/api:pull";
  private static final String PULL_PUSH = "repository:demo/api:pull,push";
  private static final CredentialSource USER = r -> Optional.of(Credentials.basic("ci-bot", "pw"));

  private final MockRegistry registry = new MockRegistry();
  private final Repository repo = registry.repository("demo/api");

  @AfterEach
  void close() {
    registry.close();
  }

  @Test
  void scopesAreSentInOneStableOrderWithThePushScopeFirst() {
    // Some token servers grant only the first scope: the one the write needs leads, the mount
    // sources follow.
    Repository dst = registry.repository("m/dst");
    List<Repository> sources =
        List.of("a/one", "c/three", "b/two", "d/four").stream().map(registry::repository).toList();
    registry.server.enqueue(registry.bearerChallenge("repository:m/dst:pull,push"));
    registry.server.enqueue(MockRegistry.token("tok-1", 300));
    registry.server.enqueue(MockRegistry.manifestHead(M));

    registry
        .client(USER)
        .forPush(dst, sources.toArray(Repository[]::new))
        .headManifest(Ref.tag("latest"));

    RecordedRequest tokenRequest = registry.requests().get(1);
    assertEquals(
        List.of(
            "repository:m/dst:pull,push",
            "repository:a/one:pull",
            "repository:b/two:pull",
            "repository:c/three:pull",
            "repository:d/four:pull"),
        tokenRequest.getUrl().queryParameterValues("scope"));
  }

  @Test
  void challengeFetchesATokenWithBasicCredentialsThenRetriesWithBearer() {
    registry.server.enqueue(registry.bearerChallenge(PULL));
    registry.server.enqueue(MockRegistry.token("tok-1", 300));
    registry.server.enqueue(MockRegistry.manifestHead(M));

    assertEquals(
        Optional.of(M.digest()),
        registry.client(USER).forPull(repo).headManifest(Ref.tag("latest")));

    List<RecordedRequest> rs = registry.requests();
    assertEquals(3, rs.size());
    assertEquals(
        "HEAD /v2/demo/api/manifests/latest", rs.get(0).getRequestLine().replace(" HTTP/1.1", ""));
    assertNull(rs.get(0).getHeaders().get("Authorization"), "no credentials before the challenge");
    RecordedRequest tokenRequest = rs.get(1);
    assertEquals("GET", tokenRequest.getMethod());
    assertEquals("/token", tokenRequest.getUrl().encodedPath());
    assertEquals(List.of("reg"), tokenRequest.getUrl().queryParameterValues("service"));
    assertEquals(List.of(PULL), tokenRequest.getUrl().queryParameterValues("scope"));
    assertEquals(
        Credentials.basic("ci-bot", "pw").basicHeader(),
        tokenRequest.getHeaders().get("Authorization"));
    assertEquals("HEAD", rs.get(2).getMethod());
    assertEquals("/v2/demo/api/manifests/latest", rs.get(2).getTarget());
    assertEquals("Bearer tok-1", rs.get(2).getHeaders().get("Authorization"));
    okhttp3.ConnectionPool pool = registry.http.connectionPool();
    assertEquals(
        pool.connectionCount(), pool.idleConnectionCount(), "every connection is back in the pool");
  }

  @Test
  void pushAccessAsksForPullAndPushAndResendsTheSameBody() {
    registry.server.enqueue(registry.bearerChallenge(PULL_PUSH));
    registry.server.enqueue(MockRegistry.token("tok-push", 300));
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(201)
            .addHeader("Docker-Content-Digest", M.digest())
            .build());

    registry.client(USER).forPush(repo).putManifest(Ref.tag("latest"), M);

    List<RecordedRequest> rs = registry.requests();
    assertEquals(3, rs.size());
    assertEquals(List.of(PULL_PUSH), rs.get(1).getUrl().queryParameterValues("scope"));
    assertEquals(List.of("reg"), rs.get(1).getUrl().queryParameterValues("service"));
    assertEquals("PUT", rs.get(2).getMethod());
    assertEquals("Bearer tok-push", rs.get(2).getHeaders().get("Authorization"));
    assertArrayEquals(M.bytes(), rs.get(0).getBody().toByteArray());
    assertArrayEquals(M.bytes(), rs.get(2).getBody().toByteArray());
  }

  @Test
  void pushAccessAfterAPullChallengeStillAsksForPush() {
    registry.server.enqueue(registry.bearerChallenge(PULL));
    registry.server.enqueue(MockRegistry.token("tok-1", 300));
    registry.server.enqueue(MockRegistry.manifestHead(M));

    registry.client(USER).forPush(repo).headManifest(Ref.tag("latest"));

    RecordedRequest tokenRequest = registry.requests().get(1);
    assertEquals(List.of(PULL_PUSH), tokenRequest.getUrl().queryParameterValues("scope"));
  }

  @Test
  void anonymousTokenRequestCarriesNoAuthorization() {
    registry.server.enqueue(registry.bearerChallenge(PULL));
    registry.server.enqueue(MockRegistry.token("anon", 300));
    registry.server.enqueue(MockRegistry.manifest(M));

    assertEquals(
        M, registry.client(CredentialSource.none()).forPull(repo).getManifest(Ref.tag("latest")));

    RecordedRequest tokenRequest = registry.requests().get(1);
    assertEquals("/token", tokenRequest.getUrl().encodedPath());
    assertNull(tokenRequest.getHeaders().get("Authorization"));
    assertEquals(List.of(PULL), tokenRequest.getUrl().queryParameterValues("scope"));
  }

  @Test
  void identityTokenIsExchangedWithARefreshTokenPost() {
    registry.server.enqueue(registry.bearerChallenge(PULL));
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .body("{\"access_token\":\"tok-oauth\",\"expires_in\":300}")
            .build());
    registry.server.enqueue(MockRegistry.manifestHead(M));
    CredentialSource identity = r -> Optional.of(new Credentials("<token>", "", "refresh-123"));

    registry.client(identity).forPull(repo).headManifest(Ref.tag("latest"));

    List<RecordedRequest> rs = registry.requests();
    RecordedRequest tokenRequest = rs.get(1);
    assertEquals("POST", tokenRequest.getMethod());
    assertEquals("/token", tokenRequest.getTarget());
    assertTrue(
        tokenRequest
            .getHeaders()
            .get("Content-Type")
            .startsWith("application/x-www-form-urlencoded"));
    String form = tokenRequest.getBody().utf8();
    assertEquals(
        "grant_type=refresh_token&refresh_token=refresh-123&client_id=gantry"
            + "&scope=repository%3Ademo%2Fapi%3Apull&service=reg",
        form);
    assertNull(tokenRequest.getHeaders().get("Authorization"));
    assertEquals("Bearer tok-oauth", rs.get(2).getHeaders().get("Authorization"));
  }

  @Test
  void tokenEndpointRejectingTheCredentialsIsAnAuthenticationErrorNamingTheUser() {
    registry.server.enqueue(registry.bearerChallenge(PULL));
    registry.server.enqueue(MockRegistry.error(401, "UNAUTHORIZED", "bad credentials"));

    GantryException e =
        assertThrows(
            GantryException.class,
            () -> registry.client(USER).forPull(repo).headManifest(Ref.tag("latest")));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
    assertTrue(e.getMessage().contains("ci-bot"), e.getMessage());
    assertTrue(e.getMessage().contains(registry.registry()), e.getMessage());
    assertEquals(2, registry.server.getRequestCount());
  }

  @Test
  void tokenEndpointHiccupIsRetried() {
    registry.server.enqueue(registry.bearerChallenge(PULL));
    registry.server.enqueue(MockRegistry.status(503));
    registry.server.enqueue(MockRegistry.token("tok-1", 300));
    registry.server.enqueue(MockRegistry.manifestHead(M));

    assertEquals(
        Optional.of(M.digest()),
        registry.client(USER).forPull(repo).headManifest(Ref.tag("latest")));
    assertEquals(4, registry.server.getRequestCount());
    assertEquals(1, registry.sleeps.size());
  }

  @Test
  void challengeWithoutScopeAsksForTheOperationsScope() {
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(401)
            .addHeader(
                "WWW-Authenticate", "Bearer realm=\"" + registry.realm() + "\",service=\"reg\"")
            .build());
    registry.server.enqueue(MockRegistry.token("tok-1", 300));
    registry.server.enqueue(new MockResponse.Builder().code(201).build());

    registry.client(USER).forPush(repo).putManifest(Ref.tag("latest"), M);

    assertEquals(
        List.of(PULL_PUSH), registry.requests().get(1).getUrl().queryParameterValues("scope"));
  }

  /**
   * Regression test (fixed; the bug was in AuthInterceptor.intercept: the 401 {@code response} is
   * closed only after {@code authorize(...)} returns; when the token request fails, authorize
   * throws and the 401 response, with its body, is never closed). OkHttp keeps that connection
   * allocated to the abandoned call (and logs "A connection ... was leaked" after a GC). The
   * response should be closed before fetching the token (or in a finally).
   */
  @Test
  void failedTokenFetchReleasesTheChallengedConnection() {
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(401)
            .addHeader(
                "WWW-Authenticate",
                "Bearer realm=\"" + registry.realm() + "\",service=\"reg\",scope=\"" + PULL + "\"")
            .addHeader("Content-Type", "application/json")
            .body(
                "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")
            .build());
    registry.server.enqueue(MockRegistry.error(401, "UNAUTHORIZED", "bad credentials"));

    assertThrows(
        GantryException.class,
        () -> registry.client(USER).forPull(repo).getManifest(Ref.tag("latest")));

    okhttp3.ConnectionPool pool = registry.http.connectionPool();
    assertEquals(
        pool.connectionCount(), pool.idleConnectionCount(), "every connection is back in the pool");
  }

  @Test
  void tokenResponseWithoutATokenFails() {
    registry.server.enqueue(registry.bearerChallenge(PULL));
    registry.server.enqueue(new MockResponse.Builder().code(200).body("{}").build());

    GantryException e =
        assertThrows(
            GantryException.class,
            () -> registry.client(USER).forPull(repo).headManifest(Ref.tag("latest")));
    assertEquals(GantryException.Kind.FAILED, e.kind());
    assertTrue(e.getMessage().contains("no token"), e.getMessage());
  }
}
