package dev.gantry.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.testing.GantryRunner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code gantry check-commit} against GitHub on WireMock ({@link GitHubHistory}): every compare
 * status and workflow-run outcome, with the exit code, the one line saying why, the exact GETs made
 * and no write.
 */
class CheckCommitTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final GitHubHistory github = new GitHubHistory();

  // main: root - a - b - c (head);  topic: b - t (never merged)
  private final List<String> main = github.line(null, 4);
  private final String topic = github.commit(main.get(2));

  CheckCommitTest() {
    github.branch("main", main.get(3)).branch("topic", topic);
  }

  @AfterEach
  void stop() {
    github.close();
  }

  @Test
  void theBranchHeadIsEligibleOnTheDefaultBranchReadFromTheRepository() {
    GantryRunner.Result r = check(main.get(3));

    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().contains(main.get(3) + " is the head of main"), r.all());
    assertTrue(r.stdout().strip().endsWith("eligible: " + main.get(3)), r.all());
    assertEquals(
        List.of("GET /repos/acme/api", "GET /repos/acme/api/compare/main..." + main.get(3)),
        github.calls());
  }

  @Test
  void anOlderCommitOfTheBranchIsEligible() {
    GantryRunner.Result r = check(main.get(1), "--branch", "main");

    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().contains(main.get(1) + " is in the history of main"), r.all());
    assertEquals(
        List.of("GET /repos/acme/api/compare/main..." + main.get(1)),
        github.calls(),
        "--branch: no repository read");
  }

  @Test
  void aCommitAheadOfTheBranchIsRefused() {
    String unmerged =
        github.commit(main.get(3)); // a pull request's commit, or a push to a fork's branch
    GantryRunner.Result r = check(unmerged);

    assertRefused(
        r,
        unmerged
            + " is not on main (compare main..."
            + unmerged
            + " is ahead: commits the branch does not have)");
  }

  @Test
  void aCommitThatDivergedFromTheBranchIsRefused() {
    GantryRunner.Result r = check(topic);

    assertRefused(r, topic + " is not on main (compare main..." + topic + " has diverged)");
  }

  @Test
  void aCommitOnAnotherBranchIsEligibleForThatBranch() {
    GantryRunner.Result r = check(topic, "--branch", "topic");

    assertEquals(0, r.exitCode(), r.all());
  }

  @Test
  void testedByASuccessfulPushRunOfExactlyThatCommit() {
    GitHubHistory.Run run = github.run("stack-tests.yml", main.get(3), "push", "success");

    GantryRunner.Result r = check(main.get(3), "--tested-by", "stack-tests.yml", "--json");

    assertEquals(0, r.exitCode(), r.all());
    JsonNode out = json(r.stdout());
    assertTrue(out.path("eligible").asBoolean(), r.all());
    assertEquals("tested-by", out.path("checks").path(1).path("check").asText());
    assertTrue(
        out.path("checks").path(1).path("detail").asText().contains("run " + run.id()), r.all());
    assertEquals(
        "GET /repos/acme/api/actions/workflows/stack-tests.yml/runs?head_sha="
            + main.get(3)
            + "&event=push&status=success&per_page=10",
        github.calls().get(2));
  }

  @Test
  void theWorkflowMayBeNamedByItsId() {
    github.run("stack-tests.yml", main.get(3), "push", "success");
    long id = github.workflowId("stack-tests.yml");

    GantryRunner.Result r = check(main.get(3), "--tested-by", Long.toString(id));

    assertEquals(0, r.exitCode(), r.all());
  }

  @Test
  void aFailedRunIsNotATest() {
    github.run("stack-tests.yml", main.get(3), "push", "failure");
    github.run(
        "stack-tests.yml", main.get(2), "push", "success"); // the parent passed: not this commit

    assertRefused(
        check(main.get(3), "--tested-by", "stack-tests.yml"),
        main.get(3) + " has no successful push run of stack-tests.yml");
  }

  @Test
  void noRunAtAllIsRefused() {
    github.run(
        "stack-tests.yml",
        main.get(3),
        "pull_request",
        "success"); // a pull request run, not the push

    assertRefused(
        check(main.get(3), "--tested-by", "stack-tests.yml"),
        main.get(3) + " has no successful push run of stack-tests.yml");
  }

  @Test
  void aRefusedBranchCheckStopsBeforeTheRunsAreRead() {
    String unmerged = github.commit(main.get(3));
    github.run("stack-tests.yml", unmerged, "push", "success");

    assertEquals(8, check(unmerged, "--tested-by", "stack-tests.yml").exitCode());
    assertTrue(
        github.calls().stream().noneMatch(c -> c.contains("/actions/")), github.calls().toString());
  }

  @Test
  void refusedAsJsonIsOneDocument() {
    GantryRunner.Result r = check(topic, "--json");

    assertEquals(8, r.exitCode(), r.all());
    assertEquals(1, r.stdout().strip().lines().count(), r.all());
    JsonNode out = json(r.stdout());
    assertEquals("refused", out.path("status").asText());
    assertFalse(out.path("eligible").asBoolean(true));
    assertEquals(
        topic + " is not on main (compare main..." + topic + " has diverged)",
        out.path("reason").asText());
  }

  @Test
  void anUnknownCommitIsNotFound() {
    String unknown = "0123456789abcdef0123456789abcdef01234567";
    GantryRunner.Result r = check(unknown);

    assertEquals(4, r.exitCode(), r.all());
    assertTrue(
        r.stderr().contains("compare main..." + unknown + " in acme/api: HTTP 404 Not Found"),
        r.all());
    assertEquals(List.of(), github.writes());
  }

  @Test
  void aRejectedTokenIsExit3AndNeverPrinted() {
    GantryRunner.Result r =
        new GantryRunner()
            .env("GITHUB_TOKEN", "ghs_wrongToken0000000000000000000000")
            .env("GITHUB_API_URL", github.apiUrl())
            .run("check-commit", "--repository", "acme/api", "--sha", main.get(3));

    assertEquals(3, r.exitCode(), r.all());
    assertFalse(r.all().contains("ghs_wrongToken"), r.all());
  }

  @Test
  void badInputIsExit2WithNoRequest() {
    String sha = main.get(3);
    List<List<String>> cases =
        List.of(
            List.of("--repository", "acme", "--sha", sha),
            List.of("--repository", "acme/api", "--sha", sha.substring(0, 7)),
            List.of("--repository", "acme/api", "--sha", "not-a-sha-at-all-not-a-sha-at-all-00000"),
            List.of("--repository", "acme/api", "--sha", sha, "--branch", "main..topic"),
            List.of("--repository", "acme/api", "--sha", sha, "--branch", "-x"),
            List.of("--repository", "acme/api", "--sha", sha, "--branch", "release/./2026"),
            List.of("--repository", "acme/api", "--sha", sha, "--branch", "main.lock"),
            List.of("--repository", "acme/api", "--sha", sha, "--tested-by", "../tests.yml"),
            List.of("--repository", "acme/api", "--sha", sha, "--tested-by", "tests"),
            List.of(
                "--repository",
                "acme/api",
                "--sha",
                sha,
                "--not-behind",
                "ghcr.io/acme/api@sha256:" + "a".repeat(64)),
            List.of("--repository", "acme/api", "--sha", sha, "--not-behind", "ghcr.io/Acme/API"),
            List.of("--repository", "acme/api", "--sha", sha, "--allow-rollback"));
    for (List<String> args : cases) {
      List<String> all = new ArrayList<>(List.of("check-commit"));
      all.addAll(args);
      GantryRunner.Result r = runner().run(all.toArray(String[]::new));
      assertEquals(2, r.exitCode(), args + "\n" + r.all());
      assertEquals(1, r.stderr().lines().count(), args + ": one line\n" + r.all());
      assertTrue(r.stderr().startsWith("gantry: "), r.all());
    }
    GantryRunner.Result noToken =
        new GantryRunner()
            .env("GITHUB_API_URL", github.apiUrl())
            .run("check-commit", "--repository", "acme/api", "--sha", sha);
    assertEquals(2, noToken.exitCode(), noToken.all());
    assertTrue(noToken.stderr().contains("GITHUB_TOKEN is not set"), noToken.all());
    assertEquals(List.of(), github.calls(), "no request for bad input");
  }

  private void assertRefused(GantryRunner.Result r, String reason) {
    assertEquals(8, r.exitCode(), r.all());
    assertEquals("gantry: refused: " + reason, r.stderr().strip(), "one line saying why");
    assertTrue(r.stdout().strip().endsWith("refused: " + reason), r.all());
    assertEquals(List.of(), github.writes());
    assertTrue(
        github.calls().stream().allMatch(c -> c.startsWith("GET ")), github.calls().toString());
  }

  private GantryRunner runner() {
    return new GantryRunner()
        .env("GITHUB_TOKEN", GitHubHistory.TOKEN)
        .env("GITHUB_API_URL", github.apiUrl());
  }

  private GantryRunner.Result check(String sha, String... more) {
    List<String> args =
        new ArrayList<>(List.of("check-commit", "--repository", "acme/api", "--sha", sha));
    args.addAll(List.of(more));
    return runner().run(args.toArray(String[]::new));
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
