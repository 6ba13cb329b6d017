package dev.gantry.copy;

import dev.gantry.GantryException;
import dev.gantry.referrers.Attachment;
import java.util.Optional;

/**
 * What a copy did with one attachment; {@code error} says why it failed (or why restoring it
 * failed).
 */
public record ReferrerResult(
    Attachment attachment,
    Outcome outcome,
    Optional<String> error,
    Optional<GantryException.Kind> errorKind) {
  public enum Outcome {
    /** Now at the destination. */
    COPIED,
    /**
     * Already at the destination (listed for its subject, or the cosign tag at the same digest).
     */
    UNCHANGED,
    /** Dry run: would be copied. */
    WOULD_COPY,
    /** Copying it failed (after retries); the destination tag was not moved. */
    FAILED,
    /** Not attempted because another attachment failed first. */
    NOT_ATTEMPTED,
    /** A cosign tag written before the failure, put back on the digest it had. */
    ROLLED_BACK,
    /** A cosign tag written before the failure whose restore failed: needs attention. */
    ROLLBACK_FAILED
  }

  static ReferrerResult of(Attachment a, Outcome outcome) {
    return new ReferrerResult(a, outcome, Optional.empty(), Optional.empty());
  }

  static ReferrerResult failed(Attachment a, Outcome outcome, RuntimeException e) {
    GantryException.Kind kind =
        e instanceof GantryException g ? g.kind() : GantryException.Kind.FAILED;
    return new ReferrerResult(a, outcome, Optional.ofNullable(e.getMessage()), Optional.of(kind));
  }
}
