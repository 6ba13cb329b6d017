package dev.gantry.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The record's time is written exactly as {@code Instant.toString()} writes it. */
class PromotionRecordTest {
  @Test
  void theCreatedTimeIsInstantToStringsText() {
    List<Instant> times =
        new ArrayList<>(
            List.of(
                Instant.EPOCH,
                Instant.parse("2026-01-01T00:00:00Z"), // whole minute: LocalDateTime drops ":00"
                Instant.parse("2026-01-01T00:00:01Z"),
                Instant.parse("2026-11-30T10:38:00.100Z"),
                Instant.parse("2026-11-30T10:38:14.421052Z"),
                Instant.parse("2026-11-30T10:38:14.421052895Z"),
                Instant.ofEpochSecond(253402300800L), // year 10000
                Instant.ofEpochSecond(-1, 5)));
    Random random = new Random(13);
    for (int i = 0; i < 20_000; i++) {
      long seconds = random.nextLong() % 400_000_000_000L;
      if (i % 5 == 0) {
        seconds -= Math.floorMod(seconds, 60);
      }
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> random.nextInt(1_000_000_000);
          };
      times.add(Instant.ofEpochSecond(seconds, nanos));
    }
    for (Instant t : times) {
      assertEquals(t.toString(), PromotionRecord.iso(t), "for " + t.getEpochSecond() + "s");
    }
  }
}
