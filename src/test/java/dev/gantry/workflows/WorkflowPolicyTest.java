package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The repository's workflows and templates keep every rule of {@link WorkflowPolicy}. */
class WorkflowPolicyTest {
  static final Path ROOT = Path.of("").toAbsolutePath();

  static Suite repository() {
    return Suite.load(ROOT);
  }

  @Test
  void theSuiteKeepsThePolicy() {
    List<Violation> violations = WorkflowPolicy.check(repository());
    assertEquals(
        List.of(),
        violations,
        () ->
            "policy violations:\n"
                + violations.stream().map(Violation::toString).collect(Collectors.joining("\n")));
  }

  @Test
  void theSuiteIsWhatIssue5AsksFor() {
    Suite suite = repository();
    Set<String> reusable =
        suite.workflows().stream()
            .filter(w -> !w.isTemplate() && w.isReusable())
            .map(Workflow::path)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(
        Set.of(
            ".github/workflows/build-images.yml",
            ".github/workflows/scan-and-promote.yml",
            ".github/workflows/release-and-deploy.yml",
            ".github/workflows/sbom.yml",
            // issue 17: stage promotions behind environments, and the ledger's rollback
            ".github/workflows/promote-stage.yml",
            ".github/workflows/rollback.yml"),
        reusable);
    Set<String> templates =
        suite.templates().stream().map(Workflow::name).collect(Collectors.toSet());
    assertEquals(
        Set.of(
            ChainRules.STACK_TESTS,
            ChainRules.SCAN_AND_PROMOTE,
            ChainRules.RELEASE_AND_DEPLOY,
            ChainRules.SBOM,
            "Multi-Stage Promote",
            "Roll Back"),
        templates);
    // Dogfood: CI builds and tests; after it, release.yml ships Gantry with the suite's own
    // scan-and-promote.
    String ci =
        suite.text(".github/workflows/ci.yml") + suite.text(".github/workflows/release.yml");
    for (String wiring :
        List.of(
            "run: ./mvnw -B verify",
            "platforms: linux/amd64,linux/arm64",
            "uses: ./.github/workflows/scan-and-promote.yml",
            "scripts/prepare-release.sh",
            "uses: ./.github/workflows/build-images.yml")) {
      assertTrue(ci.contains(wiring), "ci.yml + release.yml lack " + wiring);
    }
    // Where templates call the suite and the suite takes the action from (OWNER is a placeholder
    // until publication).
    assertTrue(suite.gantryRepository().matches("[^/\\s]+/[^/\\s]+"), suite.gantryRepository());
    assertTrue(suite.gantryRef().matches("v\\d+"), suite.gantryRef());
  }

  /**
   * The release-note categories Gantry's release asks GitHub for, and Dependabot keeping the pins
   * fresh.
   */
  @Test
  void releaseNotesAndDependabotAreConfigured() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonNode notes = yaml.readTree(ROOT.resolve(".github/release.yml").toFile());
    JsonNode categories = notes.path("changelog").path("categories");
    assertTrue(categories.size() >= 3, notes::toString);
    assertEquals(
        "[\"*\"]",
        categories.get(categories.size() - 1).path("labels").toString(),
        "a last catch-all category");
    JsonNode dependabot = yaml.readTree(ROOT.resolve(".github/dependabot.yml").toFile());
    Set<String> ecosystems = new TreeSet<>();
    dependabot.path("updates").forEach(u -> ecosystems.add(u.path("package-ecosystem").asText()));
    assertEquals(Set.of("github-actions", "maven", "npm"), ecosystems);
  }

  /**
   * `on:` is a YAML 1.1 boolean to some parsers; Jackson must read it as the key the rules look up.
   */
  @Test
  void triggersAreRead() {
    Suite suite = repository();
    Workflow promote = suite.byName(ChainRules.SCAN_AND_PROMOTE).orElseThrow();
    assertTrue(promote.triggeredBy("workflow_run") && promote.triggeredBy("workflow_dispatch"));
    assertEquals(
        "[\"Stack Tests\"]", promote.on().path("workflow_run").path("workflows").toString());
  }

  /**
   * ci.yml installs every Debian package .ci/run installs, so GitHub runs the tests on what CI here
   * has.
   */
  @Test
  void ciInstallsWhatCiRunInstalls() throws IOException {
    Matcher run =
        Pattern.compile("(?m)^packages=\\(([^)]*)\\)")
            .matcher(Files.readString(ROOT.resolve(".ci/run")));
    assertTrue(run.find(), ".ci/run has no packages=(...) line");
    Matcher ci =
        Pattern.compile("apt-get install -y -qq ([^\\n]+)")
            .matcher(repository().text(".github/workflows/ci.yml"));
    assertTrue(ci.find(), "ci.yml installs no packages");
    Set<String> needed = new TreeSet<>(Arrays.asList(run.group(1).trim().split("\\s+")));
    Set<String> installed = new TreeSet<>(Arrays.asList(ci.group(1).trim().split("\\s+")));
    // ci.yml may install more (jq, which the workflow tests use and Debian images of this kind
    // already have).
    needed.removeAll(installed);
    assertEquals(Set.of(), needed, ".ci/run installs these and ci.yml does not");
  }
}
