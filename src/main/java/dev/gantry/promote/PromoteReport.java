package dev.gantry.promote;

import dev.gantry.GantryException;
import dev.gantry.registry.Digest;
import java.util.List;

/** What happened, per image and tag: the text and JSON outputs are both written from this. */
public record PromoteReport(PromotePlan plan, List<TagResult> results, boolean dryRun) {
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
    /** Written, then restored to its previous digest because another write failed. */
    ROLLED_BACK,
    /** Written and did not exist before: left in place, since deleting a manifest would delete the source. */
    LEFT_NEW,
    /** Written, and restoring its previous digest failed: needs attention. */
    ROLLBACK_FAILED
  }

  /** One target's result; {@code errorKind} says why a write failed (null unless FAILED or ROLLBACK_FAILED). */
  public record TagResult(PromoteRequest.Image image, String tag, Digest source, Digest previous, Outcome outcome,
      String error, GantryException.Kind errorKind) {}

  public PromoteReport {
    results = List.copyOf(results);
  }

  public boolean failed() {
    return results.stream().anyMatch(r -> r.outcome() == Outcome.FAILED);
  }

  public boolean rollbackIncomplete() {
    return results.stream().anyMatch(r -> r.outcome() == Outcome.ROLLBACK_FAILED);
  }

  /** The first write failure, for the one-line error. */
  public TagResult firstFailure() {
    return results.stream().filter(r -> r.outcome() == Outcome.FAILED).findFirst().orElse(null);
  }

  /** Whether any target was actually changed before the failure (and so had to be restored or left). */
  public boolean movedAny() {
    return results.stream().anyMatch(r -> r.outcome() == Outcome.ROLLED_BACK || r.outcome() == Outcome.LEFT_NEW
        || r.outcome() == Outcome.ROLLBACK_FAILED);
  }
}
