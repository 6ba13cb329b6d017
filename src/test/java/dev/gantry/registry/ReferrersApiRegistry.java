package dev.gantry.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.image.Digest;
import dev.gantry.image.MediaTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A registry with the OCI 1.1 referrers API, in memory, written from the distribution spec for
 * tests: blobs (HEAD, GET, monolithic upload, cross-repository mount), manifests (HEAD, GET, PUT; a
 * PUT whose body has a {@code subject} is answered with {@code OCI-Subject} and listed), and {@code
 * GET /v2/<name>/referrers/<digest>} with the {@code artifactType} filter (answered with {@code
 * OCI-Filters-Applied}). No fallback tags are made here.
 */
public final class ReferrersApiRegistry extends Dispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern UPLOADS = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]*)");
  private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/([^/]+)");
  private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
  private static final Pattern REFERRERS = Pattern.compile("/v2/(.+)/referrers/([^/]+)");

  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
  private final Map<String, String> types = new ConcurrentHashMap<>();
  private final Map<String, List<ObjectNode>> referrers = new ConcurrentHashMap<>();

  public void putBlob(String repo, byte[] bytes) {
    blobs.put(repo + "@" + Digest.sha256(bytes), bytes);
  }

  /**
   * Stores a manifest as a PUT would (listed as a referrer if it has a subject); returns its
   * digest.
   */
  public Digest putManifest(String repo, String reference, byte[] bytes, String mediaType) {
    Digest d = Digest.sha256(bytes);
    manifests.put(repo + "@" + d, bytes);
    manifests.put(repo + "@" + reference, bytes);
    types.put(repo + "@" + d, mediaType);
    types.put(repo + "@" + reference, mediaType);
    try {
      JsonNode root = JSON.readTree(bytes);
      String subject = root.path("subject").path("digest").asText("");
      if (!subject.isEmpty()) {
        ObjectNode entry =
            JSON.createObjectNode()
                .put("mediaType", mediaType)
                .put("digest", d.toString())
                .put("size", bytes.length);
        String type =
            root.path("artifactType").asText(root.path("config").path("mediaType").asText(""));
        if (!type.isEmpty()) {
          entry.put("artifactType", type);
        }
        if (root.has("annotations")) {
          entry.set("annotations", root.get("annotations"));
        }
        List<ObjectNode> list =
            referrers.computeIfAbsent(repo + "@" + subject, k -> new CopyOnWriteArrayList<>());
        if (list.stream().noneMatch(e -> e.path("digest").asText().equals(d.toString()))) {
          list.add(entry);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return d;
  }

  /** Drops a stored manifest but keeps it in its subject's referrers list: a dangling entry. */
  public void forget(String repo, String reference) {
    manifests.remove(repo + "@" + reference);
  }

  public boolean hasManifest(String repo, String reference) {
    return manifests.containsKey(repo + "@" + reference);
  }

  public byte[] manifest(String repo, String reference) {
    return manifests.get(repo + "@" + reference);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    String method = request.getMethod();
    Matcher m;
    if ((m = UPLOADS.matcher(path)).matches()) {
      String repo = m.group(1);
      if (method.equals("POST")) {
        String mount = request.getUrl().queryParameter("mount");
        String from = request.getUrl().queryParameter("from");
        if (mount != null && from != null && blobs.containsKey(from + "@" + mount)) {
          blobs.put(repo + "@" + mount, blobs.get(from + "@" + mount));
          return new MockResponse.Builder()
              .code(201)
              .addHeader("Docker-Content-Digest", mount)
              .build();
        }
        return new MockResponse.Builder()
            .code(202)
            .addHeader("Location", "/v2/" + repo + "/blobs/uploads/" + UUID.randomUUID())
            .build();
      }
      if (method.equals("PUT")) {
        byte[] body = request.getBody().toByteArray();
        String digest = request.getUrl().queryParameter("digest");
        if (!Digest.sha256(body).toString().equals(digest)) {
          return MockRegistry.error(400, "DIGEST_INVALID", "digest mismatch");
        }
        blobs.put(repo + "@" + digest, body);
        return new MockResponse.Builder()
            .code(201)
            .addHeader("Docker-Content-Digest", digest)
            .build();
      }
    }
    if ((m = REFERRERS.matcher(path)).matches() && method.equals("GET")) {
      String type = request.getUrl().queryParameter("artifactType");
      ObjectNode index =
          JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
      ArrayNode list = index.putArray("manifests");
      referrers.getOrDefault(m.group(1) + "@" + m.group(2), List.of()).stream()
          .filter(e -> type == null || e.path("artifactType").asText().equals(type))
          .forEach(list::add);
      MockResponse.Builder b =
          new MockResponse.Builder()
              .code(200)
              .addHeader("Content-Type", MediaTypes.OCI_INDEX)
              .body(index.toString());
      if (type != null) {
        b.addHeader("OCI-Filters-Applied", "artifactType");
      }
      return b.build();
    }
    if ((m = MANIFEST.matcher(path)).matches()) {
      String key = m.group(1) + "@" + m.group(2);
      switch (method) {
        case "HEAD", "GET" -> {
          byte[] bytes = manifests.get(key);
          if (bytes == null) {
            return method.equals("HEAD")
                ? MockRegistry.status(404)
                : MockRegistry.error(404, "MANIFEST_UNKNOWN", "manifest unknown");
          }
          MockResponse.Builder b =
              new MockResponse.Builder()
                  .code(200)
                  .addHeader("Content-Type", types.get(key))
                  .addHeader("Docker-Content-Digest", Digest.sha256(bytes).toString());
          return method.equals("HEAD")
              ? b.setHeader("Content-Length", bytes.length).build()
              : b.body(new okio.Buffer().write(bytes)).build();
        }
        case "PUT" -> {
          byte[] bytes = request.getBody().toByteArray();
          Digest d =
              putManifest(
                  m.group(1),
                  m.group(2),
                  bytes,
                  MediaTypes.bare(request.getHeaders().get("Content-Type")));
          MockResponse.Builder b =
              new MockResponse.Builder().code(201).addHeader("Docker-Content-Digest", d.toString());
          try {
            String subject = JSON.readTree(bytes).path("subject").path("digest").asText("");
            if (!subject.isEmpty()) {
              b.addHeader("OCI-Subject", subject);
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return b.build();
        }
        default -> {
          return MockRegistry.status(405);
        }
      }
    }
    if ((m = BLOB.matcher(path)).matches()) {
      byte[] bytes = blobs.get(m.group(1) + "@" + m.group(2));
      if (bytes == null) {
        return method.equals("HEAD")
            ? MockRegistry.status(404)
            : MockRegistry.error(404, "BLOB_UNKNOWN", "blob unknown");
      }
      MockResponse.Builder b =
          new MockResponse.Builder().code(200).addHeader("Docker-Content-Digest", m.group(2));
      return method.equals("HEAD")
          ? b.setHeader("Content-Length", bytes.length).build()
          : b.body(new okio.Buffer().write(bytes)).build();
    }
    return MockRegistry.error(404, "NOT_FOUND", "no such route");
  }
}
