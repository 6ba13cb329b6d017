package dev.gantry.cli;

import dev.gantry.Json;
import dev.gantry.http.HttpClients;
import dev.gantry.image.Digest;
import java.util.List;
import java.util.Locale;

/**
 * One-time set-ups a command is about to need, done on daemon threads while the main thread still
 * reads the command line: Jackson's streaming parser, the JDK's SHA-256 (its provider list), and
 * OkHttp with its platform. Each is 15 to 40 ms of class loading and initialisation that the main
 * thread would otherwise do in line on first use; here it runs on another core. Only what the run
 * sets up anyway is warmed, and a warm-up's failure is dropped: the first real use reports it.
 */
final class Warmup {
  /** What to set up, in the order the command will need it. */
  enum Task {
    /** OkHttp, Kotlin and OkHttp's platform detection (which lists every JCA provider). */
    HTTP,
    /** Jackson's streaming parser and generator and the tree nodes. */
    JSON,
    /** The JCA provider list and SHA-256. */
    DIGEST
  }

  private Warmup() {}

  /**
   * Starts each task on its own background daemon thread and returns at once. One thread each, not
   * one for all: a layout promote's main thread reaches its first read before Jackson and SHA-256
   * are both set up one after the other, and waits (about 7 ms of a 140 ms run on a quiet 2-core
   * machine, measured with the two tasks on one thread and on two).
   */
  static void start(String name, List<Task> tasks) {
    for (Task task : tasks) {
      Thread t =
          new Thread(
              new Run(task), "gantry-warmup-" + name + "-" + task.name().toLowerCase(Locale.ROOT));
      t.setDaemon(true);
      t.start();
    }
  }

  /** A class, not a lambda: linking a lambda is itself start-up work on the calling thread. */
  private record Run(Task task) implements Runnable {
    @Override
    public void run() {
      try {
        switch (task) {
          case HTTP -> HttpClients.warmUp();
          case JSON -> Json.warmUp();
          case DIGEST -> Digest.warmUp();
        }
      } catch (RuntimeException | LinkageError e) {
        // dropped: the same set-up runs again where it is needed, and reports its failure there
      }
    }
  }
}
