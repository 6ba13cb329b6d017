package dev.gantry.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/** The terminal form: lines per blob and overall, redrawn in place, erased at the end. */
class TtyRendererTest {
  private static final String ESC = "\u001b[";
  private final TestClock clock = new TestClock();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Tracker tracker =
      new Tracker(clock, new TtyRenderer(new PrintStream(err, true, StandardCharsets.UTF_8), 80));

  private static Descriptor blob(char c, long size) {
    return new Descriptor(
        "application/vnd.oci.image.layer.v1.tar+gzip",
        Digest.parse("sha256:" + String.valueOf(c).repeat(64)),
        size);
  }

  private String take() {
    String s = err.toString(StandardCharsets.UTF_8);
    err.reset();
    return s;
  }

  @Test
  void drawsABlobLineAndAnOverallLineThenRedrawsThemInPlaceAndErasesAtTheEnd() {
    Descriptor a = blob('a', 50_000_000);
    Descriptor b = blob('b', 30_000_000);
    tracker.planned(List.of(a, b));
    LongConsumer bytes = tracker.blobStarted(a);
    assertEquals("", take(), "nothing is printed between redraws");
    clock.advance(1000);
    bytes.accept(10_000_000);
    tracker.tick();
    assertEquals(
        "\r"
            + ESC
            + "2K  sha256:aaaaaaaaaaaa  10.0 MB / 50.0 MB  10.0 MB/s  ETA 4s\n"
            + "\r"
            + ESC
            + "2Ktotal  0/2 blobs  10.0 MB / 80.0 MB  0 B/s  ETA --\n",
        take());

    clock.advance(1000);
    bytes.accept(20_000_000);
    tracker.tick();
    String second = take();
    assertTrue(
        second.startsWith("\r" + ESC + "2A"), "cursor back up over the two lines: " + second);
    assertTrue(second.contains("30.0 MB / 50.0 MB  15.0 MB/s  ETA 2s"), second);
    assertTrue(second.contains("total  0/2 blobs  30.0 MB / 80.0 MB  20.0 MB/s  ETA 3s"), second);

    // The blob ends: one line fewer, and the line left over below is erased.
    bytes.accept(20_000_000);
    tracker.blobFinished(a, Moved.UPLOADED);
    tracker.blobFinished(b, Moved.ALREADY_THERE);
    clock.advance(200);
    tracker.tick();
    String third = take();
    assertTrue(third.contains("total  2/2 blobs  80.0 MB / 80.0 MB"), third);
    assertTrue(third.endsWith(ESC + "J"), third);

    tracker.close();
    assertEquals("\r" + ESC + "1A" + ESC + "J", take());
  }

  @Test
  void manyBlobsAreCappedAndLongLinesCutToTheWidth() {
    Tracker narrow =
        new Tracker(clock, new TtyRenderer(new PrintStream(err, true, StandardCharsets.UTF_8), 40));
    for (int i = 0; i < TtyRenderer.MAX_ROWS + 3; i++) {
      narrow.blobStarted(blob(Character.forDigit(i, 16), 1_000_000_000L)).accept(1);
    }
    clock.advance(200);
    narrow.tick();
    String[] lines = take().split("\n");
    assertEquals(TtyRenderer.MAX_ROWS + 2, lines.length);
    assertTrue(lines[TtyRenderer.MAX_ROWS].endsWith("... and 3 more"), lines[TtyRenderer.MAX_ROWS]);
    for (String line : lines) {
      assertTrue(line.length() - ("\r" + ESC + "2K").length() < 40, line);
    }
  }

  @Test
  void withNothingPlannedNothingIsDrawn() {
    tracker.tick();
    tracker.manifestWritten(Digest.parse("sha256:" + "c".repeat(64)));
    tracker.close();
    assertEquals("", take());
  }
}
