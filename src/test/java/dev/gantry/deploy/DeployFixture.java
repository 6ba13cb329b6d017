package dev.gantry.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.deploy.DeployHost.Call;
import dev.gantry.deploy.RemoteDeploy.Result;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the deploy tests share: one sshd and one health endpoint per test class, a fresh {@link
 * DeployHost} per test, and the settings of a typical deploy of {@link #NEW} with {@link #OLD} as
 * the previous version.
 */
final class DeployFixture implements AutoCloseable {

  static final String NEW = "2026.11.0";
  static final String OLD = "2026.10.4";
  static final String NEWER = "2026.11.1";

  /**
   * The compose files deploy.sh gives compose: the release's own, then the generated digest
   * override.
   */
  static final String COMPOSE = "docker compose -f compose.yaml -f compose.gantry.yml";

  static final String UP = COMPOSE + " up -d --remove-orphans";

  /**
   * How deploy.sh learns the services' images: the release's compose files, without the override.
   */
  static final String CONFIG = "docker compose -f compose.yaml config --format json";

  static final String API_NEW = "ghcr.io/acme/api@sha256:" + "1a".repeat(32);
  static final String WEB_NEW = "ghcr.io/acme/web@sha256:" + "2b".repeat(32);
  static final String API_OLD = "ghcr.io/acme/api@sha256:" + "3c".repeat(32);
  static final String WEB_OLD = "ghcr.io/acme/web@sha256:" + "4d".repeat(32);
  static final String TOKEN = "ghs_" + randomAlphanumeric(36);

  /**
   * Beyond HEALTH_TIMEOUT, for the end of the last request and the start of the next stand-in call
   * (under 0.1 s seen with two busy loops on two cores); below one poll interval (2 s).
   */
  private static final Duration MARGIN = Duration.ofSeconds(1);

  private final SshServer ssh;
  private final HealthEndpoint health;
  private DeployHost host;

  private DeployFixture(SshServer ssh, HealthEndpoint health) {
    this.ssh = ssh;
    this.health = health;
  }

  static DeployFixture start() {
    SshServer ssh = SshServer.start();
    try {
      return new DeployFixture(ssh, HealthEndpoint.start());
    } catch (RuntimeException e) {
      ssh.close();
      throw e;
    }
  }

  SshServer ssh() {
    return ssh;
  }

  HealthEndpoint health() {
    return health;
  }

  /** A new, empty host (the previous one is removed) with a healthy endpoint. */
  DeployHost freshHost() {
    removeHost();
    host = DeployHost.create();
    health.healthy();
    return host;
  }

  RemoteDeploy deploy() {
    return new RemoteDeploy(ssh, host);
  }

  /**
   * DEPLOY_DIR, IMAGE_TAG=NEW, IMAGES of NEW, HEALTH_URL, REGISTRY_USER and a 5 s HEALTH_TIMEOUT; a
   * mutable copy.
   */
  Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("DEPLOY_DIR", host.deployDir().toString());
    settings.put("IMAGE_TAG", NEW);
    settings.put("HEALTH_URL", health.url());
    settings.put("REGISTRY_USER", "deployer");
    settings.put("HEALTH_TIMEOUT", "5");
    settings.put("IMAGES", API_NEW + "\n" + WEB_NEW);
    return settings;
  }

  void removeHost() {
    if (host != null) {
      host.close();
      host = null;
    }
  }

  @Override
  public void close() {
    removeHost();
    health.close();
    ssh.close();
  }

  /**
   * The failed health check waited the whole timeout, and gave up soon after. Timed on the server,
   * from the {@code compose up} it checks to the {@code compose ps} that shows the failure, so the
   * ssh connection and the other steps, slower on a busy machine, do not count.
   */
  static void assertWithin(Duration timeout, Result r, DeployHost host) {
    List<Call> calls = host.calls();
    int ps = calls.stream().map(Call::command).toList().lastIndexOf(COMPOSE + " ps");
    assertTrue(ps > 0 && calls.get(ps - 1).command().equals(UP), "up, then ps: " + calls);
    Duration check =
        Duration.ofMillis(Math.round((calls.get(ps).at() - calls.get(ps - 1).at()) * 1000));
    assertTrue(
        check.compareTo(timeout) >= 0, "waited the whole timeout: " + check + ", " + r.all());
    assertTrue(
        check.compareTo(timeout.plus(MARGIN)) < 0, "gave up in time: " + check + ", " + r.all());
  }

  static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }

  private static String randomAlphanumeric(int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
