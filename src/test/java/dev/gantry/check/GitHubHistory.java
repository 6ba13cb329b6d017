package dev.gantry.check;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GitHub's REST API for {@code acme/api} on WireMock, answering the reads {@code check-commit}
 * makes the way GitHub does, from a small commit graph and a list of workflow runs: {@code
 * compare/{base}...{head}} computes ahead, behind, diverged or identical (and the counts) from the
 * parents; a branch name or a full SHA is accepted on either side, an unknown one is 404. {@code
 * actions/workflows/{file or id}/runs} filters by {@code head_sha}, {@code event} and {@code
 * status} (which matches a run's status or its conclusion, as GitHub's does). Bodies are GitHub's
 * own examples ({@code @octokit/openapi}) with the computed fields set. Every request needs the
 * token; others get WireMock's 404.
 */
public final class GitHubHistory implements AutoCloseable {
  public static final String OWNER = "acme";
  public static final String REPO = "api";
  public static final String REPOSITORY = OWNER + "/" + REPO;
  public static final String TOKEN = "ghs_checkCommitToken0123456789abcdefXY";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A workflow run as GitHub lists it. */
  public record Run(
      long id, String workflow, String headSha, String event, String status, String conclusion) {}

  private final Map<String, List<String>> parents = new ConcurrentHashMap<>();
  private final Map<String, String> branches = new ConcurrentHashMap<>();
  private final List<Run> runs = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<String, Long> workflowIds = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(30433642);
  private final WireMockServer wm;

  public GitHubHistory() {
    wm =
        new WireMockServer(
            options().bindAddress("127.0.0.1").dynamicPort().extensions(new Answers()));
    wm.start();
    String auth = "Bearer " + TOKEN;
    wm.stubFor(
        get(urlPathEqualTo("/repos/" + REPOSITORY))
            .withHeader("Authorization", equalTo(auth))
            .willReturn(json(200, fixture("repository.json").replace("{{repoId}}", "1296269"))));
    wm.stubFor(
        get(urlPathMatching("/repos/" + REPOSITORY + "/(compare/.+|actions/workflows/[^/]+/runs)"))
            .withHeader("Authorization", equalTo(auth))
            .willReturn(aResponse().withTransformers("history")));
    // A request without the token: what GitHub answers a bad one.
    wm.stubFor(
        any(anyUrl()).atPriority(10).willReturn(json(401, fixture("errors/bad-credentials.json"))));
  }

  /** The value for GITHUB_API_URL. */
  public String apiUrl() {
    return "http://127.0.0.1:" + wm.port();
  }

  // ---- the history ----

  /** A new commit with these parents (none: a root commit); returns its SHA. */
  public String commit(String... parentShas) {
    byte[] bytes = new byte[20];
    ThreadLocalRandom.current().nextBytes(bytes);
    String sha = HexFormat.of().formatHex(bytes);
    parents.put(sha, List.of(parentShas));
    return sha;
  }

  /** {@code count} commits in a line after {@code from}; returns them oldest first. */
  public List<String> line(String from, int count) {
    List<String> shas = new ArrayList<>();
    String last = from;
    for (int i = 0; i < count; i++) {
      last = last == null ? commit() : commit(last);
      shas.add(last);
    }
    return shas;
  }

  public GitHubHistory branch(String name, String sha) {
    branches.put(name, sha);
    return this;
  }

  /** A completed run of {@code workflow} (a file name such as stack-tests.yml) for {@code sha}. */
  public Run run(String workflow, String sha, String event, String conclusion) {
    workflowIds.computeIfAbsent(workflow, w -> 161335L + workflowIds.size());
    Run run = new Run(ids.incrementAndGet(), workflow, sha, event, "completed", conclusion);
    runs.add(run);
    return run;
  }

  public long workflowId(String workflow) {
    return workflowIds.get(workflow);
  }

  // ---- what was asked ----

  public List<LoggedRequest> requests() {
    List<LoggedRequest> all =
        new ArrayList<>(wm.getAllServeEvents().stream().map(ServeEvent::getRequest).toList());
    java.util.Collections.reverse(all); // WireMock keeps the newest first
    return all;
  }

  /** {@code METHOD path?query} of every request, in order. */
  public List<String> calls() {
    return requests().stream()
        .map(r -> r.getMethod() + " " + URLDecoder.decode(r.getUrl(), StandardCharsets.UTF_8))
        .toList();
  }

  /** Requests that were not GETs: check-commit must make none. */
  public List<String> writes() {
    return calls().stream().filter(c -> !c.startsWith("GET ")).toList();
  }

  @Override
  public void close() {
    wm.stop();
  }

  // ---- answers ----

  private final class Answers implements ResponseDefinitionTransformerV2 {
    @Override
    public String getName() {
      return "history";
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      String url = event.getRequest().getUrl();
      int q = url.indexOf('?');
      String path = URLDecoder.decode(q < 0 ? url : url.substring(0, q), StandardCharsets.UTF_8);
      String compare = "/repos/" + REPOSITORY + "/compare/";
      return path.startsWith(compare)
          ? compare(path.substring(compare.length()))
          : runs(path, event);
    }

    private ResponseDefinition compare(String basehead) {
      int dots = basehead.indexOf("...");
      String base = dots < 0 ? null : resolve(basehead.substring(0, dots));
      String head = dots < 0 ? null : resolve(basehead.substring(dots + 3));
      if (base == null || head == null) {
        return json(404, fixture("errors/not-found.json")).build();
      }
      Set<String> baseHistory = ancestors(base);
      Set<String> headHistory = ancestors(head);
      int ahead = (int) headHistory.stream().filter(c -> !baseHistory.contains(c)).count();
      int behind = (int) baseHistory.stream().filter(c -> !headHistory.contains(c)).count();
      String status =
          ahead == 0 && behind == 0
              ? "identical"
              : behind == 0 ? "ahead" : ahead == 0 ? "behind" : "diverged";
      ObjectNode body =
          (ObjectNode) parse(fixture("compare.json").replace("master...topic", basehead));
      body.put("status", status)
          .put("ahead_by", ahead)
          .put("behind_by", behind)
          .put("total_commits", ahead);
      ((ObjectNode) body.get("base_commit")).put("sha", base);
      Set<String> common = new HashSet<>(headHistory);
      common.retainAll(baseHistory);
      if (common.isEmpty()) {
        return json(
                404,
                "{\"message\":\"No common ancestor between "
                    + basehead.replace("...", " and ")
                    + ".\",\"documentation_url\":\"https://docs.github.com/rest/commits/commits#compare-two-commits\",\"status\":\"404\"}")
            .build();
      }
      // The merge base: the common ancestor no other common ancestor descends from.
      String mergeBase =
          common.stream()
              .filter(c -> common.stream().noneMatch(o -> !o.equals(c) && ancestors(o).contains(c)))
              .findFirst()
              .orElseThrow();
      ((ObjectNode) body.get("merge_base_commit")).put("sha", mergeBase);
      return json(200, body.toString()).build();
    }

    private ResponseDefinition runs(String path, ServeEvent event) {
      String workflow = path.replaceAll(".*/actions/workflows/([^/]+)/runs$", "$1");
      String file =
          workflowIds.entrySet().stream()
              .filter(e -> e.getKey().equals(workflow) || e.getValue().toString().equals(workflow))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElse(null);
      if (file == null) {
        return json(404, fixture("errors/not-found.json")).build();
      }
      Map<String, String> query = query(event.getRequest().getUrl());
      ArrayNode list = JSON.createArrayNode();
      List<Run> newestFirst = new ArrayList<>(runs);
      java.util.Collections.reverse(newestFirst); // as GitHub lists them
      for (Run run : newestFirst) {
        boolean match =
            run.workflow().equals(file)
                && (!query.containsKey("head_sha") || query.get("head_sha").equals(run.headSha()))
                && (!query.containsKey("event") || query.get("event").equals(run.event()))
                && (!query.containsKey("status")
                    || query.get("status").equals(run.status())
                    || query.get("status").equals(run.conclusion()));
        if (match) {
          ObjectNode r =
              (ObjectNode)
                  parse(
                      fixture("workflow-run.json")
                          .replace("30433642", Long.toString(run.id()))
                          .replace("159038", Long.toString(workflowIds.get(file))));
          r.put("head_sha", run.headSha())
              .put("event", run.event())
              .put("status", run.status())
              .put("conclusion", run.conclusion())
              .put("path", ".github/workflows/" + file + "@main")
              .put("head_branch", "main");
          ((ObjectNode) r.get("head_commit")).put("id", run.headSha());
          list.add(r);
        }
      }
      ObjectNode body = JSON.createObjectNode();
      body.put("total_count", list.size());
      body.set("workflow_runs", list);
      return json(200, body.toString()).build();
    }
  }

  private String resolve(String ref) {
    if (branches.containsKey(ref)) {
      return branches.get(ref);
    }
    return parents.containsKey(ref) ? ref : null;
  }

  /** The commit and everything it descends from. */
  private Set<String> ancestors(String sha) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(sha));
    while (!todo.isEmpty()) {
      String c = todo.pop();
      if (seen.add(c)) {
        todo.addAll(parents.getOrDefault(c, List.of()));
      }
    }
    return seen;
  }

  private static Map<String, String> query(String url) {
    Map<String, String> q = new LinkedHashMap<>();
    int start = url.indexOf('?');
    if (start >= 0) {
      for (String pair : url.substring(start + 1).split("&")) {
        int eq = pair.indexOf('=');
        q.put(
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private String fixture(String name) {
    try (InputStream in = GitHubHistory.class.getResourceAsStream("/github/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture github/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("{{api}}", apiUrl())
          .replace("{{owner}}", OWNER)
          .replace("{{repo}}", REPO);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ResponseDefinitionBuilder json(int status, String body) {
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
}
