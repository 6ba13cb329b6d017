package dev.gantry.promote;

import dev.gantry.GantryException;
import dev.gantry.Jobs;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.promote.PromotePlan.ImagePlan;
import dev.gantry.promote.PromotePlan.TagStep;
import dev.gantry.promote.PromoteReport.Outcome;
import dev.gantry.promote.PromoteReport.TagResult;
import dev.gantry.registry.RegistryException;
import dev.gantry.store.ImageStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Applies a plan: PUTs the source bytes to every target that needs it, at most {@code jobs} at
 * once. When a write fails (or a stop is asked for) no new write starts, and every target already
 * moved is put back: if it still holds the digest Gantry wrote, its previous manifest is read by
 * digest (a tag move leaves it in the registry) and PUT under the tag again; if someone else moved
 * it meanwhile, it is left to them.
 */
public final class PlanExecutor {
  private PlanExecutor() {}

  /** One target of the plan, numbered in plan order: the order the report lists the targets in. */
  private record Target(int order, ImagePlan image, TagStep step, ImageStore repo) {}

  /**
   * A target that moved (or may have) and must be put back, with its own write's error if that
   * write was ambiguous.
   */
  private record PutBack(Target target, Optional<RuntimeException> ownFailure) {}

  /**
   * What a rollback of one target found: put back (or never moved), or moved by someone else (to
   * {@code now}).
   */
  private record Restore(boolean restored, Optional<Digest> now) {}

  /** A target's final result. */
  private record Settled(Target target, TagResult result) {}

  /**
   * Thrown instead of starting a write once a stop was asked for: the write is reported not
   * attempted.
   */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }

  /**
   * @param beforeFirstWrite told the plan before anything is written (only if something will be),
   *     so it can be printed with every previous digest: the record a person needs to undo a run
   *     that is killed outright
   */
  public static PromoteReport apply(
      PromotePlan plan,
      Function<PromoteRequest.Image, ImageStore> open,
      int jobs,
      StopSignal stop,
      Consumer<PromotePlan> beforeFirstWrite) {
    List<Target> targets = new ArrayList<>();
    for (ImagePlan image : plan.images()) {
      ImageStore repo = open.apply(image.image());
      for (TagStep step : image.steps()) {
        targets.add(new Target(targets.size(), image, step, repo));
      }
    }
    // Loops, not streams, in this class and in Preflight: every lambda is a call site linked on
    // first use, about half a millisecond of a run that starts a JVM per promote.
    List<Target> writes = new ArrayList<>();
    List<Settled> settled = new ArrayList<>();
    for (Target t : targets) {
      if (t.step().write()) {
        writes.add(t);
      } else {
        settled.add(settled(t, Outcome.UNCHANGED, null));
      }
    }
    if (!writes.isEmpty()) {
      beforeFirstWrite.accept(plan);
    }
    List<Jobs.Outcome<Target, Boolean>> attempts =
        Jobs.run(
            writes,
            jobs,
            true,
            // A class, not a lambda: each lambda links a call site on first use, start-up work
            // for a run that starts a JVM.
            new Function<>() {
              @Override
              public Boolean apply(Target t) {
                if (stop.requested()) {
                  throw new Stopped();
                }
                t.repo().putManifest(Ref.tag(t.step().tag()), t.image().source());
                return true;
              }
            });
    boolean anyFailed = false;
    // Stopped only if the stop kept a write from starting; one that came after the last write
    // changes nothing.
    boolean stopped = false;
    for (Jobs.Outcome<Target, Boolean> a : attempts) {
      anyFailed |= a.failure() != null;
      stopped |= a.failure() instanceof Stopped;
    }
    @Nullable String stoppedBy = stopped ? stop.reason() : null;

    List<PutBack> putBack = new ArrayList<>();
    for (Jobs.Outcome<Target, Boolean> a : attempts) {
      Target t = a.item();
      RuntimeException failure = a.failure();
      if (!a.started() || failure instanceof Stopped) {
        settled.add(settled(t, Outcome.NOT_ATTEMPTED, null));
      } else if (failure != null && !isAmbiguous(failure)) {
        settled.add(settled(t, Outcome.FAILED, failure));
      } else if (failure == null && !anyFailed) {
        settled.add(settled(t, Outcome.PROMOTED, null));
      } else if (t.step().previous() == null) {
        // Written (or, for an ambiguous failure, maybe written) and new: left, since deleting would
        // delete the source.
        settled.add(settled(t, Outcome.LEFT_NEW, failure));
      } else {
        putBack.add(new PutBack(t, Optional.ofNullable(failure)));
      }
    }
    // Nothing to put back (a run that succeeded): the lambda is not even linked.
    List<Jobs.Outcome<PutBack, Restore>> restored =
        putBack.isEmpty() ? List.of() : Jobs.run(putBack, jobs, false, p -> restore(p.target()));
    for (Jobs.Outcome<PutBack, Restore> r : restored) {
      Target t = r.item().target();
      RuntimeException own = r.item().ownFailure().orElse(null);
      Restore done = r.value();
      if (!r.ok() || done == null) {
        settled.add(settled(t, Outcome.ROLLBACK_FAILED, r.failure()));
      } else if (!done.restored()) {
        String why =
            "moved by someone else ("
                + done.now().map(d -> "digest " + d).orElse("tag deleted")
                + ")";
        settled.add(
            new Settled(
                t,
                result(
                    t.image(),
                    t.step(),
                    Outcome.SKIPPED,
                    own == null ? why : own.getMessage() + "; " + why,
                    own)));
      } else {
        // An ambiguous write keeps its own error: it is the failure this rollback answers.
        settled.add(settled(t, Outcome.ROLLED_BACK, own));
      }
    }
    // In plan order: every target settled exactly once.
    TagResult[] inOrder = new TagResult[targets.size()];
    for (Settled s : settled) {
      inOrder[s.target().order()] = s.result();
    }
    return new PromoteReport(plan, List.of(inOrder), false, stoppedBy);
  }

  /** The dry-run report: what would be written, with nothing written. */
  public static PromoteReport dryRun(PromotePlan plan) {
    List<TagResult> results = new ArrayList<>();
    for (ImagePlan image : plan.images()) {
      for (TagStep step : image.steps()) {
        results.add(
            result(image, step, step.write() ? Outcome.WOULD_PROMOTE : Outcome.UNCHANGED, null));
      }
    }
    return new PromoteReport(plan, results, true, null);
  }

  /** No HTTP answer, or an answer with the wrong digest: the write may or may not have landed. */
  private static boolean isAmbiguous(RuntimeException failure) {
    return failure instanceof RegistryException r && r.withoutAnswer();
  }

  /**
   * Puts a target back on its previous digest, unless it no longer holds the digest Gantry wrote:
   * then another writer moved it after us, and restoring would undo their write. At the previous
   * digest already (an ambiguous write that did not land), there is nothing to do.
   */
  private static Restore restore(Target t) {
    Optional<Digest> now = t.repo().headManifest(Ref.tag(t.step().tag()));
    if (now.isPresent() && now.get().equals(t.step().previous())) {
      return new Restore(true, now);
    }
    if (now.isEmpty() || !now.get().equals(t.image().source().digest())) {
      return new Restore(false, now);
    }
    // Only a target that had a previous digest is restored (a new one is left): see apply.
    Digest was = Objects.requireNonNull(t.step().previous(), "restore of a new tag");
    Manifest previous = t.repo().getManifest(Ref.of(was));
    t.repo().putManifest(Ref.tag(t.step().tag()), previous);
    return new Restore(true, now);
  }

  private static Settled settled(Target t, Outcome outcome, @Nullable RuntimeException failure) {
    return new Settled(t, result(t.image(), t.step(), outcome, failure));
  }

  private static TagResult result(
      ImagePlan image, TagStep step, Outcome outcome, @Nullable RuntimeException failure) {
    return result(image, step, outcome, failure == null ? null : failure.getMessage(), failure);
  }

  private static TagResult result(
      ImagePlan image,
      TagStep step,
      Outcome outcome,
      @Nullable String error,
      @Nullable RuntimeException failure) {
    GantryException.@Nullable Kind kind =
        failure == null
            ? null
            : failure instanceof GantryException g ? g.kind() : GantryException.Kind.FAILED;
    return new TagResult(
        image.image(), step.tag(), image.source().digest(), step.previous(), outcome, error, kind);
  }
}
