package dev.gantry.progress;

import java.time.Duration;

/**
 * What a copy or promote moved, for the one summary line on stderr and the action's step summary.
 */
public record Summary(
    long bytesMoved, int uploaded, int mounted, int alreadyThere, int manifests, Duration elapsed) {
  /** Bytes per second over the whole command; 0 when nothing moved or no time passed. */
  public double throughput() {
    long ms = elapsed.toMillis();
    return ms <= 0 ? 0 : bytesMoved * 1000.0 / ms;
  }

  /** {@code 52.4 MB}. */
  public String movedText() {
    return Units.bytes(bytesMoved);
  }

  /** {@code 25.3 s}. */
  public String elapsedText() {
    return Units.duration(elapsed.toMillis());
  }

  /** {@code 2.1 MB/s}. */
  public String throughputText() {
    return Units.rate(throughput());
  }

  /**
   * {@code copy: 52.4 MB moved; blobs: 1 uploaded, 0 mounted, 2 already there; 2 manifests written;
   * 25.3 s, 2.1 MB/s}.
   */
  public String line(String command) {
    // Appended, not String.format: a CLI run prints this once, and the formatter's first use costs
    // more than the run's
    // own formatting.
    return command
        + ": "
        + movedText()
        + " moved; blobs: "
        + uploaded
        + " uploaded, "
        + mounted
        + " mounted, "
        + alreadyThere
        + " already there; "
        + manifests
        + (manifests == 1 ? " manifest" : " manifests")
        + " written; "
        + elapsedText()
        + ", "
        + throughputText();
  }
}
