package dev.gantry.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the harness itself: real registries in every auth mode, images pushed and read back,
 * faults injected.
 */
class HarnessSelfTest {

  @TempDir Path tmp;

  private Skopeo skopeo;

  @BeforeEach
  void isolatedSkopeo() {
    skopeo = Skopeo.isolated();
  }

  @AfterEach
  void closeSkopeo() {
    skopeo.close();
  }

  @Test
  void openRegistryServesWhatWasPushed() {
    try (RegistryServer registry = RegistryServer.open()) {
      TestImages.Layout index = TestImages.multiArch(tmp.resolve("index"), 1);
      int mark = registry.mark();
      String pushed = TestImages.push(index, registry, "app", "sha-1");

      assertEquals(index.digest(), pushed);
      assertArrayEquals(index.manifest(), skopeo.inspectRaw("app:sha-1", registry));
      assertEquals(pushed, skopeo.digest("app@" + pushed, registry));
      assertTrue(skopeo.exists("app:sha-1", registry));
      assertFalse(skopeo.exists("app:latest", registry));
      // 2 manifests + 2 configs + 6 layers are uploaded, then both manifests and the index are PUT.
      List<LoggedRequest> push = registry.requestLogSince(mark);
      assertEquals(
          3,
          push.stream()
              .filter(r -> r.method().equals("PUT") && r.path().contains("/manifests/"))
              .count(),
          push::toString);
      assertEquals(
          8,
          push.stream()
              .filter(r -> r.method().equals("PUT") && r.path().contains("/blobs/uploads/"))
              .count(),
          push::toString);
    }
  }

  @Test
  void otherImageShapesPushWithTheirOwnMediaTypes() {
    try (RegistryServer registry = RegistryServer.open()) {
      TestImages.Layout single = TestImages.singlePlatform(tmp.resolve("single"), 2);
      TestImages.Layout docker =
          TestImages.singlePlatform(
              tmp.resolve("docker"),
              3,
              TestImages.Format.DOCKER,
              TestImages.Platform.LINUX_AMD64,
              2,
              1024);
      TestImages.Layout dockerList =
          TestImages.multiArch(
              tmp.resolve("list"),
              4,
              TestImages.Format.DOCKER,
              List.of(TestImages.Platform.LINUX_AMD64, TestImages.Platform.LINUX_ARM64),
              1,
              512);

      for (TestImages.Layout layout : List.of(single, docker, dockerList)) {
        String pushed = TestImages.push(layout, registry, "shapes", "t");
        assertEquals(layout.digest(), pushed, layout.mediaType());
        assertEquals(pushed, skopeo.digest("shapes:t", registry));
      }
      assertNotEquals(
          TestImages.multiArch(tmp.resolve("other"), 5).digest(),
          TestImages.multiArch(tmp.resolve("index"), 1).digest());
    }
  }

  @Test
  void basicAuthRegistryRefusesAnonymousReads() {
    try (RegistryServer registry = RegistryServer.basicAuth()) {
      String pushed =
          TestImages.push(TestImages.multiArch(tmp.resolve("index"), 1), registry, "app", "sha-1");

      assertEquals(pushed, skopeo.digest("app:sha-1", registry));
      String ref = Skopeo.qualify("app:sha-1", registry);
      assertThrows(IllegalStateException.class, () -> skopeo.inspectRaw(ref, (Login) null));
      assertThrows(
          IllegalStateException.class, () -> skopeo.inspectRaw(ref, new Login("gantry", "wrong")));
      assertTrue(registry.requestLog().stream().anyMatch(r -> r.status() == 401));
    }
  }

  @Test
  void tokenAuthRegistryIssuesScopedTokens() {
    try (RegistryServer registry = RegistryServer.tokenAuth()) {
      TokenServer tokens = registry.tokenServer();
      String pushed =
          TestImages.push(TestImages.multiArch(tmp.resolve("index"), 1), registry, "app", "sha-1");
      assertEquals(pushed, skopeo.digest("app:sha-1", registry));
      assertTrue(
          tokens.requests().stream()
              .anyMatch(
                  r ->
                      r.withCredentials()
                          && r.scopes().contains("repository:app:pull,push")
                          && r.status() == 200),
          tokens.requests()::toString);

      String ref = Skopeo.qualify("app:sha-1", registry);
      int before = tokens.requestCount();
      assertEquals(
          pushed, Skopeo.sha256(skopeo.inspectRaw(ref, (Login) null)), "anonymous public pull");
      assertThrows(
          IllegalStateException.class, () -> skopeo.inspectRaw(ref, new Login("gantry", "wrong")));
      List<TokenServer.TokenRequest> later =
          tokens.requests().subList(before, tokens.requestCount());
      assertEquals(
          List.of(false, true),
          later.stream().map(TokenServer.TokenRequest::withCredentials).toList());
      assertEquals(
          List.of(200, 401), later.stream().map(TokenServer.TokenRequest::status).toList());

      tokens.anonymousPull(false);
      assertThrows(IllegalStateException.class, () -> skopeo.inspectRaw(ref, (Login) null));
    }
  }

  @Test
  void faultProxyForwardsByteExactAndInjectsFaults() throws Exception {
    try (RegistryServer registry = RegistryServer.open();
        FaultProxy proxy = FaultProxy.inFrontOf(registry)) {
      // Pushing through the proxy exercises blob upload Location headers and manifest PUT bodies.
      TestImages.Layout index = TestImages.multiArch(tmp.resolve("index"), 1);
      String viaProxy = proxy.hostPort() + "/app:sha-1";
      String pushed;
      try (Skopeo pusher = Skopeo.isolated()) {
        pushed = pusher.pushLayout(index.dir(), index.tag(), viaProxy, null);
      }
      assertEquals(index.digest(), pushed);
      assertTrue(
          proxy.requests().stream().anyMatch(r -> r.method().equals("PATCH")),
          "uploads stayed on proxy");
      assertArrayEquals(index.manifest(), skopeo.inspectRaw(viaProxy, (Login) null));

      // OkHttp, as Gantry uses it, minus its silent retry after a reset connection.
      OkHttpClient http = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
      Request manifest =
          new Request.Builder()
              .url(proxy.url() + "/v2/app/manifests/sha-1")
              .header("Accept", index.mediaType())
              .build();
      try (Response head = http.newCall(manifest.newBuilder().head().build()).execute()) {
        assertEquals(pushed, head.header("Docker-Content-Digest"));
        assertEquals(
            String.valueOf(index.manifest().length), head.header("Content-Length"), "HEAD size");
      }

      proxy.failTimes("GET", "/v2/app/manifests/.*", 503, 2);
      assertEquals(
          List.of(503, 503, 200),
          List.of(1, 2, 3).stream().map(i -> status(http, manifest)).toList());

      proxy.failAlways("ANY", "/v2/app/manifests/.*", 503);
      IllegalStateException failure =
          assertThrows(
              IllegalStateException.class, () -> skopeo.inspectRaw(viaProxy, (Login) null));
      assertTrue(
          failure.getMessage().contains("503") || failure.getMessage().contains("navailable"),
          failure.getMessage());

      proxy.reset();
      proxy.resetConnectionOnce("GET", "/v2/app/manifests/.*");
      assertThrows(IOException.class, () -> http.newCall(manifest).execute().close());
      proxy.respond429Once("GET", "/v2/app/manifests/.*", 7);
      try (Response limited = http.newCall(manifest).execute()) {
        assertEquals(429, limited.code());
        assertEquals("7", limited.header("Retry-After"));
      }
      assertEquals(200, status(http, manifest));
      assertEquals(
          List.of(0, 429, 200),
          proxy.requests().stream().map(FaultProxy.ProxiedRequest::status).toList());

      // A held request is answered only once released, then as any other (here by a fault).
      HeldRequest held = proxy.holdOnce("GET", "/v2/app/manifests/.*");
      proxy.failTimes("GET", "/v2/app/manifests/.*", 503, 1);
      CompletableFuture<Integer> answer =
          CompletableFuture.supplyAsync(() -> status(http, manifest));
      held.awaitArrival(Duration.ofSeconds(30));
      assertFalse(answer.isDone(), "answered while held");
      held.release();
      assertEquals(503, answer.get(30, TimeUnit.SECONDS));
      assertEquals(200, status(http, manifest), "held once only");
    }
  }

  private static int status(OkHttpClient http, Request request) {
    try (Response response = http.newCall(request).execute()) {
      return response.code();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
