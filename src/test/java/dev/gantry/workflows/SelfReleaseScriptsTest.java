package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps of Gantry's own release (.github/workflows/release.yml) that call
 * scripts/self-release-*.sh from Gantry checked out at the root, run as the runner runs them: the
 * image's name, the release commits on a git copy of this repository, and the temporary branch on a
 * real remote (and over HTTP, where the token must reach git only through the credential helper).
 */
class SelfReleaseScriptsTest {
  private static final String RELEASE = ".github/workflows/release.yml";
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String DIGEST = "sha256:" + "5e".repeat(32);
  private static final String TOKEN = "ghs_not-a-real-token-0123456789";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void theImageIsGantrysAndTheCommitIsChecked() {
    RunBlock name = RunBlock.of(RELEASE, "image", "Check the commit and name the image");
    RunBlock.Result named =
        name.run(dir, Map.of("SHA", SHA), Map.of("GITHUB_REPOSITORY", "Acme/gantry"), TIMEOUT);
    assertEquals(0, named.exitCode(), named::all);
    assertEquals(
        Map.of("image", "ghcr.io/acme/gantry", "sha", SHA, "tag", "sha-0123456"),
        named.outputs(),
        named::all);

    RunBlock.Result shortSha =
        name.run(
            dir, Map.of("SHA", "abc1234"), Map.of("GITHUB_REPOSITORY", "Acme/gantry"), TIMEOUT);
    assertRefused(shortSha, "::error title=release: bad commit::the commit abc1234 is not");
    RunBlock.Result shop =
        name.run(dir, Map.of("SHA", SHA), Map.of("GITHUB_REPOSITORY", "Acme/shop"), TIMEOUT);
    assertRefused(shop, "::error title=release: not Gantry::the repository Acme/shop is not");
  }

  @Test
  void theReleaseCommitsAreMadeOnTheTestedCommit() throws IOException {
    Path tree = copyOfRepository();
    String tested = git(tree, "rev-parse", "HEAD");
    RunBlock commit = RunBlock.of(RELEASE, "publish", "Make the release commits");
    Map<String, String> runner = Map.of("GITHUB_REPOSITORY_OWNER", "acme");

    for (String digests :
        List.of("{\"ghcr.io/acme/other\": \"" + DIGEST + "\"}", "{\"ghcr.io/acme/gantry\": 1}")) {
      RunBlock.Result refused =
          commit.run(
              tree,
              Map.of("IMAGE", "ghcr.io/acme/gantry", "DIGESTS", digests, "SHA", tested),
              runner,
              TIMEOUT);
      assertRefused(
          refused,
          "::error title=release: no digest::scan-and-promote promoted no sha256 digest for "
              + "ghcr.io/acme/gantry");
      assertEquals(tested, git(tree, "rev-parse", "HEAD"), "nothing committed");
    }

    RunBlock.Result made =
        commit.run(
            tree,
            Map.of(
                "IMAGE",
                "ghcr.io/acme/gantry",
                "DIGESTS",
                "{\"ghcr.io/acme/gantry\": \"" + DIGEST + "\"}",
                "SHA",
                tested),
            runner,
            TIMEOUT);
    assertEquals(0, made.exitCode(), made::all);
    String head = git(tree, "rev-parse", "HEAD");
    assertEquals(Map.of("digest", DIGEST, "commit", head), made.outputs(), made::all);
    assertEquals(
        tested, git(tree, "rev-parse", "HEAD~3"), "A, B and C on top of the tested commit");
    assertEquals(
        "Release of " + tested + ": the templates call this release's reusable workflows",
        git(tree, "log", "-1", "--format=%s"));
    assertEquals("", git(tree, "status", "--porcelain", "--untracked-files=no"), "all committed");
    assertTrue(
        git(tree, "show", "HEAD:action.yml").contains("docker://ghcr.io/acme/gantry@" + DIGEST),
        "action.yml pins the promoted digest");
    assertTrue(
        made.summary().contains("Release commit `" + head + "` on `" + tested + "`"), made::all);
  }

  @Test
  void theTemporaryBranchIsPushedAndDropped() throws IOException {
    Path remote = dir.resolve("remote.git");
    git(dir, "init", "-q", "--bare", remote.toString());
    Path work = Files.createDirectories(dir.resolve("work"));
    git(work, "init", "-q");
    Files.writeString(work.resolve("README"), "release\n");
    git(work, "add", "README");
    git(work, "commit", "-q", "-m", "release commit");
    git(work, "remote", "add", "origin", remote.toString());
    String commit = git(work, "rev-parse", "HEAD");
    Map<String, String> runner = Map.of("GITHUB_RUN_ID", "4242");
    String branch = "refs/heads/gantry-release/4242";
    RunBlock push = RunBlock.of(RELEASE, "publish", "Push the release commits");
    RunBlock drop = RunBlock.of(RELEASE, "publish", "Drop the temporary branch");

    RunBlock.Result notACommit =
        push.run(work, Map.of("GH_TOKEN", TOKEN, "COMMIT", "main"), runner, TIMEOUT);
    assertRefused(notACommit, "::error title=release: bad commit::the commit main is not");
    assertEquals("", git(remote, "for-each-ref"), "nothing pushed");

    RunBlock.Result pushed =
        push.run(work, Map.of("GH_TOKEN", TOKEN, "COMMIT", commit), runner, TIMEOUT);
    assertEquals(0, pushed.exitCode(), pushed::all);
    assertEquals(commit, git(remote, "rev-parse", branch));
    RunBlock.Result dropped = drop.run(work, Map.of("GH_TOKEN", TOKEN), runner, TIMEOUT);
    assertEquals(0, dropped.exitCode(), dropped::all);
    assertEquals("", git(remote, "for-each-ref"), "the branch is gone");
    RunBlock.Result again = drop.run(work, Map.of("GH_TOKEN", TOKEN), runner, TIMEOUT);
    assertEquals(0, again.exitCode(), "nothing left to drop is fine: " + again.all());
    for (RunBlock.Result r : List.of(notACommit, pushed, dropped, again)) {
      assertFalse(r.all().contains(TOKEN), r::all);
    }
  }

  /**
   * Over HTTP the token reaches the server only as git's Basic credentials, from the helper that
   * reads GH_TOKEN: not in the remote URL, not in the output.
   */
  @Test
  void theTokenReachesGitOnlyThroughTheCredentialHelper() throws IOException {
    List<String> authorizations = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String authorization = exchange.getRequestHeaders().getFirst("Authorization");
          if (authorization != null) {
            authorizations.add(authorization);
          }
          exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"GitHub\"");
          exchange.sendResponseHeaders(401, -1);
          exchange.close();
        });
    server.start();
    try {
      Path work = Files.createDirectories(dir.resolve("work"));
      git(work, "init", "-q");
      Files.writeString(work.resolve("README"), "release\n");
      git(work, "add", "README");
      git(work, "commit", "-q", "-m", "release commit");
      git(
          work,
          "remote",
          "add",
          "origin",
          "http://127.0.0.1:" + server.getAddress().getPort() + "/acme/gantry.git");
      RunBlock.Result refused =
          RunBlock.of(RELEASE, "publish", "Push the release commits")
              .run(
                  work,
                  Map.of("GH_TOKEN", TOKEN, "COMMIT", git(work, "rev-parse", "HEAD")),
                  Map.of("GITHUB_RUN_ID", "4242", "GIT_TERMINAL_PROMPT", "0"),
                  TIMEOUT);
      assertTrue(refused.exitCode() != 0, refused::all);
      String basic =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(("x-access-token:" + TOKEN).getBytes(StandardCharsets.UTF_8));
      assertTrue(authorizations.contains(basic), () -> authorizations + "\n" + refused.all());
      assertFalse(refused.all().contains(TOKEN), refused::all);
    } finally {
      server.stop(0);
    }
  }

  /** A request as the fake GitHub API saw it, and whether any process showed the token then. */
  private record Request(String line, String body, String authorization, boolean tokenInArgv) {}

  /**
   * GitHub's REST API for acme/gantry as far as publishing needs it: answers {@code responses}
   * ("METHOD path" -> status and body), 404 to anything else, and records every request.
   */
  private static HttpServer github(Map<String, String> responses, List<Request> requests)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String line = exchange.getRequestMethod() + " " + exchange.getRequestURI();
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(
              new Request(
                  line,
                  body,
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  tokenInAnyCommandLine()));
          String answer = responses.getOrDefault(line, "404 {\"message\": \"Not Found\"}");
          byte[] bytes = answer.substring(4).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(Integer.parseInt(answer.substring(0, 3)), bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return server;
  }

  /** While curl waits for the answer, its command line is in /proc: the token must not be. */
  private static boolean tokenInAnyCommandLine() {
    try (var procs = Files.list(Path.of("/proc"))) {
      return procs
          .filter(p -> p.getFileName().toString().matches("\\d+"))
          .anyMatch(
              p -> {
                try {
                  return new String(
                          Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                      .contains(TOKEN);
                } catch (IOException e) {
                  return false; // gone, or not ours to read
                }
              });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final String RELEASES = "GET /repos/acme/gantry/releases?per_page=100";
  private static final String LISTED =
      "200 [{\"id\": 8, \"tag_name\": \"2026.11.1\", \"draft\": true},"
          + " {\"id\": 7, \"tag_name\": \"2026.11.0\", \"draft\": true},"
          + " {\"id\": 6, \"tag_name\": \"2026.10.0\", \"draft\": false}]";

  private RunBlock.Result publish(HttpServer server, String version, String commit) {
    return RunBlock.of(RELEASE, "finish", "Publish")
        .run(
            dir,
            Map.of("GH_TOKEN", TOKEN, "VERSION", version, "COMMIT", commit),
            Map.of(
                "GITHUB_REPOSITORY",
                "acme/gantry",
                "GITHUB_API_URL",
                "http://127.0.0.1:" + server.getAddress().getPort()),
            TIMEOUT);
  }

  @Test
  void publishingMovesV1OrCreatesIt() throws IOException {
    List<Request> requests = new CopyOnWriteArrayList<>();
    HttpServer server =
        github(
            Map.of(
                RELEASES,
                LISTED,
                "PATCH /repos/acme/gantry/releases/7",
                "200 {}",
                "GET /repos/acme/gantry/git/ref/tags/v1",
                "200 {\"ref\": \"refs/tags/v1\"}",
                "PATCH /repos/acme/gantry/git/refs/tags/v1",
                "200 {}"),
            requests);
    try {
      RunBlock.Result moved = publish(server, "2026.11.0", SHA);
      assertEquals(0, moved.exitCode(), moved::all);
      assertEquals(
          List.of(
              RELEASES,
              "PATCH /repos/acme/gantry/releases/7",
              "GET /repos/acme/gantry/git/ref/tags/v1",
              "PATCH /repos/acme/gantry/git/refs/tags/v1"),
          requests.stream().map(Request::line).toList());
      assertEquals(
          "{\"draft\": false, \"make_latest\": \"true\"}", requests.get(1).body(), "published");
      assertEquals("{\"sha\":\"" + SHA + "\",\"force\":true}", requests.get(3).body());
      for (Request r : requests) {
        assertEquals("Bearer " + TOKEN, r.authorization(), r.line());
        assertFalse(r.tokenInArgv(), r.line() + ": the token was on a command line");
      }
      assertFalse(moved.all().contains(TOKEN), moved::all);
      assertTrue(
          moved.summary().contains("Published `2026.11.0`; `v1` is now `" + SHA + "`."),
          moved::all);
    } finally {
      server.stop(0);
    }

    requests.clear();
    server =
        github(
            Map.of(
                RELEASES,
                LISTED,
                "PATCH /repos/acme/gantry/releases/8",
                "200 {}",
                "POST /repos/acme/gantry/git/refs",
                "201 {}"),
            requests);
    try {
      RunBlock.Result created = publish(server, "2026.11.1", SHA);
      assertEquals(0, created.exitCode(), created::all);
      assertEquals(
          List.of(
              RELEASES,
              "PATCH /repos/acme/gantry/releases/8",
              "GET /repos/acme/gantry/git/ref/tags/v1",
              "POST /repos/acme/gantry/git/refs"),
          requests.stream().map(Request::line).toList());
      assertEquals("{\"ref\":\"refs/tags/v1\",\"sha\":\"" + SHA + "\"}", requests.get(3).body());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void publishingStopsAtTheFirstRefusalAndOnBadInput() throws IOException {
    List<Request> requests = new CopyOnWriteArrayList<>();
    HttpServer server =
        github(
            Map.of(
                RELEASES,
                LISTED,
                "PATCH /repos/acme/gantry/releases/7",
                "200 {}",
                "GET /repos/acme/gantry/git/ref/tags/v1",
                "503 {}"),
            requests);
    try {
      assertRefused(
          publish(server, "2026.11.0", "abc1234"),
          "::error title=release: bad commit::the commit abc1234 is not");
      assertRefused(
          publish(server, "2026.11.0 --draft", SHA),
          "::error title=release: bad version::the version 2026.11.0\\ --draft is not");
      assertEquals(List.of(), requests, "no request on bad input");

      RunBlock.Result none = publish(server, "2026.12.0", SHA);
      assertEquals(1, none.exitCode(), none::all);
      assertTrue(
          none.stdout()
              .startsWith("::error title=release: no release::no release is tagged 2026.12.0"),
          none::all);
      assertEquals(List.of(RELEASES), requests.stream().map(Request::line).toList());

      requests.clear();
      RunBlock.Result unavailable = publish(server, "2026.11.0", SHA);
      assertEquals(1, unavailable.exitCode(), unavailable::all);
      assertTrue(
          unavailable
              .stdout()
              .startsWith("::error title=release: publish failed::looking v1 up answered HTTP 503"),
          unavailable::all);
      assertFalse(
          requests.stream().anyMatch(r -> r.line().startsWith("POST")),
          "an unknown answer never creates v1");
    } finally {
      server.stop(0);
    }
  }

  private static void assertRefused(RunBlock.Result r, String start) {
    assertEquals(2, r.exitCode(), r::all);
    assertTrue(r.stdout().startsWith(start), r::all);
    assertEquals(1, r.stdout().lines().count(), r::all);
    assertEquals(Map.of(), r.outputs(), r::all);
  }

  /** What release.yml's publish job checks out: see {@link RepositoryCopy}. */
  private Path copyOfRepository() throws IOException {
    return RepositoryCopy.committed(
        Files.createDirectories(dir.resolve("gantry")), "tested commit");
  }

  private static String git(Path in, String... args) {
    return RepositoryCopy.git(in, args).strip();
  }
}
