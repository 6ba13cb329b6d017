package dev.gantry.deploy;

import static dev.gantry.deploy.DeployFixture.API_OLD;
import static dev.gantry.deploy.DeployFixture.NEW;
import static dev.gantry.deploy.DeployFixture.OLD;
import static dev.gantry.deploy.DeployFixture.TOKEN;
import static dev.gantry.deploy.DeployFixture.WEB_OLD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.deploy.RemoteDeploy.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The application's settings (APP_ENV, dotenv) reach the server through scripts/deploy.sh over a
 * real sshd: written byte for byte to DEPLOY_DIR/.env, mode 0600, by rename, before `up`; never in
 * a command line, an environment or the output; left alone when there are none; and a rollback puts
 * back the settings of the version it returns to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployAppSettingsIT {

  /** A value that must appear nowhere but in the settings files. */
  private static final String SECRET = "mj-" + UUID.randomUUID();

  /** Spaces, both quotes, $, =, a comment, an empty value, an export line, no trailing newline. */
  private static final String APP_ENV =
      "# mail\nMAILJET_API_KEY="
          + SECRET
          + "\n"
          + "MAILJET_SECRET_KEY=\"s3 cr=et $HOME ${PATH} \\\"q\\\" 'x'\"\n"
          + "GRAFANA_ALERT_RECIPIENTS='ops@example.com, on-call@example.com'  # two\n"
          + "EMPTY=\nexport PLAIN=a b=c $x";

  private static final String OLD_ENV = "MAILJET_API_KEY=old-" + SECRET + "\n";

  private DeployFixture fixture;
  private DeployHost host;
  private RemoteDeploy deploy;

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
    deploy = fixture.deploy();
  }

  @Test
  void settingsAreWrittenExactlyWithMode0600BeforeUp() throws IOException {
    Result r = deploy.runWithAppEnv(fixture.settings(), TOKEN, APP_ENV);

    assertEquals(0, r.exitCode(), r.all());
    Path env = host.deployDir().resolve(".env");
    assertEquals(APP_ENV, Files.readString(env), "byte for byte");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(env)));
    Path kept = host.deployDir().resolve(".gantry-settings-" + NEW + ".env");
    assertEquals(APP_ENV, Files.readString(kept), "kept for the version");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
    assertEquals(
        "=== IMAGE_TAG=" + NEW + "\n" + APP_ENV, host.settingsAtUp(), "in place when `up` runs");
    assertEquals(
        List.of(".gantry-settings-" + NEW + ".env"), leftovers(), "no temporary file stays");
  }

  @Test
  void settingsAreNeverInACommandLineAnEnvironmentOrTheOutput() {
    Result r = deploy.runWithAppEnv(fixture.settings(), TOKEN, APP_ENV);

    assertEquals(0, r.exitCode(), r.all());
    assertTrue(
        host.processes().lines().anyMatch(line -> line.matches("cmdline \\d+: bash -s")),
        "snapshots taken");
    assertFalse(host.processes().contains(SECRET), "no command line, no ancestor's environment");
    assertFalse(host.environments().contains(SECRET), "no child's environment");
    assertFalse(host.environments().contains("APP_ENV"), "not even the name");
    assertFalse(host.callLog().contains(SECRET), "no argument, no standard input");
    assertFalse(r.stdout().contains(SECRET), r.stdout());
    assertFalse(r.stderr().contains(SECRET), r.stderr());
    assertTrue(
        r.stdout()
            .contains("settings: APP_ENV (6 line(s)) -> " + host.deployDir() + "/.env, mode 0600"),
        r.all());
  }

  @Test
  void theFileIsReplacedByRenameNotRewrittenInPlace() throws IOException {
    Path env = host.deployDir().resolve(".env");
    Path outside = host.deployDir().resolveSibling("settings-by-hand");
    Files.writeString(outside, "BY_HAND=1\n");
    Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
    Files.createLink(env, outside);
    Object inode = Files.getAttribute(env, "unix:ino");

    Result r = deploy.runWithAppEnv(fixture.settings(), TOKEN, APP_ENV);

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(
        "BY_HAND=1\n", Files.readString(outside), "the old file was never opened for writing");
    assertNotEquals(inode, Files.getAttribute(env, "unix:ino"), "a new file renamed over it");
    assertEquals(APP_ENV, Files.readString(env));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(env)),
        "0600 whatever the old file's mode was");
  }

  @Test
  void withoutSettingsTheFileIsLeftAlone() throws IOException {
    Path env = host.deployDir().resolve(".env");
    Files.writeString(env, "BY_HAND=1\n");
    Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r-----"));
    Object inode = Files.getAttribute(env, "unix:ino");

    Result r = deploy.runWithAppEnv(fixture.settings(), TOKEN, "");

    assertEquals(0, r.exitCode(), r.all());
    assertEquals("BY_HAND=1\n", Files.readString(env));
    assertEquals(inode, Files.getAttribute(env, "unix:ino"));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(env)));
    assertEquals(List.of(), leftovers());
    assertTrue(r.stdout().contains("settings: APP_ENV is not set; .env is left as it is"), r.all());
  }

  @Test
  void aRollbackPutsBackTheSettingsOfTheVersionItReturnsTo() throws IOException {
    Map<String, String> old = fixture.settings();
    old.put("IMAGE_TAG", OLD);
    old.put("IMAGES", API_OLD + "\n" + WEB_OLD);
    Result first = deploy.runWithAppEnv(old, TOKEN, OLD_ENV);
    assertEquals(0, first.exitCode(), first.all());
    fixture.health().unhealthy();

    Result r = deploy.runWithAppEnv(fixture.settings(), TOKEN, APP_ENV);

    assertEquals(3, r.exitCode(), r.all());
    assertEquals(OLD_ENV, Files.readString(host.deployDir().resolve(".env")), r.all());
    assertEquals(
        "=== IMAGE_TAG="
            + OLD
            + "\n"
            + OLD_ENV
            + "=== IMAGE_TAG="
            + NEW
            + "\n"
            + APP_ENV
            + "=== IMAGE_TAG="
            + OLD
            + "\n"
            + OLD_ENV,
        host.settingsAtUp(),
        "each `up` ran with its own version's settings");
    assertTrue(r.stdout().contains("settings: .env is back to the settings of " + OLD), r.all());
    assertFalse(r.all().contains(SECRET), r.all());
  }

  @Test
  void aFailureBeforeUpPutsBackThePreviousSettings() throws IOException {
    Map<String, String> old = fixture.settings();
    old.put("IMAGE_TAG", OLD);
    old.put("IMAGES", API_OLD + "\n" + WEB_OLD);
    assertEquals(0, deploy.runWithAppEnv(old, TOKEN, OLD_ENV).exitCode());
    host.failOn("docker compose*pull*");

    Result r = deploy.runWithAppEnv(fixture.settings(), TOKEN, APP_ENV);

    assertEquals(1, r.exitCode(), r.all());
    assertEquals(OLD_ENV, Files.readString(host.deployDir().resolve(".env")), r.all());
  }

  @Test
  void aMultiLineValueIsRefusedBeforeAnythingRuns() {
    String multiLine =
        "MAILJET_API_KEY=" + SECRET + "\nCERT=\"-----BEGIN-----\nabc\n-----END-----\"\n";

    Result r = deploy.runWithAppEnv(fixture.settings(), TOKEN, multiLine);

    assertBadSettings(r, "APP_ENV line 2: a quoted value must close on its line");
  }

  @Test
  void aLineThatIsNotNameEqualsValueIsRefusedByNumberOnly() {
    Result r = deploy.runWithAppEnv(fixture.settings(), TOKEN, "A=1\n" + SECRET + "\n");

    assertBadSettings(r, "APP_ENV line 2 is not NAME=VALUE, a # comment or blank");
  }

  @Test
  void anAppEnvFileOutsideTheDeployDirectoryIsRefused() {
    Map<String, String> settings = fixture.settings();
    settings.put("APP_ENV_FILE", "../etc/app.env");

    Result r = deploy.runWithAppEnv(settings, TOKEN, APP_ENV);

    assertBadSettings(r, "APP_ENV_FILE '../etc/app.env' is not a file name in DEPLOY_DIR");
  }

  private void assertBadSettings(Result r, String message) {
    assertEquals(2, r.exitCode(), r.all());
    assertTrue(r.stderr().contains(message), r.all());
    assertEquals(List.of(), host.calls(), "nothing ran");
    assertFalse(r.all().contains(SECRET), "the value is not echoed: " + r.all());
    assertFalse(Files.exists(host.deployDir().resolve(".env")), "no settings written");
  }

  private List<String> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(host.deployDir())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.contains("gantry-tmp") || n.startsWith(".gantry-settings-"))
          .toList();
    }
  }
}
