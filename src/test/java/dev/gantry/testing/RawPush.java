package dev.gantry.testing;

import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Pushes blobs and manifests to an open test registry with the JDK's own HTTP client, following the
 * distribution spec by hand (monolithic upload: POST, then PUT with the digest), so attachments a
 * test sets up at a source are not written by the Gantry code under test.
 */
public final class RawPush {
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;

  public RawPush(RegistryServer registry) {
    this.base = registry.url();
  }

  public void blobs(String repo, Map<Digest, byte[]> blobs) {
    blobs.forEach((digest, bytes) -> blob(repo, digest, bytes));
  }

  public void blob(String repo, Digest digest, byte[] bytes) {
    HttpResponse<String> started =
        send(
            HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            202);
    URI location =
        URI.create(base + "/").resolve(started.headers().firstValue("Location").orElseThrow());
    String sep = location.getQuery() == null ? "?" : "&";
    send(
        HttpRequest.newBuilder(URI.create(location + sep + "digest=" + digest))
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build(),
        201);
  }

  /** PUTs a manifest under {@code reference} (a tag or its digest). */
  public void manifest(String repo, String reference, Manifest m) {
    send(
        HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/manifests/" + reference))
            .header("Content-Type", m.mediaType())
            .PUT(HttpRequest.BodyPublishers.ofByteArray(m.bytes()))
            .build(),
        201);
  }

  private HttpResponse<String> send(HttpRequest request, int expected) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != expected) {
        throw new IllegalStateException(
            request.method() + " " + request.uri() + ": HTTP " + r.statusCode() + " " + r.body());
      }
      return r;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
