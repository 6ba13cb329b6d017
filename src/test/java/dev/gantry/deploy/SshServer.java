package dev.gantry.deploy;

import dev.gantry.testing.ProcessRunner;
import dev.gantry.testing.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real OpenSSH server ({@code /usr/sbin/sshd -D -e}) on a free loopback port, everything in a
 * temp dir: its own ed25519 host key, one authorized client key for the current user, config, pid
 * file and log. The client is the real {@code ssh}, pinned to that host key ({@code
 * StrictHostKeyChecking=yes}, no other known_hosts, no config).
 */
final class SshServer implements AutoCloseable {

  private static final Path SSHD = Path.of("/usr/sbin/sshd");
  private static final Path PRIVSEP_DIR = Path.of("/run/sshd");
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration KEYGEN_TIMEOUT = Duration.ofSeconds(30);

  private final Path dir;
  private final String user = System.getProperty("user.name");
  private Process process;
  private Thread reaper;
  private int port;

  private SshServer(Path dir) {
    this.dir = dir;
  }

  static SshServer start() {
    if (!Files.isExecutable(SSHD)) {
      throw new IllegalStateException(
          SSHD + " is missing; install it with: apt-get install openssh-server");
    }
    SshServer server = new SshServer(TempDirs.create("gantry-sshd-"));
    try {
      server.generateKeys();
      server.launch();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  int port() {
    return port;
  }

  String user() {
    return user;
  }

  /** The known_hosts line that pins this server's host key. */
  String knownHostsLine() {
    return "[127.0.0.1]:" + port + " " + publicKey(dir.resolve("host_key.pub"));
  }

  /** A known_hosts file holding exactly {@link #knownHostsLine()}. */
  Path pinnedKnownHosts() {
    return write("known_hosts", knownHostsLine() + "\n");
  }

  /**
   * The host key's SHA256 fingerprint as {@code ssh-keygen -l} prints it ("SHA256:..."), what a
   * secret would hold.
   */
  String hostKeyFingerprint() {
    return fingerprintOf(dir.resolve("host_key.pub"));
  }

  /**
   * The ssh client command that runs {@code remoteCommand} as {@link #user()}, trusting only {@code
   * knownHosts}.
   */
  List<String> client(Path knownHosts, String remoteCommand) {
    return List.of(
        "ssh",
        "-F",
        "/dev/null",
        "-T",
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        "UserKnownHostsFile=" + knownHosts,
        "-o",
        "GlobalKnownHostsFile=/dev/null",
        "-o",
        "UpdateHostKeys=no",
        "-o",
        "IdentitiesOnly=yes",
        "-i",
        dir.resolve("client_key").toString(),
        "-o",
        "ConnectTimeout=10",
        "-p",
        String.valueOf(port),
        "-l",
        user,
        "127.0.0.1",
        remoteCommand);
  }

  /** sshd's own log, for failure messages. */
  String log() {
    Path log = dir.resolve("sshd.log");
    return Files.exists(log) ? read(log) : "";
  }

  /**
   * Fingerprint of a public key or known_hosts file, as {@code ssh-keygen -l -E sha256} prints it.
   */
  static String fingerprintOf(Path publicKey) {
    String line =
        ProcessRunner.check(
                List.of("ssh-keygen", "-l", "-E", "sha256", "-f", publicKey.toString()),
                KEYGEN_TIMEOUT,
                Map.of(),
                null)
            .stdoutText()
            .strip();
    return line.split(" ")[1];
  }

  /** Makes an ed25519 key pair {@code path} and {@code path.pub} with no passphrase. */
  static void keygen(Path path, String comment) {
    ProcessRunner.check(
        List.of(
            "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path.toString()),
        KEYGEN_TIMEOUT,
        Map.of(),
        null);
  }

  private void generateKeys() {
    keygen(dir.resolve("host_key"), "gantry-test-host");
    keygen(dir.resolve("client_key"), "gantry-test-deploy");
    // restrict: no pty, no forwarding, as a deploy key should be; the script needs none of them.
    write("authorized_keys", "restrict " + publicKey(dir.resolve("client_key.pub")) + "\n");
  }

  private void launch() {
    ensurePrivsepDir();
    // A port picked free can be taken before sshd binds it; a fresh one on retry fixes that.
    for (int attempt = 1; ; attempt++) {
      port = freePort();
      Path config = write("sshd_config", config(port));
      ProcessBuilder builder =
          new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("sshd.log").toFile());
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot start " + SSHD, e);
      }
      Process started = process;
      reaper = new Thread(() -> started.destroyForcibly(), "sshd-reaper");
      Runtime.getRuntime().addShutdownHook(reaper); // a killed test JVM must not leave sshd behind
      if (awaitListening()) {
        checkPidFile();
        return;
      }
      stopProcess();
      if (attempt == 3 || !log().contains("Address already in use")) {
        throw new IllegalStateException(
            "sshd did not listen on 127.0.0.1:"
                + port
                + " within "
                + STARTUP_TIMEOUT.toSeconds()
                + " s; its log:\n"
                + log());
      }
    }
  }

  private String config(int port) {
    String penalties =
        openSshAtLeast(9, 8) ? "PerSourcePenalties no\n" : ""; // tests fail on purpose
    return """
        ListenAddress 127.0.0.1
        Port %d
        AddressFamily inet
        HostKey %s
        PidFile %s
        AuthorizedKeysFile %s
        AuthenticationMethods publickey
        PubkeyAuthentication yes
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        UsePAM no
        PermitRootLogin prohibit-password
        AllowUsers %s
        StrictModes no
        PermitUserEnvironment no
        PermitTTY no
        X11Forwarding no
        AllowTcpForwarding no
        AllowAgentForwarding no
        UseDNS no
        PrintMotd no
        PrintLastLog no
        LoginGraceTime 15
        MaxAuthTries 3
        LogLevel VERBOSE
        %s"""
        .formatted(
            port,
            dir.resolve("host_key"),
            dir.resolve("sshd.pid"),
            dir.resolve("authorized_keys"),
            user,
            penalties);
  }

  /**
   * Run as root, sshd chroots its pre-auth child into /run/sshd, which the service unit normally
   * creates.
   */
  private static void ensurePrivsepDir() {
    if (!"root".equals(System.getProperty("user.name")) || Files.isDirectory(PRIVSEP_DIR)) {
      return;
    }
    try {
      Files.createDirectories(
          PRIVSEP_DIR,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "sshd needs " + PRIVSEP_DIR + "; create it with: mkdir -p " + PRIVSEP_DIR, e);
    }
  }

  private boolean awaitListening() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (log().contains("Server listening on 127.0.0.1 port " + port)) {
        return true;
      }
      sleepBriefly();
    }
    return false;
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting sshd", e);
    }
  }

  /** The pid sshd wrote must be the process this harness stops, or cleanup would miss it. */
  private void checkPidFile() {
    Path pidFile = dir.resolve("sshd.pid");
    String expected = String.valueOf(process.pid());
    String pid = "(none)";
    for (int i = 0;
        i < 100 && !pid.equals(expected);
        i++) { // written just after "Server listening"
      pid = Files.exists(pidFile) ? read(pidFile).strip() : "(none)";
      sleepBriefly();
    }
    if (!pid.equals(expected)) {
      throw new IllegalStateException(
          "sshd wrote pid " + pid + " to " + pidFile + " but runs as " + process.pid());
    }
  }

  private static boolean openSshAtLeast(int major, int minor) {
    String version =
        ProcessRunner.run(List.of("ssh", "-V"), KEYGEN_TIMEOUT, Map.of(), null).stderr();
    Matcher m = Pattern.compile("OpenSSH_(\\d+)\\.(\\d+)").matcher(version);
    if (!m.find()) {
      return false;
    }
    int foundMajor = Integer.parseInt(m.group(1));
    return foundMajor > major || foundMajor == major && Integer.parseInt(m.group(2)) >= minor;
  }

  private static String publicKey(Path pub) {
    try {
      String[] fields = Files.readString(pub, StandardCharsets.UTF_8).strip().split(" ");
      return fields[0] + " " + fields[1];
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

  private Path write(String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends sshd and any session it still serves, by their process handles (never by name). */
  private void stopProcess() {
    if (process == null) {
      return;
    }
    List<ProcessHandle> sessions = process.descendants().toList();
    sessions.forEach(ProcessHandle::destroy);
    ProcessRunner.stop(process);
    sessions.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or has run; it does the same.
    }
    process = null;
  }

  @Override
  public void close() {
    stopProcess();
    keepLogForPostMortem();
    TempDirs.delete(dir);
  }

  /** Under Maven, copies sshd's log to target/sshd-logs/ so a failed CI run can still be read. */
  private void keepLogForPostMortem() {
    Path target = Path.of("target");
    Path log = dir.resolve("sshd.log");
    if (!Files.isDirectory(target) || !Files.exists(log)) {
      return;
    }
    try {
      Path logs = Files.createDirectories(target.resolve("sshd-logs"));
      Files.copy(log, logs.resolve("sshd-" + port + ".log"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException ignored) {
      // A missing post-mortem log must not fail the test.
    }
  }
}
