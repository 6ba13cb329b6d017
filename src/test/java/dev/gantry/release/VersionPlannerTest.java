package dev.gantry.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VersionPlannerTest {
  private static final YearMonth NOV = YearMonth.of(2026, 11);

  @Test
  void firstReleaseOfAMonthIsPatchZero() {
    assertEquals(
        "2026.11.0", VersionPlanner.next(CalVerFormat.YYYY_M, NOV, List.of("2026.10.4")).tag());
  }

  @Test
  void nextPatchIsTheMaximumPlusOneNotACount() {
    assertEquals(
        "2026.11.8",
        VersionPlanner.next(
                CalVerFormat.YYYY_M, NOV, List.of("2026.11.0", "2026.11.1", "2026.11.7"))
            .tag());
  }

  @Test
  void patchesCompareNumerically() {
    assertEquals(
        "2026.11.11",
        VersionPlanner.next(CalVerFormat.YYYY_M, NOV, List.of("2026.11.10", "2026.11.9")).tag());
  }

  @Test
  void onlyExactFormatMatchesCount() {
    List<String> noise =
        List.of(
            "v2026.11.3",
            "2026.11.3-rc1",
            "2026.11",
            "2026.11.x",
            "2026.011.4",
            "2026.11.04",
            "2026.1.5");
    assertEquals("2026.11.0", VersionPlanner.next(CalVerFormat.YYYY_M, NOV, noise).tag());
  }

  @Test
  void otherFormats() {
    assertEquals(
        "2026.01.0",
        VersionPlanner.next(CalVerFormat.YYYY_0M, YearMonth.of(2026, 1), List.of("2026.1.3"))
            .tag());
    assertEquals(
        "2026.01.4",
        VersionPlanner.next(CalVerFormat.YYYY_0M, YearMonth.of(2026, 1), List.of("2026.01.3"))
            .tag());
    assertEquals(
        "26.11.2",
        VersionPlanner.next(CalVerFormat.YY_M, NOV, List.of("26.11.1", "2026.11.9")).tag());
    assertEquals("2026.1.", CalVerFormat.YYYY_M.prefix(YearMonth.of(2026, 1)));
    assertEquals("07.3.", CalVerFormat.YY_M.prefix(YearMonth.of(2007, 3)));
  }

  @Test
  void previousIsTheHighestBelowAcrossMonthsAndYears() {
    CalVer v = CalVerFormat.YYYY_M.version(YearMonth.of(2027, 1), 0);
    List<String> tags = List.of("2026.12.2", "2026.9.14", "2025.12.30", "v2027.1.0", "2027.1.0");
    assertEquals(
        Optional.of("2026.12.2"),
        VersionPlanner.previous(CalVerFormat.YYYY_M, v, tags).map(CalVer::tag));
    assertTrue(VersionPlanner.previous(CalVerFormat.YYYY_M, v, List.of("2027.1.1")).isEmpty());
  }

  @Test
  void unknownFormatIsBadInput() {
    GantryException e =
        assertThrows(GantryException.class, () -> CalVerFormat.parse("YYYY.MM.PATCH"));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains("YYYY.MM.PATCH"));
  }
}
