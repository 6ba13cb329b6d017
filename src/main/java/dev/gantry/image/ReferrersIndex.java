package dev.gantry.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.GantryException;
import dev.gantry.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The OCI image index that lists referrers: what the referrers API answers, and what the
 * distribution spec's referrers tag schema stores under the fallback tag {@code <alg>-<hex>} on a
 * registry without that API.
 */
public final class ReferrersIndex {
  private static final int MAX_TAG = 128;

  private ReferrersIndex() {}

  /**
   * The fallback tag for a subject: {@code sha256-<hex>}, cut to the 128 characters a tag may have.
   */
  public static String fallbackTag(Digest subject) {
    String tag = subject.algorithm() + "-" + subject.hex();
    return tag.length() > MAX_TAG ? tag.substring(0, MAX_TAG) : tag;
  }

  /**
   * The entries of a referrers index, in order; a document without a {@code manifests} list has
   * none.
   */
  public static List<Referrer> parse(byte[] bytes, String where) {
    JsonNode root;
    try {
      root = Json.readTree(bytes);
    } catch (IOException e) {
      throw new GantryException(
          GantryException.Kind.FAILED, where + ": the referrers index is not valid JSON", e);
    }
    List<Referrer> out = new ArrayList<>();
    for (JsonNode node : root.path("manifests")) {
      out.add(Referrer.fromDescriptor(node, where));
    }
    return out;
  }

  /**
   * Those of {@code referrers} whose artifactType is {@code type}, or all of them when none is
   * given.
   */
  public static List<Referrer> filter(List<Referrer> referrers, Optional<String> type) {
    return type.map(t -> referrers.stream().filter(r -> r.artifactType().equals(t)).toList())
        .orElse(referrers);
  }

  /**
   * {@code existing} (the fallback tag's current bytes, or empty when it does not exist) with
   * {@code added} listed, or empty when it is listed already (nothing to write). Entries of others
   * are kept byte-for-byte as parsed trees.
   */
  public static Optional<Manifest> withEntry(
      Optional<Manifest> existing, Referrer added, String where) {
    ObjectNode root;
    if (existing.isPresent()) {
      try {
        JsonNode read = Json.readTree(existing.get().bytes());
        root = read instanceof ObjectNode o ? o : emptyIndex();
      } catch (IOException e) {
        throw new GantryException(
            GantryException.Kind.FAILED, where + ": the referrers index is not valid JSON", e);
      }
    } else {
      root = emptyIndex();
    }
    ArrayNode manifests =
        root.path("manifests").isArray()
            ? (ArrayNode) root.get("manifests")
            : root.putArray("manifests");
    for (JsonNode node : manifests) {
      if (added.digest().toString().equals(node.path("digest").asText())) {
        return Optional.empty();
      }
    }
    manifests.add(added.toDescriptor());
    return Optional.of(Manifest.of(Json.bytes(root), MediaTypes.OCI_INDEX));
  }

  private static ObjectNode emptyIndex() {
    ObjectNode root = Json.object();
    root.put("schemaVersion", 2);
    root.put("mediaType", MediaTypes.OCI_INDEX);
    root.putArray("manifests");
    return root;
  }
}
