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
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The {@code docker-registry serve} child of a {@link RegistryServer}: start on a free port, wait
 * for it, stop.
 */
final class RegistryProcess implements AutoCloseable {

  static final String PROBE_USER_AGENT = "gantry-harness-readiness";
  private static final String BINARY = "docker-registry";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

  private final Process process;
  private final int port;

  private RegistryProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Writes config.yml into {@code dir} for a free loopback port and starts the registry on {@code
   * storage}, logging to {@code log}; returns once {@code GET /v2/} answers 200 or 401. {@code
   * logText} reads the log for failure messages.
   */
  static RegistryProcess start(
      Path dir, Path storage, Path log, String authConfig, Supplier<String> logText) {
    requireBinary();
    // A port picked free can be taken before the registry binds it; a fresh one on retry fixes
    // that.
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      Path config = dir.resolve("config.yml");
      try {
        Files.writeString(
            config,
            RegistryConfig.yaml(storage, "127.0.0.1:" + port, authConfig),
            StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ProcessBuilder builder =
          new ProcessBuilder(BINARY, "serve", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      // distribution reads REGISTRY_* variables as config overrides (even skopeo's
      // REGISTRY_AUTH_FILE).
      builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
      RegistryProcess registry;
      try {
        registry = new RegistryProcess(builder.start(), port);
      } catch (IOException e) {
        throw new IllegalStateException("cannot start " + BINARY, e);
      }
      if (registry.awaitReady()) {
        return registry;
      }
      registry.close();
      if (attempt == 3 || !logText.get().contains("address already in use")) {
        throw new IllegalStateException(
            BINARY
                + " did not answer GET http://127.0.0.1:"
                + port
                + "/v2/ within "
                + STARTUP_TIMEOUT.toSeconds()
                + " s; its log:\n"
                + logText.get());
      }
    }
  }

  int port() {
    return port;
  }

  private boolean awaitReady() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
            .header("User-Agent", PROBE_USER_AGENT)
            .timeout(Duration.ofSeconds(1))
            .build();
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        int status = client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200 || status == 401) {
          return true;
        }
      } catch (IOException notListeningYet) {
        // Poll again below.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private static void requireBinary() {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(entry, BINARY))) {
        return;
      }
    }
    throw new IllegalStateException(
        BINARY + " is not on PATH; install it with: apt-get install docker-registry");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    ProcessRunner.stop(process);
  }
}
