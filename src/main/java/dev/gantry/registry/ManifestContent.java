package dev.gantry.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.GantryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a manifest refers to, read from its bytes (the bytes themselves are never rewritten): the child manifests
 * of an index, or the config and layers of an image manifest. Only {@code copy} needs this; {@code promote} moves
 * bytes without looking inside.
 */
public record ManifestContent(List<Descriptor> children, List<Descriptor> blobs) {


  public ManifestContent {
    children = List.copyOf(children);
    blobs = List.copyOf(blobs);
  }

  public static ManifestContent of(Manifest manifest, String where) {
    JsonNode root;
    try {
      root = dev.gantry.Json.readTree(manifest.bytes());
    } catch (IOException e) {
      throw new GantryException(GantryException.Kind.FAILED, "read manifest " + where + ": not valid JSON", e);
    }
    List<Descriptor> children = new ArrayList<>();
    List<Descriptor> blobs = new ArrayList<>();
    if (manifest.isIndex()) {
      for (JsonNode child : root.path("manifests")) {
        children.add(descriptor(child, where));
      }
    } else {
      if (root.hasNonNull("config")) {
        blobs.add(descriptor(root.get("config"), where));
      }
      for (JsonNode layer : root.path("layers")) {
        blobs.add(descriptor(layer, where));
      }
    }
    return new ManifestContent(children, blobs);
  }

  /** The media type a manifest declares in its own {@code mediaType} field, or null. */
  public static String declaredMediaType(byte[] bytes) {
    try {
      JsonNode type = dev.gantry.Json.readTree(bytes).get("mediaType");
      return type != null && type.isTextual() ? type.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static Descriptor descriptor(JsonNode node, String where) {
    JsonNode digest = node.get("digest");
    if (digest == null || !digest.isTextual() || !node.path("size").canConvertToLong()) {
      throw new GantryException(GantryException.Kind.FAILED, "read manifest " + where + ": descriptor without digest or size");
    }
    return new Descriptor(node.path("mediaType").asText(null), Digest.parse(digest.asText()), node.get("size").asLong());
  }
}
