package dev.gantry.progress;

import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Keeps the tally of a copy (what is planned, streaming, done, and how) and hands snapshots to a
 * renderer. The byte path is one atomic add per buffer read ({@link Flow}); everything else is per
 * blob and takes a lock, which also keeps the renderer's output in one piece.
 */
public final class Tracker implements TransferListener {
  private final Clock clock;
  private final Renderer renderer;
  private final long startedAt;
  private final Map<Digest, Flow> flows = new LinkedHashMap<>();
  private int blobsPlanned;
  private long bytesPlanned;
  private int blobsDone;
  private long bytesDone;
  private final int[] counts = new int[Moved.values().length];
  private long bytesUploaded;
  private int manifests;

  Tracker(Clock clock, Renderer renderer) {
    this.clock = clock;
    this.renderer = renderer;
    this.startedAt = clock.millis();
  }

  /** Counts only: for a command that shows no progress but still prints its summary. */
  public static Tracker counting(Clock clock) {
    return new Tracker(clock, Renderer.NONE);
  }

  @Override
  public synchronized void planned(List<Descriptor> blobs) {
    blobsPlanned += blobs.size();
    bytesPlanned += blobs.stream().mapToLong(Descriptor::size).sum();
  }

  @Override
  public synchronized LongConsumer blobStarted(Descriptor blob) {
    Flow flow = new Flow(blob, clock.millis());
    flows.put(
        blob.digest(),
        flow); // a restarted transfer replaces the failed attempt, which counted for nothing
    renderer.started(flow, snapshot());
    return flow;
  }

  @Override
  @SuppressWarnings("EnumOrdinal") // counts[] is indexed by the enum in memory, never stored
  public synchronized void blobFinished(Descriptor blob, Moved how) {
    Flow flow = flows.remove(blob.digest());
    blobsDone++;
    bytesDone += blob.size();
    counts[how.ordinal()]++;
    if (how == Moved.UPLOADED) {
      bytesUploaded += blob.size();
    }
    if (flow != null) {
      renderer.finished(flow, how, snapshot());
    }
  }

  @Override
  public synchronized void manifestWritten(Digest digest) {
    manifests++;
  }

  /**
   * Lets the renderer redraw or print what is due; the ticker calls this every {@link
   * #tickMillis()}.
   */
  public synchronized void tick() {
    renderer.tick(snapshot());
  }

  public long tickMillis() {
    return renderer.tickMillis();
  }

  /** The end: the renderer clears or completes what it drew. */
  public synchronized void close() {
    renderer.close(snapshot());
  }

  @SuppressWarnings("EnumOrdinal") // counts[] is indexed by the enum in memory, never stored
  public synchronized Summary summary() {
    return new Summary(
        bytesUploaded,
        counts[Moved.UPLOADED.ordinal()],
        counts[Moved.MOUNTED.ordinal()],
        counts[Moved.ALREADY_THERE.ordinal()],
        manifests,
        Duration.ofMillis(Math.max(0, clock.millis() - startedAt)));
  }

  private Snapshot snapshot() {
    List<Flow> now = new ArrayList<>(flows.values());
    long inFlight = now.stream().mapToLong(Flow::done).sum();
    return new Snapshot(
        clock.millis(),
        now,
        blobsDone,
        blobsPlanned,
        bytesDone + inFlight,
        bytesPlanned,
        bytesUploaded + inFlight);
  }
}
