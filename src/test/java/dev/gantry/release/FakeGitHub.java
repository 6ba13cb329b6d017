package dev.gantry.release;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;

/**
 * GitHub's REST API for one repository ({@code acme/api}), on WireMock. Fixed answers come from the
 * {@code src/test/resources/github/} fixtures (shaped like real responses); the tags live in a
 * small git database that {@code git/matching-refs} and {@code git/tags/{sha}} read the way GitHub
 * does: a prefix match on the full ref name, refs in name order (so {@code 2026.10.10} comes before
 * {@code 2026.10.2}). Writes are stubbed strictly, so a request with a wrong body gets WireMock's
 * 404 and shows up in {@link #unmatched()}.
 */
public final class FakeGitHub implements AutoCloseable {
  static final String OWNER = "acme";
  static final String REPO = "api";
  public static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
  static final String SHORT_SHA = SHA.substring(0, 7);
  public static final String TOKEN = "ghs_testtoken123456";
  static final long REPO_ID = 1296269;
  static final long RELEASE_ID = 183410567;
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One tag ref: lightweight ({@code objectType} "commit") or annotated ("tag", {@code objectSha} a
   * tag object).
   */
  record TagRef(String name, String objectType, String objectSha, String commitSha) {}

  private final Map<String, TagRef> tags = new ConcurrentSkipListMap<>();

  /** Releases in creation order (GitHub lists them newest first), drafts included. */
  private final List<Release> releases = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * A release as GitHub keeps it: a draft has no publication date and an {@code untagged-…} page.
   */
  record Release(long id, String tag, String commitish, boolean draft, boolean prerelease) {}

  final WireMockServer wm;
  private final String prefix;

  /** A fake github.com: the API at the server's root. */
  public FakeGitHub() {
    this("");
  }

  /** {@code prefix} "/api/v3" makes it a GitHub Enterprise Server: every path starts with it. */
  FakeGitHub(String prefix) {
    this.prefix = prefix;
    wm =
        new WireMockServer(
            options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .extensions(
                    new GitDatabase(),
                    new TakeTag("take-tag", false),
                    new TakeTag("take-tag-same-commit", true),
                    new TakeRelease("take-release", null),
                    new TakeRelease("take-release-same-commit", SHA),
                    new TakeRelease(
                        "take-release-other-commit", otherCommit("a concurrent release"))));
    wm.start();
    // Any other commit is unknown to GitHub: 422, as the real API answers for a SHA it cannot find.
    wm.stubFor(
        get(urlPathMatching(repoPath("/commits/[^/]+")))
            .atPriority(10)
            .willReturn(aResponse().withTransformers("git-database")));
    commit(SHA);
    commit(SHORT_SHA);
    wm.stubFor(
        get(urlPathMatching(repoPath("/git/matching-refs/.*")))
            .willReturn(aResponse().withTransformers("git-database")));
    wm.stubFor(
        get(urlPathMatching(repoPath("/git/tags/[0-9a-f]{40}")))
            .willReturn(aResponse().withTransformers("git-database")));
    wm.stubFor(
        get(urlPathEqualTo(repoPath("/releases")))
            .willReturn(aResponse().withTransformers("git-database")));
    // GitHub's Link header names the next pages by repository id.
    wm.stubFor(
        get(urlPathEqualTo(releasesById()))
            .willReturn(aResponse().withTransformers("git-database")));
    wm.stubFor(
        get(urlPathMatching(repoPath("/releases/tags/.+")))
            .willReturn(aResponse().withTransformers("git-database")));
  }

  /** The value for GITHUB_API_URL. */
  public String apiUrl() {
    return "http://127.0.0.1:" + wm.port() + prefix;
  }

  /** The full request path of {@code /repos/acme/api} + {@code rest}. */
  public String repoPath(String rest) {
    return prefix + "/repos/" + OWNER + "/" + REPO + rest;
  }

  /**
   * The path of the releases' next pages in GitHub's Link header: {@code
   * /repositories/{id}/releases}.
   */
  String releasesById() {
    return prefix + "/repositories/" + REPO_ID + "/releases";
  }

  // ---- the git database ----

  FakeGitHub lightweightOn(String tag, String commitSha) {
    tags.put(tag, new TagRef(tag, "commit", commitSha, commitSha));
    return this;
  }

  FakeGitHub annotatedOn(String tag, String commitSha) {
    tags.put(tag, new TagRef(tag, "tag", tagObjectSha(tag, commitSha), commitSha));
    return this;
  }

  /** Lightweight tags on commits other than {@link #SHA}. */
  FakeGitHub lightweight(String... names) {
    for (String name : names) {
      lightweightOn(name, otherCommit(name));
    }
    return this;
  }

  /** Annotated tags on commits other than {@link #SHA}. */
  FakeGitHub annotated(String... names) {
    for (String name : names) {
      annotatedOn(name, otherCommit(name));
    }
    return this;
  }

  int tagCount() {
    return tags.size();
  }

  /** A stable, distinct commit SHA for {@code seed}. */
  static String otherCommit(String seed) {
    return sha1("commit:" + seed);
  }

  /**
   * The SHA of the tag object GitHub answers for POST /git/tags of {@code tag} on {@code
   * commitSha}.
   */
  static String tagObjectSha(String tag, String commitSha) {
    return sha1("tag:" + tag + ":" + commitSha);
  }

  // ---- expected calls ----

  /** GET /commits/{requested} answers with the full {@code sha}. */
  FakeGitHub commit(String requested) {
    wm.stubFor(
        get(urlPathEqualTo(repoPath("/commits/" + requested)))
            .atPriority(1)
            .willReturn(json(200, fixture("commit.json"))));
    return this;
  }

  /**
   * POST /git/tags for {@code version} on {@link #SHA}, then POST /git/refs with the tag object's
   * SHA.
   */
  FakeGitHub tagCreated(String version) {
    String tagSha = tagObjectSha(version, SHA);
    wm.stubFor(
        post(urlPathEqualTo(repoPath("/git/tags")))
            .withRequestBody(
                equalToJson(
                    jsonOf(
                        Map.of(
                            "tag",
                            version,
                            "message",
                            "Release " + version,
                            "object",
                            SHA,
                            "type",
                            "commit"))))
            .willReturn(
                json(201, tagObjectJson(version, tagSha, SHA))
                    .withHeader(
                        "Location",
                        apiUrl() + "/repos/" + OWNER + "/" + REPO + "/git/tags/" + tagSha)));
    wm.stubFor(
        post(urlPathEqualTo(repoPath("/git/refs")))
            .withRequestBody(
                equalToJson(jsonOf(Map.of("ref", "refs/tags/" + version, "sha", tagSha))))
            .willReturn(
                json(201, refJson(new TagRef(version, "tag", tagSha, SHA)))
                    .withTransformers("take-tag")));
    return this;
  }

  /**
   * A concurrent release takes {@code version} first: POST /git/refs for it answers 422 "Reference
   * already exists", and from then on the ref is in the git database (annotated, on another
   * commit).
   */
  FakeGitHub refTakenConcurrently(String version) {
    wm.stubFor(
        post(urlPathEqualTo(repoPath("/git/refs")))
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.ref", equalTo("refs/tags/" + version)))
            .willReturn(
                json(422, fixture("errors/reference-already-exists.json"))
                    .withTransformers("take-tag")));
    return this;
  }

  /**
   * Like {@link #refTakenConcurrently}, but the winner is another run for this same commit ({@link
   * #SHA}).
   */
  FakeGitHub refTakenConcurrentlyBySameCommit(String version) {
    wm.stubFor(
        post(urlPathEqualTo(repoPath("/git/refs")))
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.ref", equalTo("refs/tags/" + version)))
            .willReturn(
                json(422, fixture("errors/reference-already-exists.json"))
                    .withTransformers("take-tag-same-commit")));
    return this;
  }

  /**
   * POST /releases/generate-notes, body matched exactly; {@code previous} null for the first
   * release ever.
   */
  FakeGitHub notesGenerated(String version, String previous, String notes) {
    Map<String, String> request =
        previous == null
            ? Map.of("tag_name", version, "target_commitish", SHA)
            : Map.of("tag_name", version, "target_commitish", SHA, "previous_tag_name", previous);
    ObjectNode answer =
        (ObjectNode) parse(fixture("release-notes.json").replace("{{tag}}", version));
    answer.put("body", notes);
    wm.stubFor(
        post(urlPathEqualTo(repoPath("/releases/generate-notes")))
            .withRequestBody(equalToJson(jsonOf(request)))
            .willReturn(json(200, answer.toString())));
    return this;
  }

  /**
   * POST /releases for {@code version}: the named fields must match; everything else is asserted
   * from the journal.
   */
  FakeGitHub releaseCreated(String version) {
    wm.stubFor(
        post(urlPathEqualTo(repoPath("/releases")))
            .withRequestBody(
                equalToJson(
                    jsonOf(Map.of("tag_name", version, "name", version, "target_commitish", SHA)),
                    true,
                    true))
            .withRequestBody(matchingJsonPath("$.body", containing(SHA)))
            .willReturn(
                json(201, releaseJson(version))
                    .withHeader(
                        "Location",
                        apiUrl() + "/repos/" + OWNER + "/" + REPO + "/releases/" + RELEASE_ID)
                    .withTransformers("take-release")));
    return this;
  }

  /**
   * A concurrent run creates the release of {@code version} between this run's check and its
   * create: POST /releases answers GitHub's 422 {@code already_exists} on {@code tag_name}, and
   * from then on the release is listed, on {@code commitSha}.
   */
  FakeGitHub releaseCreatedConcurrently(String version, boolean sameCommit) {
    wm.stubFor(
        post(urlPathEqualTo(repoPath("/releases")))
            .atPriority(1)
            .withRequestBody(matchingJsonPath("$.tag_name", equalTo(version)))
            .willReturn(
                json(422, fixture("errors/release-already-exists.json"))
                    .withTransformers(
                        sameCommit ? "take-release-same-commit" : "take-release-other-commit")));
    return this;
  }

  /** A fresh release of {@code version}: tag, ref, notes since {@code previous}, release. */
  public FakeGitHub freshRelease(String version, String previous) {
    return tagCreated(version)
        .notesGenerated(version, previous, notes(version, previous))
        .releaseCreated(version);
  }

  /**
   * No release for {@code version}: GET /releases/tags/{version} answers 404 and the listing lacks
   * it.
   */
  FakeGitHub releaseMissing(String version) {
    releases.removeIf(r -> r.tag().equals(version));
    return this;
  }

  /** A published release of {@code version} on {@link #SHA}. */
  FakeGitHub releaseExists(String version) {
    return release(version, SHA, false);
  }

  /**
   * A draft release of {@code version} on {@link #SHA}: listed, but GET /releases/tags/{version}
   * answers 404.
   */
  FakeGitHub draftExists(String version) {
    return release(version, SHA, true);
  }

  /**
   * Published releases of these versions, each on its own commit (not {@link #SHA}), oldest first.
   */
  FakeGitHub published(String... versions) {
    for (String v : versions) {
      release(v, otherCommit(v), false);
    }
    return this;
  }

  FakeGitHub release(String version, String commitish, boolean draft) {
    // The release of SHA has RELEASE_ID, as the one this run would create; the others come before
    // it.
    releases.add(
        new Release(
            commitish.equals(SHA) ? RELEASE_ID : RELEASE_ID - 1000 + releases.size(),
            version,
            commitish,
            draft,
            false));
    return this;
  }

  int releaseCount() {
    return releases.size();
  }

  /** Overrides any stub for the same request (priority 1 beats the defaults). */
  FakeGitHub stub(MappingBuilder mapping) {
    wm.stubFor(mapping.atPriority(1));
    return this;
  }

  /** What GitHub generates: a realistic markdown body naming both tags. */
  static String notes(String version, String previous) {
    return "<!-- Release notes generated using configuration in .github/release.yml at main -->\n\n"
        + "## What's Changed\n### Features\n* Start faster by @ada in https://github.com/acme/api/pull/412\n\n"
        + "**Full Changelog**: https://github.com/acme/api/"
        + (previous == null ? "commits/" + version : "compare/" + previous + "..." + version);
  }

  // ---- the journal ----

  /** Every request, oldest first, as "METHOD /path" (query left out). */
  public List<String> calls() {
    return requests().stream().map(r -> r.getMethod().getName() + " " + path(r)).toList();
  }

  List<LoggedRequest> requests() {
    List<ServeEvent> events = new ArrayList<>(wm.getAllServeEvents());
    Collections.reverse(events); // the journal is newest first
    return events.stream().map(ServeEvent::getRequest).toList();
  }

  long count(String method, String path) {
    return calls().stream().filter(c -> c.equals(method + " " + path)).count();
  }

  /** The JSON body of the only {@code method path} request. */
  public JsonNode onlyBody(String method, String path) {
    List<LoggedRequest> matching =
        requests().stream()
            .filter(r -> r.getMethod().getName().equals(method) && path(r).equals(path))
            .toList();
    if (matching.size() != 1) {
      throw new AssertionError(
          "expected one " + method + " " + path + ", got " + matching.size() + ": " + calls());
    }
    return parse(matching.get(0).getBodyAsString());
  }

  /**
   * Requests that matched no stub, with WireMock's near misses: the first thing to read when a test
   * fails.
   */
  public String unmatched() {
    List<LoggedRequest> misses = wm.findAllUnmatchedRequests();
    if (misses.isEmpty()) {
      return "no unmatched requests";
    }
    return "unmatched requests:\n"
        + misses.stream()
            .map(r -> r.getMethod() + " " + r.getUrl() + " " + r.getBodyAsString())
            .collect(Collectors.joining("\n"))
        + "\nnear misses:\n"
        + wm.findNearMissesForAllUnmatchedRequests().stream()
            .map(Object::toString)
            .collect(Collectors.joining("\n"));
  }

  static String path(LoggedRequest r) {
    String url = r.getUrl();
    int q = url.indexOf('?');
    return URLDecoder.decode(q < 0 ? url : url.substring(0, q), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    wm.stop();
  }

  // ---- fixtures ----

  String fixture(String name) {
    try (InputStream in = FakeGitHub.class.getResourceAsStream("/github/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture github/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("{{api}}", apiUrl())
          .replace("{{owner}}", OWNER)
          .replace("{{repo}}", REPO)
          .replace("{{repoId}}", Long.toString(REPO_ID))
          .replace("{{sha}}", SHA)
          .replace("{{releaseId}}", Long.toString(RELEASE_ID));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String releaseJson(String version) {
    return fixture("release.json")
        .replace("{{tag}}", version)
        .replace("{{nodeId}}", base64("07:Release" + RELEASE_ID));
  }

  /** A release as GitHub answers it, listed or alone. */
  String releaseJson(Release r) {
    ObjectNode json =
        (ObjectNode)
            parse(
                fixture("release.json")
                    .replace("{{tag}}", r.tag())
                    .replace("{{nodeId}}", base64("07:Release" + r.id()))
                    .replace(Long.toString(RELEASE_ID), Long.toString(r.id())));
    json.put("target_commitish", r.commitish());
    json.put("draft", r.draft());
    json.put("prerelease", r.prerelease());
    if (r.draft()) {
      json.putNull("published_at");
      json.put(
          "html_url",
          "https://github.com/"
              + OWNER
              + "/"
              + REPO
              + "/releases/tag/untagged-"
              + sha1("draft:" + r.id()).substring(0, 20));
    }
    return json.toString();
  }

  private String tagObjectJson(String tag, String tagSha, String commitSha) {
    return fixture("tag-object.json")
        .replace("{{tag}}", tag)
        .replace("{{tagSha}}", tagSha)
        .replace("{{commitSha}}", commitSha)
        .replace("{{nodeId}}", base64("03:Tag" + REPO_ID + ":" + tagSha));
  }

  private String refJson(TagRef ref) {
    return fixture("ref.json")
        .replace("{{tag}}", ref.name())
        .replace("{{objectSha}}", ref.objectSha())
        .replace("{{objectType}}", ref.objectType())
        .replace("{{objectKind}}", ref.objectType().equals("tag") ? "tags" : "commits")
        .replace("{{nodeId}}", base64("03:Ref" + REPO_ID + ":refs/tags/" + ref.name()));
  }

  static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withHeader("X-GitHub-Media-Type", "github.v3; format=json")
        .withHeader("X-RateLimit-Limit", "5000")
        .withHeader("X-RateLimit-Remaining", "4987")
        .withHeader("X-RateLimit-Reset", "1795430400")
        .withHeader("X-RateLimit-Resource", "core")
        .withBody(body);
  }

  static String jsonOf(Map<String, ?> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String seed) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(seed.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * matching-refs, tag objects and unknown commits, read from the git database like GitHub does.
   */
  private final class GitDatabase implements ResponseDefinitionTransformerV2 {
    @Override
    public String getName() {
      return "git-database";
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      String path = path(event.getRequest());
      String matching = repoPath("/git/matching-refs/");
      String tagObjects = repoPath("/git/tags/");
      String commits = repoPath("/commits/");
      if (path.equals(repoPath("/releases")) || path.equals(releasesById())) {
        return releasePage(event.getRequest());
      }
      if (path.startsWith(repoPath("/releases/tags/"))) {
        // Drafts are not found by tag: only published releases are.
        String tag = path.substring(repoPath("/releases/tags/").length());
        return releases.stream()
            .filter(r -> r.tag().equals(tag) && !r.draft())
            .findFirst()
            .map(r -> json(200, releaseJson(r)).build())
            .orElseGet(() -> json(404, fixture("errors/not-found.json")).build());
      }
      if (path.startsWith(commits)) {
        String requested = path.substring(commits.length());
        return json(422, fixture("errors/no-commit-found.json").replace(SHA, requested)).build();
      }
      if (path.startsWith(matching)) {
        String wanted = "refs/" + path.substring(matching.length());
        ArrayNode refs = JSON.createArrayNode();
        // GitHub lists refs in name order; the map is sorted by tag name, which is the same order.
        tags.values().stream()
            .filter(t -> ("refs/tags/" + t.name()).startsWith(wanted))
            .forEach(t -> refs.add(parse(refJson(t))));
        return json(200, refs.toString()).build();
      }
      if (path.startsWith(tagObjects)) {
        String sha = path.substring(tagObjects.length());
        return tags.values().stream()
            .filter(t -> t.objectType().equals("tag") && t.objectSha().equals(sha))
            .findFirst()
            .map(t -> json(200, tagObjectJson(t.name(), t.objectSha(), t.commitSha())).build())
            .orElseGet(() -> json(404, fixture("errors/not-found.json")).build());
      }
      return json(404, fixture("errors/not-found.json")).build();
    }
  }

  /**
   * GET /releases: newest first, {@code per_page} (default 30, at most 100) and {@code page}, with
   * GitHub's Link header.
   */
  private ResponseDefinition releasePage(LoggedRequest request) {
    int perPage = Math.min(100, intParam(request, "per_page", 30));
    int page = Math.max(1, intParam(request, "page", 1));
    List<Release> newestFirst = new ArrayList<>(releases);
    Collections.reverse(newestFirst);
    int from = Math.min(newestFirst.size(), (page - 1) * perPage);
    int to = Math.min(newestFirst.size(), from + perPage);
    ArrayNode list = JSON.createArrayNode();
    newestFirst.subList(from, to).forEach(r -> list.add(parse(releaseJson(r))));
    ResponseDefinitionBuilder answer = json(200, list.toString());
    int last = Math.max(1, (newestFirst.size() + perPage - 1) / perPage);
    if (page < last) {
      String base =
          apiUrl() + "/repositories/" + REPO_ID + "/releases?per_page=" + perPage + "&page=";
      answer.withHeader(
          "Link", "<" + base + (page + 1) + ">; rel=\"next\", <" + base + last + ">; rel=\"last\"");
    }
    return answer.build();
  }

  private static int intParam(LoggedRequest request, String name, int otherwise) {
    com.github.tomakehurst.wiremock.http.QueryParameter p = request.queryParameter(name);
    return p == null || !p.isPresent() ? otherwise : Integer.parseInt(p.firstValue());
  }

  /**
   * A POST /releases that took the tag name: on 201 it is listed from then on; on 422 a concurrent
   * run's is.
   */
  private final class TakeRelease implements ResponseDefinitionTransformerV2 {
    private final String name;
    private final String concurrentCommit;

    TakeRelease(String name, String concurrentCommit) {
      this.name = name;
      this.concurrentCommit = concurrentCommit;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      JsonNode body = parse(event.getRequest().getBodyAsString());
      String tag = body.path("tag_name").asText();
      if (releases.stream().noneMatch(r -> r.tag().equals(tag))) {
        boolean created = event.getResponseDefinition().getStatus() == 201;
        releases.add(
            new Release(
                created ? RELEASE_ID : RELEASE_ID + 1,
                tag,
                created ? body.path("target_commitish").asText() : concurrentCommit,
                body.path("draft").asBoolean(),
                body.path("prerelease").asBoolean()));
      }
      return event.getResponseDefinition();
    }
  }

  /**
   * A POST /git/refs that took a tag: on 201 the tag (on {@link #SHA}) is in the database from then
   * on, so a second run sees it; on 422 a concurrent release has just taken it, with its own tag
   * object on another commit (or, for {@code sameCommit}, on this one).
   */
  private final class TakeTag implements ResponseDefinitionTransformerV2 {
    private final String name;
    private final boolean sameCommit;

    TakeTag(String name, boolean sameCommit) {
      this.name = name;
      this.sameCommit = sameCommit;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      JsonNode body = parse(event.getRequest().getBodyAsString());
      String tag = body.path("ref").asText().substring("refs/tags/".length());
      if (event.getResponseDefinition().getStatus() == 201) {
        tags.putIfAbsent(tag, new TagRef(tag, "tag", body.path("sha").asText(), SHA));
      } else {
        String commit = sameCommit ? SHA : otherCommit(tag);
        tags.putIfAbsent(
            tag, new TagRef(tag, "tag", tagObjectSha(tag + " (the winner)", commit), commit));
      }
      return event.getResponseDefinition();
    }
  }
}
