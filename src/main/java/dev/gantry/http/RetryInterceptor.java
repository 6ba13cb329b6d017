package dev.gantry.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * Retries connection failures and 408/429/5xx answers per {@link RetryPolicy}. OkHttp itself never
 * backs off, so this is the one place that does. Requests whose body can be sent only once (a
 * streamed blob) are not retried here; the blob copier repeats its whole transfer instead. A
 * service with its own rate-limit answers (GitHub) adds a {@link RateLimits} with {@link #with}:
 * those answers then spend the same attempt budget, so one client has one retry policy.
 */
public final class RetryInterceptor implements Interceptor {
  /** Waits; replaced in tests to record delays without sleeping. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    /** {@link Thread#sleep}: the real wait. */
    Sleeper THREAD = new ThreadSleep();
  }

  /** A class, not a lambda: each lambda links a call site on first use, once per run. */
  private static final class ThreadSleep implements Sleeper {
    @Override
    public void sleep(Duration d) throws InterruptedException {
      Thread.sleep(d.toMillis());
    }
  }

  /** A service's rate-limit answers, read before the generic status rules. */
  public interface RateLimits {
    /**
     * Null when {@code response} is no rate-limit answer; else the wait before the next attempt.
     *
     * @throws RateLimitedException when the wait asked for is longer than the service's policy
     *     accepts
     */
    @Nullable Duration waitFor(Response response) throws RateLimitedException;
  }

  /** No service-specific answers (a class, not a lambda: see {@link ThreadSleep}). */
  private static final RateLimits NONE = new NoRateLimits();

  private static final class NoRateLimits implements RateLimits {
    @Override
    public @Nullable Duration waitFor(Response response) {
      return null;
    }
  }

  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final RateLimits limits;

  public RetryInterceptor(RetryPolicy policy, Sleeper sleeper) {
    this(policy, sleeper, NONE);
  }

  private RetryInterceptor(RetryPolicy policy, Sleeper sleeper, RateLimits limits) {
    this.policy = policy;
    this.sleeper = sleeper;
    this.limits = limits;
  }

  /** The same policy and sleeper, also knowing a service's rate-limit answers. */
  public RetryInterceptor with(RateLimits serviceLimits) {
    return new RetryInterceptor(policy, sleeper, serviceLimits);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    boolean replayable = request.body() == null || !request.body().isOneShot();
    for (int attempt = 1; ; attempt++) {
      boolean last = !replayable || !policy.mayRetryAfter(attempt);
      Response response;
      try {
        response = chain.proceed(request);
      } catch (IOException e) {
        if (last
            || (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted())) {
          throw e;
        }
        pause(attempt, null);
        continue;
      }
      if (response.isSuccessful() && request.tag(WholeBody.class) != null) {
        try {
          return readWhole(response);
        } catch (IOException e) {
          if (last
              || (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted())) {
            throw e;
          }
          pause(attempt, null);
          continue;
        }
      }
      Duration limited;
      try {
        limited = limits.waitFor(response);
      } catch (RateLimitedException e) {
        response.close();
        throw e;
      }
      if (limited != null && !last) {
        response.close();
        sleep(limited);
        continue;
      }
      if (last || limited != null || !RetryPolicy.isRetryableStatus(response.code())) {
        return response;
      }
      String retryAfter = response.header("Retry-After");
      response.close();
      pause(attempt, retryAfter);
    }
  }

  private static Response readWhole(Response response) throws IOException {
    try (ResponseBody body = response.body()) {
      byte[] bytes = body.bytes();
      return response.newBuilder().body(ResponseBody.create(bytes, body.contentType())).build();
    }
  }

  private void pause(int attempt, @Nullable String retryAfter) throws IOException {
    sleep(
        policy.delay(
            attempt,
            retryAfter,
            ThreadLocalRandom.current()::nextDouble,
            ZonedDateTime.now(ZoneOffset.UTC)));
  }

  private void sleep(Duration d) throws IOException {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }
}
