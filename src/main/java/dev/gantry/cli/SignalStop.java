package dev.gantry.cli;

import dev.gantry.promote.StopSignal;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT during a promote. While writes may be in progress ({@link #arm}), the first
 * signal asks the executor to stop: no new write starts, writes in flight finish, and what moved is
 * rolled back before the process exits with the rollback's exit code. A second signal then, or any
 * signal outside that window (nothing written yet, or all done), ends the process at once with 128
 * + the signal number, as it would without Gantry. SIGKILL cannot be caught: the plan printed
 * before the first write is what lets a person undo such a run.
 */
final class SignalStop implements AutoCloseable, SignalHandler {
  private static final List<String> SIGNALS = List.of("TERM", "INT");

  private final StopSignal stop;
  private final PrintStream stderr;
  private final List<Signal> installed = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();
  private volatile boolean armed;

  private SignalStop(StopSignal stop, PrintStream stderr) {
    this.stop = stop;
    this.stderr = stderr;
  }

  static SignalStop install(StopSignal stop, PrintStream stderr) {
    SignalStop s = new SignalStop(stop, stderr);
    for (String name : SIGNALS) {
      try {
        Signal signal = new Signal(name);
        s.previous.add(
            Signal.handle(signal, s)); // itself, not a method reference: no call site to link
        s.installed.add(signal);
      } catch (IllegalArgumentException unsupported) {
        // not on this platform (or the JVM reserves it): the default behaviour stays
      }
    }
    return s;
  }

  /**
   * From just before the first write until the rollback is done: signals stop the run instead of
   * ending it.
   */
  void arm() {
    armed = true;
  }

  void disarm() {
    armed = false;
  }

  @Override
  public void handle(Signal signal) {
    String name = "SIG" + signal.getName();
    if (armed && !stop.requested()) {
      stop.request(name);
      stderr.println(
          "gantry: "
              + name
              + " received: no new write starts; rolling back what moved (a second signal ends at once)");
      stderr.flush();
      return;
    }
    stderr.flush();
    System.exit(128 + signal.getNumber());
  }

  @Override
  public void close() {
    for (int i = 0; i < installed.size(); i++) {
      Signal.handle(installed.get(i), previous.get(i));
    }
  }
}
