package dev.gantry.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.GantryException;
import dev.gantry.Json;
import dev.gantry.testing.TempDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * index.json is read at every use and parsed again only when its bytes changed: what another
 * process wrote is always seen, and a caller that changes the index changes its own copy.
 */
class IndexFileTest {
  private static final String V1 =
      "{\"manifests\":[{\"digest\":\"sha256:1\",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}";
  private static final String V2 = V1.replace("\"v1\"", "\"v2\"");

  private final Path dir = TempDirs.create("gantry-index-file-");
  private final Path file = dir.resolve("index.json");
  private final IndexFile index = new IndexFile(file, "oci:test");

  @AfterEach
  void clean() {
    TempDirs.delete(dir);
  }

  private static String tag(ObjectNode index) {
    return index.path("manifests").path(0).path("annotations").path(OciLayout.REF_NAME).asText();
  }

  @Test
  void unchangedBytesAreNotParsedAgain() throws IOException {
    Files.writeString(file, V1);

    ObjectNode first = index.read();

    assertEquals("v1", tag(first));
    assertSame(first, index.read());
  }

  /** Same length, same modification time, other bytes: still read as the new index. */
  @Test
  void bytesAnotherWriterChangedAreSeen() throws IOException {
    Files.writeString(file, V1);
    FileTime time = Files.getLastModifiedTime(file);
    index.read();

    Files.writeString(file, V2);
    Files.setLastModifiedTime(file, time);

    assertEquals("v2", tag(index.read()));
  }

  @Test
  void anUpdateIsTheCallersOwnCopy() throws IOException {
    Files.writeString(file, V1);

    ObjectNode update = index.readForUpdate();
    update.withArray("manifests").removeAll();

    assertNotSame(update, index.read());
    assertEquals("v1", tag(index.read()));
  }

  @Test
  void aWrittenIndexIsKnownWithoutReadingItBack() throws IOException {
    Files.writeString(file, V1);
    ObjectNode update = index.readForUpdate();
    update.withArray("manifests").removeAll();

    index.write(update);

    assertArrayEquals(Json.bytes(update), Files.readAllBytes(file));
    assertSame(update, index.read());
    Files.writeString(file, V2);
    assertEquals("v2", tag(index.read()), "and a later write by someone else is seen");
  }

  @Test
  void anIndexThatIsNotJsonOrHasNoManifestsIsNotALayout() throws IOException {
    Files.writeString(file, "{\"manifests\":", StandardCharsets.UTF_8);
    assertEquals(
        "'oci:test' is not an OCI image layout: index.json is not valid JSON",
        assertThrows(GantryException.class, index::read).getMessage());

    Files.writeString(file, "{\"manifests\":{}}", StandardCharsets.UTF_8);
    assertEquals(
        "'oci:test' is not an OCI image layout: index.json has no manifests list",
        assertThrows(GantryException.class, index::read).getMessage());
  }
}
