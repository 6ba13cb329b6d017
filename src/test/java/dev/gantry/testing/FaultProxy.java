package dev.gantry.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.requestMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.jetty11.Jetty11HttpServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import wiremock.jakarta.servlet.DispatcherType;
import wiremock.org.eclipse.jetty.servlet.FilterHolder;
import wiremock.org.eclipse.jetty.servlet.ServletContextHandler;

/**
 * WireMock in front of a {@link RegistryServer}: forwards every request unchanged (a low-priority
 * catch-all proxy stub) except the ones a test chose to break. The Host header is preserved, so the
 * registry builds its absolute upload Location URLs with the proxy's address and clients stay on
 * the proxy.
 */
public final class FaultProxy implements AutoCloseable {

  /**
   * One request the proxy received, as WireMock's journal recorded it; status 0 where the
   * connection was cut.
   */
  public record ProxiedRequest(String method, String url, int status) {
    @Override
    public String toString() {
      return method + " " + url + " -> " + status;
    }
  }

  private static final int FAULT_PRIORITY = 1;
  private static final int PASS_THROUGH_PRIORITY = 100;

  private final WireMockServer server;
  private final HoldFilter holds = new HoldFilter();

  private FaultProxy(String upstream) {
    // Byte-exact in both directions: no response gzip, and RawBodyFilter undoes WireMock's request
    // gunzip.
    // No h2c either: over an upgraded HTTP/2 connection there is no Host header to preserve.
    server =
        new WireMockServer(
            options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .preserveHostHeader(true)
                .gzipDisabled(true)
                .http2PlainDisabled(true)
                .stubCorsEnabled(false)
                .proxyTimeout(30_000)
                .httpServerFactory(
                    (options, admin, stubs) ->
                        new Jetty11HttpServer(options, admin, stubs) {
                          @Override
                          protected void decorateMockServiceContextBeforeConfig(
                              ServletContextHandler context) {
                            context.addFilter(
                                new FilterHolder(holds), "/*", EnumSet.of(DispatcherType.REQUEST));
                            context.addFilter(
                                new FilterHolder(new RawBodyFilter()),
                                "/*",
                                EnumSet.of(DispatcherType.REQUEST));
                          }
                        }));
    server.start();
    server.stubFor(
        any(anyUrl())
            .atPriority(PASS_THROUGH_PRIORITY)
            .willReturn(aResponse().proxiedFrom(upstream)));
  }

  /** Starts a proxy that forwards to {@code registry}. */
  public static FaultProxy inFrontOf(RegistryServer registry) {
    return new FaultProxy(registry.url());
  }

  /** "127.0.0.1:PORT", to use in image references instead of the registry's. */
  public String hostPort() {
    return "127.0.0.1:" + server.port();
  }

  public String url() {
    return "http://" + hostPort();
  }

  /**
   * Answers the next {@code times} matching requests with {@code status} and a registry-style error
   * body, then forwards again. {@code method} is "GET", "HEAD", ... or "ANY"; the regex matches the
   * path without query, e.g. {@code "/v2/app/manifests/.*"}.
   */
  public void failTimes(String method, String urlPathRegex, int status, int times) {
    inject(new FaultBudget(method, urlPathRegex, times), InjectedErrors.response(status));
  }

  public void failAlways(String method, String urlPathRegex, int status) {
    inject(
        new FaultBudget(method, urlPathRegex, FaultBudget.UNLIMITED),
        InjectedErrors.response(status));
  }

  /** Cuts the next matching connection with a TCP reset instead of answering. */
  public void resetConnectionOnce(String method, String urlPathRegex) {
    inject(
        new FaultBudget(method, urlPathRegex, 1),
        aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
  }

  /**
   * Answers the next matching request 401 with {@code WWW-Authenticate: challenge}, as a registry
   * does when the token a request carries has expired meanwhile.
   */
  public void challengeOnce(String method, String urlPathRegex, String challenge) {
    inject(
        new FaultBudget(method, urlPathRegex, 1),
        InjectedErrors.response(401).withHeader("WWW-Authenticate", challenge));
  }

  /**
   * Holds the next matching request at the proxy until the test calls {@link
   * HeldRequest#release()}, then handles it as any other (forwarded, or answered by a fault
   * injected for it): a write in flight for as long as the test needs, say while a signal is sent
   * or another writer moves a tag. A fixed delay instead races the test on a slow or busy machine.
   */
  public HeldRequest holdOnce(String method, String urlPathRegex) {
    return holds.add(method, urlPathRegex);
  }

  /** Answers the next matching request 429 with {@code Retry-After: retryAfterSeconds}. */
  public void respond429Once(String method, String urlPathRegex, int retryAfterSeconds) {
    inject(
        new FaultBudget(method, urlPathRegex, 1),
        InjectedErrors.response(429).withHeader("Retry-After", String.valueOf(retryAfterSeconds)));
  }

  /** The WireMock server itself, for stubs or journal queries the helpers here do not cover. */
  public WireMockServer wireMock() {
    return server;
  }

  /**
   * Drops every injected fault (the pass-through stays), lets held requests go and forgets the
   * recorded requests.
   */
  public void reset() {
    holds.releaseAll();
    server.getStubMappings().stream()
        .filter(stub -> stub.getPriority() == FAULT_PRIORITY)
        .toList()
        .forEach(server::removeStub);
    server.resetRequests();
  }

  /** Requests received so far, oldest first. */
  public List<ProxiedRequest> requests() {
    List<ProxiedRequest> requests = new ArrayList<>();
    for (ServeEvent event : server.getAllServeEvents()) { // newest first
      boolean cut =
          event.getResponseDefinition() != null && event.getResponseDefinition().getFault() != null;
      int status = cut || event.getResponse() == null ? 0 : event.getResponse().getStatus();
      requests.add(
          0,
          new ProxiedRequest(
              event.getRequest().getMethod().getName(), event.getRequest().getUrl(), status));
    }
    return requests;
  }

  private void inject(FaultBudget budget, ResponseDefinitionBuilder response) {
    server.stubFor(requestMatching(budget).atPriority(FAULT_PRIORITY).willReturn(response));
  }

  @Override
  public void close() {
    holds.releaseAll();
    server.stop();
  }
}
