package dev.gantry.layout;

import dev.gantry.GantryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The tar form of an OCI layout ({@code docker buildx build --output type=oci}), unpacked to read
 * it.
 */
public final class OciArchive {
  private OciArchive() {}

  /**
   * Unpacks the archive into a new temporary directory and returns it; {@link #delete} removes it.
   */
  public static Path unpack(Path archive, String name) {
    if (!Files.isRegularFile(archive)) {
      throw GantryException.badInput("'" + name + "' is not a file");
    }
    try {
      Path dir = Files.createTempDirectory("gantry-archive-");
      try {
        TarExtractor.extract(archive, dir, name);
      } catch (RuntimeException e) {
        delete(dir);
        throw e;
      }
      return dir;
    } catch (IOException e) {
      throw new GantryException(
          GantryException.Kind.FAILED, "unpack " + name + ": " + e.getMessage(), e);
    }
  }

  public static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temporary directory is harmless
    }
  }
}
