package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.testing.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * scripts/build-plan.sh (build-images' image list -> ordered stages) and scripts/build-contexts.sh
 * (the named build contexts of an image built after others), run directly as the workflow runs
 * them.
 */
class BuildPlanTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SEED =
      """
      [{"name": "frontend", "context": "frontend"},
       {"name": "backend", "context": "backend", "after": ["base"], "target": "prod",
        "build-args": {"JAVA_OPTS": "-Xmx1g -Dx=\\"y\\" $HOME"}, "platforms": "linux/amd64,linux/arm64"},
       {"name": "base", "context": "backend", "dockerfile": "backend/Dockerfile.base"},
       {"name": "cert-generator"},
       {"name": "tools/worker", "after": ["backend", "base"]}]""";

  @TempDir Path dir;

  @Test
  void imagesWithoutDependenciesShareTheFirstStageAndEachImageComesAfterWhatItIsBuiltFrom()
      throws IOException {
    ProcessRunner.Result r = plan(SEED);

    assertEquals(0, r.exitCode(), r.stderr());
    JsonNode stages = JSON.readTree(r.stdoutText());
    assertEquals(
        List.of(
            List.of("frontend", "base", "cert-generator"), List.of("backend"), List.of("worker")),
        names(stages));
    JsonNode backend = stages.get(1).get(0);
    assertEquals(
        "{\"name\":\"backend\",\"image\":\"ghcr.io/acme/backend\",\"context\":\"backend\","
            + "\"dockerfile\":\"backend/Dockerfile\",\"target\":\"prod\",\"platforms\":\"linux/amd64,linux/arm64\","
            + "\"build-args\":\"JAVA_OPTS=-Xmx1g -Dx=\\\"y\\\" $HOME\",\"after\":{\"base\":\"ghcr.io/acme/base\"}}",
        backend.toString());
    JsonNode base = stages.get(0).get(1);
    assertEquals("backend/Dockerfile.base", base.get("dockerfile").asText());
    assertEquals(
        "linux/amd64", base.get("platforms").asText(), "the workflow's platforms by default");
    assertEquals("", base.get("target").asText());
    assertEquals(
        "{\"backend\":\"ghcr.io/acme/backend\",\"base\":\"ghcr.io/acme/base\"}",
        stages.get(2).get(0).get("after").toString());
    assertEquals("ghcr.io/tools/worker", stages.get(2).get(0).get("image").asText());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[{\"name\": \"a\", \"after\": [\"b\"]}, {\"name\": \"b\", \"after\": [\"a\"]}, {\"name\": \"c\"}]"
            + " | the after lists form a cycle among: a, b",
        "[{\"name\": \"a\", \"after\": [\"a\"]}] | the after lists form a cycle among: a",
        "[{\"name\": \"backend\", \"after\": [\"bsae\"]}, {\"name\": \"base\"}]"
            + " | backend: after names \"bsae\", which is not an image of this list",
        "[{\"name\": \"a\", \"after\": \"b\"}] | a: after must be a list of image names",
        "[{\"name\": \"a\", \"target\": \"x y\"}] | a: target \"x y\" is not a stage name",
        "[{\"name\": \"a\", \"build-args\": {\"X\": \"1\\n2\"}}] | a: build-arg X must be a one-line string",
        "[{\"name\": \"a\", \"build-args\": {\"X Y\": \"1\"}}] | a: build-arg name \"X Y\"",
        "[{\"name\": \"API\"}] | image name \"API\" is not a lower-case repository name",
        "[] | images must be a non-empty JSON list",
        "[{\"name\": \"x/a\"}, {\"name\": \"y/a\"}] | two images share a last name segment",
        "not json | images is not JSON"
      })
  void badListsExitTwoWithOneLineNamingTheProblem(String images, String message) {
    ProcessRunner.Result r = plan(images);

    assertEquals(2, r.exitCode(), r.stdoutText() + r.stderr());
    assertEquals("", r.stdoutText(), "no plan");
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().startsWith("build-plan: " + message), r.stderr());
  }

  @Test
  void contextsNameTheDigestTheEarlierStagePushed() throws IOException {
    String digest = "sha256:" + "ab".repeat(32);
    Files.writeString(dir.resolve("base.json"), "{\"ghcr.io/acme/base\": \"" + digest + "\"}");

    ProcessRunner.Result r = contexts("{\"base\": \"ghcr.io/acme/base\"}");

    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(
        "contexts<<EOF_CONTEXTS\nbase=docker-image://ghcr.io/acme/base@"
            + digest
            + "\nEOF_CONTEXTS\n"
            + "labels<<EOF_LABELS\norg.opencontainers.image.base.name=ghcr.io/acme/base@"
            + digest
            + "\n"
            + "org.opencontainers.image.base.digest="
            + digest
            + "\nEOF_LABELS\n",
        r.stdoutText());
  }

  @Test
  void anImageAfterNothingHasNoContextsAndAMissingDigestStopsTheBuild() throws IOException {
    ProcessRunner.Result none = contexts("{}");
    assertEquals(0, none.exitCode(), none.stderr());
    assertEquals(
        "contexts<<EOF_CONTEXTS\nEOF_CONTEXTS\nlabels<<EOF_LABELS\nEOF_LABELS\n",
        none.stdoutText());

    // base's stage failed: no base.json; a digest of another image does not count.
    Files.writeString(
        dir.resolve("other.json"), "{\"ghcr.io/acme/base\": \"sha256:" + "cd".repeat(32) + "\"}");
    ProcessRunner.Result missing = contexts("{\"base\": \"ghcr.io/acme/base\"}");
    assertEquals(1, missing.exitCode());
    assertEquals(
        "build-contexts: ghcr.io/acme/base (base) has no digest from this build: its stage failed or did "
            + "not push\n",
        missing.stderr());
  }

  private ProcessRunner.Result plan(String images) {
    return ProcessRunner.run(
        List.of("scripts/build-plan.sh", "ghcr.io", "Acme", "linux/amd64"),
        Duration.ofSeconds(30),
        Map.of(),
        images.getBytes(StandardCharsets.UTF_8));
  }

  private ProcessRunner.Result contexts(String after) {
    return ProcessRunner.run(
        List.of("scripts/build-contexts.sh", after, dir.toString()),
        Duration.ofSeconds(30),
        Map.of(),
        null);
  }

  private static List<List<String>> names(JsonNode stages) {
    List<List<String>> names = new ArrayList<>();
    stages.forEach(
        stage -> {
          List<String> inStage = new ArrayList<>();
          stage.forEach(image -> inStage.add(image.get("name").asText()));
          names.add(inStage);
        });
    return names;
  }
}
