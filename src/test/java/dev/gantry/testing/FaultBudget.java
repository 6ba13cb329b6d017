package dev.gantry.testing;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.ValueMatcher;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Matches requests by method and path until its budget of faults is spent, then never again, so the
 * proxy's catch-all forwards them. An atomic counter rather than a WireMock scenario: WireMock does
 * not serialise stub matching, so with skopeo's parallel blob requests a scenario's "fail twice"
 * could fail three times. Fault stubs have the highest priority, so WireMock asks this matcher
 * first, once per request.
 */
final class FaultBudget implements ValueMatcher<Request> {

  static final int UNLIMITED = -1;

  private final String method;
  private final Pattern path;
  private final AtomicInteger remaining;

  /** {@code method} "ANY" matches every method; {@code times} UNLIMITED never runs out. */
  FaultBudget(String method, String pathRegex, int times) {
    this.method = method;
    this.path = Pattern.compile(pathRegex);
    this.remaining = new AtomicInteger(times);
  }

  @Override
  public MatchResult match(Request request) {
    String url = request.getUrl();
    int query = url.indexOf('?');
    return MatchResult.of(
        spend(request.getMethod().getName(), query < 0 ? url : url.substring(0, query)));
  }

  /**
   * Whether a request of {@code requestMethod} to {@code requestPath} (no query) is one of this
   * budget's while it lasts; if so, it spends one.
   */
  boolean spend(String requestMethod, String requestPath) {
    boolean sameMethod = method.equals("ANY") || method.equalsIgnoreCase(requestMethod);
    if (!sameMethod || !path.matcher(requestPath).matches()) {
      return false;
    }
    return remaining.getAndUpdate(n -> n > 0 ? n - 1 : n) != 0;
  }

  /** Faults still to be served; 0 once spent. */
  int remaining() {
    return Math.max(remaining.get(), 0);
  }
}
