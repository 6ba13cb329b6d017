package dev.gantry.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.requestMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * WireMock in front of a {@link RegistryServer}: forwards every request unchanged (a low-priority
 * catch-all proxy stub) except the ones a test chose to break. The Host header is preserved, so the
 * registry builds its absolute upload Location URLs with the proxy's address and clients stay on the proxy.
 */
public final class FaultProxy implements AutoCloseable {

    /** One request the proxy received, as WireMock's journal recorded it; status 0 where the connection was cut. */
    public record ProxiedRequest(String method, String url, int status) {
        @Override
        public String toString() {
            return method + " " + url + " -> " + status;
        }
    }

    private static final int FAULT_PRIORITY = 1;
    private static final int PASS_THROUGH_PRIORITY = 100;

    private final WireMockServer server;

    private FaultProxy(String upstream) {
        // gzip off: the registry's bytes, not a recompressed copy, must reach the client.
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().preserveHostHeader(true)
                .gzipDisabled(true).stubCorsEnabled(false).proxyTimeout(30_000));
        server.start();
        server.stubFor(any(anyUrl()).atPriority(PASS_THROUGH_PRIORITY)
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
        inject(new FaultBudget(method, urlPathRegex, times), RegistryErrors.response(status));
    }

    public void failAlways(String method, String urlPathRegex, int status) {
        inject(new FaultBudget(method, urlPathRegex, FaultBudget.UNLIMITED), RegistryErrors.response(status));
    }

    /** Cuts the next matching connection with a TCP reset instead of answering. */
    public void resetConnectionOnce(String method, String urlPathRegex) {
        inject(new FaultBudget(method, urlPathRegex, 1), aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    }

    /** Answers the next matching request 429 with {@code Retry-After: retryAfterSeconds}. */
    public void respond429Once(String method, String urlPathRegex, int retryAfterSeconds) {
        inject(new FaultBudget(method, urlPathRegex, 1),
                RegistryErrors.response(429).withHeader("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    /** Drops every injected fault (the pass-through stays) and forgets the recorded requests. */
    public void reset() {
        server.getStubMappings().stream().filter(stub -> stub.getPriority() == FAULT_PRIORITY)
                .toList().forEach(server::removeStub);
        server.resetRequests();
    }

    /** Requests received so far, oldest first. */
    public List<ProxiedRequest> requests() {
        List<ProxiedRequest> requests = new ArrayList<>();
        for (ServeEvent event : server.getAllServeEvents()) { // newest first
            int status = event.getResponse() == null ? 0 : event.getResponse().getStatus();
            requests.add(0, new ProxiedRequest(event.getRequest().getMethod().getName(), event.getRequest().getUrl(),
                    status));
        }
        return requests;
    }

    private void inject(FaultBudget budget, ResponseDefinitionBuilder response) {
        server.stubFor(requestMatching(budget).atPriority(FAULT_PRIORITY).willReturn(response));
    }

    @Override
    public void close() {
        server.stop();
    }
}
