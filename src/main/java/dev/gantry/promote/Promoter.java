package dev.gantry.promote;

import dev.gantry.Jobs;
import dev.gantry.store.ImageStore;
import dev.gantry.trust.TrustGate;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** Promote in one call: preflight, plan, then apply (or only report, for a dry run). */
public final class Promoter {
  private Promoter() {}

  /**
   * @param open opens the store an image lives in (asking for write access unless this is a dry
   *     run)
   */
  public static PromoteReport promote(
      PromoteRequest request,
      Function<PromoteRequest.Image, ImageStore> open,
      boolean dryRun,
      int jobs) {
    return promote(request, open, dryRun, jobs, StopSignal.never(), plan -> {});
  }

  /**
   * @param stop once set, no new write starts and what moved is rolled back
   * @param beforeFirstWrite told the plan just before the first write (not called when nothing is
   *     to be written)
   */
  public static PromoteReport promote(
      PromoteRequest request,
      Function<PromoteRequest.Image, ImageStore> open,
      boolean dryRun,
      int jobs,
      StopSignal stop,
      Consumer<PromotePlan> beforeFirstWrite) {
    return promote(request, open, dryRun, jobs, stop, beforeFirstWrite, TrustGate.none());
  }

  /**
   * @param trust checked on every image's source manifest after it is read, before anything is
   *     planned or written
   */
  public static PromoteReport promote(
      PromoteRequest request,
      Function<PromoteRequest.Image, ImageStore> open,
      boolean dryRun,
      int jobs,
      StopSignal stop,
      Consumer<PromotePlan> beforeFirstWrite,
      TrustGate trust) {
    Function<PromoteRequest.Image, ImageStore> cached = new OpenOnce(open);
    int parallel = layoutsOnly(request) ? 1 : jobs;
    List<Preflight.ImageState> states = Preflight.read(request, cached, parallel);
    if (!trust.isEmpty()) {
      Jobs.valuesOrThrow(
          Jobs.run(
              states,
              parallel,
              true,
              s -> {
                trust.check(cached.apply(s.image()), s.source());
                return s;
              }));
    }
    PromotePlan plan = Planner.plan(request, states);
    return dryRun
        ? PlanExecutor.dryRun(plan)
        : PlanExecutor.apply(plan, cached, parallel, stop, beforeFirstWrite);
  }

  /**
   * Layouts only: their reads and writes are a few small local files (and one layout's index is
   * read and written under a lock), so there is nothing to overlap; a thread pool would only cost
   * its start-up, a tenth of the run.
   */
  private static boolean layoutsOnly(PromoteRequest request) {
    for (PromoteRequest.Image image : request.images()) {
      if (!(image.location() instanceof Location.Layout)) {
        return false;
      }
    }
    return true;
  }
}
