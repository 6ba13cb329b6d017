package dev.gantry.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The summary line's figures and formats, and the byte counting the copy engine streams through.
 */
class SummaryTest {
  private final TestClock clock = new TestClock();

  private static Descriptor blob(char c, long size) {
    return new Descriptor(
        "application/octet-stream", Digest.parse("sha256:" + String.valueOf(c).repeat(64)), size);
  }

  @Test
  void countsEachWayABlobMovedTheBytesUploadedAndTheManifests() throws IOException {
    Tracker tracker = Tracker.counting(clock);
    Descriptor uploaded = blob('a', 52_428_800);
    tracker.planned(List.of(uploaded, blob('b', 10), blob('c', 20)));
    try (InputStream in = tracker.watch(uploaded, new ByteArrayInputStream(new byte[70_000]))) {
      in.readAllBytes();
    }
    tracker.blobFinished(uploaded, Moved.UPLOADED);
    tracker.blobFinished(blob('b', 10), Moved.MOUNTED);
    tracker.blobFinished(blob('c', 20), Moved.ALREADY_THERE);
    tracker.manifestWritten(Digest.parse("sha256:" + "d".repeat(64)));
    tracker.manifestWritten(Digest.parse("sha256:" + "e".repeat(64)));
    clock.advance(25_300);

    Summary s = tracker.summary();
    assertEquals(new Summary(52_428_800, 1, 1, 1, 2, Duration.ofMillis(25_300)), s);
    assertEquals(
        "copy: 52.4 MB moved; blobs: 1 uploaded, 1 mounted, 1 already there; 2 manifests written; 25.3 s, 2.1 MB/s",
        s.line("copy"));
  }

  @Test
  void aPromoteMovesNoBlobs() {
    assertEquals(
        "promote: 0 B moved; blobs: 0 uploaded, 0 mounted, 0 already there; 1 manifest written; 412 ms, 0 B/s",
        new Summary(0, 0, 0, 0, 1, Duration.ofMillis(412)).line("promote"));
    assertEquals("0 B/s", new Summary(5, 0, 0, 0, 0, Duration.ZERO).throughputText());
  }

  @Test
  void unitsAreDecimalAndRoundedToOnePlace() {
    assertEquals("999 B", Units.bytes(999));
    assertEquals("1.0 kB", Units.bytes(1000));
    assertEquals("1.0 MB", Units.bytes(999_990));
    assertEquals("1.1 GB", Units.bytes(1_073_741_824L));
    assertEquals("4m05s", Units.duration(245_000));
    assertEquals("1h02m", Units.duration(3_720_000));
    assertEquals("--", Units.eta(100, 0));
    assertEquals("3s", Units.eta(2_500_000, 1_000_000));
    assertEquals("16m40s", Units.eta(1_000_000_000, 1_000_000));
    assertEquals(
        "sha256:0123456789ab",
        Units.shortDigest(Digest.parse("sha256:0123456789ab" + "f".repeat(52))));
  }

  @Test
  void countingStreamCountsEveryReadForm() throws IOException {
    long[] counted = {0};
    try (InputStream in =
        new CountingInputStream(new ByteArrayInputStream(new byte[100]), n -> counted[0] += n)) {
      in.read();
      in.read(new byte[10]);
      in.skip(9);
      in.readAllBytes();
    }
    assertEquals(100, counted[0]);
  }
}
