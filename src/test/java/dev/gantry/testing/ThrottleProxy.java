package dev.gantry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that forwards bytes unchanged and paces what the server sends back to a
 * set rate (all connections together), like a slow link in front of a registry. Requests go through
 * at full speed. The Host header is the proxy's, so the registry's upload locations point back at
 * the proxy.
 */
public final class ThrottleProxy implements AutoCloseable {
  private static final int CHUNK = 16 * 1024;
  private final ServerSocket server;
  private final String upstreamHost;
  private final int upstreamPort;
  private volatile long bytesPerSecond;
  private long due = System.nanoTime(); // when the bytes sent so far may have left, at the set rate

  private ThrottleProxy(String upstreamHost, int upstreamPort, long bytesPerSecond)
      throws IOException {
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.bytesPerSecond = bytesPerSecond;
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(this::accept, "throttle-accept");
  }

  /** A proxy in front of {@code registry} sending responses at {@code bytesPerSecond}. */
  public static ThrottleProxy inFrontOf(RegistryServer registry, long bytesPerSecond) {
    String[] hostPort = registry.hostPort().split(":");
    try {
      return new ThrottleProxy(hostPort[0], Integer.parseInt(hostPort[1]), bytesPerSecond);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the throttle proxy", e);
    }
  }

  public void rate(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  /** "127.0.0.1:PORT", to use in image references instead of the registry's. */
  public String hostPort() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(upstreamHost, upstreamPort);
        daemon(() -> pump(client, upstream, false), "throttle-up");
        daemon(() -> pump(upstream, client, true), "throttle-down");
      } catch (IOException e) {
        // closed, or one connection failed: the client sees a reset, which is what a broken link
        // does
      }
    }
  }

  private void pump(Socket from, Socket to, boolean paced) {
    byte[] buffer = new byte[CHUNK];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        if (paced) {
          pace(n);
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // the other side closed
    } finally {
      close(from);
      close(to);
    }
  }

  private void pace(int bytes) {
    long until;
    synchronized (this) {
      due = Math.max(due, System.nanoTime()) + TimeUnit.SECONDS.toNanos(bytes) / bytesPerSecond;
      until = due;
    }
    for (long left; (left = until - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(left);
    }
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  private static void daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
