package dev.gantry.progress;

/**
 * Bytes per second over a recent window (between one and two windows long), so a stalled transfer
 * shows a falling rate instead of its lifetime average. Used by one renderer thread at a time.
 */
final class RateMeter {
  private final long window;
  private long prevAt;
  private long prevBytes;
  private long curAt;
  private long curBytes;

  RateMeter(long now, long bytes, long windowMillis) {
    this.window = windowMillis;
    prevAt = curAt = now;
    prevBytes = curBytes = bytes;
  }

  double rate(long now, long bytes) {
    if (now - curAt >= window) {
      prevAt = curAt;
      prevBytes = curBytes;
      curAt = now;
      curBytes = bytes;
    }
    long elapsed = now - prevAt;
    return elapsed <= 0 ? 0 : Math.max(0, bytes - prevBytes) * 1000.0 / elapsed;
  }
}
