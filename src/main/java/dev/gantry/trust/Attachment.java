package dev.gantry.trust;

import java.util.Map;

/**
 * One thing attached to a manifest, as far as a requirement looks at it: an OCI referrer (its
 * artifactType and annotations, as the referrers list gives them) or one of cosign's legacy tags
 * ({@code cosign} = sig, att or sbom).
 */
public sealed interface Attachment {
  /** {@code digest} is the referrer manifest's own digest ("" when unknown). */
  record Referrer(String artifactType, Map<String, String> annotations, String digest)
      implements Attachment {
    public Referrer {
      artifactType = artifactType == null ? "" : artifactType;
      annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
      digest = digest == null ? "" : digest;
    }
  }

  record CosignTag(String suffix) implements Attachment {}

  /** Whether this attachment is what {@code requirement} asks for. */
  default boolean satisfies(Requirement requirement) {
    if (requirement instanceof Requirement.ArtifactType t) {
      return this instanceof Referrer r && r.artifactType().equalsIgnoreCase(t.mediaType());
    }
    if (requirement instanceof Requirement.PredicateType p) {
      return this instanceof Referrer r
          && p.url().equals(r.annotations().get(Requirement.PredicateType.ANNOTATION));
    }
    Requirement.CosignTag c = (Requirement.CosignTag) requirement;
    return this instanceof CosignTag t
        ? t.suffix().equals(c.suffix())
        : ((Referrer) this).artifactType().equalsIgnoreCase(c.artifactType());
  }
}
