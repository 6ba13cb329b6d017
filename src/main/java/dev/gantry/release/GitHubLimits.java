package dev.gantry.release;

import dev.gantry.GantryException;
import dev.gantry.http.RetryInterceptor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/**
 * GitHub's rate limits, decided once for the library's calls and ours: a secondary limit ({@code Retry-After})
 * is waited out when the wait is short; an exhausted primary limit is waited out only when it resets within two
 * minutes, otherwise the run fails at once saying when to try again (never an hour's silent sleep).
 */
public final class GitHubLimits {
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);
  static final Duration MAX_RESET_WAIT = Duration.ofMinutes(2);

  private final Clock clock;
  private final RetryInterceptor.Sleeper sleeper;

  public GitHubLimits(Clock clock, RetryInterceptor.Sleeper sleeper) {
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Whether an answer is a rate-limit answer at all. */
  static boolean isLimited(int status, Function<String, String> header) {
    if (status != 403 && status != 429) {
      return false;
    }
    return header.apply("Retry-After") != null || "0".equals(header.apply("x-ratelimit-remaining"));
  }

  /** Waits before a retry, or throws the one-line failure when the wait would be too long. */
  void waitOrFail(String operation, Function<String, String> header) {
    String retryAfter = header.apply("Retry-After");
    if (retryAfter != null) {
      Duration wait = parseSeconds(retryAfter);
      if (wait == null || wait.compareTo(MAX_RETRY_AFTER) > 0) {
        throw new GantryException(GantryException.Kind.FAILED, operation + ": GitHub's secondary rate limit asks to wait "
            + retryAfter.trim() + " s, more than " + MAX_RETRY_AFTER.toSeconds() + " s: try again later");
      }
      sleep(wait);
      return;
    }
    String reset = header.apply("x-ratelimit-reset");
    Instant resetAt = reset == null ? null : parseEpoch(reset);
    Instant now = clock.instant();
    if (resetAt == null || Duration.between(now, resetAt).compareTo(MAX_RESET_WAIT) > 0) {
      String when = resetAt == null ? "later" : "after " + DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC).format(resetAt)
          + " (in " + Math.max(1, Duration.between(now, resetAt).toMinutes()) + " min)";
      throw new GantryException(GantryException.Kind.FAILED, operation + ": GitHub API rate limit exhausted: try again " + when);
    }
    sleep(Duration.between(now, resetAt).plusSeconds(1));
  }

  private void sleep(Duration d) {
    try {
      sleeper.sleep(d.isNegative() ? Duration.ZERO : d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GantryException(GantryException.Kind.FAILED, "interrupted while waiting for GitHub's rate limit");
    }
  }

  private static Duration parseSeconds(String v) {
    try {
      long s = Long.parseLong(v.trim());
      return s < 0 ? null : Duration.ofSeconds(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Instant parseEpoch(String v) {
    try {
      return Instant.ofEpochSecond(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
