package dev.gantry.registry;

import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.MediaTypes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * The manifest endpoints of a registry, in memory: HEAD, GET and PUT by tag or digest, for any
 * repository. {@link #override} answers one exact request line ({@code "PUT
 * /v2/demo/b/manifests/latest"}) with a fixed response instead, to inject failures.
 */
public final class InMemoryRegistry extends Dispatcher {
  private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/?]+)");

  private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
  private final Map<String, MockResponse> overrides = new ConcurrentHashMap<>();
  private final Map<String, Digest> reportedDigests = new ConcurrentHashMap<>();
  private final Map<String, Runnable> hooks = new ConcurrentHashMap<>();

  /** Stores {@code m} under {@code name:tag} and under its digest, as a push would. */
  public InMemoryRegistry put(String name, String tag, Manifest m) {
    manifests.put(name + "@" + tag, m);
    manifests.put(name + "@" + m.digest(), m);
    return this;
  }

  public Manifest get(String name, String reference) {
    return manifests.get(name + "@" + reference);
  }

  public InMemoryRegistry override(String requestLine, MockResponse response) {
    overrides.put(requestLine, response);
    return this;
  }

  /**
   * Applies the next such manifest PUT as usual but reports {@code reported} as its digest: a write
   * that landed ambiguously.
   */
  public InMemoryRegistry reportOnPut(String requestLine, Digest reported) {
    reportedDigests.put(requestLine, reported);
    return this;
  }

  /**
   * Runs {@code hook} when {@code requestLine} arrives, before answering it: another client acting
   * meanwhile.
   */
  public InMemoryRegistry onRequest(String requestLine, Runnable hook) {
    hooks.put(requestLine, hook);
    return this;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String line = request.getMethod() + " " + request.getUrl().encodedPath();
    Runnable hook = hooks.get(line);
    if (hook != null) {
      hook.run();
    }
    MockResponse fixed = overrides.get(line);
    if (fixed != null) {
      return fixed;
    }
    Matcher m = MANIFEST.matcher(request.getUrl().encodedPath());
    if (!m.matches()) {
      return MockRegistry.error(404, "NOT_FOUND", "no such endpoint");
    }
    String name = m.group(1);
    String reference = m.group(2);
    switch (request.getMethod()) {
      case "HEAD", "GET" -> {
        Manifest found = get(name, reference);
        if (found == null) {
          return request.getMethod().equals("HEAD")
              ? MockRegistry.status(404)
              : MockRegistry.error(404, "MANIFEST_UNKNOWN", "manifest unknown");
        }
        return request.getMethod().equals("HEAD")
            ? MockRegistry.manifestHead(found)
            : MockRegistry.manifest(found);
      }
      case "PUT" -> {
        Manifest stored =
            Manifest.of(
                request.getBody().toByteArray(),
                MediaTypes.bare(request.getHeaders().get("Content-Type")));
        put(name, reference, stored);
        Digest reported = reportedDigests.remove(line);
        reported = reported == null ? stored.digest() : reported;
        return new MockResponse.Builder()
            .code(201)
            .addHeader("Docker-Content-Digest", reported.toString())
            .addHeader("Location", "/v2/" + name + "/manifests/" + stored.digest())
            .build();
      }
      default -> {
        return MockRegistry.status(405);
      }
    }
  }
}
