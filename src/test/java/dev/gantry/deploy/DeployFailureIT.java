package dev.gantry.deploy;

import static dev.gantry.deploy.DeployFixture.API_NEW;
import static dev.gantry.deploy.DeployFixture.API_OLD;
import static dev.gantry.deploy.DeployFixture.COMPOSE;
import static dev.gantry.deploy.DeployFixture.CONFIG;
import static dev.gantry.deploy.DeployFixture.NEW;
import static dev.gantry.deploy.DeployFixture.OLD;
import static dev.gantry.deploy.DeployFixture.TOKEN;
import static dev.gantry.deploy.DeployFixture.UP;
import static dev.gantry.deploy.DeployFixture.WEB_NEW;
import static dev.gantry.deploy.DeployFixture.WEB_OLD;
import static dev.gantry.deploy.DeployFixture.assertWithin;
import static dev.gantry.deploy.DeployFixture.last;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.deploy.DeployHost.Call;
import dev.gantry.deploy.RemoteDeploy.Result;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * scripts/deploy.sh over real SSH when a step fails: before `up` nothing running changes (exit 1);
 * from `up` on, the containers are shown and the last healthy release (its checkout and digests) is
 * started again (exit 3), or the run says why not (exit 4).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployFailureIT {
  private static final List<String> OLD_IMAGES = List.of(API_OLD, WEB_OLD);

  private DeployFixture fixture;
  private HealthEndpoint health;
  private DeployHost host;
  private RemoteDeploy deploy;

  @BeforeAll
  void start() {
    fixture = DeployFixture.start();
    health = fixture.health();
  }

  @AfterAll
  void stop() {
    fixture.close();
  }

  @BeforeEach
  void freshHost() {
    host = fixture.freshHost();
    deploy = fixture.deploy();
  }

  @Test
  void unhealthyServiceIsRolledBackToTheLastHealthyTag() {
    host.recordHealthyRelease(OLD, OLD_IMAGES);
    health.unhealthy();
    Map<String, String> settings = fixture.settings();
    settings.put("HEALTH_TIMEOUT", "3");

    Result r = deploy.run(settings, TOKEN);

    assertEquals(3, r.exitCode(), r.all());
    assertWithin(Duration.ofSeconds(3), r, host);
    assertTrue(health.hits().size() >= 2, "polled: " + health.hits());
    List<String> commands = host.commands();
    assertEquals(
        List.of(
            UP + " (IMAGE_TAG=" + NEW + ")",
            COMPOSE + " ps (IMAGE_TAG=" + NEW + ")",
            COMPOSE + " logs --no-color --tail 50 (IMAGE_TAG=" + NEW + ")",
            CONFIG + " (IMAGE_TAG=" + OLD + ")",
            UP + " (IMAGE_TAG=" + OLD + ")"),
        commands.subList(3, commands.size()),
        r.all());
    Call rollback = last(host.calls());
    assertEquals(
        Map.of("api", API_OLD, "web", WEB_OLD),
        rollback.pinned(),
        "the rollback runs the old digests");
    assertEquals(host.commitOf(OLD), host.checkout(), "and the old release's checkout");
    assertTrue(
        r.stdout().contains("example/app:" + NEW + "   Up"), "compose ps is shown: " + r.all());
    assertTrue(r.stdout().contains("stand-in log line 3"), "the logs are shown: " + r.all());
    assertTrue(r.stderr().contains("FAILED: step 'health check'"), r.all());
    assertTrue(r.stderr().contains("last: HTTP 500"), r.all());
    assertTrue(r.stderr().contains("rolled back to " + OLD), r.all());
    assertEquals(OLD, host.recordedTag(), "the failed tag is not recorded");
    assertFalse(pruned(), "nothing is pruned after a failed deploy");
  }

  @Test
  void unhealthyWithNoRecordedTagFailsWithoutRollback() {
    health.unhealthy();
    Map<String, String> settings = fixture.settings();
    settings.put("HEALTH_TIMEOUT", "2");

    Result r = deploy.run(settings, TOKEN);

    assertEquals(4, r.exitCode(), r.all());
    assertWithin(Duration.ofSeconds(2), r, host);
    assertEquals(1, ups(), r.all());
    assertTrue(r.stderr().contains("not rolled back: no healthy version recorded"), r.all());
    assertNull(host.recordedTag());
    assertFalse(pruned());
  }

  @Test
  void slowEndpointIsCutAtTheHealthTimeout() {
    host.recordHealthyRelease(OLD, OLD_IMAGES);
    health.slow(Duration.ofSeconds(30));
    Map<String, String> settings = fixture.settings();
    settings.put("HEALTH_TIMEOUT", "2");

    Result r = deploy.run(settings, TOKEN);

    assertEquals(3, r.exitCode(), r.all());
    assertWithin(Duration.ofSeconds(2), r, host);
    assertTrue(r.stderr().contains("no answer within"), r.all());
    assertEquals(UP + " (IMAGE_TAG=" + OLD + ")", last(host.commands()));
  }

  @Test
  void failingComposePullChangesNothing() {
    host.recordHealthyRelease(OLD, OLD_IMAGES);
    host.failOn("docker compose*pull*");

    Result r = deploy.run(fixture.settings(), TOKEN);

    assertEquals(1, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("FAILED: step 'compose pull'"), r.all());
    assertTrue(r.stderr().contains("not touched"), r.all());
    assertEquals(
        COMPOSE + " pull", last(host.calls()).command(), "nothing after pull: " + host.commands());
    assertEquals(0, ups());
    assertTrue(health.hits().isEmpty());
    assertEquals(OLD, host.recordedTag());
    assertEquals(host.commitOf(OLD), host.checkout(), "the checkout is put back");
    assertFalse(
        Files.exists(host.deployDir().resolve("compose.gantry.yml")), "and no override, as before");
  }

  @Test
  void failingLoginStopsBeforeAnyPull() {
    host.failOn("docker login*");

    Result r = deploy.run(fixture.settings(), TOKEN);

    assertEquals(1, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("FAILED: step 'registry login'"), r.all());
    assertEquals(
        List.of("docker login ghcr.io -u deployer --password-stdin"),
        host.calls().stream().map(Call::command).toList());
    assertFalse(r.all().contains(TOKEN));
  }

  @Test
  void aReleaseTagMissingFromOriginStopsBeforeDocker() {
    String before = host.checkout();
    Map<String, String> settings = fixture.settings();
    settings.put("GIT_TAG", "2026.12.0");

    Result r = deploy.run(settings, TOKEN);

    assertEquals(1, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("FAILED: step 'git fetch'"), r.all());
    assertEquals(List.of(), host.calls(), "docker never ran");
    assertEquals(before, host.checkout(), "the checkout did not move");
  }

  @Test
  void legacyOneLineStateRollsBackToThatVersionAtTheCheckoutItFound() {
    host.recordHealthyTag(OLD);
    host.failOn("docker compose*up*IMAGE_TAG=" + NEW);

    Result r = deploy.run(fixture.settings(), TOKEN);

    assertEquals(3, r.exitCode(), r.all());
    Call rollback = last(host.calls());
    assertEquals(
        "docker compose -f compose.yaml up -d --remove-orphans",
        rollback.command(),
        "no digests recorded");
    assertEquals(OLD, rollback.imageTag());
    assertEquals(host.commitOf(OLD), host.checkout(), "the checkout this run found");
    assertFalse(Files.exists(host.deployDir().resolve("compose.gantry.yml")), "no stale override");
  }

  @Test
  void failingComposeUpRollsBack() {
    host.recordHealthyRelease(OLD, OLD_IMAGES);
    host.failOn("docker compose*up*IMAGE_TAG=" + NEW);

    Result r = deploy.run(fixture.settings(), TOKEN);

    assertEquals(3, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("FAILED: step 'compose up'"), r.all());
    assertEquals(UP + " (IMAGE_TAG=" + OLD + ")", last(host.commands()));
    assertTrue(health.hits().isEmpty(), "no health check after a failed up");
  }

  @Test
  void failingMigrationRollsBack() {
    host.recordHealthyRelease(OLD, OLD_IMAGES);
    host.failOn("docker compose run*");
    Map<String, String> settings = fixture.settings();
    settings.put("MIGRATE_COMMAND", "docker compose run --rm app migrate");

    Result r = deploy.run(settings, TOKEN);

    assertEquals(3, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("FAILED: step 'migrations'"), r.all());
    assertEquals(UP + " (IMAGE_TAG=" + OLD + ")", last(host.commands()));
    assertTrue(health.hits().isEmpty());
    assertEquals(OLD, host.recordedTag());
  }

  @Test
  void failingRollbackExitsFour() {
    host.recordHealthyRelease(OLD, OLD_IMAGES);
    host.failOn("docker compose*up*IMAGE_TAG=" + NEW);
    host.failOn("docker compose*up*IMAGE_TAG=" + OLD);

    Result r = deploy.run(fixture.settings(), TOKEN);

    assertEquals(4, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("rollback to " + OLD + " failed"), r.all());
  }

  @Test
  void redeployOfTheLastHealthyTagHasNothingOlderToRollBackTo() {
    host.recordHealthyRelease(NEW, List.of(API_NEW, WEB_NEW));
    host.failOn("docker compose*up*IMAGE_TAG=" + NEW);

    Result r = deploy.run(fixture.settings(), TOKEN);

    assertEquals(4, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("the last healthy version is " + NEW + " itself"), r.all());
    assertEquals(1, ups());
  }

  @Test
  void failingPruneFailsTheRunButKeepsTheHealthyTag() {
    host.failOn("docker image prune*");

    Result r = deploy.run(fixture.settings(), TOKEN);

    assertEquals(1, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("FAILED: step 'prune'"), r.all());
    assertTrue(r.stderr().contains("only the prune failed"), r.all());
    assertEquals(NEW, host.recordedTag());
    assertEquals(1, ups(), "no rollback");
  }

  private long ups() {
    return host.calls().stream().filter(c -> c.command().equals(UP)).count();
  }

  private boolean pruned() {
    return host.calls().stream().anyMatch(c -> c.command().startsWith("docker image prune"));
  }
}
