package dev.gantry.deploy;

import static dev.gantry.deploy.DeployFixture.API_NEW;
import static dev.gantry.deploy.DeployFixture.API_OLD;
import static dev.gantry.deploy.DeployFixture.COMPOSE;
import static dev.gantry.deploy.DeployFixture.CONFIG;
import static dev.gantry.deploy.DeployFixture.NEW;
import static dev.gantry.deploy.DeployFixture.NEWER;
import static dev.gantry.deploy.DeployFixture.TOKEN;
import static dev.gantry.deploy.DeployFixture.UP;
import static dev.gantry.deploy.DeployFixture.WEB_NEW;
import static dev.gantry.deploy.DeployFixture.WEB_OLD;
import static dev.gantry.deploy.DeployFixture.last;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.deploy.DeployHost.Call;
import dev.gantry.deploy.RemoteDeploy.Result;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Which compose services scripts/deploy.sh pins to the released digests, over the real sshd: every
 * service whose image is a deployed repository (by any tag, untagged, or by Docker Hub's short
 * name), not only the one named after the image, on the deploy and on the rollback; the services as
 * `docker compose config` reads the release's compose file, its variables filled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployPinsIT {

  /** A release whose compose file runs the api image three times, like the seed's workers. */
  private static final String SHARED = "2026.11.5";

  private static final String COMPOSE_SHARED =
      """
      # the api image runs as api, worker (by the version tag) and cron (untagged, via a variable); the
      # service named nginx runs nginx's digest whatever its image says (the name comes first)
      services:
        api:
          image: ghcr.io/acme/api:${IMAGE_TAG}
        worker:
          image: ghcr.io/acme/api:${IMAGE_TAG}
        cron:
          image: ${API_REPOSITORY:-ghcr.io/acme/api}
        web:
          image: ghcr.io/acme/web:${IMAGE_TAG}
        proxy:
          image: nginx:1.27
        nginx:
          image: ghcr.io/acme/api:${IMAGE_TAG}
        db:
          image: postgres:16
        hooks:
          image: ghcr.io/acme/api-hooks:${IMAGE_TAG}
        mirror:
          image: registry.example.com/acme/api:${IMAGE_TAG}
      """;

  private static final String NGINX = "docker.io/library/nginx@sha256:" + "5e".repeat(32);
  private static final String BASE = "ghcr.io/acme/base@sha256:" + "6f".repeat(32);

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
    host.release(SHARED, COMPOSE_SHARED);
  }

  @Test
  void everyServiceOnADeployedImageRunsItsDigest() {
    Map<String, String> settings = shared(List.of(API_NEW, WEB_NEW, NGINX, BASE));

    Result r = deploy.run(settings, TOKEN);

    assertEquals(0, r.exitCode(), r.all());
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("api", API_NEW);
    expected.put("worker", API_NEW);
    expected.put("cron", API_NEW);
    expected.put("web", WEB_NEW);
    expected.put("proxy", NGINX);
    expected.put("nginx", NGINX);
    Call up = host.calls().stream().filter(c -> c.command().equals(UP)).findFirst().orElseThrow();
    assertEquals(expected, up.pinned(), "every service on a released image runs its digest: " + up);
    assertEquals(
        List.copyOf(expected.keySet()),
        List.copyOf(up.pinned().keySet()),
        "in the compose file's order; db, hooks and mirror are other repositories");
    List<Call> calls = host.calls();
    assertEquals(
        List.of(
            "docker login ghcr.io -u deployer --password-stdin (IMAGE_TAG=" + SHARED + ")",
            CONFIG + " (IMAGE_TAG=" + SHARED + ")",
            COMPOSE + " pull (IMAGE_TAG=" + SHARED + ")",
            UP + " (IMAGE_TAG=" + SHARED + ")",
            "docker image prune -af --filter until=72h (IMAGE_TAG=" + SHARED + ")"),
        host.commands(),
        r.all());
    assertEquals(expected, calls.get(2).pinned(), "compose pulls the same digests");
    for (Map.Entry<String, String> pin : expected.entrySet()) {
      assertTrue(
          r.stdout().contains("deploy: pin: " + pin.getKey() + " " + pin.getValue() + "\n"),
          r.all());
    }
    assertTrue(r.stdout().contains("no service runs " + BASE), "base is named: " + r.all());
    assertTrue(
        host.state().contains("image=" + BASE + "\n"), "and recorded as released: " + host.state());
  }

  @Test
  void theRollbackPinsEveryServiceOfTheReleaseItReturnsTo() {
    Result first = deploy.run(shared(List.of(API_OLD, WEB_OLD)), TOKEN);
    assertEquals(0, first.exitCode(), first.all());
    health.unhealthy();
    Map<String, String> settings = fixture.settings();
    settings.put("IMAGE_TAG", NEWER);
    settings.put("HEALTH_TIMEOUT", "2");

    Result r = deploy.run(settings, TOKEN);

    assertEquals(3, r.exitCode(), r.all());
    Call config = host.calls().get(host.calls().size() - 2);
    assertEquals(CONFIG + " (IMAGE_TAG=" + SHARED + ")", config.toString(), r.all());
    Call rollback = last(host.calls());
    assertEquals(UP + " (IMAGE_TAG=" + SHARED + ")", rollback.toString(), r.all());
    assertEquals(
        Map.of(
            "api", API_OLD, "worker", API_OLD, "cron", API_OLD, "web", WEB_OLD, "nginx", API_OLD),
        rollback.pinned(),
        "the release returned to runs its digests in every service (no nginx digest: by its image)");
    assertEquals(host.commitOf(SHARED), host.checkout());
  }

  @Test
  void aFailedConfigLeavesTheCheckoutAndTheOverrideAsTheyWere() {
    Result first = deploy.run(shared(List.of(API_OLD, WEB_OLD)), TOKEN);
    assertEquals(0, first.exitCode(), first.all());
    String override = host.override();
    host.failOn("docker compose*config*");
    Map<String, String> settings = fixture.settings();
    settings.put("IMAGE_TAG", NEW);

    Result r = deploy.run(settings, TOKEN);

    assertEquals(1, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("FAILED: step 'pin digests'"), r.all());
    assertTrue(r.stderr().contains("not touched"), r.all());
    assertEquals(CONFIG, last(host.calls()).command(), "nothing after config: " + host.commands());
    assertEquals(host.commitOf(SHARED), host.checkout(), "the checkout is put back");
    assertEquals(override, host.override(), "and the override, byte for byte");
    assertEquals(SHARED, host.recordedTag());
  }

  private Map<String, String> shared(List<String> images) {
    Map<String, String> settings = fixture.settings();
    settings.put("IMAGE_TAG", SHARED);
    settings.put("IMAGES", String.join("\n", images));
    return settings;
  }
}
