package dev.gantry.progress;

import dev.gantry.GantryException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Progress for one command: a {@link Tracker} the copy engine reports to, the renderer the mode
 * asks for, and a daemon ticker that lets it redraw. Rendering happens on the ticker (and at blob
 * starts and ends), never per byte.
 */
public final class Progress implements AutoCloseable {
  /** {@code --progress}: auto is tty on a terminal, plain elsewhere. */
  public enum Mode {
    AUTO,
    TTY,
    PLAIN,
    NONE;

    public static Mode parse(String value) {
      try {
        return Mode.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw GantryException.badInput(
            "invalid --progress '" + value + "' (auto, tty, plain or none)");
      }
    }
  }

  private final Tracker tracker;
  private final @Nullable ScheduledExecutorService ticker;

  private Progress(Tracker tracker, boolean tick) {
    this.tracker = tracker;
    this.ticker =
        tick
            ? Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "gantry-progress");
                  t.setDaemon(true);
                  return t;
                })
            : null;
    if (ticker != null) {
      // The future is not needed: close() ends the ticker with shutdownNow; a failed tick only
      // stops redrawing.
      var unused =
          ticker.scheduleAtFixedRate(
              tracker::tick, tracker.tickMillis(), tracker.tickMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * @param terminal whether {@code err} is a terminal (decided at the edge)
   * @param width the terminal's columns, for the tty form
   */
  public static Progress start(
      Mode mode, boolean terminal, Clock clock, PrintStream err, int width) {
    Mode resolved = mode == Mode.AUTO ? (terminal ? Mode.TTY : Mode.PLAIN) : mode;
    return switch (resolved) {
      case TTY -> new Progress(new Tracker(clock, new TtyRenderer(err, width)), true);
      case PLAIN -> new Progress(new Tracker(clock, new PlainRenderer(err)), true);
      default -> new Progress(Tracker.counting(clock), false);
    };
  }

  public TransferListener listener() {
    return tracker;
  }

  public Summary summary() {
    return tracker.summary();
  }

  /**
   * Stops the ticker and clears what was drawn; idempotent enough for try-with-resources plus an
   * early close.
   */
  @Override
  public void close() {
    if (ticker != null && !ticker.isShutdown()) {
      ticker.shutdownNow();
      try {
        ticker.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      tracker.close();
    }
  }
}
