package dev.gantry.workflows;

import dev.gantry.testing.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real OpenSSH server on a free loopback port for {@link DeployStepIT}, all in one directory: its
 * own ed25519 host key, one authorized client key for the current user, and {@code SetEnv PATH=...}
 * so the deploy script finds the recording stand-ins for docker and git first, as a server's PATH
 * would hold the real ones. (The deploy package's harness is package-private; this is the small
 * part the workflow test needs.)
 */
final class Sshd implements AutoCloseable {
  private static final Path SSHD = Path.of("/usr/sbin/sshd");
  private static final Duration KEYGEN = Duration.ofSeconds(30);

  private final Path dir;
  private final int port;
  private final Process process;

  private Sshd(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  static Sshd start(Path dir, String pathFirst) throws IOException {
    if (!Files.isExecutable(SSHD)) {
      throw new IllegalStateException(
          SSHD + " is missing: apt-get install openssh-server (.ci/run does)");
    }
    keygen(dir.resolve("host_key"));
    keygen(dir.resolve("client_key"));
    Files.writeString(
        dir.resolve("authorized_keys"),
        "restrict " + Files.readString(dir.resolve("client_key.pub")));
    if ("root".equals(System.getProperty("user.name"))
        && !Files.isDirectory(Path.of("/run/sshd"))) {
      Files.createDirectories(
          Path.of("/run/sshd"),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
    int port = freePort();
    Files.writeString(
        dir.resolve("sshd_config"),
        """
        ListenAddress 127.0.0.1
        Port %d
        HostKey %s
        PidFile %s
        AuthorizedKeysFile %s
        AuthenticationMethods publickey
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        UsePAM no
        PermitRootLogin prohibit-password
        AllowUsers %s
        StrictModes no
        SetEnv PATH=%s:/usr/local/bin:/usr/bin:/bin
        LogLevel VERBOSE
        """
            .formatted(
                port,
                dir.resolve("host_key"),
                dir.resolve("sshd.pid"),
                dir.resolve("authorized_keys"),
                System.getProperty("user.name"),
                pathFirst));
    Process process =
        new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("sshd.log").toFile())
            .start();
    Sshd sshd = new Sshd(dir, port, process);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!sshd.log().contains("Server listening on 127.0.0.1 port " + port)) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        sshd.close();
        throw new IllegalStateException("sshd did not start; its log:\n" + sshd.log());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return sshd;
  }

  int port() {
    return port;
  }

  String clientKey() throws IOException {
    return Files.readString(dir.resolve("client_key"));
  }

  /**
   * The host key's fingerprint as ssh-keygen prints it, "SHA256:...": what DEPLOY_HOST_FINGERPRINT
   * holds.
   */
  String hostKeyFingerprint() {
    return fingerprint(dir.resolve("host_key.pub"));
  }

  static String fingerprint(Path publicKey) {
    return ProcessRunner.check(
            List.of("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString()),
            KEYGEN,
            Map.of(),
            null)
        .stdoutText()
        .split(" ")[1];
  }

  static void keygen(Path key) {
    ProcessRunner.check(
        List.of(
            "ssh-keygen",
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "gantry-workflow-test",
            "-f",
            key.toString()),
        KEYGEN,
        Map.of(),
        null);
  }

  String log() {
    try {
      Path log = dir.resolve("sshd.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
