package dev.gantry.copy;

import dev.gantry.image.Digest;
import java.util.Optional;

/**
 * What a copy did: the digest (the same at both ends) and how each blob got there; {@code previous} is what the
 * destination reference held before (empty when it did not exist), for the ledger.
 */
public record CopyReport(String source, String destination, Digest digest, String mediaType,
    Outcome outcome, int manifests, int blobsCopied, int blobsMounted, int blobsPresent, long bytesCopied,
    Optional<Digest> previous) {
  public enum Outcome { COPIED, UNCHANGED, WOULD_COPY }
}
