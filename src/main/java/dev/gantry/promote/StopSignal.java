package dev.gantry.promote;

import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A request to stop, set from outside (the CLI sets it on SIGTERM or SIGINT): once set, no new
 * write starts and the executor rolls back what already moved, as after a failed write. Writes
 * already in flight are finished.
 */
public final class StopSignal {
  private final AtomicReference<String> reason = new AtomicReference<>();

  /** A signal nobody sets, for callers that do not stop (release, tests). */
  public static StopSignal never() {
    return new StopSignal();
  }

  /** Asks to stop; {@code why} names the cause ("SIGTERM"). Only the first request counts. */
  public void request(String why) {
    reason.compareAndSet(null, why);
  }

  public boolean requested() {
    return reason.get() != null;
  }

  /** The first cause asked for, or null. */
  public @Nullable String reason() {
    return reason.get();
  }
}
