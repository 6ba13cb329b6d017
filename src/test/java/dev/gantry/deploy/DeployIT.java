package dev.gantry.deploy;

import static dev.gantry.deploy.DeployFixture.API_NEW;
import static dev.gantry.deploy.DeployFixture.API_OLD;
import static dev.gantry.deploy.DeployFixture.COMPOSE;
import static dev.gantry.deploy.DeployFixture.CONFIG;
import static dev.gantry.deploy.DeployFixture.NEW;
import static dev.gantry.deploy.DeployFixture.NEWER;
import static dev.gantry.deploy.DeployFixture.OLD;
import static dev.gantry.deploy.DeployFixture.TOKEN;
import static dev.gantry.deploy.DeployFixture.UP;
import static dev.gantry.deploy.DeployFixture.WEB_NEW;
import static dev.gantry.deploy.DeployFixture.WEB_OLD;
import static dev.gantry.deploy.DeployFixture.assertWithin;
import static dev.gantry.deploy.DeployFixture.last;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.deploy.DeployHost.Call;
import dev.gantry.deploy.RemoteDeploy.Result;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * scripts/deploy.sh sent over a real OpenSSH server (pinned host key) to a host whose deploy
 * directory is a real git clone of the releases and whose docker is a recording stand-in,
 * health-checking a real HTTP endpoint: the deploys that succeed, what runs (the release tag's
 * checkout, the released digests), and where the token goes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployIT {

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
  void healthyDeployRunsEveryStepInOrderWithTheReleasedTagAndRecordsIt() {
    host.recordHealthyRelease(OLD, List.of(API_OLD, WEB_OLD));

    Result r = deploy.run(fixture.settings(), TOKEN);

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(
        List.of(
            "docker login ghcr.io -u deployer --password-stdin (IMAGE_TAG=" + NEW + ")",
            CONFIG + " (IMAGE_TAG=" + NEW + ")",
            COMPOSE + " pull (IMAGE_TAG=" + NEW + ")",
            UP + " (IMAGE_TAG=" + NEW + ")",
            "docker image prune -af --filter until=72h (IMAGE_TAG=" + NEW + ")"),
        host.commands(),
        r.all());
    for (Call call : host.calls()) {
      assertEquals(
          host.deployDir().toString(), call.cwd(), "every step runs in DEPLOY_DIR: " + call);
    }
    assertEquals(NEW, host.recordedTag());
    assertTrue(r.stdout().contains("deployed " + NEW + ": healthy"), r.all());
    HealthEndpoint.Hit first = health.hits().get(0);
    assertTrue(first.userAgent().startsWith("curl/"), "curl is preferred: " + health.hits());
    assertTrue(seconds(first) > host.calls().get(3).at(), "health is checked after up");
    assertTrue(seconds(last(health.hits())) < host.calls().get(4).at(), "and before the prune");
  }

  @Test
  void theServerRunsTheReleasedDigestsAtTheReleaseTagsCheckout() {
    host.recordHealthyRelease(OLD, List.of(API_OLD, WEB_OLD));
    // origin's main has moved on past the release: the deploy must not follow it.
    assertEquals(host.commitOf(OLD), host.checkout());

    Result r = deploy.run(fixture.settings(), TOKEN);

    assertEquals(0, r.exitCode(), r.all());
    Call pull = host.calls().get(2);
    Call up = host.calls().get(3);
    assertEquals(
        Map.of("api", API_NEW, "web", WEB_NEW),
        pull.pinned(),
        "compose pulls the digests: " + pull);
    assertEquals(Map.of("api", API_NEW, "web", WEB_NEW), up.pinned(), "and runs them: " + up);
    assertEquals(host.commitOf(NEW), host.checkout(), "the release tag is checked out, detached");
    assertEquals(
        "version="
            + NEW
            + "\ntag="
            + NEW
            + "\ncommit="
            + host.commitOf(NEW)
            + "\nimage="
            + API_NEW
            + "\nimage="
            + WEB_NEW
            + "\n",
        host.state(),
        "the state file records what runs");
  }

  @Test
  void aDeployWithoutDigestsRunsTheReleaseComposeFileAndRemovesAStaleOverride() {
    host.recordHealthyRelease(OLD, List.of(API_OLD, WEB_OLD));
    Result first = deploy.run(fixture.settings(), TOKEN);
    assertEquals(0, first.exitCode(), first.all());
    Map<String, String> settings = fixture.settings();
    settings.remove("IMAGES");
    settings.put("IMAGE_TAG", NEWER);

    Result r = deploy.run(settings, TOKEN);

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(
        "docker compose -f compose.yaml up -d --remove-orphans (IMAGE_TAG=" + NEWER + ")",
        host.commands().get(host.commands().size() - 2));
    assertEquals(host.commitOf(NEWER), host.checkout());
  }

  @Test
  void settingsOverrideRegistryGitRefAndPruneFilter() {
    Map<String, String> settings = fixture.settings();
    settings.put("REGISTRY", "registry.example.com:5000");
    settings.put("GIT_TAG", NEWER);
    settings.put("PRUNE_UNTIL", "24h");

    Result r = deploy.run(settings, TOKEN);

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(
        List.of(
            "docker login registry.example.com:5000 -u deployer --password-stdin",
            CONFIG,
            COMPOSE + " pull",
            UP,
            "docker image prune -af --filter until=24h"),
        commandsWithoutTags(host));
    assertEquals(host.commitOf(NEWER), host.checkout(), "GIT_TAG is what is checked out");
  }

  @Test
  void tokenReachesOnlyDockerLoginsStandardInput() {
    Result r = deploy.run(fixture.settings(), TOKEN);

    assertEquals(0, r.exitCode(), r.all());
    Call login = host.calls().get(0);
    assertEquals("docker login ghcr.io -u deployer --password-stdin", login.command());
    assertEquals(TOKEN, login.stdin(), "the token, exactly, on login's stdin");
    assertEquals(
        1, occurrences(host.callLog(), TOKEN), "only as login's stdin:\n" + host.callLog());
    for (Call call : host.calls()) {
      assertFalse(call.args().contains(TOKEN), "not an argument: " + call);
    }
    assertFalse(
        host.environments().contains("REGISTRY_TOKEN"), "no child process inherits the token");
    assertFalse(host.environments().contains(TOKEN), "nor its value under another name");
    assertFalse(r.stdout().contains(TOKEN), r.stdout());
    assertFalse(r.stderr().contains(TOKEN), r.stderr());
    // The snapshots see this session (ssh with the settings on its command line, the script's `bash
    // -s` and its
    // environment) and no token anywhere.
    String processes = host.processes();
    assertTrue(
        processes.contains(" IMAGE_TAG='" + NEW + "' HEALTH_URL="), "snapshot sees the ssh client");
    assertTrue(
        processes.lines().anyMatch(line -> line.matches("cmdline \\d+: bash -s")),
        "and the script's shell");
    assertTrue(
        processes.lines().anyMatch(line -> line.matches("environ \\d+: .*DEPLOY_DIR=.*")),
        "its environment");
    assertFalse(
        processes.contains(TOKEN),
        "no process has the token in its command line, nor any ancestor of docker in its environment");
  }

  @Test
  void tokenInSshActionEnvsWouldShowInTheServersProcessList() {
    // Why the token does not travel as appleboy/ssh-action `envs`: drone-ssh sends `export
    // NAME='value'` lines and
    // the script as the SSH command, which the server's shell runs as `bash -c '...'`, readable in
    // ps by every
    // user of the server for the whole deploy. The script itself works that way too.
    Result r = deploy.runAsSshActionEnvs(fixture.settings(), TOKEN);

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(TOKEN, host.calls().get(0).stdin());
    assertFalse(host.environments().contains(TOKEN), "the script still keeps it from its children");
    assertTrue(
        host.processes()
            .lines()
            .anyMatch(
                line ->
                    line.matches("cmdline \\d+: bash -c export PATH=.*")
                        && line.contains("export REGISTRY_TOKEN='" + TOKEN + "'")),
        "the server-side shell's command line holds the token");
  }

  @Test
  void withoutATokenThereIsNoLogin() {
    Map<String, String> settings = fixture.settings();
    settings.remove("REGISTRY_USER");

    Result r = deploy.run(settings, null);

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(
        List.of(CONFIG, COMPOSE + " pull", UP, "docker image prune -af --filter until=72h"),
        commandsWithoutTags(host));
    assertTrue(r.stdout().contains("registry login: skipped"), r.all());
  }

  @Test
  void migrationsRunInDeployDirAfterUpAndBeforeTheHealthCheck() {
    Map<String, String> settings = fixture.settings();
    settings.put("MIGRATE_COMMAND", "docker compose run --rm app migrate");

    Result r = deploy.run(settings, TOKEN);

    assertEquals(0, r.exitCode(), r.all());
    List<String> commands = commandsWithoutTags(host);
    int migrate = commands.indexOf("docker compose run --rm app migrate");
    assertEquals(commands.indexOf(UP) + 1, migrate, r.all());
    Call call = host.calls().get(migrate);
    assertEquals(NEW, call.imageTag());
    assertEquals(host.deployDir().toString(), call.cwd());
    assertTrue(
        call.at() < seconds(health.hits().get(0)),
        "migrations finish before the first health request");
  }

  @Test
  void slowButHealthyAnswerWithinTheTimeoutSucceeds() {
    health.slow(Duration.ofMillis(1500));

    Result r = deploy.run(fixture.settings(), TOKEN);

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(1, health.hits().size(), "one slow 200 is enough: " + health.hits());
    assertEquals(NEW, host.recordedTag());
  }

  @Test
  void serviceThatBecomesHealthyWithinTheTimeoutSucceeds() {
    host.recordHealthyRelease(OLD, List.of(API_OLD, WEB_OLD));
    health.unhealthyFor(1);

    Result r = deploy.run(fixture.settings(), TOKEN);

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(2, health.hits().size(), "503, then 200: " + health.hits());
    assertEquals(NEW, host.recordedTag());
    assertEquals(1, commandsWithoutTags(host).stream().filter(UP::equals).count(), "no rollback");
  }

  @Test
  void wgetChecksHealthWhenCurlIsMissing() {
    try (DeployHost narrow = DeployHost.withoutCurl()) {
      RemoteDeploy wget = new RemoteDeploy(fixture.ssh(), narrow);
      Map<String, String> settings = fixture.settings();
      settings.put("DEPLOY_DIR", narrow.deployDir().toString());

      Result healthy = wget.run(settings, TOKEN);

      assertEquals(0, healthy.exitCode(), healthy.all());
      assertTrue(healthy.stdout().contains("with wget"), healthy.all());
      assertTrue(health.hits().get(0).userAgent().startsWith("Wget"), health.hits().toString());

      // timeout(1) bounds a wget request that never answers.
      health.slow(Duration.ofSeconds(30));
      settings.put("HEALTH_TIMEOUT", "2");
      settings.put("IMAGE_TAG", NEWER);

      Result slow = wget.run(settings, TOKEN);

      assertEquals(3, slow.exitCode(), slow.all());
      assertWithin(Duration.ofSeconds(2), slow, narrow);
      assertEquals(
          UP + " (IMAGE_TAG=" + NEW + ")", last(narrow.commands()), "back to the first deploy");
    }
  }

  private static List<String> commandsWithoutTags(DeployHost host) {
    return host.calls().stream().map(Call::command).toList();
  }

  private static double seconds(HealthEndpoint.Hit hit) {
    return hit.at().toEpochMilli() / 1000.0;
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      count++;
    }
    return count;
  }
}
