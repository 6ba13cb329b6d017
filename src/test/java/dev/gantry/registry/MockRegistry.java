package dev.gantry.registry;

import dev.gantry.auth.AuthInterceptor;
import dev.gantry.auth.CredentialSource;
import dev.gantry.http.HttpClients;
import dev.gantry.http.RetryPolicy;
import dev.gantry.image.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;

/**
 * A MockWebServer on 127.0.0.1 (loopback, so plain HTTP) and a {@link RegistryClient} wired exactly
 * as {@code session.Session} wires it, except that retries wait only in {@link #sleeps} and the
 * clock is under the test's control.
 */
public final class MockRegistry implements AutoCloseable {
  /** Three attempts, so "gives up after maxAttempts" costs three requests. */
  public static final RetryPolicy FAST_RETRIES =
      new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(60));

  public final MockWebServer server = new MockWebServer();

  /** Every wait the retry interceptor asked for, in order; nothing actually sleeps. */
  public final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  public final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  /**
   * The authenticating client behind the last {@link #client} (its connection pool is shared with
   * token requests).
   */
  public volatile OkHttpClient http;

  public MockRegistry() {
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code 127.0.0.1:PORT}, as a user would write it in an image reference. */
  public String registry() {
    return "127.0.0.1:" + server.getPort();
  }

  public Repository repository(String path) {
    return new Repository(registry(), path);
  }

  /** {@code http://127.0.0.1:PORT/token}, for Bearer challenges. */
  public String realm() {
    return "http://127.0.0.1:" + server.getPort() + "/token";
  }

  public RegistryClient client(CredentialSource credentials) {
    return client(credentials, FAST_RETRIES);
  }

  public RegistryClient client(CredentialSource credentials, RetryPolicy retries) {
    OkHttpClient base = HttpClients.create(retries, sleeps::add, 8, List.of());
    OkHttpClient withAuth =
        base.newBuilder().addInterceptor(new AuthInterceptor(credentials, base, clock)).build();
    http = withAuth;
    return new RegistryClient(withAuth, new Endpoints(Set.of()));
  }

  /** Every request received so far (and not yet taken), in arrival order. */
  public List<RecordedRequest> requests() {
    List<RecordedRequest> all = new ArrayList<>();
    try {
      for (RecordedRequest r; (r = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null; ) {
        all.add(r);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return all;
  }

  /** {@code METHOD /path?query} per request, for exact sequence assertions. */
  public List<String> requestLines() {
    return requests().stream().map(r -> r.getMethod() + " " + r.getTarget()).toList();
  }

  /** A Bearer challenge pointing at {@link #realm}; no body, since it often answers a HEAD. */
  public MockResponse bearerChallenge(String scope, String... extraParams) {
    StringBuilder header =
        new StringBuilder(
            "Bearer realm=\"" + realm() + "\",service=\"reg\",scope=\"" + scope + "\"");
    for (String p : extraParams) {
      header.append(',').append(p);
    }
    return new MockResponse.Builder()
        .code(401)
        .addHeader("WWW-Authenticate", header.toString())
        .build();
  }

  /** A token endpoint's answer. */
  public static MockResponse token(String value, int expiresIn) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .body("{\"token\":\"" + value + "\",\"expires_in\":" + expiresIn + "}")
        .build();
  }

  public static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).build();
  }

  /** A distribution-style error: {@code {"errors":[{"code":…,"message":…}]}}. */
  public static MockResponse error(int code, String errorCode, String message) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(
            "{\"errors\":[{\"code\":\""
                + errorCode
                + "\",\"message\":\""
                + message
                + "\",\"detail\":null}]}")
        .build();
  }

  /** What a registry answers to a manifest GET. */
  public static MockResponse manifest(Manifest m) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", m.mediaType())
        .addHeader("Docker-Content-Digest", m.digest().toString())
        .body(new okio.Buffer().write(m.bytes()))
        .build();
  }

  /** What a registry answers to a manifest HEAD: the headers of the GET, no body. */
  public static MockResponse manifestHead(Manifest m) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", m.mediaType())
        .addHeader("Docker-Content-Digest", m.digest().toString())
        .setHeader("Content-Length", m.size())
        .build();
  }

  @Override
  public void close() {
    server.close();
  }

  /** A clock that moves only when told to. */
  public static final class MutableClock extends Clock {
    private volatile Instant now;

    public MutableClock(Instant start) {
      this.now = start;
    }

    public void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
