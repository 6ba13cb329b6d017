package dev.gantry.release;

import java.time.YearMonth;
import java.util.Comparator;

/**
 * A calendar version: the month it belongs to, its patch number, and its tag as written. Ordered
 * numerically.
 */
public record CalVer(YearMonth month, int patch, String tag) implements Comparable<CalVer> {
  private static final Comparator<CalVer> ORDER =
      Comparator.comparing(CalVer::month).thenComparingInt(CalVer::patch);

  @Override
  public int compareTo(CalVer o) {
    return ORDER.compare(this, o);
  }

  @Override
  public String toString() {
    return tag;
  }
}
