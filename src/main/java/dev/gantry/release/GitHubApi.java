package dev.gantry.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.GantryException;
import dev.gantry.GantryException.Kind;
import dev.gantry.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;

/**
 * The GitHub REST calls a release makes, one method per call, on the shared OkHttp client, each
 * mapping its failure through {@link GitHubErrors}. Called directly (no client library): a
 * library's opening GET of the repository is a call the budget of 8 cannot afford, and each call
 * here is one small request.
 */
public final class GitHubApi {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final int MAX_PAGES = 10;

  /** A tag ref: the tag name, and what it points at (a commit, or an annotated tag object). */
  public record TagRef(String name, String objectType, String objectSha) {}

  /** A release: its id and the page people open. */
  public record ReleaseInfo(long id, String url) {}

  /**
   * A listed release, draft or not; {@code commitish} is its {@code target_commitish} as given when
   * it was created.
   */
  public record Release(ReleaseInfo info, String tag, String commitish, boolean draft) {}

  /** One page of releases, newest first, and the next page's address (null on the last). */
  public record ReleasePage(List<Release> releases, @Nullable HttpUrl next) {}

  private final GitHubRest rest;
  private final String repositoryName;

  public GitHubApi(GitHubRest rest, String repositoryName) {
    this.rest = rest;
    this.repositoryName = repositoryName;
  }

  String repository() {
    return repositoryName;
  }

  /**
   * GET /repos/{o}/{r}/commits/{sha}: the full SHA. GitHub answers 422 for a commit it does not
   * know, 404 for a repository.
   */
  String resolveCommit(String sha) {
    String operation = "find commit " + sha + " in " + repositoryName;
    GitHubRest.Answer a =
        call(
            new Request.Builder()
                .url(repoUrl().addPathSegment("commits").addPathSegment(sha).build())
                .get(),
            operation,
            422);
    if (a.status() == 422) {
      throw new GantryException(
          Kind.NOT_FOUND,
          operation
              + ": GitHub does not know it (HTTP 422 "
              + GitHubErrors.messageOf(a.text())
              + ")");
    }
    String full = a.json().path("sha").asText("");
    if (full.isEmpty()) {
      throw new GantryException(Kind.FAILED, operation + ": GitHub's answer has no sha");
    }
    return full;
  }

  /**
   * GET /repos/{o}/{r}/git/matching-refs/tags/{prefix}: every tag whose name starts with the
   * prefix.
   */
  List<TagRef> matchingTags(String prefix) {
    List<TagRef> refs = new ArrayList<>();
    HttpUrl url =
        repoUrl()
            .addPathSegments("git/matching-refs/tags/")
            .addPathSegment(prefix)
            .addQueryParameter("per_page", "100")
            .build();
    String operation = "list tags " + prefix + "* in " + repositoryName;
    for (int page = 0; url != null && page < MAX_PAGES; page++) {
      GitHubRest.Answer a = call(new Request.Builder().url(url).get(), operation);
      for (JsonNode ref : a.json()) {
        String name = ref.path("ref").asText("");
        if (name.startsWith("refs/tags/")) {
          refs.add(
              new TagRef(
                  name.substring("refs/tags/".length()),
                  ref.path("object").path("type").asText(""),
                  ref.path("object").path("sha").asText("")));
        }
      }
      url = a.next();
    }
    return refs;
  }

  /**
   * GET /repos/{o}/{r}/git/tags/{sha}: the commit an annotated tag object points at (null if not a
   * commit).
   */
  @Nullable String annotatedTagCommit(String tagObjectSha) {
    HttpUrl url = repoUrl().addPathSegments("git/tags").addPathSegment(tagObjectSha).build();
    JsonNode object =
        call(
                new Request.Builder().url(url).get(),
                "read tag object " + tagObjectSha + " in " + repositoryName)
            .json()
            .path("object");
    return "commit".equals(object.path("type").asText()) ? object.path("sha").asText(null) : null;
  }

  /** POST /repos/{o}/{r}/git/tags: an annotated tag object on the commit; returns its sha. */
  String createTagObject(String tag, String message, String commit) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("tag", tag).put("message", message).put("object", commit).put("type", "commit");
    return call(post("git/tags", body), "create tag object " + tag + " in " + repositoryName)
        .json()
        .path("sha")
        .asText();
  }

  /**
   * POST /repos/{o}/{r}/git/refs: false when the ref already exists (someone else took the
   * version).
   */
  boolean createTagRef(String tag, String tagObjectSha) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("ref", "refs/tags/" + tag).put("sha", tagObjectSha);
    String operation = "create tag " + tag + " in " + repositoryName;
    GitHubRest.Answer a = call(post("git/refs", body), operation, 422);
    if (a.status() == 422) {
      if (GitHubErrors.messageOf(a.text()).contains("already exists")) {
        return false;
      }
      throw GitHubErrors.of(operation, a.status(), a.text(), null);
    }
    return true;
  }

  /** POST /repos/{o}/{r}/releases/generate-notes: GitHub's notes, honouring .github/release.yml. */
  String generateNotes(String tag, String commit, @Nullable String previousTag) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("tag_name", tag);
    body.put("target_commitish", commit);
    if (previousTag != null) {
      body.put("previous_tag_name", previousTag);
    }
    return call(post("releases/generate-notes", body), "generate release notes for " + tag)
        .json()
        .path("body")
        .asText("");
  }

  /**
   * The first page of GET /repos/{o}/{r}/releases: the 100 newest releases, drafts included (the
   * token can push).
   */
  ReleasePage firstReleases() {
    return releases(
        repoUrl().addPathSegment("releases").addQueryParameter("per_page", "100").build());
  }

  /** A page of GET /repos/{o}/{r}/releases, from the {@code next} of the page before. */
  ReleasePage releases(HttpUrl page) {
    GitHubRest.Answer a =
        call(new Request.Builder().url(page).get(), "list releases of " + repositoryName);
    List<Release> releases = new ArrayList<>();
    for (JsonNode r : a.json()) {
      releases.add(
          new Release(
              new ReleaseInfo(r.path("id").asLong(), r.path("html_url").asText("")),
              r.path("tag_name").asText(""),
              r.path("target_commitish").asText(""),
              r.path("draft").asBoolean()));
    }
    return new ReleasePage(releases, a.next());
  }

  /**
   * POST /repos/{o}/{r}/releases; empty when GitHub refuses it because a release of the tag already
   * exists (422, {@code already_exists} on {@code tag_name}): a concurrent run made it between our
   * check and this call.
   */
  Optional<ReleaseInfo> createRelease(
      String tag, String commit, String body, boolean draft, boolean prerelease, boolean latest) {
    ObjectNode request = Json.mapper().createObjectNode();
    request
        .put("tag_name", tag)
        .put("target_commitish", commit)
        .put("name", tag)
        .put("body", body)
        .put("draft", draft)
        .put("prerelease", prerelease)
        .put("make_latest", latest ? "true" : "false");
    String operation = "create release " + tag + " in " + repositoryName;
    GitHubRest.Answer a = call(post("releases", request), operation, 422);
    if (a.status() == 422) {
      if (GitHubErrors.isAlreadyExists(a.text(), "Release", "tag_name")) {
        return Optional.empty();
      }
      throw GitHubErrors.of(operation, a.status(), a.text(), null);
    }
    JsonNode r = a.json();
    return Optional.of(new ReleaseInfo(r.path("id").asLong(), r.path("html_url").asText("")));
  }

  private HttpUrl.Builder repoUrl() {
    return rest.repository(repositoryName);
  }

  private Request.Builder post(String path, ObjectNode body) {
    return new Request.Builder()
        .url(repoUrl().addPathSegments(path).build())
        .post(RequestBody.create(body.toString(), JSON));
  }

  private GitHubRest.Answer call(Request.Builder request, String operation, Integer... handled) {
    return rest.call(request, operation, handled);
  }
}
