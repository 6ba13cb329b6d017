package dev.gantry.trust;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.GantryException;
import dev.gantry.Json;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The image a requirement is checked against: its top digest and, for an index, its platform
 * manifests. Entries that are not platforms are left out: buildx's attestation manifests (annotated
 * {@code vnd.docker.reference.type}) and anything whose platform is {@code unknown/unknown}.
 */
public record Subject(String image, Digest digest, boolean index, List<Platform> platforms) {
  /** One platform manifest of an index: {@code linux/arm64/v8} and its digest. */
  public record Platform(String label, Digest digest) {}

  public Subject {
    platforms = List.copyOf(platforms);
  }

  /** {@code image} names the repository or layout, for messages. */
  public static Subject of(String image, Manifest top) {
    if (!top.isIndex()) {
      return new Subject(image, top.digest(), false, List.of());
    }
    JsonNode root;
    try {
      root = Json.readTree(top.bytes());
    } catch (IOException e) {
      throw new GantryException(
          GantryException.Kind.FAILED,
          "read manifest " + image + "@" + top.digest() + ": not valid JSON",
          e);
    }
    List<Platform> platforms = new ArrayList<>();
    for (JsonNode entry : root.path("manifests")) {
      JsonNode p = entry.path("platform");
      String os = p.path("os").asText("");
      String arch = p.path("architecture").asText("");
      boolean attestation = entry.path("annotations").has("vnd.docker.reference.type");
      if (attestation || ("unknown".equals(os) && "unknown".equals(arch))) {
        continue;
      }
      String variant = p.path("variant").asText("");
      String label =
          os.isEmpty() && arch.isEmpty()
              ? "(no platform)"
              : os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant);
      platforms.add(new Platform(label, digestOf(entry, image, top)));
    }
    return new Subject(image, top.digest(), true, platforms);
  }

  private static Digest digestOf(JsonNode entry, String image, Manifest top) {
    try {
      return Digest.parse(entry.path("digest").asText(""));
    } catch (GantryException e) {
      // Not the user's input: the registry's index is malformed.
      throw new GantryException(
          GantryException.Kind.FAILED,
          "read manifest " + image + "@" + top.digest() + ": an entry has no valid digest",
          e);
    }
  }

  /** {@code ghcr.io/acme/api@sha256:…}, as every refusal names it. */
  public String reference() {
    return image + "@" + digest;
  }

  /** Every digest something may be attached to: the top one first, then each platform's. */
  public List<Digest> digests() {
    List<Digest> all = new ArrayList<>();
    all.add(digest);
    platforms.forEach(p -> all.add(p.digest()));
    return all;
  }
}
