package dev.gantry.http;

import dev.gantry.Version;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * The one place that configures HTTP for the whole program: timeouts, pool size, retries, user
 * agent, TLS.
 */
public final class HttpClients {
  public static final String USER_AGENT = "gantry/" + Version.get();

  private HttpClients() {}

  /**
   * For a run that will speak HTTPS: sets TLS up on a background thread now, while the rest of the
   * start-up runs, instead of on the first connection. Runs that only speak plain HTTP never call
   * this and never load TLS.
   */
  public static void prepareTls() {
    LazyTls.prepare();
  }

  /**
   * Loads OkHttp, the Kotlin runtime it brings and OkHttp's platform (whose detection instantiates
   * every JCA provider, some 40 ms on a full JDK) by building a client as {@link #create} does, for
   * a background thread to do while the command line is still being read: OkHttp reaches its
   * platform when a client is built and again on every connection, plain HTTP included. Then a URL
   * is parsed (OkHttp maps every host name through its IDNA table, IP addresses too). Nothing is
   * connected and the client is dropped (it starts no threads until it is used).
   */
  public static void warmUp() {
    new OkHttpClient.Builder()
        .sslSocketFactory(LazyTls.SOCKET_FACTORY, LazyTls.TRUST_MANAGER)
        .retryOnConnectionFailure(false)
        .build();
    HttpUrl.get("http://registry.invalid/v2/");
  }

  /**
   * @param jobs how many requests may run at once (sizes the idle pool so parallel work reuses
   *     connections)
   * @param inner application interceptors that run inside the retry loop (authentication),
   *     outermost first
   */
  public static OkHttpClient create(
      RetryPolicy retry, RetryInterceptor.Sleeper sleeper, int jobs, List<Interceptor> inner) {
    OkHttpClient.Builder b =
        new OkHttpClient.Builder()
            // TLS is set up on the first https connection, not here (LazyTls): plain-HTTP runs
            // never load it.
            .sslSocketFactory(LazyTls.SOCKET_FACTORY, LazyTls.TRUST_MANAGER)
            .connectTimeout(Duration.ofSeconds(15))
            .readTimeout(Duration.ofSeconds(60))
            .writeTimeout(Duration.ofSeconds(60))
            .connectionPool(new ConnectionPool(Math.max(5, jobs), 1, TimeUnit.MINUTES))
            // Off: OkHttp's own silent retry would replay a 408 or a reset at once, outside our
            // backoff and budget.
            .retryOnConnectionFailure(false)
            .addInterceptor(new UserAgent())
            .addInterceptor(new RetryInterceptor(retry, sleeper));
    for (Interceptor i : inner) {
      b.addInterceptor(i);
    }
    return b.build();
  }

  /**
   * Names Gantry on every request. A class, not a lambda: each lambda links a call site on first
   * use, and every registry run builds this client on its way to the first request.
   */
  private static final class UserAgent implements Interceptor {
    @Override
    public Response intercept(Chain chain) throws IOException {
      return chain.proceed(chain.request().newBuilder().header("User-Agent", USER_AGENT).build());
    }
  }

  /**
   * The shared client for a service with its own rate-limit answers (GitHub): the same pool,
   * timeouts and inner interceptors, its one {@link RetryInterceptor} replaced by the same one that
   * also knows {@code limits}. So a rate-limited call is tried at most {@link
   * RetryPolicy#maxAttempts} times in all, in one loop.
   */
  public static OkHttpClient withRateLimits(
      OkHttpClient shared, RetryInterceptor.RateLimits limits) {
    OkHttpClient.Builder b = shared.newBuilder();
    List<Interceptor> chain = b.interceptors();
    for (int i = 0; i < chain.size(); i++) {
      if (chain.get(i) instanceof RetryInterceptor retry) {
        chain.set(i, retry.with(limits));
        return b.build();
      }
    }
    throw new IllegalArgumentException(
        "not a client made by HttpClients.create: no retry interceptor");
  }
}
