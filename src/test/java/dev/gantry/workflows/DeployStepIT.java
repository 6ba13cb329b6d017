package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gantry.deploy.ReleaseRepository;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release-and-deploy workflow's Deploy step, its very run: block, run as the runner runs it
 * against a real OpenSSH server: the host key is pinned by fingerprint, the settings and the token
 * reach scripts/deploy.sh on standard input, the server checks out the release tag and `docker
 * compose up` runs the released digests, and the summary tells the outcome. The deploy directory is
 * a real git clone of the releases ({@link ReleaseRepository}); docker on the server is the
 * recording stand-in of the deploy tests (src/test/resources/deploy).
 */
class DeployStepIT {
  private static final String RELEASE = ".github/workflows/release-and-deploy.yml";
  private static final String TOKEN = "ghp_workflowTestToken0123456789abcdef";
  private static final String VERSION = "2026.11.0";
  private static final String PREVIOUS = "2026.10.4";
  private static final String API = "ghcr.io/acme/api@sha256:" + "5e".repeat(32);
  private static final String WEB = "ghcr.io/acme/web@sha256:" + "6f".repeat(32);

  @TempDir Path dir;
  private Sshd sshd;
  private HttpServer health;
  private final AtomicInteger healthStatus = new AtomicInteger(200);
  private Path server;
  private Path work;

  @BeforeEach
  void start() throws IOException {
    server = Files.createDirectories(dir.resolve("server"));
    ReleaseRepository.create(server, List.of(PREVIOUS, VERSION));
    Files.createDirectories(server.resolve("state"));
    Path bin = Files.createDirectories(server.resolve("bin"));
    byte[] standIn;
    try (InputStream in = DeployStepIT.class.getResourceAsStream("/deploy/standin.sh")) {
      standIn = in.readAllBytes();
    }
    Files.write(bin.resolve("docker"), standIn);
    Files.setPosixFilePermissions(
        bin.resolve("docker"), PosixFilePermissions.fromString("rwxr-xr-x"));
    sshd = Sshd.start(Files.createDirectories(dir.resolve("sshd")), bin.toString());
    health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    health.createContext(
        "/health",
        exchange -> {
          exchange.sendResponseHeaders(healthStatus.get(), -1);
          exchange.close();
        });
    health.start();
    // The runner's workspace after the step "Check out Gantry (for scripts/remote-deploy.sh and
    // scripts/deploy.sh)".
    work = Files.createDirectories(dir.resolve("workspace"));
    Files.createDirectories(work.resolve(".gantry/scripts"));
    for (String script : List.of("scripts/remote-deploy.sh", "scripts/deploy.sh")) {
      Files.copy(WorkflowPolicyTest.ROOT.resolve(script), work.resolve(".gantry/" + script));
    }
  }

  @AfterEach
  void stop() {
    if (health != null) {
      health.stop(0);
    }
    if (sshd != null) {
      sshd.close();
    }
  }

  /** The step's env as the runner evaluates it from the secrets and inputs. */
  private Map<String, String> env() throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("DEPLOY_HOST", "127.0.0.1");
    env.put("DEPLOY_USER", System.getProperty("user.name"));
    env.put("DEPLOY_SSH_KEY", sshd.clientKey());
    env.put("DEPLOY_HOST_FINGERPRINT", sshd.hostKeyFingerprint());
    env.put("REGISTRY_TOKEN", TOKEN);
    env.put("SSH_PORT", String.valueOf(sshd.port()));
    env.put("IMAGE_TAG", VERSION);
    env.put("DEPLOY_DIR", server.resolve("app").toString());
    env.put("HEALTH_URL", "http://127.0.0.1:" + health.getAddress().getPort() + "/health");
    env.put("HEALTH_TIMEOUT", "3");
    env.put("GIT_TAG", VERSION);
    env.put("IMAGES", API + "\n" + WEB + "\n");
    env.put("REGISTRY", "ghcr.io");
    env.put("REGISTRY_USER", "acme");
    env.put("MIGRATE_COMMAND", "");
    env.put("APP_ENV", "");
    env.put("APP_ENV_FILE", ".env");
    env.put("DEPLOY_SCRIPT", ".gantry/scripts/deploy.sh");
    return env;
  }

  private RunBlock.Result deploy(Map<String, String> env) {
    return RunBlock.of(RELEASE, "deploy", "Deploy")
        .run(work, env, Map.of(), Duration.ofSeconds(90));
  }

  private String read(String file) {
    Path path = server.resolve(file);
    try {
      return Files.exists(path) ? Files.readString(path) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String why(RunBlock.Result r) {
    return r.all() + "\n--- calls\n" + read("state/calls.log") + "\n--- sshd\n" + sshd.log();
  }

  @Test
  void deploysTheReleasedVersionOverThePinnedHostKey() throws IOException {
    RunBlock.Result r = deploy(env());
    assertEquals(0, r.exitCode(), why(r));
    String calls = read("state/calls.log");
    List<String> commands =
        calls
            .lines()
            .map(l -> l.split("\t", -1))
            .map(f -> f[1] + " " + f[4] + " IMAGE_TAG=" + f[3])
            .toList();
    assertEquals(
        List.of(
            "docker login ghcr.io -u acme --password-stdin IMAGE_TAG=" + VERSION,
            "docker compose -f compose.yaml config --format json IMAGE_TAG=" + VERSION,
            "docker compose -f compose.yaml -f compose.gantry.yml pull IMAGE_TAG=" + VERSION,
            "docker compose -f compose.yaml -f compose.gantry.yml up -d --remove-orphans IMAGE_TAG="
                + VERSION,
            "docker image prune -af --filter until=72h IMAGE_TAG=" + VERSION),
        commands,
        () -> why(r));
    // What `up` got: the released digests, one per service, at the release tag's checkout.
    String up = calls.lines().filter(l -> l.contains(" up -d ")).findFirst().orElseThrow();
    assertTrue(
        up.endsWith(
            "\\nservices:\\n  api:\\n    image: " + API + "\\n  web:\\n    image: " + WEB + "\\n"),
        up);
    assertEquals(
        ReleaseRepository.commit(server.resolve("app"), VERSION),
        ReleaseRepository.head(server.resolve("app")));
    assertTrue(ReleaseRepository.detached(server.resolve("app")));
    // The token: on docker login's standard input, and nowhere else: not in any process's command
    // line or
    // environment on the server, not in the step's output or summary.
    String login =
        calls
            .lines()
            .filter(l -> l.contains("\tdocker\t") && l.contains("login"))
            .findFirst()
            .orElseThrow();
    assertTrue(login.endsWith("\t" + TOKEN + "\t"), login);
    assertEquals(1, calls.split(TOKEN, -1).length - 1, calls);
    for (String where :
        List.of(
            read("state/procs.log"), read("state/env.log"), r.stdout(), r.stderr(), r.summary())) {
      assertFalse(where.contains(TOKEN), () -> "the token leaked:\n" + where);
    }
    assertEquals("0", r.outputs().get("status"));
    assertTrue(
        r.summary()
            .contains(
                "| `"
                    + VERSION
                    + "` | "
                    + env().get("HEALTH_URL")
                    + " | healthy: "
                    + VERSION
                    + " is running (exit 0) |"),
        r::summary);
    assertTrue(
        read("app/.gantry-deployed-tag")
            .startsWith("version=" + VERSION + "\ntag=" + VERSION + "\ncommit="),
        read("app/.gantry-deployed-tag"));
    assertTrue(read("app/.gantry-deployed-tag").endsWith("image=" + API + "\nimage=" + WEB + "\n"));
  }

  @Test
  void theAppEnvSecretIsWrittenOnTheServerAndNowhereElse() throws IOException {
    String secret = "mj-workflowSecret0123456789";
    String appEnv =
        "MAILJET_API_KEY="
            + secret
            + "\nMAILJET_SECRET_KEY=\"a b $HOME 'q' =\"\n"
            + "GRAFANA_ALERT_RECIPIENTS=ops@example.com\n";
    Map<String, String> env = env();
    env.put("APP_ENV", appEnv);
    RunBlock.Result r = deploy(env);
    assertEquals(0, r.exitCode(), why(r));
    Path written = server.resolve("app/.env");
    assertEquals(appEnv, Files.readString(written));
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(written)));
    for (String where :
        List.of(
            read("state/procs.log"),
            read("state/env.log"),
            read("state/calls.log"),
            r.stdout(),
            r.stderr(),
            r.summary())) {
      assertFalse(where.contains(secret), () -> "the settings leaked:\n" + where);
    }
  }

  @Test
  void refusesAServerWhoseHostKeyIsNotThePinnedOne() throws IOException {
    Path other = dir.resolve("other_key");
    Sshd.keygen(other);
    Map<String, String> env = env();
    env.put("DEPLOY_HOST_FINGERPRINT", Sshd.fingerprint(dir.resolve("other_key.pub")));
    RunBlock.Result r = deploy(env);
    assertEquals(1, r.exitCode(), why(r));
    assertTrue(r.stdout().contains("::error title=host key not pinned::"), why(r));
    assertEquals("", read("state/calls.log"), "nothing may run on an unverified server");
    assertFalse(sshd.log().contains("Accepted publickey"), sshd::log);
  }

  @Test
  void anUnhealthyVersionIsRolledBackAndTheSummarySaysSo() throws IOException {
    String previousApi = "ghcr.io/acme/api@sha256:" + "7a".repeat(32);
    String previousCommit = ReleaseRepository.commit(server.resolve("app"), PREVIOUS);
    Files.writeString(
        server.resolve("app/.gantry-deployed-tag"),
        "version="
            + PREVIOUS
            + "\ntag="
            + PREVIOUS
            + "\ncommit="
            + previousCommit
            + "\nimage="
            + previousApi
            + "\n");
    healthStatus.set(503);
    RunBlock.Result r = deploy(env());
    assertEquals(3, r.exitCode(), why(r));
    String rollback = read("state/calls.log").lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(
        rollback.contains(
            "\tdocker\t"
                + server.resolve("app")
                + "\t"
                + PREVIOUS
                + "\tcompose -f compose.yaml -f "
                + "compose.gantry.yml up -d --remove-orphans\t"),
        why(r));
    assertTrue(
        rollback.contains("  api:\\n    image: " + previousApi),
        "the previous digests: " + rollback);
    assertEquals(
        previousCommit, ReleaseRepository.head(server.resolve("app")), "and the previous checkout");
    assertTrue(
        r.summary()
            .contains(
                "unhealthy: rolled back to the last healthy release (its checkout and digests) "
                    + "(exit 3)"),
        r::summary);
    assertTrue(r.stdout().contains("::error title=deploy of " + VERSION + " failed::"), why(r));
    assertEquals("3", r.outputs().get("status"));
  }

  @Test
  void aFailedPullLeavesTheServerAloneAndSaysSo() throws IOException {
    Files.writeString(server.resolve("state/fail-on"), "docker compose*pull*\n");
    RunBlock.Result r = deploy(env());
    assertEquals(1, r.exitCode(), why(r));
    assertFalse(read("state/calls.log").contains("compose up"), why(r));
    assertTrue(
        r.summary().contains("a step failed before `up` (the running containers were not touched)"),
        r::summary);
  }

  @Test
  void anUnconfiguredDeployFailsBeforeConnecting() throws IOException {
    Map<String, String> env = env();
    env.put("DEPLOY_SSH_KEY", "");
    env.put("HEALTH_URL", "");
    RunBlock.Result r = deploy(env);
    assertEquals(2, r.exitCode(), why(r));
    assertTrue(
        r.stdout()
            .contains("::error title=deploy not configured::missing: DEPLOY_SSH_KEY HEALTH_URL"),
        why(r));
    assertFalse(sshd.log().contains("Connection from"), sshd::log);
  }
}
