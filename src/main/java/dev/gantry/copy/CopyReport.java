package dev.gantry.copy;

import dev.gantry.image.Digest;
import dev.gantry.image.Ref;
import java.util.List;
import java.util.Optional;

/**
 * What a copy did: the digest (the same at both ends), how each blob got there (the image's and its
 * attachments'), and one result per attachment carried. FAILED: an attachment could not be copied,
 * so the destination tag was not moved (see {@link #firstFailure}). {@code target}: the tag or
 * digest written at the destination. {@code previous}: what it held before (empty when it did not
 * exist), for the ledger.
 */
public record CopyReport(
    String source,
    String destination,
    Ref target,
    Digest digest,
    String mediaType,
    Outcome outcome,
    int manifests,
    int blobsCopied,
    int blobsMounted,
    int blobsPresent,
    long bytesCopied,
    List<ReferrerResult> referrers,
    Optional<Digest> previous) {
  public enum Outcome {
    COPIED,
    UNCHANGED,
    WOULD_COPY,
    FAILED
  }

  public CopyReport {
    referrers = List.copyOf(referrers);
  }

  public Optional<ReferrerResult> firstFailure() {
    return referrers.stream().filter(r -> r.outcome() == ReferrerResult.Outcome.FAILED).findFirst();
  }
}
