package dev.gantry.testing;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import wiremock.jakarta.servlet.Filter;
import wiremock.jakarta.servlet.FilterChain;
import wiremock.jakarta.servlet.ServletException;
import wiremock.jakarta.servlet.ServletRequest;
import wiremock.jakarta.servlet.ServletResponse;
import wiremock.jakarta.servlet.http.HttpServletRequest;

/**
 * Keeps chosen requests waiting in a {@link FaultProxy} before WireMock handles them, until the
 * test lets them go: a request in flight for exactly as long as the test needs, where a fixed delay
 * races the test on a slow or busy machine.
 */
final class HoldFilter implements Filter {

  private final List<HeldRequest> holds = new CopyOnWriteArrayList<>();

  HeldRequest add(String method, String pathRegex) {
    HeldRequest held = new HeldRequest(method, pathRegex);
    holds.add(held);
    return held;
  }

  /** Lets every held request go and forgets them all. */
  void releaseAll() {
    holds.forEach(HeldRequest::release);
    holds.clear();
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    for (HeldRequest held : holds) {
      if (held.take(http)) {
        held.hold();
        break;
      }
    }
    chain.doFilter(request, response);
  }
}
