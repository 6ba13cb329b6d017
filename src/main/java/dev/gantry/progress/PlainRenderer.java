package dev.gantry.progress;

import java.io.PrintStream;
import java.util.IdentityHashMap;
import java.util.Locale;

/**
 * For logs and pipes (a GitHub Actions log, {@code 2> file}): whole lines only, never redrawn. A
 * line when a large blob starts, a line at most every 10 s per blob in flight, a line when a blob
 * that was shown ends. Movement is visible without flooding: a 1 GiB layer at 10 MB/s is about ten
 * lines.
 */
final class PlainRenderer implements Renderer {
  static final long LARGE = 10_000_000;
  static final long INTERVAL = 10_000;

  private final PrintStream out;
  private final IdentityHashMap<Flow, Shown> shown = new IdentityHashMap<>();

  /**
   * When a blob's next line is due, its rate over the last interval, and whether any line named it
   * yet.
   */
  private static final class Shown {
    long nextAt;
    final RateMeter meter;
    boolean named;

    Shown(long nextAt, RateMeter meter) {
      this.nextAt = nextAt;
      this.meter = meter;
    }
  }

  PlainRenderer(PrintStream out) {
    this.out = out;
  }

  @Override
  public void started(Flow flow, Snapshot now) {
    Shown s = new Shown(now.now() + INTERVAL, new RateMeter(now.now(), 0, INTERVAL));
    shown.put(flow, s);
    if (flow.blob().size() > LARGE) {
      s.named = true;
      print(
          "blob %s: %s to copy",
          Units.shortDigest(flow.blob().digest()), Units.bytes(flow.blob().size()));
    }
  }

  @Override
  public void tick(Snapshot now) {
    for (Flow flow : now.flows()) {
      Shown s = shown.get(flow);
      if (s == null || now.now() < s.nextAt) {
        continue;
      }
      long done = flow.done();
      long size = flow.blob().size();
      print(
          "blob %s: %d%% (%s of %s), %s",
          Units.shortDigest(flow.blob().digest()),
          Units.percent(done, size),
          Units.bytes(done),
          Units.bytes(size),
          Units.rate(s.meter.rate(now.now(), done)));
      s.named = true;
      s.nextAt = now.now() + INTERVAL;
    }
  }

  @Override
  public void finished(Flow flow, Moved how, Snapshot now) {
    Shown s = shown.remove(flow);
    if (s != null && s.named) {
      long took = Math.max(0, now.now() - flow.startedAt());
      print(
          "blob %s: copied %s in %s (%s)",
          Units.shortDigest(flow.blob().digest()),
          Units.bytes(flow.blob().size()),
          Units.duration(took),
          Units.rate(took == 0 ? 0 : flow.blob().size() * 1000.0 / took));
    }
  }

  @Override
  public long tickMillis() {
    return 1000;
  }

  private void print(String format, Object... args) {
    out.println(String.format(Locale.ROOT, format, args));
    out.flush();
  }
}
