package dev.gantry.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.testing.FaultProxy;
import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.ProcessRunner;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OCI image layouts ({@code oci:PATH[:TAG]}) and archives ({@code oci-archive:FILE[:TAG]}) as
 * promote and copy stores. Inputs are written by skopeo and every result is read back by skopeo,
 * never by Gantry's own layout code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayoutIT {
  private static final AtomicLong SEED = new AtomicLong(900);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Path> temps = new ArrayList<>();
  private RegistryServer registry;
  private Skopeo skopeo;

  @BeforeAll
  void start() {
    registry = RegistryServer.open();
    skopeo = Skopeo.isolated();
  }

  @AfterAll
  void stop() {
    skopeo.close();
    registry.close();
    temps.forEach(TempDirs::delete);
  }

  // ---- promote inside layouts

  @Test
  void promoteRetagsInsideALayoutByteExact() {
    Path layout = newDir("promote").resolve("layout");
    String digest = skopeoLayout(layout, "sha-abc1234");
    String old = skopeoLayout(layout, "latest"); // an older latest, so the run really moves it

    Result r =
        new GantryRunner()
            .run(
                "promote",
                "--json",
                "--from",
                "sha-abc1234",
                "--to",
                "latest",
                "--to",
                "stable",
                "oci:" + layout);

    assertEquals(0, r.exitCode(), r.all());
    JsonNode image = json(r.stdout()).path("images").get(0);
    assertEquals(digest, image.path("digest").asText(), r.stdout());
    assertEquals("promoted", image.path("tags").get(0).path("outcome").asText(), r.stdout());
    assertEquals(old, image.path("tags").get(0).path("previous").asText(), r.stdout());
    byte[] source = ociRaw(layout, "sha-abc1234");
    assertArrayEquals(source, ociRaw(layout, "latest"));
    assertArrayEquals(source, ociRaw(layout, "stable"));
    assertEquals(digest, Skopeo.sha256(ociRaw(layout, "latest")));
    pullAll("oci:" + layout + ":latest");
  }

  @Test
  void secondRunIsUnchangedAndDoesNotRewriteIndexJson() {
    Path layout = newDir("promote-twice").resolve("layout");
    skopeoLayout(layout, "sha-abc1234");
    Result first =
        new GantryRunner()
            .run(
                "promote",
                "--from",
                "sha-abc1234",
                "--to",
                "latest",
                "--to",
                "stable",
                "oci:" + layout);
    assertEquals(0, first.exitCode(), first.all());
    byte[] index = read(layout.resolve("index.json"));
    Object inode = fileKey(layout.resolve("index.json"));

    Result second =
        new GantryRunner()
            .run(
                "promote",
                "--json",
                "--from",
                "sha-abc1234",
                "--to",
                "latest",
                "--to",
                "stable",
                "oci:" + layout);

    assertEquals(0, second.exitCode(), second.all());
    for (JsonNode tag : json(second.stdout()).path("images").get(0).path("tags")) {
      assertEquals("unchanged", tag.path("outcome").asText(), second.stdout());
    }
    assertArrayEquals(index, read(layout.resolve("index.json")));
    assertEquals(inode, fileKey(layout.resolve("index.json")), "index.json was not replaced");
    assertEquals(Set.of(), tempFiles(layout), "no temporary files left behind");
  }

  @Test
  void dryRunLeavesIndexJsonByteIdentical() {
    Path layout = newDir("promote-dry").resolve("layout");
    skopeoLayout(layout, "sha-abc1234");
    byte[] index = read(layout.resolve("index.json"));

    Result r =
        new GantryRunner()
            .run(
                "promote", "--dry-run", "--from", "sha-abc1234", "--to", "latest", "oci:" + layout);

    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().contains("would-promote"), r.stdout());
    assertArrayEquals(index, read(layout.resolve("index.json")));
    assertFalse(hasTag(layout, "latest"));
  }

  /**
   * A write that fails after preflight passed: layout two's index.json is made immutable (chattr
   * +i), which stops root too, so it can still be read but not replaced. With --jobs 1 layout one
   * is written first and must be restored.
   */
  @Test
  void failedWriteInTheSecondLayoutRestoresTheFirst() {
    Path one = newDir("rollback-1").resolve("layout");
    Path two = newDir("rollback-2").resolve("layout");
    skopeoLayout(one, "sha-abc1234");
    String oldOne = skopeoLayout(one, "latest");
    byte[] oldOneBytes = ociRaw(one, "latest");
    skopeoLayout(two, "sha-abc1234");
    skopeoLayout(two, "latest");
    byte[] indexTwo = read(two.resolve("index.json"));
    Path immutable = two.resolve("index.json");
    ProcessRunner.Result chattr =
        ProcessRunner.run(
            List.of("chattr", "+i", immutable.toString()), Duration.ofSeconds(10), Map.of(), null);
    Assumptions.assumeTrue(
        chattr.exitCode() == 0, "chattr +i is not supported here: " + chattr.stderr());
    Result r;
    try {
      r =
          new GantryRunner()
              .run(
                  "promote",
                  "--jobs",
                  "1",
                  "--from",
                  "sha-abc1234",
                  "--to",
                  "latest",
                  "--to",
                  "stable",
                  "oci:" + one,
                  "oci:" + two);
    } finally {
      ProcessRunner.check(
          List.of("chattr", "-i", immutable.toString()), Duration.ofSeconds(10), Map.of(), null);
    }

    assertEquals(6, r.exitCode(), r.all());
    assertEquals(
        1, r.stderr().lines().filter(l -> !l.startsWith("gantry: plan: ")).count(), r.stderr());
    assertTrue(r.stdout().contains("rolled-back"), r.stdout());
    assertTrue(r.stdout().contains("left-new"), r.stdout());
    assertTrue(r.stdout().contains("failed"), r.stdout());
    assertArrayEquals(oldOneBytes, ociRaw(one, "latest"), "layout one's latest is restored");
    assertEquals(oldOne, Skopeo.sha256(ociRaw(one, "latest")));
    assertArrayEquals(indexTwo, read(two.resolve("index.json")));
    pullAll("oci:" + one + ":latest");

    // Once the layout is writable again the same command moves both.
    Result again =
        new GantryRunner()
            .run(
                "promote",
                "--from",
                "sha-abc1234",
                "--to",
                "latest",
                "--to",
                "stable",
                "oci:" + one,
                "oci:" + two);
    assertEquals(0, again.exitCode(), again.all());
    for (Path layout : List.of(one, two)) {
      assertArrayEquals(ociRaw(layout, "sha-abc1234"), ociRaw(layout, "latest"));
      assertArrayEquals(ociRaw(layout, "sha-abc1234"), ociRaw(layout, "stable"));
    }
  }

  // ---- copy between registry, layout and archive

  @Test
  void copiesFromARegistryIntoANewLayout() {
    String digest = pushIndex("src/to-layout", "v1");
    Path layout = newDir("reg-to-layout").resolve("nested/new-layout");

    Result r =
        new GantryRunner()
            .run("copy", registry.hostPort() + "/src/to-layout:v1", "oci:" + layout + ":v1");

    assertEquals(0, r.exitCode(), r.all());
    assertArrayEquals(skopeo.inspectRaw("src/to-layout:v1", registry), ociRaw(layout, "v1"));
    assertEquals(digest, Skopeo.sha256(ociRaw(layout, "v1")));
    pullAll("oci:" + layout + ":v1");
    assertBlobsVerified(layout);
  }

  /**
   * A registry source that still answers 503 after the HTTP layer's five attempts: the blob is
   * fetched whole once more into the layout, as it is between registries (the copier restarts a
   * transfer on a temporary failure).
   */
  @Test
  void aSourceStillFailingAfterTheHttpRetriesIsFetchedAgainIntoALayout() {
    String digest = pushIndex("src/flaky-blob", "v1");
    Path layout = newDir("reg-to-layout-flaky").resolve("layout");
    try (FaultProxy proxy = FaultProxy.inFrontOf(registry)) {
      proxy.failTimes("GET", "/v2/src/flaky-blob/blobs/.*", 503, 6);

      Result r =
          new GantryRunner()
              .run(
                  "copy",
                  "--jobs",
                  "1",
                  proxy.hostPort() + "/src/flaky-blob:v1",
                  "oci:" + layout + ":v1");

      assertEquals(0, r.exitCode(), r.all());
      assertEquals(digest, Skopeo.sha256(ociRaw(layout, "v1")));
      assertBlobsVerified(layout);
    }
  }

  @Test
  void copiesFromALayoutToARegistry() {
    Path layout = newDir("layout-to-reg").resolve("layout");
    String digest = skopeoLayout(layout, "sha-abc1234");

    Result r =
        new GantryRunner()
            .run(
                "copy", "oci:" + layout + ":sha-abc1234", registry.hostPort() + "/dst/from-layout");

    assertEquals(0, r.exitCode(), r.all());
    assertArrayEquals(
        ociRaw(layout, "sha-abc1234"), skopeo.inspectRaw("dst/from-layout:sha-abc1234", registry));
    assertEquals(digest, skopeo.digest("dst/from-layout:sha-abc1234", registry));
    pullAll("docker://" + registry.hostPort() + "/dst/from-layout:sha-abc1234");
  }

  @Test
  void copiesBetweenLayoutsKeepingTheOtherImages() {
    Path from = newDir("layout-to-layout-src").resolve("layout");
    Path to = newDir("layout-to-layout-dst").resolve("layout");
    String digest = skopeoLayout(from, "v1");
    skopeoLayout(to, "keep");
    byte[] keep = ociRaw(to, "keep");

    Result r = new GantryRunner().run("copy", "oci:" + from + ":v1", "oci:" + to + ":v2");

    assertEquals(0, r.exitCode(), r.all());
    assertArrayEquals(ociRaw(from, "v1"), ociRaw(to, "v2"));
    assertEquals(digest, Skopeo.sha256(ociRaw(to, "v2")));
    assertArrayEquals(keep, ociRaw(to, "keep"));
    pullAll("oci:" + to + ":v2");
    pullAll("oci:" + to + ":keep");
    assertBlobsVerified(to);

    byte[] index = read(to.resolve("index.json"));
    Result again = new GantryRunner().run("copy", "oci:" + from + ":v1", "oci:" + to + ":v2");
    assertEquals(0, again.exitCode(), again.all());
    assertTrue(again.stdout().startsWith("unchanged"), again.stdout());
    assertArrayEquals(index, read(to.resolve("index.json")));
  }

  @Test
  void copiesAnArchiveWithoutATagToARegistryAndRemovesTheUnpackedCopy() {
    Path archive = newDir("archive-to-reg").resolve("image.tar");
    String digest = skopeoArchive(archive, "v1");
    Set<String> unpackedBefore = unpackedArchives();

    Result r =
        new GantryRunner()
            .run("copy", "oci-archive:" + archive, registry.hostPort() + "/dst/from-archive:v1");

    assertEquals(0, r.exitCode(), r.all());
    assertArrayEquals(
        archiveRaw(archive, "v1"), skopeo.inspectRaw("dst/from-archive:v1", registry));
    assertEquals(digest, skopeo.digest("dst/from-archive:v1", registry));
    pullAll("docker://" + registry.hostPort() + "/dst/from-archive:v1");
    assertEquals(unpackedBefore, unpackedArchives(), "the unpacked archive is removed");
  }

  @Test
  void copiesATaggedArchiveImageIntoALayout() {
    Path archive = newDir("archive-to-layout").resolve("image.tar");
    String digest = skopeoArchive(archive, "v1");
    Path layout = newDir("archive-to-layout-dst").resolve("layout");

    Result r =
        new GantryRunner().run("copy", "oci-archive:" + archive + ":v1", "oci:" + layout + ":v1");

    assertEquals(0, r.exitCode(), r.all());
    assertArrayEquals(archiveRaw(archive, "v1"), ociRaw(layout, "v1"));
    assertEquals(digest, Skopeo.sha256(ociRaw(layout, "v1")));
    pullAll("oci:" + layout + ":v1");
  }

  /**
   * skopeo writes an archive without a tag as an index.json entry without a ref name. Copied into a
   * layout with no tag given, the image must still be listed in the destination's index.json
   * (untagged, as skopeo does), or nothing can find it: a blob no index names is garbage.
   */
  @Test
  void anUntaggedImageCopiedIntoALayoutIsListedInItsIndex() throws IOException {
    Path archive = newDir("untagged-archive").resolve("image.tar");
    String digest = skopeoArchive(archive, null);
    Path layout = newDir("untagged-dst").resolve("layout");

    Result r = new GantryRunner().run("copy", "oci-archive:" + archive, "oci:" + layout);

    assertEquals(0, r.exitCode(), r.all());
    JsonNode manifests = JSON.readTree(layout.resolve("index.json").toFile()).path("manifests");
    assertEquals(1, manifests.size(), "index.json lists the copied image: " + manifests);
    assertEquals(digest, manifests.get(0).path("digest").asText());
    byte[] raw = skopeo.run(List.of("inspect", "--raw", "oci:" + layout)).stdout();
    assertEquals(digest, Skopeo.sha256(raw));
  }

  /** The real run would create the layout; a dry run must say so and create nothing. */
  @Test
  void dryRunCopyIntoANewLayoutWritesNothing() {
    Path from = newDir("dry-copy-src").resolve("layout");
    skopeoLayout(from, "v1");
    Path to = newDir("dry-copy-dst").resolve("layout");

    Result r =
        new GantryRunner().run("copy", "--dry-run", "oci:" + from + ":v1", "oci:" + to + ":v1");

    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().startsWith("would-copy"), r.stdout());
    assertFalse(Files.exists(to));
  }

  // ---- bad input

  @Test
  void anArchiveWithSeveralImagesNeedsATag() {
    // skopeo replaces an archive rather than adding to it: tar up a layout skopeo wrote with two
    // tags instead.
    Path layout = newDir("two-images").resolve("layout");
    skopeoLayout(layout, "v1");
    skopeoLayout(layout, "v2");
    Path archive = layout.resolveSibling("image.tar");
    ProcessRunner.check(
        List.of("tar", "-cf", archive.toString(), "-C", layout.toString(), "."),
        Duration.ofSeconds(30),
        Map.of(),
        null);
    assertArrayEquals(ociRaw(layout, "v2"), archiveRaw(archive, "v2"));

    Result r =
        new GantryRunner()
            .run("copy", "oci-archive:" + archive, registry.hostPort() + "/dst/two:v1");

    assertEquals(2, r.exitCode(), r.all());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().contains("2 images"), r.stderr());
    assertFalse(skopeo.exists("dst/two:v1", registry));
  }

  @Test
  void aDirectoryThatIsNotALayoutIsBadInput() throws IOException {
    Path empty = newDir("not-a-layout-empty");
    Path valid = newDir("not-a-layout-valid").resolve("layout");
    skopeoLayout(valid, "v1");
    Path other = newDir("not-a-layout-files");
    Files.writeString(other.resolve("README"), "not a layout");
    Path dst = newDir("not-a-layout-dst").resolve("layout");

    Result copy = new GantryRunner().run("copy", "oci:" + empty + ":v1", "oci:" + dst + ":v1");
    Result promote = new GantryRunner().run("promote", "--from", "a", "--to", "b", "oci:" + other);
    Result copyInto =
        new GantryRunner().run("copy", "oci:" + valid + ":v1", "oci:" + other + ":v1");

    for (Result r : List.of(copy, promote, copyInto)) {
      assertEquals(2, r.exitCode(), r.all());
      assertEquals(1, r.stderr().lines().count(), r.stderr());
      assertTrue(r.stdout().isEmpty(), r.stdout());
    }
    assertTrue(copy.stderr().contains(empty.toString()), copy.stderr());
    assertTrue(promote.stderr().contains(other.toString()), promote.stderr());
    assertTrue(copyInto.stderr().contains(other.toString()), copyInto.stderr());
    assertFalse(Files.exists(dst), "nothing is created for a failed source");
    assertEquals(
        Set.of("README"), names(other), "a non-empty directory is not turned into a layout");
  }

  @Test
  void aMissingTagIsNotFound() {
    Path layout = newDir("missing-tag").resolve("layout");
    skopeoLayout(layout, "sha-abc1234");
    byte[] index = read(layout.resolve("index.json"));

    Result copy =
        new GantryRunner()
            .run("copy", "oci:" + layout + ":nope", registry.hostPort() + "/dst/missing:v1");
    Result promote =
        new GantryRunner().run("promote", "--from", "nope", "--to", "latest", "oci:" + layout);

    for (Result r : List.of(copy, promote)) {
      assertEquals(4, r.exitCode(), r.all());
      assertEquals(1, r.stderr().lines().count(), r.stderr());
      assertTrue(r.stderr().contains("nope"), r.stderr());
    }
    assertArrayEquals(index, read(layout.resolve("index.json")));
    assertFalse(skopeo.exists("dst/missing:v1", registry));
  }

  @Test
  void anArchiveIsNeverADestination() {
    Path layout = newDir("archive-dst-src").resolve("layout");
    skopeoLayout(layout, "v1");
    Path archive = newDir("archive-dst").resolve("out.tar");

    Result copy =
        new GantryRunner().run("copy", "oci:" + layout + ":v1", "oci-archive:" + archive + ":v1");
    Result promote =
        new GantryRunner().run("promote", "--from", "v1", "--to", "v2", "oci-archive:" + archive);

    for (Result r : List.of(copy, promote)) {
      assertEquals(2, r.exitCode(), r.all());
      assertEquals(1, r.stderr().lines().count(), r.stderr());
    }
    assertFalse(Files.exists(archive));
  }

  @Test
  void aGarbageFileIsNotAnArchive() throws IOException {
    Path dir = newDir("garbage");
    byte[] noise = new byte[3000];
    new Random(42).nextBytes(noise);
    Path garbage = Files.write(dir.resolve("noise.tar"), noise);
    Path text =
        Files.writeString(dir.resolve("text.tar"), "this is not a tar archive\n".repeat(40));
    Path dst = dir.resolve("dst");

    for (Path file : List.of(garbage, text)) {
      Result r = new GantryRunner().run("copy", "oci-archive:" + file, "oci:" + dst + ":v1");
      assertEquals(2, r.exitCode(), r.all());
      assertEquals(1, r.stderr().lines().count(), r.stderr());
      assertTrue(r.stderr().contains(file.toString()), r.stderr());
    }
    assertFalse(Files.exists(dst));
  }

  @Test
  void aCorruptBlobIsRefusedAndNothingIsTaggedInALayout() throws IOException {
    Path from = newDir("corrupt-src").resolve("layout");
    skopeoLayout(from, "v1");
    String corrupt = corruptOneLayer(from, "v1");
    Path to = newDir("corrupt-dst").resolve("layout");

    Result r = new GantryRunner().run("copy", "oci:" + from + ":v1", "oci:" + to + ":v1");

    assertEquals(1, r.exitCode(), r.all());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().contains(corrupt), r.stderr());
    assertFalse(hasTag(to, "v1"));
    assertFalse(
        Files.exists(to.resolve("blobs/sha256").resolve(corrupt.substring("sha256:".length()))));
    assertBlobsVerified(to);
    assertEquals(Set.of(), tempFiles(to), "no temporary files left behind");
  }

  @Test
  void aCorruptBlobIsRefusedAndNothingIsTaggedInARegistry() throws IOException {
    Path from = newDir("corrupt-reg-src").resolve("layout");
    skopeoLayout(from, "v1");
    corruptOneLayer(from, "v1");

    Result r =
        new GantryRunner()
            .run("copy", "oci:" + from + ":v1", registry.hostPort() + "/dst/corrupt:v1");

    assertEquals(1, r.exitCode(), r.all());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertFalse(skopeo.exists("dst/corrupt:v1", registry));
  }

  // ---- helpers: skopeo writes the inputs and reads the results

  /**
   * A fresh two-platform index, written into {@code dir} by skopeo under {@code tag}; returns its
   * digest.
   */
  private String skopeoLayout(Path dir, String tag) {
    Path build = newDir("build");
    TestImages.Layout built = TestImages.multiArch(build, SEED.incrementAndGet());
    skopeoCopy("oci:" + build + ":" + built.tag(), "oci:" + dir + ":" + tag);
    return Skopeo.sha256(ociRaw(dir, tag));
  }

  /**
   * A fresh two-platform index in an archive written by skopeo ({@code tag} null: no ref name); its
   * digest.
   */
  private String skopeoArchive(Path file, String tag) {
    Path build = newDir("build");
    TestImages.Layout built = TestImages.multiArch(build, SEED.incrementAndGet());
    skopeoCopy(
        "oci:" + build + ":" + built.tag(), "oci-archive:" + file + (tag == null ? "" : ":" + tag));
    return built.digest();
  }

  private String pushIndex(String repo, String tag) {
    return TestImages.push(
        TestImages.multiArch(newDir("build"), SEED.incrementAndGet()), registry, repo, tag);
  }

  private void skopeoCopy(String from, String to) {
    skopeo.run(
        List.of(
            "copy",
            "--all",
            "--preserve-digests",
            "--quiet",
            "--src-tls-verify=false",
            "--dest-tls-verify=false",
            from,
            to));
  }

  private byte[] ociRaw(Path layout, String tag) {
    return skopeo.run(List.of("inspect", "--raw", "oci:" + layout + ":" + tag)).stdout();
  }

  private byte[] archiveRaw(Path archive, String tag) {
    return skopeo.run(List.of("inspect", "--raw", "oci-archive:" + archive + ":" + tag)).stdout();
  }

  /** Whether skopeo finds the tag; any failure other than "no such tag" still throws. */
  private boolean hasTag(Path layout, String tag) {
    try {
      ociRaw(layout, tag);
      return true;
    } catch (IllegalStateException e) {
      if (e.getMessage().contains("no descriptor found for reference")) {
        return false;
      }
      throw e;
    }
  }

  /**
   * skopeo copies the whole image out: fails if any child manifest or blob is missing or does not
   * match its digest.
   */
  private void pullAll(String ref) {
    skopeoCopy(ref, "oci:" + newDir("pull") + ":check");
  }

  /**
   * Flips a byte in the first layer of the first platform of {@code tag}; returns that layer's
   * digest.
   */
  private String corruptOneLayer(Path layout, String tag) throws IOException {
    JsonNode index = JSON.readTree(ociRaw(layout, tag));
    Path child = blob(layout, index.path("manifests").get(0).path("digest").asText());
    String layer = JSON.readTree(child.toFile()).path("layers").get(0).path("digest").asText();
    Path data = blob(layout, layer);
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(data, bytes);
    return layer;
  }

  /** Every blob under its final name hashes to that name: only verified blobs are ever visible. */
  private static void assertBlobsVerified(Path layout) {
    try (Stream<Path> files = Files.list(layout.resolve("blobs/sha256"))) {
      for (Path f : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
        assertEquals("sha256:" + f.getFileName(), Skopeo.sha256(read(f)), "blob " + f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Hidden files anywhere in the layout: Gantry's temporary files start with ".tmp-". */
  private static Set<String> tempFiles(Path layout) {
    try (Stream<Path> files = Files.walk(layout)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("."))
          .collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> unpackedArchives() {
    return names(Path.of(System.getProperty("java.io.tmpdir"))).stream()
        .filter(n -> n.startsWith("gantry-archive-"))
        .collect(Collectors.toSet());
  }

  private static Set<String> names(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path blob(Path layout, String digest) {
    return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }

  private Path newDir(String name) {
    Path dir = TempDirs.create("gantry-layout-it-" + name + "-");
    temps.add(dir);
    return dir;
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The inode: replacing a file by rename changes it even when the bytes are the same. */
  private static Object fileKey(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
