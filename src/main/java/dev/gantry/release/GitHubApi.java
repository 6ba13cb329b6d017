package dev.gantry.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.GantryException;
import dev.gantry.GantryException.Kind;
import dev.gantry.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.kohsuke.github.GHRelease;
import org.kohsuke.github.GHReleaseBuilder;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHTagObject;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.authorization.ImmutableAuthorizationProvider;
import org.kohsuke.github.connector.GitHubConnectorResponse;
import org.kohsuke.github.extras.okhttp3.OkHttpGitHubConnector;

/**
 * The GitHub calls a release makes: hub4j's github-api for repository, commit, tag, ref and release calls, on our
 * shared OkHttp client; direct calls for the two endpoints the library lacks ({@code matching-refs} and
 * {@code releases/generate-notes}). One method per call, each mapping its failure through {@link GitHubErrors}.
 */
public final class GitHubApi {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final int MAX_PAGES = 10;

  /** A tag ref: the tag name, and what it points at (a commit, or an annotated tag object). */
  public record TagRef(String name, String objectType, String objectSha) {}

  /** A release: its id and the page people open. */
  public record ReleaseInfo(long id, String url) {}

  private final OkHttpClient http;
  private final HttpUrl api;
  private final String token;
  private final String repositoryName;
  private final GitHubLimits limits;
  private GHRepository repository;

  public GitHubApi(OkHttpClient http, String apiUrl, String token, String repositoryName, GitHubLimits limits) {
    this.http = http;
    HttpUrl parsed = HttpUrl.parse(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
    if (parsed == null) {
      throw GantryException.badInput("invalid GITHUB_API_URL '" + apiUrl + "'");
    }
    this.api = parsed;
    this.token = token;
    this.repositoryName = repositoryName;
    this.limits = limits;
  }

  /** GET /repos/{o}/{r}. */
  void open() {
    try {
      GitHub gitHub = new GitHubBuilder()
          .withEndpoint(api.toString().replaceAll("/$", ""))
          // An installation-style provider: with a bare OAuth token hub4j first asks GET /user who we are.
          .withAuthorizationProvider(ImmutableAuthorizationProvider.fromAppInstallationToken(token))
          .withConnector(new OkHttpGitHubConnector(http))
          .withRateLimitHandler(new GitHubRateLimitHandler() {
            @Override
            public void onError(GitHubConnectorResponse r) {
              limits.waitOrFail("call GitHub for " + repositoryName, r::header);
            }
          })
          .withAbuseLimitHandler(new GitHubAbuseLimitHandler() {
            @Override
            public void onError(GitHubConnectorResponse r) {
              limits.waitOrFail("call GitHub for " + repositoryName, r::header);
            }
          })
          .build();
      repository = gitHub.getRepository(repositoryName);
    } catch (IOException e) {
      throw GitHubErrors.of("open repository " + repositoryName, e);
    }
  }

  /** GET /repos/{o}/{r}/commits/{sha}: the full SHA; an unknown commit is "not found". */
  String resolveCommit(String sha) {
    try {
      return repository.getCommit(sha).getSHA1();
    } catch (HttpException e) {
      if (e.getResponseCode() == 422 || e.getResponseCode() == 404) {
        throw new GantryException(Kind.NOT_FOUND, "find commit " + sha + " in " + repositoryName + ": GitHub does not know it ("
            + "HTTP " + e.getResponseCode() + " " + GitHubErrors.messageOf(e.getMessage()) + ")", e);
      }
      throw GitHubErrors.of("find commit " + sha + " in " + repositoryName, e);
    } catch (IOException e) {
      throw GitHubErrors.of("find commit " + sha + " in " + repositoryName, e);
    }
  }

  /** GET /repos/{o}/{r}/git/matching-refs/tags/{prefix}: every tag whose name starts with the prefix. */
  List<TagRef> matchingTags(String prefix) {
    List<TagRef> refs = new ArrayList<>();
    HttpUrl url = repoUrl().addPathSegments("git/matching-refs/tags/").addPathSegment(prefix)
        .addQueryParameter("per_page", "100").build();
    String operation = "list tags " + prefix + "* in " + repositoryName;
    for (int page = 0; url != null && page < MAX_PAGES; page++) {
      Fetched f = send(new Request.Builder().url(url).get(), operation);
      for (JsonNode ref : f.json()) {
        String name = ref.path("ref").asText("");
        if (name.startsWith("refs/tags/")) {
          refs.add(new TagRef(name.substring("refs/tags/".length()), ref.path("object").path("type").asText(""),
              ref.path("object").path("sha").asText("")));
        }
      }
      url = f.next();
    }
    return refs;
  }

  /** GET /repos/{o}/{r}/git/tags/{sha}: the commit an annotated tag object points at (null if not a commit). */
  String annotatedTagCommit(String tagObjectSha) {
    try {
      GHTagObject tag = repository.getTagObject(tagObjectSha);
      return "commit".equals(tag.getObject().getType()) ? tag.getObject().getSha() : null;
    } catch (IOException e) {
      throw GitHubErrors.of("read tag object " + tagObjectSha + " in " + repositoryName, e);
    }
  }

  /** POST /repos/{o}/{r}/git/tags: an annotated tag object on the commit; returns its sha. */
  String createTagObject(String tag, String message, String commit) {
    try {
      return repository.createTag(tag, message, commit, "commit").getSha();
    } catch (IOException e) {
      throw GitHubErrors.of("create tag object " + tag + " in " + repositoryName, e);
    }
  }

  /** POST /repos/{o}/{r}/git/refs: false when the ref already exists (someone else took the version). */
  boolean createTagRef(String tag, String tagObjectSha) {
    try {
      repository.createRef("refs/tags/" + tag, tagObjectSha);
      return true;
    } catch (HttpException e) {
      if (e.getResponseCode() == 422 && String.valueOf(e.getMessage()).contains("already exists")) {
        return false;
      }
      throw GitHubErrors.of("create tag " + tag + " in " + repositoryName, e);
    } catch (IOException e) {
      throw GitHubErrors.of("create tag " + tag + " in " + repositoryName, e);
    }
  }

  /** POST /repos/{o}/{r}/releases/generate-notes: GitHub's notes, honouring .github/release.yml. */
  String generateNotes(String tag, String commit, String previousTag) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("tag_name", tag);
    body.put("target_commitish", commit);
    if (previousTag != null) {
      body.put("previous_tag_name", previousTag);
    }
    HttpUrl url = repoUrl().addPathSegments("releases/generate-notes").build();
    Fetched f = send(new Request.Builder().url(url).post(RequestBody.create(body.toString(), JSON)), "generate release notes for " + tag);
    return f.json().path("body").asText("");
  }

  /** GET /repos/{o}/{r}/releases/tags/{tag}. */
  Optional<ReleaseInfo> releaseByTag(String tag) {
    try {
      GHRelease r = repository.getReleaseByTagName(tag);
      return r == null ? Optional.empty() : Optional.of(new ReleaseInfo(r.getId(), String.valueOf(r.getHtmlUrl())));
    } catch (java.io.FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw GitHubErrors.of("read release " + tag + " in " + repositoryName, e);
    }
  }

  /** POST /repos/{o}/{r}/releases. */
  ReleaseInfo createRelease(String tag, String commit, String body, boolean draft, boolean prerelease, boolean latest) {
    try {
      GHRelease r = repository.createRelease(tag).name(tag).body(body).commitish(commit).draft(draft).prerelease(prerelease)
          .makeLatest(latest ? GHReleaseBuilder.MakeLatest.TRUE : GHReleaseBuilder.MakeLatest.FALSE).create();
      return new ReleaseInfo(r.getId(), String.valueOf(r.getHtmlUrl()));
    } catch (IOException e) {
      throw GitHubErrors.of("create release " + tag + " in " + repositoryName, e);
    }
  }

  private HttpUrl.Builder repoUrl() {
    return api.newBuilder().addPathSegment("repos").addPathSegments(repositoryName);
  }

  private record Fetched(JsonNode json, HttpUrl next) {}

  /** One direct call with GitHub's headers; waits out short rate limits; maps failures. */
  private Fetched send(Request.Builder request, String operation) {
    Request r = request.header("Authorization", "Bearer " + token).header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", "2022-11-28").build();
    for (int attempt = 1; ; attempt++) {
      try (Response response = http.newCall(r).execute()) {
        String text = response.body().string();
        if (response.isSuccessful()) {
          return new Fetched(text.isEmpty() ? Json.mapper().createObjectNode() : Json.mapper().readTree(text), next(response));
        }
        if (attempt < 4 && GitHubLimits.isLimited(response.code(), response::header)) {
          limits.waitOrFail(operation, response::header);
          continue;
        }
        throw GitHubErrors.of(operation, response.code(), text, null);
      } catch (IOException e) {
        throw GitHubErrors.of(operation, -1, null, e);
      }
    }
  }

  /** The {@code rel="next"} page from a Link header, if any. */
  private static HttpUrl next(Response response) {
    String link = response.header("Link");
    if (link == null) {
      return null;
    }
    for (String part : link.split(",")) {
      if (part.contains("rel=\"next\"")) {
        int lt = part.indexOf('<');
        int gt = part.indexOf('>');
        if (lt >= 0 && gt > lt) {
          return HttpUrl.parse(part.substring(lt + 1, gt));
        }
      }
    }
    return null;
  }
}
