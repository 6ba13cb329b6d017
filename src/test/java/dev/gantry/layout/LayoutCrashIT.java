package dev.gantry.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import dev.gantry.testing.ThrottleProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Crash safety of layout writes: the real jar copies a 64 MiB image from a registry into a layout
 * that already holds another image and is killed with SIGKILL at several moments. After every kill
 * the layout must be one skopeo reads in full, with the other image byte-identical; a run that is
 * not killed then completes the copy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayoutCrashIT {
  private static final int LAYER_BYTES = 32 * 1024 * 1024;

  /**
   * The killed copies read through a link of this speed, so the 64 MiB take about two seconds
   * however fast the machine: every timed kill then lands in a copy still running.
   */
  private static final long KILLED_COPY_BYTES_PER_SECOND = 32L * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Path> temps = new ArrayList<>();
  private RegistryServer registry;
  private ThrottleProxy slowLink;
  private Skopeo skopeo;
  private String source;
  private String slowSource;
  private byte[] sourceRaw;
  private Path base;
  private byte[] keep;

  @BeforeAll
  void start() {
    registry = RegistryServer.open();
    skopeo = Skopeo.isolated();
    Path big = newDir("big");
    TestImages.push(
        TestImages.singlePlatform(
            big, 4242, TestImages.Format.OCI, TestImages.Platform.LINUX_AMD64, 2, LAYER_BYTES),
        registry,
        "crash/big",
        "v1");
    TempDirs.delete(big);
    source = registry.hostPort() + "/crash/big:v1";
    slowLink = ThrottleProxy.inFrontOf(registry, KILLED_COPY_BYTES_PER_SECOND);
    slowSource = slowLink.hostPort() + "/crash/big:v1";
    sourceRaw = skopeo.inspectRaw(source, registry);

    Path small = newDir("small");
    TestImages.Layout other = TestImages.multiArch(small, 4343);
    base = newDir("base").resolve("layout");
    skopeoCopy("oci:" + small + ":" + other.tag(), "oci:" + base + ":keep");
    keep = ociRaw(base, "keep");
  }

  @AfterAll
  void stop() {
    skopeo.close();
    slowLink.close();
    registry.close();
    temps.forEach(TempDirs::delete);
  }

  /** When to kill: after a delay, or as soon as something shows up in the layout. */
  private record KillPoint(String name, long delayMillis, Predicate<Path> trigger) {}

  @Test
  void killedCopiesLeaveAValidLayoutAndARerunCompletes() throws Exception {
    // The timed kills land in start-up and the first reads; the triggered ones land in the writes.
    List<KillPoint> points =
        List.of(
            new KillPoint("after 50 ms", 50, null),
            new KillPoint("after 150 ms", 150, null),
            new KillPoint("after 400 ms", 400, null),
            new KillPoint("after 800 ms", 800, null),
            new KillPoint(
                "when the first blob temp file appears", 0, l -> !newBlobFiles(l, true).isEmpty()),
            new KillPoint(
                "when the first blob appears under its name",
                0,
                l -> !newBlobFiles(l, false).isEmpty()),
            new KillPoint("half-way through a layer", 0, l -> largestNewBlob(l) >= LAYER_BYTES / 2),
            new KillPoint("when an index.json temp file appears", 0, l -> hasIndexTemp(l)));
    List<String> killedWhileRunning = new ArrayList<>();
    Path layout = null;
    for (KillPoint point : points) {
      if (layout != null) {
        TempDirs.delete(
            layout.getParent()); // only the last trial's layout is needed, for the completing run
      }
      layout = freshLayout();
      Process p = startCopy(slowSource, layout);
      boolean running = waitFor(p, layout, point);
      p.destroyForcibly();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "gantry did not die");
      if (running) {
        killedWhileRunning.add(point.name());
      }
      assertValid(
          layout,
          "killed "
              + point.name()
              + (running ? "" : " (it had already exited " + p.exitValue() + ")"));
    }
    // The kills must have hit copies in flight, or this test proves nothing. Only the index.json
    // temporary file, there for a moment, may be gone before the poll sees it.
    assertTrue(killedWhileRunning.size() >= 7, "killed while running: " + killedWhileRunning);

    // A run that is not killed completes the copy in the layout the last kill left behind.
    Process p = startCopy(layout);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gantry did not finish in 60 s");
    assertEquals(0, p.exitValue(), output(layout));
    assertValid(layout, "after the completing run");
    assertArrayEquals(sourceRaw, ociRaw(layout, "v1"));
    assertEquals(Skopeo.sha256(sourceRaw), Skopeo.sha256(ociRaw(layout, "v1")));
  }

  /**
   * A copy into a directory that does not exist yet creates the layout. Killed at any moment —
   * while the layout is being made beside it, right after it appears, or later — the directory is
   * either absent or a valid layout, and a rerun of the same command completes the copy.
   */
  @Test
  void killedWhileCreatingANewLayoutLeavesNoHalfMadeLayout() throws Exception {
    for (int attempt = 0; attempt < 4; attempt++) {
      Path parent = newDir("create");
      Path candidate = parent.resolve("layout");
      Process p = startCopy(candidate);
      while (p.isAlive() && !appeared(parent, attempt % 2 == 0 ? ".tmp-layout-" : "layout")) {
        Thread.onSpinWait();
      }
      p.destroyForcibly();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "gantry did not die");
      if (Files.exists(candidate)) {
        assertTrue(
            Files.isRegularFile(candidate.resolve("oci-layout")),
            "half-made layout: no oci-layout in " + candidate);
        JSON.readTree(candidate.resolve("index.json").toFile());
      }
      Process rerun = startCopy(candidate);
      assertTrue(rerun.waitFor(60, TimeUnit.SECONDS), "gantry did not finish in 60 s");
      assertEquals(0, rerun.exitValue(), output(candidate));
      assertArrayEquals(sourceRaw, ociRaw(candidate, "v1"));
      TempDirs.delete(parent);
    }
  }

  private static boolean appeared(Path parent, String prefix) throws IOException {
    try (Stream<Path> entries = Files.list(parent)) {
      return entries.anyMatch(e -> e.getFileName().toString().startsWith(prefix));
    }
  }

  /**
   * A valid layout: index.json parses; skopeo copies every tagged image out in full (each manifest
   * and blob is present and matches its digest); the image that was there before is byte-identical;
   * and every file under blobs/sha256/ with a final name hashes to that name (only verified blobs
   * become visible).
   */
  private void assertValid(Path layout, String when) throws IOException {
    JsonNode index;
    try {
      index = JSON.readTree(layout.resolve("index.json").toFile());
    } catch (IOException e) {
      throw new AssertionError(when + ": index.json does not parse", e);
    }
    assertTrue(index.path("manifests").isArray(), when + ": index.json " + index);
    for (JsonNode entry : index.path("manifests")) {
      String tag = entry.path("annotations").path("org.opencontainers.image.ref.name").asText(null);
      if (tag == null) {
        fail(when + ": untagged entry in index.json " + entry);
      }
      byte[] raw = ociRaw(layout, tag);
      assertEquals(entry.path("digest").asText(), Skopeo.sha256(raw), when + ": " + tag);
      Path pull = TempDirs.create("gantry-crash-it-pull-");
      try {
        skopeoCopy("oci:" + layout + ":" + tag, "oci:" + pull + ":check");
      } catch (IllegalStateException e) {
        throw new AssertionError(when + ": skopeo cannot copy " + tag + " out of the layout", e);
      } finally {
        TempDirs.delete(pull);
      }
    }
    assertArrayEquals(keep, ociRaw(layout, "keep"), when + ": the existing image changed");
    try (Stream<Path> files = Files.list(layout.resolve("blobs/sha256"))) {
      for (Path f : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
        assertEquals(
            "sha256:" + f.getFileName(),
            Skopeo.sha256(Files.readAllBytes(f)),
            when + ": blob " + f);
      }
    }
  }

  /** Waits for the kill point; returns whether gantry was still running then. */
  private static boolean waitFor(Process p, Path layout, KillPoint point)
      throws InterruptedException {
    if (point.trigger() == null) {
      return !p.waitFor(point.delayMillis(), TimeUnit.MILLISECONDS);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (p.isAlive() && System.nanoTime() < deadline) {
      if (point.trigger().test(layout)) {
        return p.isAlive();
      }
      Thread.onSpinWait();
    }
    return false;
  }

  /** {@code java -jar gantry.jar copy SOURCE oci:LAYOUT:v1}, output to files beside the layout. */
  private Process startCopy(Path layout) throws IOException {
    return startCopy(source, layout);
  }

  private Process startCopy(String from, Path layout) throws IOException {
    String jar = System.getProperty("gantry.jar", "target/gantry.jar");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // The copy's own writes; a ledger record would be one more index.json write after the copy
    // completed.
    ProcessBuilder pb =
        new ProcessBuilder(
                java.toString(), "-jar", jar, "copy", "--no-record", from, "oci:" + layout + ":v1")
            .redirectOutput(layout.resolveSibling("stdout.txt").toFile())
            .redirectError(layout.resolveSibling("stderr.txt").toFile());
    pb.environment().clear();
    pb.environment().put("HOME", newDir("home").toString());
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    Process p = pb.start();
    p.getOutputStream().close();
    return p;
  }

  private static String output(Path layout) throws IOException {
    return Files.readString(layout.resolveSibling("stdout.txt"))
        + Files.readString(layout.resolveSibling("stderr.txt"));
  }

  /** A copy of the skopeo-written base layout (which holds "keep"), in its own directory. */
  private Path freshLayout() throws IOException {
    Path layout = newDir("trial").resolve("layout");
    try (Stream<Path> files = Files.walk(base)) {
      for (Path f : files.toList()) {
        Path target = layout.resolve(base.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
    return layout;
  }

  /** Blob files the base layout does not have: temporary ones (a leading dot) or final ones. */
  private List<Path> newBlobFiles(Path layout, boolean temporary) {
    try (Stream<Path> files = Files.list(layout.resolve("blobs/sha256"))) {
      return files
          .filter(f -> f.getFileName().toString().startsWith(".") == temporary)
          .filter(f -> !Files.exists(base.resolve("blobs/sha256").resolve(f.getFileName())))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The size of the largest blob file (temporary or not) being written, so a kill lands inside a
   * layer.
   */
  private long largestNewBlob(Path layout) {
    long largest = 0;
    for (Path f : newBlobFiles(layout, true)) {
      largest = Math.max(largest, sizeOrZero(f));
    }
    for (Path f : newBlobFiles(layout, false)) {
      largest = Math.max(largest, sizeOrZero(f));
    }
    return largest;
  }

  private static long sizeOrZero(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // renamed or removed in the meantime
    }
  }

  private static boolean hasIndexTemp(Path layout) {
    try (Stream<Path> files = Files.list(layout)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith(".tmp-index.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void skopeoCopy(String from, String to) {
    skopeo.run(List.of("copy", "--all", "--preserve-digests", "--quiet", from, to));
  }

  private byte[] ociRaw(Path layout, String tag) {
    return skopeo.run(List.of("inspect", "--raw", "oci:" + layout + ":" + tag)).stdout();
  }

  private Path newDir(String name) {
    Path dir = TempDirs.create("gantry-crash-it-" + name + "-");
    temps.add(dir);
    return dir;
  }
}
