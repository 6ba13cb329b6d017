package dev.gantry.deploy;

import dev.gantry.testing.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs scripts/deploy.sh on a {@link DeployHost} through a real {@link SshServer}, the way the
 * release workflow does: the settings are assignments on the remote command line ({@code
 * DEPLOY_DIR=... IMAGE_TAG=... bash -s}), and the token travels on ssh's standard input as an
 * {@code export} line ahead of the script, so it is never an argument of any process on either
 * side.
 */
final class RemoteDeploy {

  static final Path SCRIPT = Path.of("scripts/deploy.sh");
  private static final Duration SSH_TIMEOUT = Duration.ofSeconds(40);

  /**
   * What one run printed and how long it took, ssh connection included; sshd's log when ssh itself
   * failed.
   */
  record Result(int exitCode, String stdout, String stderr, Duration elapsed, String sshdLog) {
    String all() {
      return "exit "
          + exitCode
          + " after "
          + elapsed.toMillis()
          + " ms\n--- stdout\n"
          + stdout
          + "--- stderr\n"
          + stderr
          + (sshdLog.isEmpty() ? "" : "--- sshd log, last lines\n" + sshdLog);
    }
  }

  private final SshServer ssh;
  private final DeployHost host;

  RemoteDeploy(SshServer ssh, DeployHost host) {
    this.ssh = ssh;
    this.host = host;
  }

  /** Runs the script with {@code settings}; {@code token} (null for none) goes over stdin. */
  Result run(Map<String, String> settings, String token) {
    return run(settings, token, ssh.pinnedKnownHosts());
  }

  /** The same, trusting only the host keys in {@code knownHosts}. */
  Result run(Map<String, String> settings, String token, Path knownHosts) {
    return run(settings, token, null, knownHosts);
  }

  /**
   * Runs the script with {@code settings}; {@code token} and {@code appEnv} (null for none) go over
   * stdin.
   */
  Result runWithAppEnv(Map<String, String> settings, String token, String appEnv) {
    return run(settings, token, appEnv, ssh.pinnedKnownHosts());
  }

  private Result run(Map<String, String> settings, String token, String appEnv, Path knownHosts) {
    String remote = "PATH=" + host.remotePath() + " " + assignments(settings) + " bash -s";
    String stdin =
        (token == null ? "" : "export REGISTRY_TOKEN=" + quote(token) + "\n")
            + (appEnv == null ? "" : "export APP_ENV=" + quote(appEnv) + "\n")
            + script();
    return ssh(knownHosts, remote, stdin);
  }

  /**
   * Runs the script the way appleboy/ssh-action (drone-ssh) does with {@code envs}: {@code export
   * NAME='value'} lines, then the script, all sent as the SSH command, which the server's shell
   * gets as {@code -c} argument.
   */
  Result runAsSshActionEnvs(Map<String, String> settings, String token) {
    String exports =
        settings.entrySet().stream()
            .map(e -> "export " + e.getKey() + "=" + quote(e.getValue()))
            .collect(Collectors.joining("\n"));
    String command =
        "export PATH="
            + host.remotePath()
            + "\n"
            + exports
            + "\nexport REGISTRY_TOKEN="
            + quote(token)
            + "\n"
            + script();
    return ssh(ssh.pinnedKnownHosts(), command, "");
  }

  /** Runs {@code remoteCommand} trusting only {@code knownHosts}. */
  Result ssh(Path knownHosts, String remoteCommand, String stdin) {
    long start = System.nanoTime();
    ProcessRunner.Result r =
        ProcessRunner.run(
            ssh.client(knownHosts, remoteCommand),
            SSH_TIMEOUT,
            Map.of(),
            stdin.getBytes(StandardCharsets.UTF_8));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    // 255 is ssh's own failure (host key, authentication, e.g. a locked account): sshd's log says
    // why.
    String sshdLog = r.exitCode() == 255 ? lastLines(ssh.log(), 15) : "";
    return new Result(r.exitCode(), r.stdoutText(), r.stderr(), elapsed, sshdLog);
  }

  /** Single-quotes a value for a POSIX shell. */
  static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  private static String lastLines(String text, int count) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size())) + "\n";
  }

  private static String assignments(Map<String, String> settings) {
    return settings.entrySet().stream()
        .map(e -> e.getKey() + "=" + quote(e.getValue()))
        .collect(Collectors.joining(" "));
  }

  private static String script() {
    try {
      return Files.readString(SCRIPT, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SCRIPT.toAbsolutePath(), e);
    }
  }
}
