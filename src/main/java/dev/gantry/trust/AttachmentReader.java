package dev.gantry.trust;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.GantryException;
import dev.gantry.Json;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.store.ImageStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what is attached to one digest, only as far as the requirements need: the OCI referrers
 * (when an artifact or predicate type is required) and the cosign tags required. A bundle referrer
 * listed without its predicate annotation (some fallback-tag writers drop annotations) is read once
 * more, by digest, for its own annotations. Cosign's tags are looked up by name ({@code
 * sha256-<hex>.sig}), one GET per required tag.
 */
final class AttachmentReader {
  /** {@code application/vnd.dev.sigstore.bundle.v0.3+json}, and the other versions. */
  private static final String SIGSTORE_BUNDLE = "application/vnd.dev.sigstore.bundle";

  private AttachmentReader() {}

  static List<Attachment> read(ImageStore store, Digest digest, List<Requirement> requirements) {
    List<Attachment> found = new ArrayList<>();
    for (Requirement r : requirements) {
      if (r instanceof Requirement.CosignTag c
          && store.findManifest(Ref.tag(c.tagFor(digest))).isPresent()) {
        found.add(new Attachment.CosignTag(c.suffix()));
      }
    }
    // The referrers are read when a requirement is still unmet: it can only be met by one, or its
    // cosign tag is
    // missing (cosign's OCI 1.1 mode attaches the same thing as a referrer).
    if (requirements.stream().allMatch(r -> met(found, r))) {
      return found;
    }
    List<Attachment.Referrer> listed = referrers(store, digest);
    found.addAll(listed);
    // A bundle listed without its annotations (some fallback-tag writers drop them) is read for its
    // own, only while
    // a predicate type is still unmet.
    for (Attachment.Referrer r : listed) {
      boolean unmet =
          requirements.stream()
              .anyMatch(q -> q instanceof Requirement.PredicateType && !met(found, q));
      if (unmet
          && r.artifactType().startsWith(SIGSTORE_BUNDLE)
          && !r.annotations().containsKey(Requirement.PredicateType.ANNOTATION)) {
        found.add(withOwnAnnotations(store, r));
      }
    }
    return found;
  }

  private static boolean met(List<Attachment> found, Requirement r) {
    return found.stream().anyMatch(a -> a.satisfies(r));
  }

  /**
   * The OCI referrers of {@code digest}: the referrers API, the fallback tag or a layout's index,
   * as the store has them.
   */
  private static List<Attachment.Referrer> referrers(ImageStore store, Digest digest) {
    return store.referrers(digest, Optional.empty()).stream()
        .map(r -> new Attachment.Referrer(r.artifactType(), r.annotations(), r.digest().toString()))
        .toList();
  }

  private static Attachment.Referrer withOwnAnnotations(ImageStore store, Attachment.Referrer r) {
    if (r.digest().isEmpty()) {
      return r;
    }
    Optional<Manifest> own = store.findManifest(Ref.of(Digest.parse(r.digest())));
    if (own.isEmpty()) {
      return r;
    }
    Map<String, String> merged =
        new HashMap<>(annotations(tree(own.get(), store).path("annotations")));
    merged.putAll(r.annotations());
    return new Attachment.Referrer(r.artifactType(), merged, r.digest());
  }

  private static JsonNode tree(Manifest m, ImageStore store) {
    try {
      return Json.readTree(m.bytes());
    } catch (IOException e) {
      throw new GantryException(
          GantryException.Kind.FAILED,
          "read manifest " + store.name() + "@" + m.digest() + ": not valid JSON",
          e);
    }
  }

  private static Map<String, String> annotations(JsonNode node) {
    Map<String, String> map = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      map.put(e.getKey(), e.getValue().asText(""));
    }
    return map;
  }
}
