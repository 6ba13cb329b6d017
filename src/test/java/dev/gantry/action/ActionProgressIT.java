package dev.gantry.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.action.ActionStep.Result;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A copy through the action, as the runner's log shows it (stdout and stderr interleaved): a large
 * blob's progress lines sit inside the command's {@code ::group::}, and the step summary has the
 * figures of the summary line.
 */
class ActionProgressIT {
  @Test
  void aLargeCopysProgressIsInsideTheGroupAndItsFiguresInTheStepSummary() throws IOException {
    try (RegistryServer from = RegistryServer.open();
        RegistryServer to = RegistryServer.open();
        Skopeo skopeo = Skopeo.isolated()) {
      TestImages.Layout image =
          TestImages.singlePlatform(
              TempDirs.create("gantry-layout-"),
              1901,
              TestImages.Format.OCI,
              TestImages.Platform.LINUX_AMD64,
              1,
              12_000_000); // random bytes: over 10 MB gzipped too
      String digest = TestImages.push(image, from, "src/app", "v1");
      String layer =
          new ObjectMapper()
              .readTree(image.manifest())
              .path("layers")
              .get(0)
              .path("digest")
              .asText();
      String shortLayer = "blob " + layer.substring(0, "sha256:".length() + 12) + ": ";
      String sha = EventPayloads.sha();

      Result r =
          ActionStep.on("push", EventPayloads.push(EventPayloads.sha(), sha), sha)
              .input("command", "copy")
              .input("from", from.hostPort() + "/src/app:v1")
              .input("to", to.hostPort() + "/dst/app:v1")
              .runMerged();

      assertEquals(0, r.exitCode(), r.all());
      assertEquals(digest, skopeo.digest("dst/app:v1", to));
      List<String> log = r.stdoutLines();
      int group = indexOf(log, "::group::gantry copy");
      int started = indexOf(log, shortLayer + "12.0 MB to copy");
      int copied = indexOf(log, shortLayer + "copied 12.0 MB in ");
      int summary =
          indexOf(
              log,
              "copy: 12.0 MB moved; blobs: 2 uploaded, 0 mounted, 0 already there; 1 manifest written; ");
      int end = indexOf(log, "::endgroup::");
      assertTrue(
          group >= 0 && group < started && started < copied && copied < summary && summary < end,
          r.all());

      // The step summary shows the same figures: moved, uploaded, mounted, already there,
      // manifests, time, throughput.
      Matcher line =
          Pattern.compile(
                  "copy: (\\S+ \\S+) moved; blobs: (\\d+) uploaded, (\\d+) mounted, (\\d+) already there; "
                      + "(\\d+) manifests? written; (\\S+ m?s), (\\S+ \\S+/s)(; ledger: 1 record written)")
              .matcher(log.get(summary));
      assertTrue(line.matches(), log.get(summary));
      String row =
          "| "
              + String.join(
                  " | ",
                  line.group(1),
                  line.group(2),
                  line.group(3),
                  line.group(4),
                  line.group(5),
                  line.group(6),
                  line.group(7))
              + " |";
      assertTrue(
          r.summary()
              .contains(
                  "| moved | blobs uploaded | blobs mounted | blobs already there | manifests written | time | throughput |\n"
                      + "| --- | --- | --- | --- | --- | --- | --- |\n"
                      + row
                      + "\n"),
          r.summary());
    }
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }
}
