package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 11: a run of a reusable workflow whose Gantry repository is still the OWNER placeholder
 * (the default branch's defaults) stops at its first step with one clear error, before anything is
 * scanned, released or deployed. Each guard runs as the runner runs it (RunBlock), on the default
 * branch's defaults and on a release's.
 */
class GantryPlaceholderGuardTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    ".github/workflows/build-images.yml, plan",
    ".github/workflows/scan-and-promote.yml, plan",
    ".github/workflows/release-and-deploy.yml, release",
    ".github/workflows/sbom.yml, sbom"
  })
  void thePlaceholderStopsTheFirstJob(String file, String job) {
    RunBlock guard = RunBlock.of(file, job, "Check where Gantry comes from");
    Workflow w = WorkflowPolicyTest.repository().byPath(file).orElseThrow();
    assertEquals(
        "Check where Gantry comes from",
        w.steps(job).get(0).node().path("name").asText(),
        "the first step");
    String placeholder = w.call().path("inputs").path("gantry-repository").path("default").asText();
    assertTrue(
        placeholder.startsWith("OWNER/"),
        "the default branch's default is the placeholder: " + placeholder);

    RunBlock.Result refused =
        guard.run(dir, Map.of("GANTRY_REPOSITORY", placeholder, "GANTRY_REF", "v1"));
    assertEquals(1, refused.exitCode(), refused::all);
    assertTrue(
        refused
            .stdout()
            .startsWith(
                "::error title=Gantry is not published here::gantry-repository 'OWNER/gantry'"),
        refused::all);
    assertEquals(1, refused.stdout().lines().count(), refused::all);

    RunBlock.Result notARepository =
        guard.run(dir, Map.of("GANTRY_REPOSITORY", "gantry", "GANTRY_REF", SHA));
    assertEquals(1, notARepository.exitCode(), notARepository::all);

    RunBlock.Result released =
        guard.run(dir, Map.of("GANTRY_REPOSITORY", "acme/gantry", "GANTRY_REF", SHA));
    assertEquals(0, released.exitCode(), released::all);
    assertEquals("", released.stdout() + released.stderr());
  }
}
