package dev.gantry.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The expected GitHub calls of a run, in order, written the way the issue numbers them: {@code
 * GitHubCalls.of(gh).commit(SHA).refs("2026.11.").refs("2026.10.").releases().tag().ref().notes().release()}.
 */
final class GitHubCalls {
  private final FakeGitHub gh;
  private final List<String> calls = new ArrayList<>();

  private GitHubCalls(FakeGitHub gh) {
    this.gh = gh;
  }

  static GitHubCalls of(FakeGitHub gh) {
    return new GitHubCalls(gh);
  }

  /** 1. GET /repos/{o}/{r}/commits/{sha} */
  GitHubCalls commit(String sha) {
    return add("GET", "/commits/" + sha);
  }

  /** 2./3. GET /repos/{o}/{r}/git/matching-refs/tags/{prefix} */
  GitHubCalls refs(String prefix) {
    return add("GET", "/git/matching-refs/tags/" + prefix);
  }

  /** Dereferencing an annotated tag: GET /repos/{o}/{r}/git/tags/{tag object sha}. */
  GitHubCalls tagObject(String tagObjectSha) {
    return add("GET", "/git/tags/" + tagObjectSha);
  }

  /** 5. POST /repos/{o}/{r}/git/tags */
  GitHubCalls tag() {
    return add("POST", "/git/tags");
  }

  /** 6. POST /repos/{o}/{r}/git/refs */
  GitHubCalls ref() {
    return add("POST", "/git/refs");
  }

  /** 4. GET /repos/{o}/{r}/releases (newest first, drafts included): one page */
  GitHubCalls releases() {
    return add("GET", "/releases");
  }

  /**
   * The next page of releases, at the address of GitHub's Link header: GET
   * /repositories/{id}/releases?page=…
   */
  GitHubCalls nextReleases() {
    calls.add("GET " + gh.releasesById());
    return this;
  }

  /** 7. POST /repos/{o}/{r}/releases/generate-notes */
  GitHubCalls notes() {
    return add("POST", "/releases/generate-notes");
  }

  /** 8. POST /repos/{o}/{r}/releases */
  GitHubCalls release() {
    return add("POST", "/releases");
  }

  /**
   * The usual 1.–4. for a run in {@code thisMonth} (e.g. "2026.11."): commit, this and last month's
   * tags, releases.
   */
  GitHubCalls reads(String sha, String thisMonth, String lastMonth) {
    return commit(sha).refs(thisMonth).refs(lastMonth).releases();
  }

  /** 5.–8. */
  GitHubCalls writes() {
    return tag().ref().notes().release();
  }

  int size() {
    return calls.size();
  }

  List<String> list() {
    return List.copyOf(calls);
  }

  /** The journal holds exactly these calls, in this order. */
  void assertExactly(ReleaseRunner.Result run) {
    assertEquals(
        String.join("\n", calls),
        String.join("\n", gh.calls()),
        () -> "GitHub calls differ\n" + run.all() + "\n" + gh.unmatched());
  }

  private GitHubCalls add(String method, String rest) {
    calls.add(method + " " + gh.repoPath(rest));
    return this;
  }

  // ---- checks every test can make ----

  /** No request but GETs: nothing written on GitHub. */
  static void assertReadOnly(FakeGitHub gh, ReleaseRunner.Result run) {
    List<String> writes = gh.calls().stream().filter(c -> !c.startsWith("GET ")).toList();
    assertEquals(List.of(), writes, () -> "expected no writes\n" + run.all());
  }

  /** Tags are never moved or deleted: no PATCH or DELETE, ever. */
  static void assertNoTagRewritten(FakeGitHub gh) {
    List<String> rewrites =
        gh.calls().stream().filter(c -> c.startsWith("PATCH ") || c.startsWith("DELETE ")).toList();
    assertEquals(List.of(), rewrites, "a tag or ref was rewritten");
  }

  /** Every request carried the token, as {@code token T} or {@code Bearer T}. */
  static void assertAuthorized(FakeGitHub gh, String token) {
    for (LoggedRequest r : gh.requests()) {
      String auth = r.getHeader("Authorization");
      assertTrue(
          ("token " + token).equals(auth) || ("Bearer " + token).equals(auth),
          () ->
              r.getMethod()
                  + " "
                  + r.getUrl()
                  + " had Authorization "
                  + (auth == null ? "(none)" : "(another value)"));
    }
  }
}
