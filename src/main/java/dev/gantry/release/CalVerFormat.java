package dev.gantry.release;

import dev.gantry.GantryException;
import java.time.YearMonth;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CalVer formats Gantry writes and recognizes; a tag counts only when it matches the format
 * exactly.
 */
public enum CalVerFormat {
  YYYY_M("YYYY.M.PATCH", Pattern.compile("(\\d{4})\\.([1-9]|1[0-2])\\.(0|[1-9]\\d{0,8})")),
  YYYY_0M("YYYY.0M.PATCH", Pattern.compile("(\\d{4})\\.(0[1-9]|1[0-2])\\.(0|[1-9]\\d{0,8})")),
  YY_M("YY.M.PATCH", Pattern.compile("(\\d{2})\\.([1-9]|1[0-2])\\.(0|[1-9]\\d{0,8})"));

  private final String label;
  private final Pattern pattern;

  CalVerFormat(String label, Pattern pattern) {
    this.label = label;
    this.pattern = pattern;
  }

  public static CalVerFormat parse(String value) {
    for (CalVerFormat f : values()) {
      if (f.label.equals(value)) {
        return f;
      }
    }
    throw GantryException.badInput(
        "unknown --format '" + value + "' (YYYY.M.PATCH, YYYY.0M.PATCH or YY.M.PATCH)");
  }

  public String label() {
    return label;
  }

  /**
   * {@code 2026.11.} — with the trailing dot, so {@code 2026.1.} never matches {@code 2026.11.*}.
   */
  public String prefix(YearMonth month) {
    String year =
        this == YY_M
            ? String.format("%02d", month.getYear() % 100)
            : Integer.toString(month.getYear());
    String m =
        this == YYYY_0M
            ? String.format("%02d", month.getMonthValue())
            : Integer.toString(month.getMonthValue());
    return year + "." + m + ".";
  }

  public CalVer version(YearMonth month, int patch) {
    return new CalVer(month, patch, prefix(month) + patch);
  }

  /** The version a tag names, if the tag is exactly of this format. */
  public Optional<CalVer> parseTag(String tag) {
    Matcher m = pattern.matcher(tag);
    if (!m.matches()) {
      return Optional.empty();
    }
    int year = Integer.parseInt(m.group(1));
    if (this == YY_M) {
      year += 2000;
    }
    return Optional.of(
        new CalVer(
            YearMonth.of(year, Integer.parseInt(m.group(2))), Integer.parseInt(m.group(3)), tag));
  }
}
