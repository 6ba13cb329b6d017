package dev.gantry.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.testing.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Archives made by independent writers (GNU tar, Python's tarfile) unpacked by {@link
 * TarExtractor}.
 */
class TarExtractorTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path tmp;

  /**
   * gnu: ././@LongLink entries; posix: pax path headers; ustar: the prefix field. Names are longer
   * than 100.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gnu", "posix", "ustar"})
  void extractsLongNamesAndNestedDirectoriesFromSystemTar(String format) throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Random random = new Random(format.hashCode());
    write(src, "oci-layout", bytes(random, 31));
    write(
        src,
        "a/b/c/" + "d".repeat(60) + "/" + "e".repeat(90) + ".bin",
        bytes(random, 100_000)); // > 64 KiB, odd size
    write(src, "a/top.txt", bytes(random, 512)); // exactly one block, no padding
    write(src, "a/empty", new byte[0]);
    if (!format.equals("ustar")) { // ustar cannot hold a base name over 100 characters
      write(src, "blobs/sha256/" + "f".repeat(120), bytes(random, 1000));
    }
    Path archive = tmp.resolve(format + ".tar");
    ProcessRunner.check(
        List.of("tar", "--format=" + format, "-cf", archive.toString(), "-C", src.toString(), "."),
        TIMEOUT,
        Map.of(),
        null);
    Path into = Files.createDirectories(tmp.resolve("into"));

    TarExtractor.extract(archive, into, "oci-archive:" + archive);

    assertEquals(files(src), files(into));
    for (String name : files(src).keySet()) {
      assertArrayEquals(
          Files.readAllBytes(src.resolve(name)), Files.readAllBytes(into.resolve(name)), name);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../escape", "a/../../escape", "/tmp/gantry-absolute-escape"})
  void refusesAnEntryOutsideTheTargetDirectory(String entry) throws IOException {
    Path archive =
        python(
            "t.addfile(info('inside.txt', 2), io.BytesIO(b'ok'))\n"
                + "t.addfile(info(sys.argv[2], 5), io.BytesIO(b'owned'))\n",
            entry);
    Path into = Files.createDirectories(tmp.resolve("a/b/into"));

    GantryException e =
        assertThrows(
            GantryException.class, () -> TarExtractor.extract(archive, into, "oci-archive:x.tar"));

    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains("oci-archive:x.tar"), e.getMessage());
    assertTrue(e.getMessage().contains(entry), e.getMessage());
    assertFalse(Files.exists(into.resolveSibling("escape")));
    assertFalse(Files.exists(into.getParent().resolveSibling("escape")));
    assertFalse(Files.exists(Path.of("/tmp/gantry-absolute-escape")));
  }

  /**
   * A symlink entry pointing outside, then a file "through" it: the link is not made, so the file
   * stays inside.
   */
  @Test
  void aSymlinkEntryIsNotFollowed() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path archive =
        python(
            "l = tarfile.TarInfo('link'); l.type = tarfile.SYMTYPE; l.linkname = sys.argv[2]; t.addfile(l)\n"
                + "t.addfile(info('link/evil', 5), io.BytesIO(b'owned'))\n",
            outside.toString());
    Path into = Files.createDirectories(tmp.resolve("into"));

    try {
      TarExtractor.extract(archive, into, "oci-archive:x.tar");
    } catch (GantryException e) {
      assertEquals(GantryException.Kind.BAD_INPUT, e.kind()); // refusing is fine too
    }

    assertFalse(Files.exists(outside.resolve("evil")), "a file was written through the link");
    assertFalse(Files.isSymbolicLink(into.resolve("link")));
  }

  /**
   * Cut inside a file's data, and inside the padding after it: both are bad input, with a reason to
   * read.
   */
  @ParameterizedTest
  @ValueSource(ints = {512 + 4000, 512 + 10_000 + 10})
  void aTruncatedArchiveIsBadInputWithAReason(int length) throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    write(src, "big.bin", bytes(new Random(1), 10_000));
    Path whole = tmp.resolve("whole.tar");
    ProcessRunner.check(
        List.of("tar", "-cf", whole.toString(), "-C", src.toString(), "big.bin"),
        TIMEOUT,
        Map.of(),
        null);
    Path cut =
        Files.write(tmp.resolve("cut.tar"), Arrays.copyOf(Files.readAllBytes(whole), length));

    GantryException e =
        assertThrows(
            GantryException.class,
            () ->
                TarExtractor.extract(
                    cut, Files.createDirectories(tmp.resolve("into")), "oci-archive:cut.tar"));

    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains("oci-archive:cut.tar"), e.getMessage());
    assertFalse(e.getMessage().endsWith("null"), "the reason is missing: " + e.getMessage());
  }

  @Test
  void garbageIsBadInput() throws IOException {
    Path garbage =
        Files.writeString(tmp.resolve("garbage.tar"), "not a tar archive at all\n".repeat(50));

    GantryException e =
        assertThrows(
            GantryException.class,
            () ->
                TarExtractor.extract(
                    garbage,
                    Files.createDirectories(tmp.resolve("into")),
                    "oci-archive:garbage.tar"));

    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
  }

  /**
   * Runs python3's tarfile with {@code body} (t: the open archive; info(name, size): a regular file
   * entry).
   */
  private Path python(String body, String arg) {
    Path archive = tmp.resolve("made-by-python.tar");
    String script =
        "import io, sys, tarfile\n"
            + "def info(name, size):\n"
            + "    i = tarfile.TarInfo(name); i.size = size; return i\n"
            + "with tarfile.open(sys.argv[1], 'w', format=tarfile.GNU_FORMAT) as t:\n"
            + body.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
    ProcessRunner.check(
        List.of("python3", "-c", script, archive.toString(), arg), TIMEOUT, Map.of(), null);
    return archive;
  }

  private static void write(Path root, String name, byte[] content) throws IOException {
    Path file = root.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** Regular files below {@code root} by relative path, with their sizes. */
  private static Map<String, Long> files(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      Map<String, Long> out = new TreeMap<>();
      for (Path p : new ArrayList<>(walk.filter(Files::isRegularFile).toList())) {
        out.put(root.relativize(p).toString(), Files.size(p));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
