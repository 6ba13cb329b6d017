package dev.gantry.release;

import java.time.YearMonth;
import java.util.Collection;
import java.util.Optional;

/** Pure version arithmetic: a function of the month, the existing tags and the format. */
public final class VersionPlanner {
  private VersionPlanner() {}

  /**
   * The highest patch of this month + 1 (the maximum, not a count: deleted tags leave gaps), or 0.
   */
  public static CalVer next(CalVerFormat format, YearMonth month, Collection<String> tags) {
    int next =
        tags.stream()
                .map(format::parseTag)
                .flatMap(Optional::stream)
                .filter(v -> v.month().equals(month))
                .mapToInt(CalVer::patch)
                .max()
                .orElse(-1)
            + 1;
    return format.version(month, next);
  }

  /** The highest CalVer tag below {@code version}, across months and years. */
  public static Optional<CalVer> previous(
      CalVerFormat format, CalVer version, Collection<String> tags) {
    return tags.stream()
        .map(format::parseTag)
        .flatMap(Optional::stream)
        .filter(v -> v.compareTo(version) < 0)
        .max(CalVer::compareTo);
  }
}
