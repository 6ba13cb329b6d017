package dev.gantry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Runs independent pieces of work on at most {@code jobs} threads and keeps every outcome, in input
 * order.
 */
public final class Jobs {
  /**
   * One item's outcome, carrying the item: a value, a failure, or (after another item failed) not
   * started.
   */
  public record Outcome<T, R>(
      T item, @Nullable R value, @Nullable RuntimeException failure, boolean started) {
    public boolean ok() {
      return started && failure == null;
    }
  }

  private Jobs() {}

  public static <T, R> List<Outcome<T, R>> run(
      List<T> items, int jobs, boolean stopOnFailure, Function<T, R> work) {
    if (items.isEmpty()) {
      return List.of();
    }
    if (items.size() == 1 || jobs <= 1) {
      return sequential(items, stopOnFailure, work);
    }
    AtomicBoolean failed = new AtomicBoolean();
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(jobs, items.size()), DaemonThreads.INSTANCE);
    try {
      List<Future<Outcome<T, R>>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(new Attempt<>(item, stopOnFailure, failed, work)));
      }
      List<Outcome<T, R>> outcomes = new ArrayList<>();
      for (Future<Outcome<T, R>> f : futures) {
        outcomes.add(f.get());
      }
      return outcomes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  // Classes, not lambdas: each lambda links a call site on first use, and a registry promote runs
  // its reads here on its way to the first request.

  /** The pool's threads: daemons named gantry-job. */
  private static final class DaemonThreads implements ThreadFactory {
    static final DaemonThreads INSTANCE = new DaemonThreads();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "gantry-job");
      t.setDaemon(true);
      return t;
    }
  }

  /** One item's {@link #attempt}, as the pool runs it. */
  private record Attempt<T, R>(
      T item, boolean stopOnFailure, AtomicBoolean failed, Function<T, R> work)
      implements Callable<Outcome<T, R>> {
    @Override
    public Outcome<T, R> call() {
      return attempt(item, stopOnFailure, failed, work);
    }
  }

  private static <T, R> List<Outcome<T, R>> sequential(
      List<T> items, boolean stopOnFailure, Function<T, R> work) {
    AtomicBoolean failed = new AtomicBoolean();
    List<Outcome<T, R>> outcomes = new ArrayList<>();
    for (T item : items) {
      outcomes.add(attempt(item, stopOnFailure, failed, work));
    }
    return outcomes;
  }

  private static <T, R> Outcome<T, R> attempt(
      T item, boolean stopOnFailure, AtomicBoolean failed, Function<T, R> work) {
    if (stopOnFailure && failed.get()) {
      return new Outcome<>(item, null, null, false);
    }
    try {
      return new Outcome<>(item, work.apply(item), null, true);
    } catch (RuntimeException e) {
      failed.set(true);
      return new Outcome<>(item, null, e, true);
    }
  }

  /** The values, or the first failure (in input order) thrown. */
  public static <T, R> List<R> valuesOrThrow(List<Outcome<T, R>> outcomes) {
    List<R> values = new ArrayList<>();
    for (Outcome<T, R> o : outcomes) {
      if (o.failure() != null) {
        throw o.failure();
      }
      values.add(o.value());
    }
    return values;
  }
}
