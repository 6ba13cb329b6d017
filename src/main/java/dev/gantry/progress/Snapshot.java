package dev.gantry.progress;

import java.util.List;

/**
 * Where a copy stands at {@code now} (epoch ms): the blobs streaming, and overall how many blobs
 * and bytes are accounted for (moved, mounted or already there) out of the planned ones; {@code
 * streamed} counts only bytes that actually moved.
 */
record Snapshot(
    long now,
    List<Flow> flows,
    int blobsDone,
    int blobsPlanned,
    long bytesDone,
    long bytesPlanned,
    long streamed) {
  public Snapshot {
    flows = List.copyOf(flows);
  }
}
