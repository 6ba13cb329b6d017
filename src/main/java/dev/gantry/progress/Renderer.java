package dev.gantry.progress;

/**
 * Shows progress somewhere; a {@link Tracker} calls it from transfer threads and the ticker, one
 * call at a time.
 */
interface Renderer {
  /** Renders nothing. */
  Renderer NONE = new Renderer() {};

  default void started(Flow flow, Snapshot now) {}

  default void finished(Flow flow, Moved how, Snapshot now) {}

  /** Called regularly (every {@link #tickMillis()}); throttles its own output. */
  default void tick(Snapshot now) {}

  /** The copy ended: leave nothing half-drawn. */
  default void close(Snapshot now) {}

  default long tickMillis() {
    return 1000;
  }
}
