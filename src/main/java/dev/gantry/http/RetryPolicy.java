package dev.gantry.http;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * When to try a request again and how long to wait: capped, fully jittered exponential backoff that
 * honours {@code Retry-After}. Pure, so the rules are unit-tested without a clock.
 */
public record RetryPolicy(
    int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {
  private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(60));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  public static boolean isRetryableStatus(int status) {
    return RETRYABLE.contains(status);
  }

  /** Whether attempt number {@code attempt} (1-based) may be followed by another one. */
  public boolean mayRetryAfter(int attempt) {
    return attempt < maxAttempts;
  }

  /**
   * The wait before the attempt after {@code attempt}. A {@code Retry-After} header (seconds or an
   * HTTP date) wins, capped at {@link #maxRetryAfter}; otherwise a random delay in [0,
   * min(maxDelay, base·2^(attempt-1))].
   */
  public Duration delay(
      int attempt, @Nullable String retryAfter, DoubleSupplier random, ZonedDateTime now) {
    Duration fromHeader = parseRetryAfter(retryAfter, now);
    if (fromHeader != null) {
      return fromHeader.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : fromHeader;
    }
    long ceiling = baseDelay.toMillis() << Math.min(attempt - 1, 20);
    ceiling = Math.min(ceiling, maxDelay.toMillis());
    return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
  }

  /**
   * {@code Retry-After} as seconds or an HTTP date, from {@code now}; null when absent or
   * unreadable.
   */
  public static @Nullable Duration parseRetryAfter(@Nullable String value, ZonedDateTime now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(now, at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }
}
