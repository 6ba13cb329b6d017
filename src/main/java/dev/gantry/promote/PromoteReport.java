package dev.gantry.promote;

import dev.gantry.GantryException;
import dev.gantry.image.Digest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What happened, per image and tag: the text and JSON outputs are both written from this. {@code
 * stoppedBy} names the signal that stopped the run ("SIGTERM"), or is null.
 */
public record PromoteReport(
    PromotePlan plan, List<TagResult> results, boolean dryRun, @Nullable String stoppedBy) {
  public enum Outcome {
    /** The tag now points at the source digest. */
    PROMOTED,
    /** The tag already pointed at the source digest; nothing was written. */
    UNCHANGED,
    /** Dry run: the tag would be written. */
    WOULD_PROMOTE,
    /** Writing this tag failed (after retries). */
    FAILED,
    /** Not attempted because another write failed first. */
    NOT_ATTEMPTED,
    /**
     * Written (or maybe written: an ambiguous write, which carries its error), then restored to its
     * previous digest.
     */
    ROLLED_BACK,
    /**
     * Written (or maybe written) and did not exist before: left in place, since deleting it would
     * delete the source.
     */
    LEFT_NEW,
    /** Written, and restoring its previous digest failed: needs attention. */
    ROLLBACK_FAILED,
    /**
     * Written, then moved by someone else before the rollback: left as they set it, not restored.
     */
    SKIPPED
  }

  /**
   * One target's result; {@code error} says why its write failed (FAILED, or an ambiguous write
   * that is ROLLED_BACK, LEFT_NEW or SKIPPED), why its restore failed (ROLLBACK_FAILED) or who
   * moved it (SKIPPED); {@code errorKind} is the failure's kind (null without one).
   */
  public record TagResult(
      PromoteRequest.Image image,
      String tag,
      Digest source,
      @Nullable Digest previous,
      Outcome outcome,
      @Nullable String error,
      GantryException.@Nullable Kind errorKind) {}

  public PromoteReport {
    results = List.copyOf(results);
  }

  public PromoteReport(PromotePlan plan, List<TagResult> results, boolean dryRun) {
    this(plan, results, dryRun, null);
  }

  /**
   * Whether the run did not complete: a write failed (or may have failed), or a stop was asked for.
   */
  public boolean failed() {
    return firstFailure() != null || stoppedBy != null;
  }

  /**
   * At least one target was not put back: restoring it failed, or someone else moved it meanwhile.
   */
  public boolean rollbackIncomplete() {
    for (TagResult r : results) {
      if (r.outcome() == Outcome.ROLLBACK_FAILED || r.outcome() == Outcome.SKIPPED) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first write failure (a clear one first, else an ambiguous one), for the one-line error;
   * null if none.
   */
  public @Nullable TagResult firstFailure() {
    // Loops, not streams, here and below: every lambda is a call site linked on first use, and
    // every promote asks these.
    TagResult ambiguous = null;
    TagResult anyError = null;
    for (TagResult r : results) {
      if (r.outcome() == Outcome.FAILED) {
        return r;
      }
      if (r.error() != null) {
        if (ambiguous == null
            && r.errorKind() != null
            && r.outcome() != Outcome.ROLLBACK_FAILED
            && r.outcome() != Outcome.SKIPPED) {
          ambiguous = r;
        }
        if (anyError == null) {
          anyError = r;
        }
      }
    }
    return ambiguous != null ? ambiguous : anyError;
  }

  /**
   * Whether any target was (or may have been) changed before the failure, and so had to be restored
   * or left.
   */
  public boolean movedAny() {
    for (TagResult r : results) {
      if (r.outcome() == Outcome.ROLLED_BACK
          || r.outcome() == Outcome.LEFT_NEW
          || r.outcome() == Outcome.ROLLBACK_FAILED
          || r.outcome() == Outcome.SKIPPED) {
        return true;
      }
    }
    return false;
  }
}
