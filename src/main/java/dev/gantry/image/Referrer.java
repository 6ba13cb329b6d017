package dev.gantry.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.GantryException;
import dev.gantry.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One manifest that refers to a subject, as an OCI image index lists it in the referrers API or the
 * fallback tag: its descriptor plus artifactType (empty string when it has none) and annotations
 * (empty map when none).
 */
public record Referrer(
    Descriptor descriptor, String artifactType, Map<String, String> annotations) {
  public Referrer {
    artifactType = artifactType == null ? "" : artifactType;
    annotations = Map.copyOf(annotations);
  }

  public Digest digest() {
    return descriptor.digest();
  }

  /**
   * The referrer entry for a manifest, as the distribution spec says a registry builds it:
   * artifactType is the manifest's own {@code artifactType}, else (for an image manifest) its
   * config's media type; annotations are the manifest's.
   */
  public static Referrer of(Manifest manifest) {
    JsonNode root = tree(manifest);
    String type = root.path("artifactType").asText("");
    if (type.isEmpty() && !manifest.isIndex()) {
      type = root.path("config").path("mediaType").asText("");
    }
    return new Referrer(
        new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size()),
        type,
        annotations(root.path("annotations")));
  }

  /** The digest in the manifest's {@code subject} field, or empty when it refers to nothing. */
  public static Optional<Digest> subjectOf(Manifest manifest) {
    JsonNode digest = tree(manifest).path("subject").path("digest");
    return digest.isTextual() ? Optional.of(Digest.parse(digest.asText())) : Optional.empty();
  }

  /** Reads one descriptor of a referrers index ({@code manifests[i]}). */
  public static Referrer fromDescriptor(JsonNode node, String where) {
    JsonNode digest = node.get("digest");
    if (digest == null || !digest.isTextual() || !node.path("size").canConvertToLong()) {
      throw new GantryException(
          GantryException.Kind.FAILED, where + ": referrer descriptor without digest or size");
    }
    Descriptor d =
        new Descriptor(
            node.path("mediaType").asText(MediaTypes.OCI_MANIFEST),
            Digest.parse(digest.asText()),
            node.get("size").asLong());
    return new Referrer(
        d, node.path("artifactType").asText(""), annotations(node.path("annotations")));
  }

  /** This entry as a descriptor of a referrers index. */
  public ObjectNode toDescriptor() {
    ObjectNode node = Json.object();
    node.put("mediaType", descriptor.mediaType());
    node.put("digest", descriptor.digest().toString());
    node.put("size", descriptor.size());
    if (!artifactType.isEmpty()) {
      node.put("artifactType", artifactType);
    }
    if (!annotations.isEmpty()) {
      ObjectNode a = node.putObject("annotations");
      // Loops, not forEach: a lambda or method reference links a call site on first use, and a
      // promote's record passes here.
      for (Map.Entry<String, String> e : new TreeMap<>(annotations).entrySet()) {
        a.put(e.getKey(), e.getValue());
      }
    }
    return node;
  }

  private static Map<String, String> annotations(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getValue().isTextual()) {
        out.put(e.getKey(), e.getValue().asText());
      }
    }
    return out;
  }

  private static JsonNode tree(Manifest manifest) {
    try {
      return Json.readTree(manifest.bytes());
    } catch (IOException e) {
      throw new GantryException(
          GantryException.Kind.FAILED,
          "read manifest " + manifest.digest() + ": not valid JSON",
          e);
    }
  }
}
