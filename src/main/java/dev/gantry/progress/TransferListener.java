package dev.gantry.progress;

import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import java.io.InputStream;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * What the copy engine tells about its work while it runs. Called from the transfer threads, so
 * implementations are thread-safe and cheap: the byte counter it hands out is called once per
 * buffer read (64 KiB).
 */
public interface TransferListener {
  /** Nobody listens. */
  TransferListener NONE = new TransferListener() {};

  /** The blobs this copy will look at, before the first one moves. */
  default void planned(List<Descriptor> blobs) {}

  /**
   * A blob's bytes start to stream (again, if an earlier attempt failed: counting restarts from
   * zero). The returned counter is told how many bytes were read each time.
   */
  default LongConsumer blobStarted(Descriptor blob) {
    return n -> {};
  }

  default void blobFinished(Descriptor blob, Moved how) {}

  default void manifestWritten(Digest digest) {}

  /** {@code in} with every byte read counted for {@code blob}; unchanged when nobody listens. */
  default InputStream watch(Descriptor blob, InputStream in) {
    return this == NONE ? in : new CountingInputStream(in, blobStarted(blob));
  }
}
