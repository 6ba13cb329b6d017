package dev.gantry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes content-addressed blobs and the top-level files of an OCI image layout directory. */
final class OciLayoutWriter {

  static final String REF_NAME = "org.opencontainers.image.ref.name";
  static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  OciLayoutWriter(Path dir) {
    this.dir = dir;
  }

  /**
   * Stores {@code bytes} under blobs/sha256/ and returns their descriptor (mediaType, digest,
   * size).
   */
  ObjectNode blob(String mediaType, byte[] bytes) {
    String digest = Skopeo.sha256(bytes);
    Path file = dir.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode descriptor = JSON.createObjectNode();
    descriptor.put("mediaType", mediaType);
    descriptor.put("digest", digest);
    descriptor.put("size", bytes.length);
    return descriptor;
  }

  /**
   * Writes oci-layout and an index.json naming {@code top} as the layout's only image, tagged
   * {@code tag}.
   */
  void finish(ObjectNode top, String tag) {
    ObjectNode entry = top.deepCopy();
    entry.putObject("annotations").put(REF_NAME, tag);
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.putArray("manifests").add(entry);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
      Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
