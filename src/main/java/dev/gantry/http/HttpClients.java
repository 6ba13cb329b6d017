package dev.gantry.http;

import dev.gantry.Version;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/** The one place that configures HTTP for the whole program: timeouts, pool size, retries, user agent. */
public final class HttpClients {
  public static final String USER_AGENT = "gantry/" + Version.get();

  private static volatile CompletableFuture<OkHttpClient> warm;

  private HttpClients() {}

  /**
   * Starts building the TLS-ready base client on a background thread. Building it loads the trust store and the
   * TLS stack (about a quarter of a promote's start-up), which can overlap with parsing the command line.
   */
  public static void warmUp() {
    if (warm == null) {
      CompletableFuture<OkHttpClient> f = new CompletableFuture<>();
      warm = f;
      Thread t = new Thread(() -> {
        try {
          f.complete(new OkHttpClient());
        } catch (Throwable e) {
          f.completeExceptionally(e);
        }
      }, "gantry-http-warmup");
      t.setDaemon(true);
      t.start();
    }
  }

  /**
   * @param jobs how many requests may run at once (sizes the idle pool so parallel work reuses connections)
   * @param inner application interceptors that run inside the retry loop (authentication), outermost first
   */
  public static OkHttpClient create(RetryPolicy retry, RetryInterceptor.Sleeper sleeper, int jobs, List<Interceptor> inner) {
    CompletableFuture<OkHttpClient> w = warm;
    OkHttpClient base = w == null || w.isCompletedExceptionally() ? new OkHttpClient() : w.join();
    OkHttpClient.Builder b = base.newBuilder()
        .connectTimeout(Duration.ofSeconds(15))
        .readTimeout(Duration.ofSeconds(60))
        .writeTimeout(Duration.ofSeconds(60))
        .connectionPool(new ConnectionPool(Math.max(5, jobs), 1, TimeUnit.MINUTES))
        // Off: OkHttp's own silent retry would replay a 408 or a reset at once, outside our backoff and budget.
        .retryOnConnectionFailure(false)
        .addInterceptor(chain -> chain.proceed(chain.request().newBuilder().header("User-Agent", USER_AGENT).build()))
        .addInterceptor(new RetryInterceptor(retry, sleeper));
    inner.forEach(b::addInterceptor);
    return b.build();
  }
}
