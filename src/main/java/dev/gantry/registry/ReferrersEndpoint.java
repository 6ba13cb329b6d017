package dev.gantry.registry;

import dev.gantry.GantryException;
import dev.gantry.http.WholeBody;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.MediaTypes;
import dev.gantry.image.Ref;
import dev.gantry.image.Referrer;
import dev.gantry.image.ReferrersIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The referrers of one repository: {@code GET /v2/<name>/referrers/<digest>} (OCI distribution 1.1,
 * with the {@code artifactType} filter and {@code Link} pagination) or, on a registry without that
 * endpoint (404), the referrers tag schema: an OCI index under the fallback tag {@code
 * sha256-<hex>}. (The spec says 404; a 405 or 501 is taken the same way, so a registry that words
 * it differently still gets the fallback, not a failed copy.)
 *
 * <p>Writing: the manifest is PUT by digest; a registry that processed its {@code subject} says so
 * with an {@code OCI-Subject} header. Without it the fallback index is read, the entry added (not
 * twice) and the index PUT. The index PUT carries {@code If-Match} with the ETag the index was read
 * with ({@code If-None-Match: *} when there was none): a registry that honours preconditions
 * answers 412 if another writer changed it meanwhile, and the index is read and merged again. Many
 * registries ignore the headers (distribution 2.8 does), so after the PUT the tag is also checked
 * with a HEAD, and merged again if it no longer holds what was written. Without preconditions that
 * narrows the race without closing it.
 */
final class ReferrersEndpoint {
  // Ifs on the Optionals, not map and orElseThrow with lambdas: each lambda links a call site on
  // first use, and a promote's ledger record is a referrer written here.
  private static final int MAX_PAGES = 1000;
  private static final int MERGE_ATTEMPTS = 3;

  /**
   * The spec's answer without the API is 404; 405 and 501 are what other servers say for a route
   * they lack.
   */
  private static final Set<Integer> NO_API = Set.of(404, 405, 501);

  /**
   * The {@code Link} header's next page, compiled when a page names one: every repository a promote
   * opens builds this class, and a pattern compiled then would bring java.util.regex into every
   * registry promote.
   */
  private static final class Next {
    static final Pattern LINK = Pattern.compile("<([^>]*)>\\s*;[^,]*rel=\"?next\"?");
  }

  private final RemoteRepository repo;

  /**
   * Known to have no referrers API (a 404 that is not a registry error about the repository): ask
   * the tag only.
   */
  private volatile boolean noApi;

  ReferrersEndpoint(RemoteRepository repo) {
    this.repo = repo;
  }

  List<Referrer> list(Digest subject, Optional<String> artifactType) {
    if (!noApi) {
      Optional<List<Referrer>> fromApi = fromApi(subject, artifactType);
      if (fromApi.isPresent()) {
        return fromApi.get();
      }
    }
    Ref tag = Ref.tag(ReferrersIndex.fallbackTag(subject));
    Optional<Manifest> index = repo.findManifest(tag);
    if (index.isEmpty()) {
      return List.of();
    }
    return ReferrersIndex.filter(
        ReferrersIndex.parse(index.get().bytes(), "list referrers " + repo.describe(tag)),
        artifactType);
  }

  /** Every page of the API's answer, or empty when the registry has no referrers API. */
  private Optional<List<Referrer>> fromApi(Digest subject, Optional<String> artifactType) {
    String what = repo.name() + "@" + subject;
    HttpUrl.Builder first = repo.referrersUrl(subject).newBuilder();
    if (artifactType.isPresent()) {
      first.addQueryParameter("artifactType", artifactType.get());
    }
    @Nullable HttpUrl url = first.build();
    List<Referrer> out = new ArrayList<>();
    Set<HttpUrl> seen = new HashSet<>();
    while (url != null) {
      if (!seen.add(url) || seen.size() > MAX_PAGES) {
        throw RegistryException.protocol(
            "list referrers", what, 200, "the Link pages never end (at " + url.encodedPath() + ")");
      }
      Request request =
          repo.request(url)
              .get()
              .header("Accept", MediaTypes.OCI_INDEX)
              .tag(WholeBody.class, WholeBody.INSTANCE)
              .build();
      try (Response r = repo.execute(request, "list referrers", what)) {
        if (NO_API.contains(r.code()) && out.isEmpty() && seen.size() == 1) {
          RegistryException notFound = RemoteRepository.failure("list referrers", what, r);
          noApi = !notFound.errors().has("NAME_UNKNOWN");
          return Optional.empty();
        }
        if (!r.isSuccessful()) {
          throw RemoteRepository.failure("list referrers", what, r);
        }
        List<Referrer> page = ReferrersIndex.parse(r.body().bytes(), "list referrers " + what);
        boolean filtered =
            artifactType.isPresent()
                && Optional.ofNullable(r.header("OCI-Filters-Applied"))
                    .orElse("")
                    .contains("artifactType");
        out.addAll(filtered ? page : ReferrersIndex.filter(page, artifactType));
        url = next(r);
      } catch (IOException e) {
        throw RegistryException.unreachable("list referrers", what, e);
      }
    }
    return Optional.of(List.copyOf(out));
  }

  private static @Nullable HttpUrl next(Response r) {
    for (String link : r.headers("Link")) {
      Matcher m = Next.LINK.matcher(link);
      if (m.find()) {
        return r.request().url().resolve(m.group(1).trim());
      }
    }
    return null;
  }

  void put(Manifest manifest) {
    Optional<Digest> subjectOf = Referrer.subjectOf(manifest);
    if (subjectOf.isEmpty()) {
      throw GantryException.badInput(
          "put referrer "
              + repo.name()
              + "@"
              + manifest.digest()
              + ": the manifest has no subject");
    }
    Digest subject = subjectOf.get();
    Optional<String> processed = repo.put(Ref.of(manifest.digest()), manifest);
    if (processed.isPresent()) {
      return;
    }
    Referrer entry = Referrer.of(manifest);
    Ref tag = Ref.tag(ReferrersIndex.fallbackTag(subject));
    String where = "put referrer " + repo.describe(tag);
    for (int attempt = 1; attempt <= MERGE_ATTEMPTS; attempt++) {
      Optional<RemoteRepository.Fetched> current = repo.findWithEtag(tag);
      Optional<Manifest> merged =
          ReferrersIndex.withEntry(
              current.isPresent() ? Optional.of(current.get().manifest()) : Optional.empty(),
              entry,
              where);
      if (merged.isEmpty()) {
        return; // listed already
      }
      // Where the registry honours preconditions, the PUT lands only on the index that was read
      // (412 otherwise);
      // the last attempt goes without, so a registry that refuses them all still gets the entry.
      Map<String, String> conditions =
          attempt == MERGE_ATTEMPTS
              ? Map.of()
              : current.isEmpty()
                  ? Map.of("If-None-Match", "*")
                  : current.get().etag().isPresent()
                      ? Map.of("If-Match", current.get().etag().get())
                      : Map.of();
      try {
        repo.put(tag, merged.get(), conditions);
      } catch (RegistryException e) {
        if (e.status() == 412) {
          continue; // another writer changed the index since it was read
        }
        throw e;
      }
      Optional<Digest> now = repo.headManifest(tag);
      if (now.isPresent() && merged.get().digest().equals(now.get())) {
        return;
      }
    }
    throw new GantryException(
        GantryException.Kind.FAILED,
        where
            + ": another writer kept replacing the referrers "
            + "index; "
            + manifest.digest()
            + " is stored but may not be listed");
  }
}
