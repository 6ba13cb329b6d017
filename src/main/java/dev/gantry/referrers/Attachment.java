package dev.gantry.referrers;

import dev.gantry.image.CosignTags;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.Referrer;
import java.util.Optional;

/**
 * One thing attached to a subject (the image, a platform manifest, or another attachment): an OCI
 * referrer (from the referrers API, the fallback tag or a layout's index), or a manifest under one
 * of cosign's tags, then with {@code cosignTag} set, its manifest as read, and an artifactType from
 * {@link CosignTags#artifactType}. {@code depth} is 1 for what refers to an image, 2 for what
 * refers to that, and so on.
 */
public record Attachment(
    Digest subject,
    Referrer referrer,
    Optional<String> cosignTag,
    Optional<Manifest> manifest,
    int depth) {
  public static Attachment oci(Digest subject, Referrer referrer, int depth) {
    return new Attachment(subject, referrer, Optional.empty(), Optional.empty(), depth);
  }

  public Digest digest() {
    return referrer.digest();
  }

  public String artifactType() {
    return referrer.artifactType();
  }

  public boolean isCosignTag() {
    return cosignTag.isPresent();
  }
}
