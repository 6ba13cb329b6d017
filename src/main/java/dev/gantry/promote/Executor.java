package dev.gantry.promote;

import dev.gantry.GantryException;
import dev.gantry.Jobs;
import dev.gantry.promote.PromotePlan.ImagePlan;
import dev.gantry.promote.PromotePlan.TagStep;
import dev.gantry.promote.PromoteReport.Outcome;
import dev.gantry.promote.PromoteReport.TagResult;
import dev.gantry.registry.Manifest;
import dev.gantry.registry.RegistryException;
import dev.gantry.store.ImageStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Applies a plan: PUTs the source bytes to every target that needs it, at most {@code jobs} at once. When a
 * write fails no new write starts, and every target already moved is put back: its previous manifest is read
 * by digest (a tag move leaves it in the registry) and PUT under the tag again.
 */
public final class Executor {
  private Executor() {}

  private record Write(ImagePlan image, TagStep step, ImageStore repo) {}

  public static PromoteReport apply(PromotePlan plan, Function<PromoteRequest.Image, ImageStore> open, int jobs) {
    List<Write> writes = new ArrayList<>();
    for (ImagePlan image : plan.images()) {
      ImageStore repo = open.apply(image.image());
      for (TagStep step : image.steps()) {
        if (step.write()) {
          writes.add(new Write(image, step, repo));
        }
      }
    }
    List<Jobs.Outcome<Boolean>> outcomes = Jobs.run(writes, jobs, true, w -> {
      w.repo().putManifest(w.step().tag(), w.image().source());
      return true;
    });
    boolean anyFailed = outcomes.stream().anyMatch(o -> o.failure() != null);

    List<TagResult> results = new ArrayList<>();
    List<Write> toRestore = new ArrayList<>();
    java.util.Map<Write, RuntimeException> failedRestores = new java.util.IdentityHashMap<>();
    int w = 0;
    for (ImagePlan image : plan.images()) {
      for (TagStep step : image.steps()) {
        if (!step.write()) {
          results.add(result(image, step, Outcome.UNCHANGED, null));
          continue;
        }
        Jobs.Outcome<Boolean> o = outcomes.get(w);
        Write write = writes.get(w++);
        if (!o.started()) {
          results.add(result(image, step, Outcome.NOT_ATTEMPTED, null));
        } else if (o.failure() != null && isAmbiguous(o.failure()) && step.previous() != null) {
          // The registry may have applied this write before it failed: restore it like the others.
          results.add(null);
          toRestore.add(write);
          failedRestores.put(write, o.failure());
        } else if (o.failure() != null) {
          results.add(result(image, step, Outcome.FAILED, o.failure()));
        } else if (!anyFailed) {
          results.add(result(image, step, Outcome.PROMOTED, null));
        } else if (step.previous() == null) {
          results.add(result(image, step, Outcome.LEFT_NEW, null));
        } else {
          results.add(null); // filled in by the rollback below
          toRestore.add(write);
        }
      }
    }
    if (!toRestore.isEmpty()) {
      List<Jobs.Outcome<Boolean>> restored = Jobs.run(toRestore, jobs, false, Executor::restore);
      int r = 0;
      for (int i = 0; i < results.size(); i++) {
        if (results.get(i) == null) {
          Write write = toRestore.get(r);
          Jobs.Outcome<Boolean> o = restored.get(r++);
          RuntimeException ownFailure = failedRestores.get(write);
          if (!o.ok()) {
            results.set(i, result(write.image(), write.step(), Outcome.ROLLBACK_FAILED, o.failure()));
          } else if (ownFailure != null) {
            results.set(i, result(write.image(), write.step(), Outcome.FAILED, ownFailure));
          } else {
            results.set(i, result(write.image(), write.step(), Outcome.ROLLED_BACK, null));
          }
        }
      }
    }
    return new PromoteReport(plan, results, false);
  }

  /** The dry-run report: what would be written, with nothing written. */
  public static PromoteReport dryRun(PromotePlan plan) {
    List<TagResult> results = new ArrayList<>();
    for (ImagePlan image : plan.images()) {
      for (TagStep step : image.steps()) {
        results.add(result(image, step, step.write() ? Outcome.WOULD_PROMOTE : Outcome.UNCHANGED, null));
      }
    }
    return new PromoteReport(plan, results, true);
  }

  /** No HTTP answer, or an answer with the wrong digest: the write may or may not have landed. */
  private static boolean isAmbiguous(RuntimeException failure) {
    return failure instanceof RegistryException r && r.status() == 0;
  }

  private static boolean restore(Write w) {
    Manifest previous = w.repo().getManifest(w.step().previous().toString());
    w.repo().putManifest(w.step().tag(), previous);
    return true;
  }

  private static TagResult result(ImagePlan image, TagStep step, Outcome outcome, RuntimeException failure) {
    String error = failure == null ? null : failure.getMessage();
    GantryException.Kind kind = failure == null ? null
        : failure instanceof GantryException g ? g.kind() : GantryException.Kind.FAILED;
    return new TagResult(image.image(), step.tag(), image.source().digest(), step.previous(), outcome, error, kind);
  }
}
