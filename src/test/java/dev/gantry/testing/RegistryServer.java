package dev.gantry.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * A real CNCF distribution registry ({@code docker-registry serve}) as a child process on a free loopback
 * port, with filesystem storage in a fresh temp dir: open, behind htpasswd Basic auth, or behind Bearer
 * tokens from a {@link TokenServer}. Its access log is parsed into {@link #requestLog()} so tests can count
 * exactly which requests a step made.
 */
public final class RegistryServer implements AutoCloseable {

    public static final String SERVICE = "gantry-test-registry";
    private static final String BINARY = "docker-registry";
    private static final String USERNAME = "gantry";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);
    private static final String PROBE_USER_AGENT = "gantry-harness-readiness";

    private final Path dir;
    private final Login login;
    private final TokenServer tokenServer;
    private final Path log;
    private Process process;
    private int port;

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

    /** A registry behind Bearer tokens from its own {@link #tokenServer()}, which accepts {@link #login()}. */
    public static RegistryServer tokenAuth() {
        return start(false, true);
    }

    private static RegistryServer start(boolean basic, boolean token) {
        requireBinary();
        Login login = new Login(USERNAME, HexFormat.of().formatHex(new SecureRandom().generateSeed(12)));
        TokenServer tokens = token ? TokenServer.start(login) : null;
        Path dir = TempDirs.create("gantry-registry-");
        RegistryServer registry = new RegistryServer(dir, login, tokens);
        try {
            String auth = basic ? basicAuthConfig(dir, login) : token ? registry.tokenAuthConfig() : "";
            registry.launch(auth);
            return registry;
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public String url() {
        return "http://" + hostPort();
    }

    /** The one user the registry (or its token server) accepts; also returned for open registries, which ignore it. */
    public Login login() {
        return login;
    }

    public String username() {
        return login.username();
    }

    public String password() {
        return login.password();
    }

    /** The token server in token mode, otherwise null. */
    public TokenServer tokenServer() {
        return tokenServer;
    }

    /** Every request the registry logged since it became ready, oldest first (readiness probes left out). */
    public List<LoggedRequest> requestLog() {
        return LoggedRequest.parseAll(logText()).stream()
                .filter(r -> !r.userAgent().equals(PROBE_USER_AGENT)).toList();
    }

    /** A mark to pass to {@link #requestLogSince(int)}: count the requests of one step. */
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

    private void launch(String authConfig) {
        // A port picked free can be taken before the registry binds it; a fresh one on retry fixes that.
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            Path config = dir.resolve("config.yml");
            write(config, RegistryConfig.yaml(dir.resolve("storage"), hostPort(), authConfig));
            ProcessBuilder builder = new ProcessBuilder(BINARY, "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // distribution reads REGISTRY_* variables as config overrides (even skopeo's REGISTRY_AUTH_FILE).
            builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start " + BINARY, e);
            }
            if (awaitReady()) {
                return;
            }
            ProcessRunner.stop(process);
            if (attempt == 3 || !logText().contains("address already in use")) {
                throw new IllegalStateException(BINARY + " did not answer GET " + url() + "/v2/ within "
                        + STARTUP_TIMEOUT.toSeconds() + " s; its log:\n" + logText());
            }
        }
    }

    private boolean awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/v2/"))
                .header("User-Agent", PROBE_USER_AGENT).timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                int status = client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return true;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause(50);
        }
        return false;
    }

    private String tokenAuthConfig() {
        return RegistryConfig.tokenAuth(tokenServer.realm(), SERVICE, TokenServer.ISSUER, tokenServer.certificatePem());
    }

    private static String basicAuthConfig(Path dir, Login login) {
        // -i reads the password from stdin, so it never shows in a process list or an error message.
        String line = ProcessRunner.check(List.of("htpasswd", "-niB", login.username()), Duration.ofSeconds(30),
                Map.of(), login.password().getBytes(StandardCharsets.UTF_8)).stdoutText().strip();
        Path htpasswd = dir.resolve("htpasswd");
        write(htpasswd, line + "\n");
        return RegistryConfig.basicAuth(htpasswd);
    }

    private static void requireBinary() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(entry, BINARY))) {
                return;
            }
        }
        throw new IllegalStateException(BINARY + " is not on PATH; install it with: apt-get install docker-registry");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null) {
            ProcessRunner.stop(process);
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
        if (!Files.isDirectory(target) || !Files.exists(log)) {
            return;
        }
        try {
            Path logs = Files.createDirectories(target.resolve("registry-logs"));
            Files.copy(log, logs.resolve("registry-" + port + ".log"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException ignored) {
            // A missing post-mortem log must not fail the test.
        }
    }
}
