package dev.gantry.release;

import dev.gantry.http.HttpClients;
import dev.gantry.http.RateLimitedException;
import dev.gantry.http.RetryInterceptor;
import dev.gantry.http.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * GitHub's rate-limit answers (403 or 429 with {@code Retry-After}, or with {@code
 * x-ratelimit-remaining: 0}), read by the shared client's one retry loop ({@link
 * HttpClients#withRateLimits}), so they spend its attempt budget like a 5xx does: a secondary limit
 * ({@code Retry-After}) is waited out when the wait is 60 s at most; an exhausted primary limit is
 * waited out only when it resets within two minutes, otherwise the call fails at once saying when
 * to try again (never an hour's silent sleep).
 */
final class GitHubLimits implements RetryInterceptor.RateLimits {
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);
  static final Duration MAX_RESET_WAIT = Duration.ofMinutes(2);

  private final Clock clock;

  GitHubLimits(Clock clock) {
    this.clock = clock;
  }

  @Override
  public @Nullable Duration waitFor(Response response) throws RateLimitedException {
    int status = response.code();
    if (status != 403 && status != 429) {
      return null;
    }
    String retryAfter = response.header("Retry-After");
    if (retryAfter != null) {
      Duration wait =
          RetryPolicy.parseRetryAfter(retryAfter, clock.instant().atZone(ZoneOffset.UTC));
      if (wait == null || wait.compareTo(MAX_RETRY_AFTER) > 0) {
        throw new RateLimitedException(
            "GitHub's secondary rate limit asks to wait "
                + retryAfter.trim()
                + " s, more than "
                + MAX_RETRY_AFTER.toSeconds()
                + " s: try again later");
      }
      return wait;
    }
    if (!"0".equals(response.header("x-ratelimit-remaining"))) {
      return null;
    }
    String reset = response.header("x-ratelimit-reset");
    Instant resetAt = reset == null ? null : parseEpoch(reset);
    Instant now = clock.instant();
    if (resetAt == null || Duration.between(now, resetAt).compareTo(MAX_RESET_WAIT) > 0) {
      String when =
          resetAt == null
              ? "later"
              : "after "
                  + DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
                      .withZone(ZoneOffset.UTC)
                      .format(resetAt)
                  + " (in "
                  + Math.max(1, Duration.between(now, resetAt).toMinutes())
                  + " min)";
      throw new RateLimitedException("GitHub API rate limit exhausted: try again " + when);
    }
    Duration wait = Duration.between(now, resetAt).plusSeconds(1);
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  private static @Nullable Instant parseEpoch(String v) {
    try {
      return Instant.ofEpochSecond(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
