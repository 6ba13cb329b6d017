package dev.gantry.progress;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * For a terminal: a line per blob streaming and an overall line, redrawn in place five times a
 * second (cursor up, erase line, draw), erased at the end so only the report and the summary
 * remain.
 */
final class TtyRenderer implements Renderer {
  static final long REDRAW = 200;
  static final int MAX_ROWS = 8;
  private static final String ESC = "\u001b[";
  private static final long WINDOW = 2000;

  private final PrintStream out;
  private final int width;
  private final IdentityHashMap<Flow, RateMeter> meters = new IdentityHashMap<>();
  private @Nullable RateMeter overall;
  private int drawn;

  TtyRenderer(PrintStream out, int width) {
    this.out = out;
    this.width = Math.max(20, width);
  }

  @Override
  public void started(Flow flow, Snapshot now) {
    meters.put(flow, new RateMeter(now.now(), 0, WINDOW));
  }

  @Override
  public void finished(Flow flow, Moved how, Snapshot now) {
    meters.remove(flow);
  }

  @Override
  public void tick(Snapshot now) {
    if (now.flows().isEmpty() && now.blobsPlanned() == 0) {
      return;
    }
    redraw(lines(now));
  }

  @Override
  public void close(Snapshot now) {
    if (drawn > 0) {
      out.print("\r" + ESC + drawn + "A" + ESC + "J");
      out.flush();
      drawn = 0;
    }
  }

  @Override
  public long tickMillis() {
    return REDRAW;
  }

  List<String> lines(Snapshot now) {
    List<String> lines = new ArrayList<>();
    for (Flow flow : now.flows()) {
      if (lines.size() == MAX_ROWS) {
        lines.add(String.format(Locale.ROOT, "  ... and %d more", now.flows().size() - MAX_ROWS));
        break;
      }
      long done = flow.done();
      long size = flow.blob().size();
      RateMeter meter = meters.computeIfAbsent(flow, f -> new RateMeter(f.startedAt(), 0, WINDOW));
      double rate = meter.rate(now.now(), done);
      lines.add(
          String.format(
              Locale.ROOT,
              "  %s  %s / %s  %s  ETA %s",
              Units.shortDigest(flow.blob().digest()),
              Units.bytes(done),
              Units.bytes(size),
              Units.rate(rate),
              Units.eta(size - done, rate)));
    }
    if (overall == null) {
      overall = new RateMeter(now.now(), now.streamed(), WINDOW);
    }
    double rate = overall.rate(now.now(), now.streamed());
    lines.add(
        String.format(
            Locale.ROOT,
            "total  %d/%d blobs  %s / %s  %s  ETA %s",
            now.blobsDone(),
            now.blobsPlanned(),
            Units.bytes(now.bytesDone()),
            Units.bytes(now.bytesPlanned()),
            Units.rate(rate),
            Units.eta(now.bytesPlanned() - now.bytesDone(), rate)));
    return lines;
  }

  private void redraw(List<String> lines) {
    StringBuilder b = new StringBuilder();
    if (drawn > 0) {
      b.append('\r').append(ESC).append(drawn).append('A');
    }
    for (String line : lines) {
      b.append('\r')
          .append(ESC)
          .append("2K")
          .append(line.length() < width ? line : line.substring(0, width - 1))
          .append('\n');
    }
    if (lines.size() < drawn) {
      b.append(ESC).append('J');
    }
    out.print(b);
    out.flush();
    drawn = lines.size();
  }
}
