package dev.gantry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Writes blobs and manifests to an open test registry with plain HTTP requests, as the distribution
 * spec describes them (POST an upload, PUT it with ?digest=, PUT a manifest): how test code plays a
 * tool that attaches artifacts, with nothing of Gantry's own client in the way.
 */
public final class RawRegistry {
  private final OkHttpClient http =
      new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
  private final String base;

  public RawRegistry(RegistryServer registry) {
    this.base = registry.url();
  }

  /** Uploads {@code bytes} (monolithic POST then PUT); returns their digest. */
  public String blob(String repo, byte[] bytes) {
    String digest = Skopeo.sha256(bytes);
    Request start =
        new Request.Builder()
            .url(base + "/v2/" + repo + "/blobs/uploads/")
            .post(RequestBody.create(new byte[0]))
            .build();
    String location;
    try (Response r = http.newCall(start).execute()) {
      check(r, "start upload");
      location = r.header("Location");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String url =
        (location.startsWith("http") ? location : base + location)
            + (location.contains("?") ? "&" : "?")
            + "digest="
            + digest;
    execute(
        new Request.Builder()
            .url(url)
            .put(RequestBody.create(bytes, MediaType.get("application/octet-stream")))
            .build(),
        "put blob");
    return digest;
  }

  /** PUTs a manifest under a tag or digest; returns its digest. */
  public String manifest(String repo, String reference, String mediaType, byte[] bytes) {
    execute(
        new Request.Builder()
            .url(base + "/v2/" + repo + "/manifests/" + reference)
            .put(RequestBody.create(bytes, MediaType.get(mediaType)))
            .build(),
        "put manifest");
    return Skopeo.sha256(bytes);
  }

  /** The manifest's bytes, or empty on 404. */
  public Optional<byte[]> manifest(String repo, String reference) {
    Request get =
        new Request.Builder()
            .url(base + "/v2/" + repo + "/manifests/" + reference)
            .header(
                "Accept",
                "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json")
            .get()
            .build();
    try (Response r = http.newCall(get).execute()) {
      if (r.code() == 404) {
        return Optional.empty();
      }
      check(r, "get manifest");
      return Optional.of(r.body().bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void execute(Request request, String what) {
    try (Response r = http.newCall(request).execute()) {
      check(r, what);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void check(Response r, String what) throws IOException {
    if (!r.isSuccessful()) {
      throw new IllegalStateException(
          what + " " + r.request().url() + ": HTTP " + r.code() + " " + r.body().string());
    }
  }
}
