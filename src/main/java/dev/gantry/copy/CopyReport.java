package dev.gantry.copy;

import dev.gantry.image.Digest;

/** What a copy did: the digest (the same at both ends) and how each blob got there. */
public record CopyReport(String source, String destination, Digest digest, String mediaType,
    Outcome outcome, int manifests, int blobsCopied, int blobsMounted, int blobsPresent, long bytesCopied) {
  public enum Outcome { COPIED, UNCHANGED, WOULD_COPY }
}
