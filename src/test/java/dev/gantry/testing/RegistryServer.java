package dev.gantry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A real CNCF distribution registry ({@code docker-registry serve}) as a child process on a free
 * loopback port, with filesystem storage in a fresh temp dir: open, behind htpasswd Basic auth, or
 * behind Bearer tokens from a {@link TokenServer}. Its access log is parsed into {@link
 * #requestLog()} so tests can count exactly which requests a step made.
 */
public final class RegistryServer implements AutoCloseable {

  public static final String SERVICE = "gantry-test-registry";
  private static final String USERNAME = "gantry";

  private final Path dir;
  private final Login login;
  private final TokenServer tokenServer;
  private final Path log;
  private RegistryProcess process;

  private RegistryServer(Path dir, Login login, TokenServer tokenServer) {
    this.dir = dir;
    this.login = login;
    this.tokenServer = tokenServer;
    this.log = dir.resolve("registry.log");
  }

  /** A registry anyone may pull from and push to. */
  public static RegistryServer open() {
    return start(false, false);
  }

  /** A registry behind htpasswd Basic auth for {@link #login()}. */
  public static RegistryServer basicAuth() {
    return start(true, false);
  }

  /**
   * A registry behind Bearer tokens from its own {@link #tokenServer()}, which accepts {@link
   * #login()}.
   */
  public static RegistryServer tokenAuth() {
    return start(false, true);
  }

  private static RegistryServer start(boolean basic, boolean token) {
    byte[] secret = new byte[12];
    new SecureRandom().nextBytes(secret);
    Login login = new Login(USERNAME, HexFormat.of().formatHex(secret));
    TokenServer tokens = token ? TokenServer.start(login) : null;
    RegistryServer registry =
        new RegistryServer(TempDirs.create("gantry-registry-"), login, tokens);
    try {
      String auth =
          basic
              ? registry.basicAuthConfig()
              : token
                  ? RegistryConfig.tokenAuth(
                      tokens.realm(), SERVICE, TokenServer.ISSUER, tokens.certificatePem())
                  : "";
      registry.process =
          RegistryProcess.start(
              registry.dir, registry.storageDir(), registry.log, auth, registry::logText);
      return registry;
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  public String hostPort() {
    return "127.0.0.1:" + process.port();
  }

  public String url() {
    return "http://" + hostPort();
  }

  /**
   * The one user the registry (or its token server) accepts; also set for open registries, which
   * ignore it.
   */
  public Login login() {
    return login;
  }

  public String username() {
    return login.username();
  }

  public String password() {
    return login.password();
  }

  /**
   * The filesystem storage root ({@code docker/registry/v2/...} below it), for tests that inspect
   * or corrupt blobs on disk behind the registry's back.
   */
  public Path storageDir() {
    return dir.resolve("storage");
  }

  /** The token server in token mode, otherwise null. */
  public TokenServer tokenServer() {
    return tokenServer;
  }

  /**
   * Every request the registry logged since it became ready, oldest first (readiness probes left
   * out).
   */
  public List<LoggedRequest> requestLog() {
    return LoggedRequest.parseAll(logText()).stream()
        .filter(r -> !r.userAgent().equals(RegistryProcess.PROBE_USER_AGENT))
        .toList();
  }

  /** A mark to pass to {@link #requestLogSince(int)}, to count the requests of one step. */
  public int mark() {
    return requestLog().size();
  }

  public List<LoggedRequest> requestLogSince(int mark) {
    List<LoggedRequest> all = requestLog();
    return all.subList(Math.min(mark, all.size()), all.size());
  }

  /** The registry's whole log (stdout and stderr), for failure messages. */
  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String basicAuthConfig() {
    // -i reads the password from stdin, so it never shows in a process list or an error message.
    String line =
        ProcessRunner.check(
                List.of("htpasswd", "-niB", login.username()),
                Duration.ofSeconds(30),
                Map.of(),
                login.password().getBytes(StandardCharsets.UTF_8))
            .stdoutText()
            .strip();
    Path htpasswd = dir.resolve("htpasswd");
    try {
      Files.writeString(htpasswd, line + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return RegistryConfig.basicAuth(htpasswd);
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
    if (tokenServer != null) {
      tokenServer.close();
    }
    keepLogForPostMortem();
    TempDirs.delete(dir);
  }

  /** Under Maven, copies the log to target/registry-logs/ so a failed CI run can still be read. */
  private void keepLogForPostMortem() {
    Path target = Path.of("target");
    if (process == null || !Files.isDirectory(target) || !Files.exists(log)) {
      return;
    }
    try {
      Path logs = Files.createDirectories(target.resolve("registry-logs"));
      Files.copy(
          log,
          logs.resolve("registry-" + process.port() + ".log"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException ignored) {
      // A missing post-mortem log must not fail the test.
    }
  }
}
