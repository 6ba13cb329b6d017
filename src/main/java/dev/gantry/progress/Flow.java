package dev.gantry.progress;

import dev.gantry.image.Descriptor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/** One blob streaming now: the transfer thread adds to it, the renderer reads it. */
final class Flow implements LongConsumer {
  private final Descriptor blob;
  private final long startedAt;
  private final AtomicLong done = new AtomicLong();

  Flow(Descriptor blob, long startedAt) {
    this.blob = blob;
    this.startedAt = startedAt;
  }

  @Override
  public void accept(long bytes) {
    done.addAndGet(bytes);
  }

  Descriptor blob() {
    return blob;
  }

  /** Epoch milliseconds, from the injected clock. */
  long startedAt() {
    return startedAt;
  }

  long done() {
    return done.get();
  }
}
