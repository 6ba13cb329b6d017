package dev.gantry.deploy;

import static dev.gantry.deploy.DeployFixture.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.deploy.RemoteDeploy.Result;
import dev.gantry.testing.ProcessRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad settings stop scripts/deploy.sh with exit 2 before it runs anything; the script is
 * shellcheck-clean.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeploySettingsIT {

  private DeployFixture fixture;
  private DeployHost host;

  @BeforeAll
  void start() {
    fixture = DeployFixture.start();
  }

  @AfterAll
  void stop() {
    fixture.close();
  }

  @BeforeEach
  void freshHost() {
    host = fixture.freshHost();
  }

  @ParameterizedTest
  @ValueSource(strings = {"DEPLOY_DIR", "IMAGE_TAG", "HEALTH_URL"})
  void missingRequiredSettingExitsTwoAndRunsNothing(String name) {
    Map<String, String> settings = fixture.settings();
    settings.remove(name);

    Result r = fixture.deploy().run(settings, TOKEN);

    assertNothingRan(r, name + " is not set");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "IMAGE_TAG        | 2026.11.0;reboot   | is not an image tag",
        "IMAGE_TAG        | -rf                | is not an image tag",
        "DEPLOY_DIR       | /nonexistent/app   | is not a directory",
        "HEALTH_URL       | localhost:8080     | must be an http:// or https:// URL",
        "HEALTH_TIMEOUT   | soon               | is not a whole number of seconds",
        "GIT_TAG          | --upload-pack=x    | is not a tag name",
        "GIT_TAG          | v1/../../x         | is not a tag name",
        "IMAGES           | ghcr.io/acme/api:2026.11.0 | is not IMAGE@sha256:<64 hex>",
        "IMAGES           | api@sha256:0123    | is not IMAGE@sha256:<64 hex>",
        "IMAGES           | ghcr.io/a/api@sha256:1111111111111111111111111111111111111111111111111111111111111111 ghcr.io/b/api@sha256:2222222222222222222222222222222222222222222222222222222222222222 | has two images for the compose service 'api'",
        "PRUNE_UNTIL      | --all              | is not a duration or timestamp",
        "REGISTRY         | ghcr.io -u x       | is not a registry host"
      })
  void invalidSettingExitsTwoAndRunsNothing(String name, String value, String message) {
    Map<String, String> settings = fixture.settings();
    settings.put(name, value);

    Result r = fixture.deploy().run(settings, TOKEN);

    assertNothingRan(r, message);
  }

  @Test
  void tokenWithoutUserExitsTwo() {
    Map<String, String> settings = fixture.settings();
    settings.remove("REGISTRY_USER");

    Result r = fixture.deploy().run(settings, TOKEN);

    assertNothingRan(r, "REGISTRY_TOKEN is set but REGISTRY_USER is not");
  }

  @Test
  void scriptIsShellcheckClean() {
    ProcessRunner.Result r;
    try {
      r =
          ProcessRunner.run(
              List.of("shellcheck", RemoteDeploy.SCRIPT.toString()),
              Duration.ofSeconds(30),
              Map.of(),
              null);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "shellcheck is needed; install it with: apt-get install shellcheck", e);
    }
    assertEquals(0, r.exitCode(), r.stdoutText() + r.stderr());
  }

  private void assertNothingRan(Result r, String message) {
    assertEquals(2, r.exitCode(), r.all());
    assertTrue(r.stderr().contains(message), r.all());
    assertTrue(r.stderr().contains("bad settings: nothing was run"), r.all());
    assertEquals(List.of(), host.calls(), "no step ran");
    assertTrue(fixture.health().hits().isEmpty(), "no health check");
    assertFalse(r.all().contains(TOKEN), "the token is not echoed");
  }
}
