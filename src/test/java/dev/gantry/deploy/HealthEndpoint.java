package dev.gantry.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The deployed service's health URL, on loopback in the test JVM: healthy (200), unhealthy (500),
 * slow (answers 200 after a delay), or unhealthy (503) for its first N requests. Every request is
 * recorded with its time.
 */
final class HealthEndpoint implements AutoCloseable {

  /** One request: when it arrived and which client sent it. */
  record Hit(Instant at, String userAgent) {}

  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "health-endpoint");
            thread.setDaemon(true);
            return thread;
          });
  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  private volatile int status = 200;
  private volatile Duration delay = Duration.ZERO;
  private volatile int failFirst;

  private HealthEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/health", this::handle);
    server.setExecutor(executor); // a slow answer must not hold up the next request
    server.start();
  }

  static HealthEndpoint start() {
    try {
      return new HealthEndpoint();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
  }

  void healthy() {
    set(200, Duration.ZERO, 0);
  }

  void unhealthy() {
    set(500, Duration.ZERO, 0);
  }

  /** Answers 200, each time after {@code delay}. */
  void slow(Duration delay) {
    set(200, delay, 0);
  }

  /** Answers 503 to the next {@code requests} requests, then 200: a service still starting. */
  void unhealthyFor(int requests) {
    set(200, Duration.ZERO, requests);
  }

  List<Hit> hits() {
    return List.copyOf(hits);
  }

  private synchronized void set(int status, Duration delay, int failFirst) {
    this.status = status;
    this.delay = delay;
    this.failFirst = failFirst;
    count.set(0);
    hits.clear();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      int n = count.incrementAndGet();
      hits.add(
          new Hit(
              Instant.now(), String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent"))));
      if (!delay.isZero()) {
        Thread.sleep(delay.toMillis());
      }
      int answer = n <= failFirst ? 503 : status;
      byte[] body = (answer == 200 ? "ok\n" : "unhealthy\n").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer, body.length);
      exchange.getResponseBody().write(body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException clientGaveUp) {
      // A client that timed out has closed the connection; nothing to answer.
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
