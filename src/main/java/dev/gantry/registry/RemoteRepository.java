package dev.gantry.registry;

import dev.gantry.GantryException;
import dev.gantry.auth.RegistryAccess;
import dev.gantry.http.WholeBody;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.ManifestContent;
import dev.gantry.image.MediaTypes;
import dev.gantry.image.Ref;
import dev.gantry.image.Referrer;
import dev.gantry.store.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * The registry API for one repository: one method per endpoint, each saying its method, route and
 * how it reads the answer. Every non-success answer becomes a {@link RegistryException} here and
 * nowhere else.
 */
public final class RemoteRepository implements ImageStore {
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final int ATTEMPTS = 3;

  private final OkHttpClient http;
  private final HttpUrl base;
  private final Repository repository;
  private final RegistryAccess access;
  private final ReferrersEndpoint referrers = new ReferrersEndpoint(this);

  RemoteRepository(OkHttpClient http, HttpUrl base, Repository repository, RegistryAccess access) {
    this.http = http;
    this.base = base;
    this.repository = repository;
    this.access = access;
  }

  @Override
  public List<Referrer> referrers(Digest subject, Optional<String> artifactType) {
    return referrers.list(subject, artifactType);
  }

  @Override
  public void putReferrer(Manifest manifest) {
    referrers.put(manifest);
  }

  public Repository repository() {
    return repository;
  }

  @Override
  public String name() {
    return repository.toString();
  }

  @Override
  public void writeBlob(Descriptor blob, InputStream in) {
    uploadTo(startUpload(blob.digest()), blob, in);
  }

  /**
   * Mounts the blob when {@code source} is another repository of this registry (a refused mount
   * opens an upload instead), else streams it from {@code source}. The HTTP layer cannot replay a
   * streamed body, so a temporary failure repeats the whole transfer here. So does a first 401: the
   * token expired mid-stream (it opened the upload a moment ago), and the authenticator, which
   * never replays a consumed body, has dropped it; the restart fetches a fresh one.
   */
  @Override
  public Arrival copyBlob(Descriptor blob, ImageStore source, UnaryOperator<InputStream> watch) {
    for (int attempt = 1; ; attempt++) {
      try {
        return copyOnce(blob, source, watch);
      } catch (RegistryException e) {
        boolean expiredToken = e.status() == 401 && attempt == 1;
        if (attempt >= ATTEMPTS || !(e.isTemporary() || expiredToken)) {
          throw e;
        }
      }
    }
  }

  private Arrival copyOnce(Descriptor blob, ImageStore source, UnaryOperator<InputStream> watch) {
    if (source instanceof RemoteRepository src
        && src.repository.registry().equals(repository.registry())
        && !src.repository.equals(repository)) {
      Optional<HttpUrl> upload = mountBlob(blob.digest(), src.repository);
      if (upload.isEmpty()) {
        return Arrival.MOUNTED;
      }
      try (InputStream in = watch.apply(src.openBlob(blob.digest()))) {
        uploadTo(upload.get(), blob, in);
      } catch (IOException e) {
        throw RegistryException.unreachable("get blob", src.name() + "@" + blob.digest(), e);
      }
      return Arrival.UPLOADED;
    }
    try (InputStream in = watch.apply(source.openBlob(blob.digest()))) {
      writeBlob(blob, in);
    } catch (IOException e) {
      throw RegistryException.unreachable("get blob", source.name() + "@" + blob.digest(), e);
    }
    return Arrival.UPLOADED;
  }

  /**
   * Streams a blob into an open upload session with one PUT, counting and hashing on the way: a
   * source that does not match its descriptor aborts the PUT, so the registry never commits it.
   */
  private void uploadTo(HttpUrl location, Descriptor blob, InputStream in) {
    VerifyingBody body = new VerifyingBody(blob, in);
    try {
      finishUpload(location, blob.digest(), body);
    } catch (RegistryException e) {
      if (body.problem() != null) {
        throw new GantryException(
            GantryException.Kind.FAILED,
            "copy blob "
                + repository
                + "@"
                + blob.digest()
                + ": "
                + body.problem()
                + "; nothing was committed");
      }
      throw e;
    }
  }

  /**
   * HEAD a manifest: its digest, or empty when the tag or digest does not exist. A registry that
   * refuses HEAD (405) is asked with GET instead; so is one that says a tag is missing, since some
   * answer HEAD 404 for a tag GET finds, and an existing tag that looks new would lose its previous
   * digest (one more request, for new tags only).
   */
  @Override
  public Optional<Digest> headManifest(Ref reference) {
    String subject = describe(reference);
    Request request =
        request(manifestUrl(reference)).head().header("Accept", MediaTypes.ACCEPT).build();
    try (Response r = execute(request, "check manifest", subject)) {
      if (r.code() == 404 && reference instanceof Ref.ByDigest) {
        return Optional.empty();
      }
      if (r.code() != 404 && r.code() != 405 && !r.isSuccessful()) {
        throw failure("check manifest", subject, r);
      }
      String digest = r.isSuccessful() ? r.header("Docker-Content-Digest") : null;
      if (digest != null && !digest.isBlank()) {
        try {
          return Optional.of(Digest.parse(digest.trim()));
        } catch (GantryException malformed) {
          throw RegistryException.protocol(
              "check manifest",
              subject,
              r.code(),
              "malformed Docker-Content-Digest '" + digest.trim() + "'");
        }
      }
    }
    // No digest on HEAD (or no usable HEAD at all): read the bytes and hash them.
    Optional<Fetched> fetched = fetchManifest(reference, true);
    return fetched.isPresent() ? Optional.of(fetched.get().manifest().digest()) : Optional.empty();
  }

  /**
   * GET a manifest's exact bytes; verifies them against the digest asked for and the digest
   * reported.
   */
  @Override
  public Manifest getManifest(Ref reference) {
    return fetchManifest(reference, false).orElseThrow().manifest();
  }

  /** GET a manifest, or empty when the tag or digest does not exist: one request. */
  @Override
  public Optional<Manifest> findManifest(Ref reference) {
    Optional<Fetched> fetched = fetchManifest(reference, true);
    return fetched.isPresent() ? Optional.of(fetched.get().manifest()) : Optional.empty();
  }

  /**
   * A manifest as read, with the strong {@code ETag} the registry sent for it (a conditional PUT's
   * If-Match).
   */
  record Fetched(Manifest manifest, Optional<String> etag) {}

  /** {@link #findManifest} with the ETag. */
  Optional<Fetched> findWithEtag(Ref reference) {
    return fetchManifest(reference, true);
  }

  private Optional<Fetched> fetchManifest(Ref reference, boolean missingIsEmpty) {
    String subject = describe(reference);
    // WholeBody: the retry layer reads the body, so a connection cut after the headers is retried
    // like any other.
    Request request =
        request(manifestUrl(reference))
            .get()
            .header("Accept", MediaTypes.ACCEPT)
            .tag(WholeBody.class, WholeBody.INSTANCE)
            .build();
    try (Response r = execute(request, "get manifest", subject)) {
      if (missingIsEmpty && r.code() == 404) {
        return Optional.empty();
      }
      if (!r.isSuccessful()) {
        throw failure("get manifest", subject, r);
      }
      byte[] bytes = r.body().bytes();
      String served = MediaTypes.bare(r.header("Content-Type"));
      String mediaType = ManifestContent.mediaTypeOf(bytes, served);
      if (mediaType == null || !MediaTypes.isKnown(mediaType)) {
        throw RegistryException.protocol(
            "get manifest",
            subject,
            r.code(),
            "unsupported manifest media type " + (mediaType != null ? mediaType : served));
      }
      Manifest manifest = Manifest.of(bytes, mediaType);
      String reported = r.header("Docker-Content-Digest");
      if (reference instanceof Ref.ByDigest asked && !asked.digest().matches(bytes)) {
        throw RegistryException.digestMismatch(
            "get manifest", subject, asked.toString(), manifest.digest());
      }
      if (reported != null
          && !reported.isBlank()
          && !reported.trim().equals(manifest.digest().toString())) {
        throw RegistryException.digestMismatch(
            "get manifest", subject, reported.trim(), manifest.digest());
      }
      return Optional.of(new Fetched(manifest, strongEtag(r.header("ETag"))));
    } catch (IOException e) {
      throw RegistryException.unreachable("get manifest", subject, e);
    }
  }

  /**
   * PUT the exact bytes under a tag or digest; the registry must report the digest of those bytes.
   */
  @Override
  public void putManifest(Ref reference, Manifest manifest) {
    put(reference, manifest);
  }

  /**
   * {@link #putManifest}, returning the {@code OCI-Subject} header: set when the registry processed
   * a subject field.
   */
  Optional<String> put(Ref reference, Manifest manifest) {
    return put(reference, manifest, Map.of());
  }

  /**
   * {@link #put} with precondition headers ({@code If-Match}, {@code If-None-Match}); a registry
   * may answer 412.
   */
  Optional<String> put(Ref reference, Manifest manifest, Map<String, String> conditions) {
    String subject = describe(reference);
    RequestBody body = RequestBody.create(manifest.bytes(), MediaType.get(manifest.mediaType()));
    Request.Builder builder = request(manifestUrl(reference)).put(body);
    for (Map.Entry<String, String> c : conditions.entrySet()) {
      builder.header(c.getKey(), c.getValue());
    }
    Request request = builder.build();
    try (Response r = execute(request, "put manifest", subject)) {
      if (!r.isSuccessful()) {
        throw failure("put manifest", subject, r);
      }
      String reported = r.header("Docker-Content-Digest");
      if (reported != null
          && !reported.isBlank()
          && !reported.trim().equals(manifest.digest().toString())) {
        throw RegistryException.digestMismatch(
            "put manifest", subject, reported.trim(), manifest.digest());
      }
      String subjectHeader = r.header("OCI-Subject");
      String processed = subjectHeader == null ? "" : subjectHeader.trim();
      return processed.isEmpty() ? Optional.empty() : Optional.of(processed);
    }
  }

  // The headers are read with ifs, not Optional's map and filter: each lambda or method reference
  // links a call site on first use, and every registry promote reads and writes manifests.

  /** A strong {@code ETag} (quoted; a weak {@code W/"..."} cannot guard a write), trimmed. */
  private static Optional<String> strongEtag(@Nullable String header) {
    String etag = header == null ? "" : header.trim();
    return etag.startsWith("\"") ? Optional.of(etag) : Optional.empty();
  }

  @Override
  public boolean blobExists(Digest digest) {
    String subject = repository + "@" + digest;
    try (Response r = execute(request(blobUrl(digest)).head().build(), "check blob", subject)) {
      if (r.code() == 404) {
        return false;
      }
      if (!r.isSuccessful()) {
        throw failure("check blob", subject, r);
      }
      return true;
    }
  }

  /**
   * Asks the registry to mount a blob from another repository. Empty when mounted; otherwise the
   * upload location the registry opened instead (it refused or could not mount). A mount refused
   * for lack of rights (a token server that grants only the first scope asked for leaves out {@code
   * pull} on the source) opens a plain upload instead: the blob is then streamed, and a real lack
   * of push rights fails there.
   */
  private Optional<HttpUrl> mountBlob(Digest digest, Repository from) {
    HttpUrl url =
        uploadsUrl()
            .newBuilder()
            .addQueryParameter("mount", digest.toString())
            .addQueryParameter("from", from.path())
            .build();
    String subject = repository + "@" + digest;
    try (Response r =
        execute(
            request(url).post(RequestBody.create(new byte[0])).build(), "mount blob", subject)) {
      if (r.code() == 201) {
        return Optional.empty();
      }
      if (r.code() == 202) {
        return Optional.of(location(r, "mount blob", subject));
      }
      if (r.code() != 401 && r.code() != 403) {
        throw failure("mount blob", subject, r);
      }
    }
    return Optional.of(startUpload(digest));
  }

  /** Opens an upload session; its location is where the blob is PUT. */
  private HttpUrl startUpload(Digest digest) {
    String subject = repository + "@" + digest;
    try (Response r =
        execute(
            request(uploadsUrl()).post(RequestBody.create(new byte[0])).build(),
            "start upload",
            subject)) {
      if (r.code() != 202) {
        throw failure("start upload", subject, r);
      }
      return location(r, "start upload", subject);
    }
  }

  /** Completes an upload with one streamed PUT of the whole blob. */
  private void finishUpload(HttpUrl location, Digest digest, RequestBody body) {
    String subject = repository + "@" + digest;
    HttpUrl url = location.newBuilder().addQueryParameter("digest", digest.toString()).build();
    try (Response r = execute(request(url).put(body).build(), "upload blob", subject)) {
      if (r.code() != 201 && r.code() != 204) {
        throw failure("upload blob", subject, r);
      }
    }
  }

  /** GETs a blob as a stream (redirects to storage are followed); the caller closes it. */
  @Override
  public InputStream openBlob(Digest digest) {
    String subject = repository + "@" + digest;
    Response r = execute(request(blobUrl(digest)).get().build(), "get blob", subject);
    if (!r.isSuccessful()) {
      try (r) {
        throw failure("get blob", subject, r);
      }
    }
    ResponseBody body = r.body();
    return body.byteStream();
  }

  Response execute(Request request, String operation, String subject) {
    try {
      return http.newCall(request).execute();
    } catch (IOException e) {
      throw RegistryException.unreachable(operation, subject, e);
    }
  }

  Request.Builder request(HttpUrl url) {
    return new Request.Builder().url(url).tag(RegistryAccess.class, access);
  }

  private HttpUrl manifestUrl(Ref reference) {
    return base.newBuilder()
        .addPathSegment("v2")
        .addPathSegments(repository.path())
        .addPathSegment("manifests")
        .addPathSegment(reference.toString())
        .build();
  }

  /** {@code /v2/<name>/referrers/<digest>}. */
  HttpUrl referrersUrl(Digest subject) {
    return base.newBuilder()
        .addPathSegment("v2")
        .addPathSegments(repository.path())
        .addPathSegment("referrers")
        .addPathSegment(subject.toString())
        .build();
  }

  private HttpUrl blobUrl(Digest digest) {
    return base.newBuilder()
        .addPathSegment("v2")
        .addPathSegments(repository.path())
        .addPathSegment("blobs")
        .addPathSegment(digest.toString())
        .build();
  }

  private HttpUrl uploadsUrl() {
    return base.newBuilder()
        .addPathSegment("v2")
        .addPathSegments(repository.path())
        .addPathSegments("blobs/uploads/")
        .build();
  }

  private HttpUrl location(Response r, String operation, String subject) {
    String location = r.header("Location");
    HttpUrl url = location == null ? null : r.request().url().resolve(location);
    if (url == null) {
      throw RegistryException.protocol(
          operation, subject, r.code(), "the registry gave no upload location");
    }
    return url;
  }

  static RegistryException failure(String operation, String subject, Response r) {
    byte[] body = new byte[0];
    try {
      ResponseBody b = r.body();
      if (b != null && !"HEAD".equals(r.request().method())) {
        okio.BufferedSource source = b.source();
        source.request(MAX_ERROR_BODY);
        body =
            source.getBuffer().readByteArray(Math.min(source.getBuffer().size(), MAX_ERROR_BODY));
      }
    } catch (IOException | RuntimeException unreadable) {
      // the status alone still says what happened
    }
    return new RegistryException(operation, subject, r.code(), RegistryErrors.parse(body), null);
  }
}
