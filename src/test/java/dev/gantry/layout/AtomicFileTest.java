package dev.gantry.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gantry.testing.TempDirs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A layout file is replaced whole through a temporary sibling created exclusively with owner-only
 * permissions (as Files.createTempFile made it), which never outlives the write.
 */
class AtomicFileTest {
  private final Path dir = TempDirs.create("gantry-atomic-file-");
  private final Path target = dir.resolve("index.json");
  private final byte[] bytes = "{\"manifests\":[]}".getBytes(StandardCharsets.UTF_8);

  @AfterEach
  void clean() {
    TempDirs.delete(dir);
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesTheBytesOwnerOnlyAndLeavesNoTemporaryFile() throws IOException {
    Files.writeString(target, "old");

    AtomicFile.write(target, bytes);

    assertArrayEquals(bytes, Files.readAllBytes(target));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    assertEquals(List.of("index.json"), names());
  }

  /** The names are not secret: one another process holds is skipped, never opened or replaced. */
  @Test
  void aTakenTemporaryNameIsSkippedNotWrittenThrough() throws IOException {
    long next = AtomicFile.NEXT.get();
    Path taken = dir.resolve(".tmp-index.json" + Long.toUnsignedString(next));
    Path link = dir.resolve(".tmp-index.json" + Long.toUnsignedString(next + 1));
    Path outside = dir.resolve("outside");
    Files.writeString(taken, "theirs");
    Files.writeString(outside, "outside");
    Files.createSymbolicLink(link, outside);

    AtomicFile.write(target, bytes);

    assertArrayEquals(bytes, Files.readAllBytes(target));
    assertEquals("theirs", Files.readString(taken));
    assertEquals("outside", Files.readString(outside));
    assertEquals(
        List.of(
                taken.getFileName().toString(),
                link.getFileName().toString(),
                "index.json",
                "outside")
            .stream()
            .sorted()
            .toList(),
        names());
  }

  @Test
  void aFailedRenameDeletesTheTemporaryFile() throws IOException {
    Files.createDirectories(target.resolve("in-the-way"));

    assertThrows(IOException.class, () -> AtomicFile.write(target, bytes));

    assertEquals(List.of("index.json"), names());
    assertEquals(List.of(target.resolve("in-the-way")), Files.list(target).toList());
  }

  @Test
  void aFileClosedWithoutCommitIsDeleted() throws IOException {
    try (AtomicFile temp = AtomicFile.create(dir, ".tmp-")) {
      OutputStream out = temp.stream();
      out.write(bytes);
    }

    assertEquals(List.of(), names());
  }
}
