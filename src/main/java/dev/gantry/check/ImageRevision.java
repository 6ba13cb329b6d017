package dev.gantry.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.CommitSha;
import dev.gantry.GantryException;
import dev.gantry.Json;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.store.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The commit an image was built from: the {@code org.opencontainers.image.revision} label of its
 * config (for an index, of the first platform's image, attestations skipped). Reads only; every
 * manifest and the config are checked against their digest.
 */
public final class ImageRevision {
  public static final String LABEL = "org.opencontainers.image.revision";
  private static final int MAX_CONFIG = 4 * 1024 * 1024;

  /**
   * What was found at the tag: the commit, or null with {@code absent} saying why there is none.
   */
  public record Found(@Nullable String commit, @Nullable Digest digest, @Nullable String absent) {}

  private ImageRevision() {}

  public static Found read(ImageStore store, String tag) {
    String where = store.describe(Ref.tag(tag));
    Optional<Digest> top = store.headImage(Ref.tag(tag));
    if (top.isEmpty()) {
      return new Found(null, null, "no image at " + where);
    }
    return of(store, store.getManifest(Ref.of(top.get())), where);
  }

  /** The same for a top manifest already read (the ledger has it from the promote's own read). */
  public static Found of(ImageStore store, Manifest top, String where) {
    Manifest manifest = top;
    if (manifest.isIndex()) {
      JsonNode first = null;
      for (JsonNode child : json(manifest.bytes(), where).path("manifests")) {
        // Build attestations are listed as platform unknown/unknown: they carry no image config.
        if (child.path("digest").isTextual()
            && !"unknown".equals(child.path("platform").path("os").asText())) {
          first = child;
          break;
        }
      }
      if (first == null) {
        return new Found(null, top.digest(), "index " + where + " lists no image");
      }
      manifest = store.getManifest(Ref.of(Digest.parse(first.path("digest").asText())));
    }
    JsonNode config = json(manifest.bytes(), where).path("config");
    if (!config.path("digest").isTextual()) {
      return new Found(null, top.digest(), where + " has no image config");
    }
    Digest configDigest = Digest.parse(config.path("digest").asText());
    String label =
        json(configBytes(store, configDigest, where), where)
            .path("config")
            .path("Labels")
            .path(LABEL)
            .asText("");
    if (!CommitSha.isValid(label)) {
      return new Found(
          null,
          top.digest(),
          where
              + " has no "
              + LABEL
              + " label"
              + (label.isEmpty() ? "" : " naming a commit ('" + label + "')"));
    }
    return new Found(label.toLowerCase(Locale.ROOT), top.digest(), null);
  }

  private static byte[] configBytes(ImageStore store, Digest digest, String where) {
    try (InputStream in = store.openBlob(digest)) {
      byte[] bytes = in.readNBytes(MAX_CONFIG + 1);
      if (bytes.length > MAX_CONFIG || !digest.matches(bytes)) {
        throw new GantryException(
            GantryException.Kind.FAILED,
            "read image config "
                + where
                + "@"
                + digest
                + ": "
                + (bytes.length > MAX_CONFIG
                    ? "larger than 4 MiB"
                    : "the bytes do not match the digest"));
      }
      return bytes;
    } catch (IOException e) {
      throw new GantryException(
          GantryException.Kind.FAILED,
          "read image config " + where + "@" + digest + ": " + e.getMessage(),
          e);
    }
  }

  private static JsonNode json(byte[] bytes, String where) {
    try {
      return Json.readTree(bytes);
    } catch (IOException e) {
      throw new GantryException(
          GantryException.Kind.FAILED, "read image " + where + ": not valid JSON", e);
    }
  }
}
