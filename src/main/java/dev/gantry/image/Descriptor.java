package dev.gantry.image;

/**
 * A content descriptor inside a manifest: what a child manifest or blob is, its digest and its
 * size.
 */
public record Descriptor(String mediaType, Digest digest, long size) {
  /** Foreign (non-distributable) layers live elsewhere; registries neither hold nor accept them. */
  public boolean isForeign() {
    return mediaType != null
        && (mediaType.contains("foreign") || mediaType.contains("nondistributable"));
  }
}
