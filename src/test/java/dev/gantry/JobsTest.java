package dev.gantry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every outcome carries its own item, in input order, whether it succeeded, failed or never
 * started.
 */
class JobsTest {
  @Test
  void outcomesCarryTheirItemsInInputOrderWhateverTheFinishingOrder() {
    // The first item finishes last: it waits until every other item has run.
    CountDownLatch others = new CountDownLatch(3);
    List<String> items = List.of("a", "b", "c", "d");
    List<Jobs.Outcome<String, String>> outcomes =
        Jobs.run(
            items,
            4,
            false,
            item -> {
              if (item.equals("a")) {
                await(others);
              } else {
                others.countDown();
              }
              return item.toUpperCase(Locale.ROOT);
            });
    assertEquals(items, outcomes.stream().map(Jobs.Outcome::item).toList());
    assertEquals(List.of("A", "B", "C", "D"), outcomes.stream().map(Jobs.Outcome::value).toList());
    assertTrue(outcomes.stream().allMatch(Jobs.Outcome::ok));
  }

  @Test
  void aFailureAndTheItemsNotStartedAfterItKeepTheirItems() {
    IllegalStateException boom = new IllegalStateException("boom");
    List<Jobs.Outcome<Integer, Integer>> outcomes =
        Jobs.run(
            List.of(1, 2, 3),
            1,
            true,
            item -> {
              if (item == 2) {
                throw boom;
              }
              return item * 10;
            });
    assertEquals(List.of(1, 2, 3), outcomes.stream().map(Jobs.Outcome::item).toList());
    assertEquals(10, outcomes.get(0).value());
    assertSame(boom, outcomes.get(1).failure());
    assertTrue(outcomes.get(1).started());
    assertFalse(outcomes.get(2).started());
    assertNull(outcomes.get(2).failure());
    assertFalse(outcomes.get(2).ok());
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS), "the other items ran");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
