package dev.gantry.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.GantryException;
import dev.gantry.GantryException.Kind;
import dev.gantry.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A layout's index.json, read whole at every use (another process may have replaced it since) but
 * parsed again only when its bytes differ from the ones this process last read or wrote: a promote
 * with its record reads the index five times and, unless someone else writes it meanwhile, parses
 * it once. Bytes are compared, not modification times, which a quick second write can leave
 * unchanged. Not thread-safe: the layout calls it under its own lock.
 */
final class IndexFile {
  private final Path file;
  private final String name;

  /** The bytes last read or written, and their tree; the tree is never changed once here. */
  private byte @Nullable [] bytes;

  private @Nullable ObjectNode tree;

  IndexFile(Path file, String name) {
    this.file = file;
    this.name = name;
  }

  /** The index as it is on disk now, to read only: callers must not change the tree. */
  ObjectNode read() {
    byte[] now;
    try {
      now = Files.readAllBytes(file);
    } catch (IOException e) {
      throw notJson();
    }
    ObjectNode known = tree;
    if (known != null && Arrays.equals(now, bytes)) {
      return known;
    }
    ObjectNode parsed = parse(now);
    bytes = now;
    tree = parsed;
    return parsed;
  }

  /** The index as it is on disk now, as a copy the caller may change and {@link #write}. */
  ObjectNode readForUpdate() {
    return read().deepCopy();
  }

  /**
   * Replaces index.json with {@code index} (atomically); {@code index} is the known tree from then
   * on, so the caller must not change it afterwards.
   */
  void write(ObjectNode index) throws IOException {
    byte[] written = Json.bytes(index);
    AtomicFile.write(file, written);
    bytes = written;
    tree = index;
  }

  private ObjectNode parse(byte[] json) {
    JsonNode root;
    try {
      root = Json.readTree(json);
    } catch (IOException e) {
      throw notJson();
    }
    if (!(root instanceof ObjectNode o) || !root.path("manifests").isArray()) {
      throw new GantryException(
          Kind.BAD_INPUT,
          "'" + name + "' is not an OCI image layout: index.json has no manifests list");
    }
    return o;
  }

  private GantryException notJson() {
    return new GantryException(
        Kind.BAD_INPUT, "'" + name + "' is not an OCI image layout: index.json is not valid JSON");
  }
}
