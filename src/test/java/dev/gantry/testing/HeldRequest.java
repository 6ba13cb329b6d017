package dev.gantry.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import wiremock.jakarta.servlet.http.HttpServletRequest;

/**
 * One request a {@link FaultProxy} holds: the first that matches, from its arrival until {@link
 * #release()}; then the proxy handles it as any other (forwarded, or answered by a fault injected
 * for it).
 */
public final class HeldRequest {

  /** However the test ends, a held request goes on after this. */
  private static final Duration MAX_HOLD = Duration.ofSeconds(60);

  private final String what;
  private final FaultBudget first;
  private final CountDownLatch arrived = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  HeldRequest(String method, String pathRegex) {
    this.what = method + " " + pathRegex;
    this.first = new FaultBudget(method, pathRegex, 1);
  }

  /** Returns once the request is being held; throws if none came within {@code timeout}. */
  public void awaitArrival(Duration timeout) throws InterruptedException {
    if (!arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("no " + what + " reached the proxy within " + timeout);
    }
  }

  /** Lets the held request go on (or, if none came yet, the first that matches pass at once). */
  public void release() {
    released.countDown();
  }

  /** Claims {@code request} if it is the first that matches. */
  boolean take(HttpServletRequest request) {
    return first.spend(request.getMethod(), request.getRequestURI());
  }

  /** Called on the request's own thread: waits until released (at most {@link #MAX_HOLD}). */
  void hold() throws IOException {
    arrived.countDown();
    try {
      released.await(MAX_HOLD.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while held", e);
    }
  }
}
