package dev.gantry.ledger;

import dev.gantry.GantryException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them for {@code --soak}: {@code 90s}, {@code 45m}, {@code 2h}, {@code
 * 1d}, {@code 1h30m}.
 */
public final class Durations {
  private static final Pattern FORM =
      Pattern.compile("(?:(\\d{1,5})d)?(?:(\\d{1,6})h)?(?:(\\d{1,7})m)?(?:(\\d{1,9})s)?");

  private Durations() {}

  public static Duration parse(String option, String value) {
    Matcher m = FORM.matcher(value == null ? "" : value);
    if (value == null || value.isEmpty() || !m.matches()) {
      throw GantryException.badInput(
          "invalid "
              + option
              + " '"
              + value
              + "' (expected a duration such as 90s, 45m, 2h, 1d or 1h30m)");
    }
    return Duration.ofDays(part(m, 1))
        .plusHours(part(m, 2))
        .plusMinutes(part(m, 3))
        .plusSeconds(part(m, 4));
  }

  /** {@code 1h25m}, {@code 40s}, {@code 0s}: the largest units, seconds dropped above an hour. */
  public static String format(Duration d) {
    long s = Math.max(0, d.toSeconds());
    long days = s / 86400;
    long hours = s % 86400 / 3600;
    long minutes = s % 3600 / 60;
    long seconds = s % 60;
    StringBuilder out = new StringBuilder();
    if (days > 0) {
      out.append(days).append('d');
    }
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (minutes > 0) {
      out.append(minutes).append('m');
    }
    if ((seconds > 0 && days == 0 && hours == 0) || out.length() == 0) {
      out.append(seconds).append('s');
    }
    return out.toString();
  }

  private static long part(Matcher m, int group) {
    return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
  }
}
