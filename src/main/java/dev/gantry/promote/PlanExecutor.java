package dev.gantry.promote;

import dev.gantry.GantryException;
import dev.gantry.Jobs;
import dev.gantry.promote.PromotePlan.ImagePlan;
import dev.gantry.promote.PromotePlan.TagStep;
import dev.gantry.promote.PromoteReport.Outcome;
import dev.gantry.promote.PromoteReport.TagResult;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.registry.RegistryException;
import dev.gantry.store.ImageStore;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Applies a plan: PUTs the source bytes to every target that needs it, at most {@code jobs} at once. When a
 * write fails (or a stop is asked for) no new write starts, and every target already moved is put back: if it
 * still holds the digest Gantry wrote, its previous manifest is read by digest (a tag move leaves it in the
 * registry) and PUT under the tag again; if someone else moved it meanwhile, it is left to them.
 */
public final class PlanExecutor {
  private PlanExecutor() {}

  private record Write(ImagePlan image, TagStep step, ImageStore repo) {}

  /** What a rollback of one target found: put back (or never moved), or moved by someone else (to {@code now}). */
  private record Restore(boolean restored, Optional<Digest> now) {}

  /** Thrown instead of starting a write once a stop was asked for: the write is reported not attempted. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }

  /**
   * @param beforeFirstWrite told the plan before anything is written (only if something will be), so it can be
   *     printed with every previous digest: the record a person needs to undo a run that is killed outright
   */
  public static PromoteReport apply(PromotePlan plan, Function<PromoteRequest.Image, ImageStore> open, int jobs,
      StopSignal stop, Consumer<PromotePlan> beforeFirstWrite) {
    List<Write> writes = new ArrayList<>();
    for (ImagePlan image : plan.images()) {
      ImageStore repo = open.apply(image.image());
      for (TagStep step : image.steps()) {
        if (step.write()) {
          writes.add(new Write(image, step, repo));
        }
      }
    }
    if (!writes.isEmpty()) {
      beforeFirstWrite.accept(plan);
    }
    List<Jobs.Outcome<Boolean>> outcomes = Jobs.run(writes, jobs, true, w -> {
      if (stop.requested()) {
        throw new Stopped();
      }
      w.repo().putManifest(w.step().tag(), w.image().source());
      return true;
    });
    boolean anyFailed = outcomes.stream().anyMatch(o -> o.failure() != null);
    // Stopped only if the stop kept a write from starting; one that came after the last write changes nothing.
    @Nullable String stoppedBy = outcomes.stream().anyMatch(o -> o.failure() instanceof Stopped) ? stop.reason() : null;

    List<TagResult> results = new ArrayList<>();
    List<Write> toRestore = new ArrayList<>();
    IdentityHashMap<Write, RuntimeException> ambiguous = new IdentityHashMap<>();
    int w = 0;
    for (ImagePlan image : plan.images()) {
      for (TagStep step : image.steps()) {
        if (!step.write()) {
          results.add(result(image, step, Outcome.UNCHANGED, null));
          continue;
        }
        Jobs.Outcome<Boolean> o = outcomes.get(w);
        Write write = writes.get(w++);
        RuntimeException failure = o.failure();
        if (!o.started() || failure instanceof Stopped) {
          results.add(result(image, step, Outcome.NOT_ATTEMPTED, null));
        } else if (failure != null && !isAmbiguous(failure)) {
          results.add(result(image, step, Outcome.FAILED, failure));
        } else if (failure == null && !anyFailed) {
          results.add(result(image, step, Outcome.PROMOTED, null));
        } else if (step.previous() == null) {
          // Written (or, for an ambiguous failure, maybe written) and new: left, since deleting would delete the source.
          results.add(result(image, step, Outcome.LEFT_NEW, failure));
        } else {
          results.add(null); // filled in by the rollback below
          toRestore.add(write);
          if (failure != null) {
            ambiguous.put(write, failure);
          }
        }
      }
    }
    if (!toRestore.isEmpty()) {
      List<Jobs.Outcome<Restore>> restored = Jobs.run(toRestore, jobs, false, PlanExecutor::restore);
      int r = 0;
      for (int i = 0; i < results.size(); i++) {
        if (results.get(i) == null) {
          Write write = toRestore.get(r);
          Jobs.Outcome<Restore> o = restored.get(r++);
          RuntimeException own = ambiguous.get(write);
          Restore done = o.value();
          if (!o.ok() || done == null) {
            results.set(i, result(write.image(), write.step(), Outcome.ROLLBACK_FAILED, o.failure()));
          } else if (!done.restored()) {
            String why = "moved by someone else (" + done.now().map(d -> "digest " + d).orElse("tag deleted") + ")";
            results.set(i, result(write.image(), write.step(), Outcome.SKIPPED,
                own == null ? why : own.getMessage() + "; " + why, own));
          } else {
            // An ambiguous write keeps its own error: it is the failure this rollback answers.
            results.set(i, result(write.image(), write.step(), Outcome.ROLLED_BACK, own));
          }
        }
      }
    }
    return new PromoteReport(plan, results, false, stoppedBy);
  }

  /** The dry-run report: what would be written, with nothing written. */
  public static PromoteReport dryRun(PromotePlan plan) {
    List<TagResult> results = new ArrayList<>();
    for (ImagePlan image : plan.images()) {
      for (TagStep step : image.steps()) {
        results.add(result(image, step, step.write() ? Outcome.WOULD_PROMOTE : Outcome.UNCHANGED, null));
      }
    }
    return new PromoteReport(plan, results, true, null);
  }

  /** No HTTP answer, or an answer with the wrong digest: the write may or may not have landed. */
  private static boolean isAmbiguous(RuntimeException failure) {
    return failure instanceof RegistryException r && r.status() == 0;
  }

  /**
   * Puts a target back on its previous digest, unless it no longer holds the digest Gantry wrote: then another
   * writer moved it after us, and restoring would undo their write. At the previous digest already (an ambiguous
   * write that did not land), there is nothing to do.
   */
  private static Restore restore(Write w) {
    Optional<Digest> now = w.repo().headManifest(w.step().tag());
    if (now.isPresent() && now.get().equals(w.step().previous())) {
      return new Restore(true, now);
    }
    if (now.isEmpty() || !now.get().equals(w.image().source().digest())) {
      return new Restore(false, now);
    }
    // Only a target that had a previous digest is restored (a new one is left): see apply.
    Digest was = Objects.requireNonNull(w.step().previous(), "restore of a new tag");
    Manifest previous = w.repo().getManifest(was.toString());
    w.repo().putManifest(w.step().tag(), previous);
    return new Restore(true, now);
  }

  private static TagResult result(ImagePlan image, TagStep step, Outcome outcome, @Nullable RuntimeException failure) {
    return result(image, step, outcome, failure == null ? null : failure.getMessage(), failure);
  }

  private static TagResult result(ImagePlan image, TagStep step, Outcome outcome, @Nullable String error,
      @Nullable RuntimeException failure) {
    GantryException.@Nullable Kind kind = failure == null ? null
        : failure instanceof GantryException g ? g.kind() : GantryException.Kind.FAILED;
    return new TagResult(image.image(), step.tag(), image.source().digest(), step.previous(), outcome, error, kind);
  }
}
