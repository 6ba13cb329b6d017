package dev.gantry.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.ProcessRunner;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import dev.gantry.testing.ThrottleProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code java -jar gantry.jar copy} of an image with a 50 MiB layer (random bytes: gzip cannot
 * shrink it) between two real registries, the source behind a proxy that paces its responses like a
 * slow link. Checks what stderr shows in a log, on a pseudo-terminal and with --quiet, that stdout
 * keeps only the report, and the copy itself with skopeo.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProgressIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LAYER_BYTES = 50 * 1024 * 1024;
  private static final Pattern PROGRESS =
      Pattern.compile(
          "blob (sha256:[0-9a-f]{12}): (\\d+)% \\(([0-9.]+) (B|kB|MB) of 52\\.4 MB\\), [0-9.]+ (B|kB|MB)/s");
  private static final Pattern SUMMARY =
      Pattern.compile(
          "copy: (\\S+ \\S+) moved; blobs: (\\d+) uploaded, (\\d+) mounted, (\\d+) already there; (\\d+) manifests? written; [0-9.]+ m?s, \\S+ \\S+/s(; ledger: 1 record written)");

  private RegistryServer one;
  private RegistryServer two;
  private ThrottleProxy slow;
  private Skopeo skopeo;
  private String digest;
  private String layer;

  @BeforeAll
  void start() throws IOException {
    one = RegistryServer.open();
    two = RegistryServer.open();
    slow = ThrottleProxy.inFrontOf(one, 2_200_000);
    skopeo = Skopeo.isolated();
    TestImages.Layout image =
        TestImages.singlePlatform(
            TempDirs.create("gantry-layout-"),
            1801,
            TestImages.Format.OCI,
            TestImages.Platform.LINUX_AMD64,
            1,
            LAYER_BYTES);
    digest = TestImages.push(image, one, "src/big", "v1");
    layer = JSON.readTree(image.manifest()).path("layers").get(0).path("digest").asText();
  }

  @AfterAll
  void stop() {
    skopeo.close();
    slow.close();
    one.close();
    two.close();
  }

  @Test
  void inALogStderrShowsTheLargeBlobEveryTenSecondsAndStdoutOnlyTheJsonDocument()
      throws IOException {
    slow.rate(
        2_200_000); // ~24 s for the layer: lines at about 10 s and 20 s, besides its first and last
    // line

    Result r =
        new GantryRunner()
            .runJar(
                List.of(),
                "copy",
                "--json",
                slow.hostPort() + "/src/big:v1",
                two.hostPort() + "/log/big:v1");

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(digest, skopeo.digest("log/big:v1", two));
    assertEquals(
        1, r.stdout().strip().lines().count(), "stdout is one JSON document: " + r.stdout());
    JsonNode report = JSON.readTree(r.stdout());
    assertEquals("copied", report.path("outcome").asText());

    String shortLayer = layer.substring(0, "sha256:".length() + 12);
    List<String> lines = r.stderr().lines().toList();
    assertEquals("blob " + shortLayer + ": 52.4 MB to copy", lines.get(0), r.stderr());
    List<Double> counts = new ArrayList<>();
    for (String line : lines) {
      Matcher m = PROGRESS.matcher(line);
      if (m.matches()) {
        assertEquals(shortLayer, m.group(1));
        counts.add(
            Double.parseDouble(m.group(3))
                * Map.of("B", 1e-6, "kB", 1e-3, "MB", 1.0).get(m.group(4)));
      }
    }
    assertTrue(counts.size() >= 2, "at least two progress lines in ~24 s: " + r.stderr());
    for (int i = 1; i < counts.size(); i++) {
      assertTrue(counts.get(i) > counts.get(i - 1), "byte counts grow: " + counts);
    }
    assertTrue(
        lines.get(lines.size() - 2).startsWith("blob " + shortLayer + ": copied 52.4 MB in "),
        r.stderr());

    // The summary line is last, with the figures of the report.
    Matcher summary = SUMMARY.matcher(lines.get(lines.size() - 1));
    assertTrue(summary.matches(), r.stderr());
    assertEquals(
        String.format(
            java.util.Locale.ROOT, "%.1f MB", report.path("blobs").path("bytes").asLong() / 1e6),
        summary.group(1));
    assertEquals(
        List.of("2", "0", "0", "1"),
        List.of(summary.group(2), summary.group(3), summary.group(4), summary.group(5)));
    assertEquals(2 + counts.size() + 1, lines.size(), "nothing else on stderr: " + r.stderr());
    assertNoUrl(r.stderr());
  }

  @Test
  void onATerminalStderrIsRedrawnInPlaceAndErasedAtTheEnd() throws IOException {
    slow.rate(15_000_000); // ~3.5 s: about seventeen redraws
    Path out = Files.createTempFile(TempDirs.create("gantry-pty-"), "stdout", ".txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String jar =
        Path.of(System.getProperty("gantry.jar", "target/gantry.jar")).toAbsolutePath().toString();
    // script(1) gives the command a pseudo-terminal; stdout goes to a file, so what script shows is
    // stderr.
    String command =
        String.join(
            " ",
            java,
            "-jar",
            jar,
            "copy",
            slow.hostPort() + "/src/big:v1",
            two.hostPort() + "/tty/big:v1",
            ">",
            out.toString());
    ProcessRunner.Result r =
        ProcessRunner.run(
            List.of("script", "-qec", command, "/dev/null"),
            Duration.ofMinutes(2),
            Map.of("HOME", TempDirs.create("gantry-home-").toString(), "TERM", "xterm"),
            null);
    String tty = r.stdoutText();

    assertEquals(0, r.exitCode(), tty + r.stderr());
    assertEquals(digest, skopeo.digest("tty/big:v1", two));
    List<String> stdout = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(1, stdout.size(), stdout.toString());
    assertTrue(stdout.get(0).startsWith("copied "), stdout.toString());

    assertTrue(
        tty.contains("\r\u001b[2K"), "lines are erased before they are drawn: " + printable(tty));
    assertTrue(
        tty.contains("\r\u001b[2A"),
        "the cursor goes back up over the blob and total lines: " + printable(tty));
    Matcher done = Pattern.compile("([0-9.]+ MB) / 52\\.4 MB").matcher(tty);
    List<String> figures = new ArrayList<>();
    while (done.find()) {
      if (!figures.contains(done.group(1))) {
        figures.add(done.group(1));
      }
    }
    assertTrue(figures.size() >= 3, "the same line shows growing byte counts: " + figures);
    assertTrue(tty.contains("total  "), printable(tty));
    // After the last erase only the summary line is left on the screen.
    String after = tty.substring(tty.lastIndexOf("\u001b[J") + 3).strip();
    assertTrue(SUMMARY.matcher(after).matches(), printable(after));
    assertNoUrl(tty);
  }

  @Test
  void quietShowsNothingAndNoneKeepsOnlyTheSummary() {
    Result quiet =
        new GantryRunner()
            .runJar(
                List.of(),
                "copy",
                "--quiet",
                one.hostPort() + "/src/big:v1",
                two.hostPort() + "/quiet/big:v1");
    assertEquals(0, quiet.exitCode(), quiet.all());
    assertEquals("", quiet.stderr());
    assertTrue(
        quiet.stdout().startsWith("copied ") && quiet.stdout().strip().lines().count() == 1,
        quiet.stdout());
    assertEquals(digest, skopeo.digest("quiet/big:v1", two));

    // Within one registry the blobs are mounted: the summary says so, and that nothing streamed.
    Result none =
        new GantryRunner()
            .runJar(
                List.of(),
                "copy",
                "--progress=none",
                one.hostPort() + "/src/big:v1",
                one.hostPort() + "/mounted/big:v1");
    assertEquals(0, none.exitCode(), none.all());
    assertEquals(1, none.stderr().lines().count(), none.stderr());
    Matcher summary = SUMMARY.matcher(none.stderr().strip());
    assertTrue(summary.matches(), none.stderr());
    assertEquals(
        List.of("0 B", "0", "2", "0", "1"),
        List.of(
            summary.group(1),
            summary.group(2),
            summary.group(3),
            summary.group(4),
            summary.group(5)));
  }

  @Test
  void anUnknownProgressFormIsBadInputAndCopiesNothing() {
    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--progress=fancy",
                one.hostPort() + "/src/big:v1",
                two.hostPort() + "/bad/big:v1");
    assertEquals(2, r.exitCode(), r.all());
    assertEquals("gantry: invalid --progress 'fancy' (auto, tty, plain or none)\n", r.stderr());
    assertEquals("", r.stdout());
    assertFalse(skopeo.exists("bad/big:v1", two));
  }

  /** Progress names blobs by digest only: no URL, so no upload location or signed query string. */
  private static void assertNoUrl(String text) {
    assertFalse(
        text.contains("http") || text.contains("?") || text.contains("_state"), printable(text));
  }

  private static String printable(String s) {
    return s.replace("\u001b", "<ESC>").replace("\r", "<CR>");
  }
}
