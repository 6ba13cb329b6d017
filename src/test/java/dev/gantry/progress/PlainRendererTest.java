package dev.gantry.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/** The log form, driven by a hand-moved clock: what is printed when, and nothing in between. */
class PlainRendererTest {
  private static final String LAYER = "sha256:" + "3f2a9c1d0b7e".repeat(5) + "0123";
  private static final String SMALL = "sha256:" + "aa".repeat(32);
  private final TestClock clock = new TestClock();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Tracker tracker =
      new Tracker(clock, new PlainRenderer(new PrintStream(err, true, StandardCharsets.UTF_8)));

  private List<String> lines() {
    String text = err.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }

  @Test
  void aLargeBlobGetsAStartLineALineEveryTenSecondsAndAnEndLine() {
    Descriptor layer =
        new Descriptor(
            "application/vnd.oci.image.layer.v1.tar+gzip", Digest.parse(LAYER), 52_428_800);
    tracker.planned(List.of(layer));
    LongConsumer bytes = tracker.blobStarted(layer);
    assertEquals(List.of("blob sha256:3f2a9c1d0b7e: 52.4 MB to copy"), lines());

    // Ticks every second: nothing new until ten seconds have passed.
    for (int s = 1; s < 10; s++) {
      clock.advance(1000);
      bytes.accept(2_000_000);
      tracker.tick();
    }
    assertEquals(1, lines().size(), lines().toString());
    clock.advance(1000);
    bytes.accept(2_000_000);
    tracker.tick();
    assertEquals("blob sha256:3f2a9c1d0b7e: 38% (20.0 MB of 52.4 MB), 2.0 MB/s", lines().get(1));

    // The next line only ten seconds after that one, with the rate of those ten seconds (a slower
    // stretch).
    for (int s = 1; s < 10; s++) {
      clock.advance(1000);
      bytes.accept(1_000_000);
      tracker.tick();
    }
    assertEquals(2, lines().size(), lines().toString());
    clock.advance(1000);
    bytes.accept(1_000_000);
    tracker.tick();
    assertEquals("blob sha256:3f2a9c1d0b7e: 57% (30.0 MB of 52.4 MB), 1.0 MB/s", lines().get(2));

    bytes.accept(22_428_800);
    clock.advance(5000);
    tracker.blobFinished(layer, Moved.UPLOADED);
    assertEquals("blob sha256:3f2a9c1d0b7e: copied 52.4 MB in 25.0 s (2.1 MB/s)", lines().get(3));
    tracker.tick();
    tracker.close();
    assertEquals(4, lines().size());
  }

  @Test
  void aSmallQuickBlobPrintsNothingAndAStalledOneStillShowsItsProgress() {
    Descriptor small =
        new Descriptor("application/vnd.oci.image.config.v1+json", Digest.parse(SMALL), 4096);
    LongConsumer bytes = tracker.blobStarted(small);
    bytes.accept(4096);
    clock.advance(300);
    tracker.tick();
    tracker.blobFinished(small, Moved.UPLOADED);
    assertEquals(List.of(), lines());

    Descriptor stuck =
        new Descriptor("application/vnd.oci.image.config.v1+json", Digest.parse(SMALL), 9_000_000);
    tracker.blobStarted(stuck).accept(1_000_000);
    clock.advance(10_000);
    tracker.tick();
    clock.advance(10_000);
    tracker.tick();
    assertEquals(
        List.of(
            "blob sha256:aaaaaaaaaaaa: 11% (1.0 MB of 9.0 MB), 100.0 kB/s",
            "blob sha256:aaaaaaaaaaaa: 11% (1.0 MB of 9.0 MB), 0 B/s"),
        lines());
  }

  @Test
  void aRestartedTransferCountsFromZeroAndMountsPrintNothing() {
    Descriptor layer =
        new Descriptor(
            "application/vnd.oci.image.layer.v1.tar+gzip", Digest.parse(LAYER), 20_000_000);
    tracker.blobStarted(layer).accept(15_000_000);
    tracker
        .blobStarted(layer)
        .accept(1_000_000); // the first attempt failed; its bytes count for nothing
    clock.advance(10_000);
    tracker.tick();
    assertTrue(lines().get(2).contains("5% (1.0 MB of 20.0 MB)"), lines().toString());
    tracker.blobFinished(new Descriptor("x", Digest.parse(SMALL), 30_000_000), Moved.MOUNTED);
    assertEquals(3, lines().size());
    assertFalse(err.toString(StandardCharsets.UTF_8).contains("?"));
  }
}
