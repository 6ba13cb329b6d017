package dev.gantry.deploy;

import static dev.gantry.deploy.DeployFixture.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.deploy.RemoteDeploy.Result;
import dev.gantry.testing.ProcessRunner;
import dev.gantry.testing.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The client only talks to the server whose host key it pinned: a different or unknown key ends the
 * connection before the script (and the token on its stdin) is sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshHostKeyIT {

  private DeployFixture fixture;
  private DeployHost host;
  private Path dir;

  @BeforeAll
  void start() {
    fixture = DeployFixture.start();
  }

  @AfterAll
  void stop() {
    fixture.close();
  }

  @BeforeEach
  void fresh() {
    host = fixture.freshHost();
    dir = TempDirs.create("gantry-known-hosts-");
  }

  @AfterEach
  void cleanUp() {
    TempDirs.delete(dir);
  }

  @Test
  void pinnedHostKeyIsAccepted() {
    Result r = fixture.deploy().ssh(fixture.ssh().pinnedKnownHosts(), "echo connected", "");

    assertEquals(0, r.exitCode(), r.all() + fixture.ssh().log());
    assertEquals("connected\n", r.stdout());
  }

  @Test
  void anotherHostKeyIsRefusedAndNothingRuns() {
    SshServer.keygen(dir.resolve("impostor"), "impostor");
    String impostor = read(dir.resolve("impostor.pub")).split(" ")[1];
    Path knownHosts =
        write(
            "known_hosts",
            "[127.0.0.1]:" + fixture.ssh().port() + " ssh-ed25519 " + impostor + "\n");

    Result r = deployWith(knownHosts);

    assertEquals(255, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), r.all());
    assertTrue(r.stderr().contains("Host key verification failed"), r.all());
    assertEquals(List.of(), host.calls(), "the script never ran");
    assertFalse(r.all().contains(TOKEN));
  }

  @Test
  void unknownHostIsRefusedAndNothingRuns() {
    Result r = deployWith(write("known_hosts", ""));

    assertEquals(255, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("Host key verification failed"), r.all());
    assertEquals(List.of(), host.calls(), "the script never ran");
  }

  @Test
  void keyscanFingerprintMatchesThePinnedFingerprint() {
    // The workflow's recipe when the secret holds a fingerprint (what appleboy/ssh-action's
    // `fingerprint` takes):
    // scan the key, keep it only if its fingerprint is the pinned one, then connect with
    // StrictHostKeyChecking=yes.
    ProcessRunner.Result scan =
        ProcessRunner.check(
            List.of(
                "ssh-keyscan",
                "-p",
                String.valueOf(fixture.ssh().port()),
                "-t",
                "ed25519",
                "127.0.0.1"),
            Duration.ofSeconds(15),
            Map.of(),
            null);
    Path scanned = write("scanned", scan.stdoutText());

    assertEquals(fixture.ssh().hostKeyFingerprint(), SshServer.fingerprintOf(scanned));
    assertEquals(fixture.ssh().knownHostsLine(), scan.stdoutText().strip());
    Result r = fixture.deploy().ssh(scanned, "echo connected", "");
    assertEquals(0, r.exitCode(), r.all());
  }

  private Result deployWith(Path knownHosts) {
    return fixture.deploy().run(fixture.settings(), TOKEN, knownHosts);
  }

  private Path write(String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
