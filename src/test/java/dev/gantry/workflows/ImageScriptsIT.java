package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.testing.ProcessRunner;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TestImages;
import dev.gantry.testing.TestImages.Format;
import dev.gantry.testing.TestImages.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/tag-once.sh (build-images: a build tag is never moved to other bytes) and
 * scripts/scan-legs.sh (Scan & Promote: one Trivy leg per pinned image and platform) against the
 * real registry, with basic auth; what the registry holds afterwards is read by an independent
 * skopeo.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageScriptsIT {
  private static final String TAG = "sha-0123abc";

  @TempDir Path dir;
  private RegistryServer registry;
  private ImageScripts scripts;
  private Skopeo witness;

  @BeforeAll
  void start() {
    registry = RegistryServer.basicAuth();
    scripts = new ImageScripts(registry);
    witness = Skopeo.isolated();
  }

  @AfterAll
  void stop() {
    witness.close();
    scripts.close();
    registry.close();
  }

  private String image(String repo) {
    return registry.hostPort() + "/" + repo;
  }

  @Test
  void aBuildTagIsCreatedOnceAndNeverMovedToOtherBytes() {
    String first =
        TestImages.push(
            TestImages.singlePlatform(dir.resolve("a"), 1), registry, "acme/api", "build-1");
    String second =
        TestImages.push(
            TestImages.singlePlatform(dir.resolve("b"), 2), registry, "acme/api", "build-2");

    ProcessRunner.Result created =
        scripts.run("tag-once.sh", null, image("acme/api") + "@" + first, TAG);
    assertEquals(0, created.exitCode(), created.stdoutText() + created.stderr());
    assertEquals(
        first, witness.digest("acme/api:" + TAG, registry), "the tag names the pushed bytes");

    ProcessRunner.Result again =
        scripts.run("tag-once.sh", null, image("acme/api") + "@" + first, TAG);
    assertEquals(0, again.exitCode(), again.stdoutText() + again.stderr());
    assertTrue(
        again.stdoutText().contains("is already " + first + ": nothing to do"), again.stdoutText());

    ProcessRunner.Result other =
        scripts.run("tag-once.sh", null, image("acme/api") + "@" + second, TAG);
    assertEquals(1, other.exitCode(), other.stdoutText() + other.stderr());
    assertTrue(
        other
            .stdoutText()
            .startsWith(
                "::error title=build tag is immutable: " + image("acme/api") + ":" + TAG + "::"),
        other.stdoutText());
    assertTrue(
        other.stdoutText().contains(first) && other.stdoutText().contains(second),
        "names both digests");
    assertEquals(
        first, witness.digest("acme/api:" + TAG, registry), "the tag still names the first bytes");
  }

  /**
   * build-images' tag step (scripts/build-tag.sh): logs in, tags once, records the digest for the
   * later stages.
   */
  @Test
  void theBuildTagStepTagsOnceAndRecordsTheDigest() throws IOException {
    String pushed =
        TestImages.push(
            TestImages.singlePlatform(dir.resolve("t"), 4), registry, "acme/web", "build-1");
    Path temp = Files.createDirectories(dir.resolve("runner-temp"));
    Path summary = dir.resolve("summary");
    Function<String, Map<String, String>> step =
        digest ->
            Map.of(
                "NAME",
                "web",
                "IMAGE",
                image("acme/web"),
                "TAG",
                TAG,
                "DIGEST",
                digest,
                "REGISTRY",
                registry.hostPort(),
                "REGISTRY_USERNAME",
                registry.username(),
                "REGISTRY_PASSWORD",
                registry.password(),
                "RUNNER_TEMP",
                temp.toString(),
                "GITHUB_STEP_SUMMARY",
                summary.toString());

    ProcessRunner.Result none = scripts.runWithEnv("build-tag.sh", step.apply(""));
    assertEquals(1, none.exitCode(), none.stdoutText() + none.stderr());
    assertEquals(
        "::error title=push failed: "
            + image("acme/web")
            + "::"
            + image("acme/web")
            + " reported no digest\n",
        none.stdoutText());
    assertFalse(Files.exists(temp.resolve("digests/web.json")), "nothing recorded");

    ProcessRunner.Result r = scripts.runWithEnv("build-tag.sh", step.apply(pushed));
    assertEquals(0, r.exitCode(), r.stdoutText() + r.stderr());
    assertEquals(
        pushed, witness.digest("acme/web:" + TAG, registry), "the tag names the pushed bytes");
    JsonNode recorded = new ObjectMapper().readTree(temp.resolve("digests/web.json").toFile());
    assertEquals(pushed, recorded.path(image("acme/web")).asText(), recorded.toString());
    assertEquals(
        "pushed `" + image("acme/web") + ":" + TAG + "` `" + pushed + "`\n",
        Files.readString(summary));
    assertFalse(
        (r.stdoutText() + r.stderr()).contains(registry.password()),
        "the password stays out of the output");
  }

  @Test
  void anIndexIsTaggedAsTheWholeIndex() {
    String index =
        TestImages.push(
            TestImages.multiArch(dir.resolve("i"), 3), registry, "acme/multi", "build-1");

    ProcessRunner.Result r =
        scripts.run("tag-once.sh", null, image("acme/multi") + "@" + index, TAG);

    assertEquals(0, r.exitCode(), r.stdoutText() + r.stderr());
    assertEquals(index, witness.digest("acme/multi:" + TAG, registry));
  }

  @Test
  void badArgumentsExitTwoAndTouchNothing() {
    ProcessRunner.Result tagged =
        scripts.run("tag-once.sh", null, image("acme/api") + ":latest", TAG);
    assertEquals(2, tagged.exitCode());
    assertEquals(
        "tag-once: '" + image("acme/api") + ":latest' is not IMAGE@sha256:<64 hex>\n",
        tagged.stderr());
    ProcessRunner.Result badTag =
        scripts.run("tag-once.sh", null, image("acme/api") + "@sha256:" + "0".repeat(64), "-rf");
    assertEquals(2, badTag.exitCode());
    assertEquals("tag-once: '-rf' is not an image tag\n", badTag.stderr());
  }

  @Test
  void scanLegsAreOnePerPlatformOfAnIndexAndOneForASingleManifest() throws IOException {
    String index =
        TestImages.push(
            TestImages.multiArch(
                dir.resolve("m"),
                4,
                Format.OCI,
                List.of(
                    Platform.LINUX_AMD64, Platform.LINUX_ARM64, new Platform("windows", "amd64")),
                1,
                256),
            registry,
            "acme/web",
            "sha-1");
    String single =
        TestImages.push(
            TestImages.singlePlatform(dir.resolve("s"), 5), registry, "acme/api", "sha-1");
    String pinned =
        image("acme/web") + "@" + index + "\n" + image("acme/api") + "@" + single + "\n";

    ProcessRunner.Result all = scripts.run("scan-legs.sh", pinned);

    assertEquals(0, all.exitCode(), all.stderr());
    JsonNode legs = new ObjectMapper().readTree(all.stdoutText());
    assertEquals(3, legs.size(), legs.toString());
    assertEquals(
        Map.of(
            "image",
            image("acme/web"),
            "ref",
            image("acme/web") + "@" + index,
            "name",
            "web",
            "platform",
            "linux/amd64",
            "key",
            "web-linux-amd64"),
        new ObjectMapper().convertValue(legs.get(0), Map.class));
    assertEquals(
        "linux/arm64", legs.get(1).path("platform").asText(), "every linux platform, windows not");
    assertEquals("", legs.get(2).path("platform").asText());
    assertEquals("api", legs.get(2).path("key").asText());

    ProcessRunner.Result chosen = scripts.run("scan-legs.sh", pinned, "linux/arm64");
    assertEquals(0, chosen.exitCode(), chosen.stderr());
    JsonNode arm = new ObjectMapper().readTree(chosen.stdoutText());
    assertEquals(
        List.of("linux/arm64", ""),
        List.of(arm.get(0).path("platform").asText(), arm.get(1).path("platform").asText()));

    ProcessRunner.Result missing = scripts.run("scan-legs.sh", pinned, "linux/s390x");
    assertEquals(1, missing.exitCode());
    assertEquals(
        "scan-legs: "
            + image("acme/web")
            + "@"
            + index
            + " has no platform linux/s390x (it has: linux/amd64, "
            + "linux/arm64)\n",
        missing.stderr());

    ProcessRunner.Result tag = scripts.run("scan-legs.sh", image("acme/web") + ":sha-1\n");
    assertEquals(2, tag.exitCode(), "a bare tag is refused: " + tag.stderr());
  }

  @Test
  void scriptsAreShellcheckClean() {
    for (String script : List.of("scripts/tag-once.sh", "scripts/scan-legs.sh")) {
      ProcessRunner.Result r =
          ProcessRunner.run(List.of("shellcheck", script), Duration.ofSeconds(30), Map.of(), null);
      assertEquals(0, r.exitCode(), script + ": " + r.stdoutText() + r.stderr());
    }
  }
}
