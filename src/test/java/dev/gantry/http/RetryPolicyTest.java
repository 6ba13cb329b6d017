package dev.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {
  private static final ZonedDateTime NOW =
      ZonedDateTime.of(2015, 10, 21, 7, 28, 0, 0, ZoneOffset.UTC);
  private static final RetryPolicy POLICY =
      new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(60));

  @Test
  void retryAfterSecondsIsHonoured() {
    assertEquals(Duration.ofSeconds(2), POLICY.delay(1, "2", () -> 0.5, NOW));
    assertEquals(Duration.ZERO, POLICY.delay(1, "0", () -> 0.5, NOW));
    assertEquals(Duration.ofSeconds(7), POLICY.delay(4, " 7 ", () -> 0.5, NOW));
  }

  @Test
  void retryAfterHttpDateIsTheTimeUntilThatDate() {
    assertEquals(
        Duration.ofSeconds(30), POLICY.delay(1, "Wed, 21 Oct 2015 07:28:30 GMT", () -> 0.5, NOW));
  }

  @Test
  void retryAfterDateInThePastMeansNow() {
    assertEquals(Duration.ZERO, POLICY.delay(1, "Wed, 21 Oct 2015 07:27:00 GMT", () -> 0.5, NOW));
  }

  @Test
  void retryAfterIsCappedByMaxRetryAfter() {
    assertEquals(Duration.ofSeconds(60), POLICY.delay(1, "3600", () -> 0.5, NOW));
    assertEquals(
        Duration.ofSeconds(60), POLICY.delay(1, "Wed, 21 Oct 2015 09:28:00 GMT", () -> 0.5, NOW));
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "-1", "1.5", "", "  "})
  void unusableRetryAfterFallsBackToBackoff(String header) {
    assertEquals(Duration.ofMillis(100), POLICY.delay(1, header, () -> 0.5, NOW));
  }

  @ParameterizedTest
  @CsvSource({
    "1, 200",
    "2, 400",
    "3, 800",
    "4, 1600",
    "5, 3200",
    "6, 5000",
    "30, 5000",
    "1000, 5000"
  })
  void jitterStaysWithinTheCappedExponentialCeiling(int attempt, long ceilingMillis) {
    assertEquals(Duration.ZERO, POLICY.delay(attempt, null, () -> 0.0, NOW));
    Duration high = POLICY.delay(attempt, null, () -> 0.999, NOW);
    assertEquals((long) (0.999 * ceilingMillis), high.toMillis());
    assertTrue(high.toMillis() < ceilingMillis);
  }

  @Test
  void attemptsStopAtMaxAttempts() {
    assertTrue(POLICY.mayRetryAfter(1));
    assertTrue(POLICY.mayRetryAfter(4));
    assertFalse(POLICY.mayRetryAfter(5));
    assertFalse(new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO).mayRetryAfter(1));
  }

  @Test
  void atLeastOneAttempt() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO));
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 429, 500, 502, 503, 504})
  void transientStatusesAreRetryable(int status) {
    assertTrue(RetryPolicy.isRetryableStatus(status));
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 202, 301, 400, 401, 403, 404, 405, 409, 412, 501, 505})
  void otherStatusesAreNotRetryable(int status) {
    assertFalse(RetryPolicy.isRetryableStatus(status));
  }

  @Test
  void defaultMatchesTheReadme() {
    assertEquals(
        new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(60)),
        RetryPolicy.DEFAULT);
  }
}
