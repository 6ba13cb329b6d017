package dev.gantry.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.GantryException;
import dev.gantry.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a manifest refers to, read from its bytes (the bytes themselves are never rewritten): the
 * child manifests of an index, or the config and layers of an image manifest. Only {@code copy}
 * needs this; {@code promote} moves bytes without looking inside.
 */
public record ManifestContent(List<Descriptor> children, List<Descriptor> blobs) {

  public ManifestContent {
    children = List.copyOf(children);
    blobs = List.copyOf(blobs);
  }

  public static ManifestContent of(Manifest manifest, String where) {
    JsonNode root;
    try {
      root = Json.readTree(manifest.bytes());
    } catch (IOException e) {
      throw new GantryException(
          GantryException.Kind.FAILED, "read manifest " + where + ": not valid JSON", e);
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

  /**
   * The media type to PUT a manifest back with. The manifest's own {@code mediaType} wins over what
   * it was served as (a registry may serve an OCI index as a Docker list, which the registry then
   * refuses on PUT); with none (legal for OCI) it is read from the structure: {@code manifests} is
   * an index, {@code config} and {@code layers} an image manifest. Otherwise {@code served} (the
   * Content-Type, or a layout's descriptor), which may be null or unknown.
   */
  public static @Nullable String mediaTypeOf(byte[] bytes, @Nullable String served) {
    JsonNode root;
    try {
      root = Json.readTree(bytes);
    } catch (IOException e) {
      return served;
    }
    if (root == null || !root.isObject()) {
      return served;
    }
    JsonNode declared = root.get("mediaType");
    if (declared != null && declared.isTextual()) {
      return declared.asText();
    }
    if (root.path("manifests").isArray()) {
      return MediaTypes.isIndex(served) ? served : MediaTypes.OCI_INDEX;
    }
    if (root.path("config").isObject() && root.path("layers").isArray()) {
      return MediaTypes.isKnown(served) && !MediaTypes.isIndex(served)
          ? served
          : MediaTypes.OCI_MANIFEST;
    }
    return served;
  }

  private static Descriptor descriptor(JsonNode node, String where) {
    JsonNode digest = node.get("digest");
    if (digest == null || !digest.isTextual() || !node.path("size").canConvertToLong()) {
      throw new GantryException(
          GantryException.Kind.FAILED,
          "read manifest " + where + ": descriptor without digest or size");
    }
    return new Descriptor(
        node.path("mediaType").asText(null),
        Digest.parse(digest.asText()),
        node.get("size").asLong());
  }
}
