package dev.gantry.release;

import static dev.gantry.release.FakeGitHub.SHA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.cli.ExitCode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ref is the lock, and a commit is released once: a concurrent release that takes the version first moves this
 * one to the next patch; a commit that already carries a CalVer tag reuses it, creating the release only if missing.
 */
@Timeout(60)
class ReleaseIdempotenceTest {
  private static final String OURS_ANNOTATED = FakeGitHub.tagObjectSha("2026.11.1", SHA);

  private FakeGitHub gh;
  private ReleaseRunner gantry;

  @BeforeEach
  void start() {
    gh = new FakeGitHub();
    gantry = new ReleaseRunner(gh);
  }

  @AfterEach
  void stop() {
    GitHubCalls.assertNoTagRewritten(gh);
    gh.close();
  }

  @Test
  void aRefTakenConcurrentlyMovesToTheNextPatchAfterListingAgain() {
    gh.lightweight("2026.10.4").tagCreated("2026.11.0").refTakenConcurrently("2026.11.0")
        .freshRelease("2026.11.1", "2026.11.0");

    ReleaseRunner.Result run = gantry.release("--json");

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    String theirs = FakeGitHub.tagObjectSha("2026.11.0 (the winner)", FakeGitHub.otherCommit("2026.11.0"));
    // Listing again shows the winner's annotated tag; dereferencing it (to see whether it is this commit) is allowed.
    List<String> withoutDeref = gh.calls().stream().filter(c -> !c.equals("GET " + gh.repoPath("/git/tags/" + theirs)))
        .toList();
    assertEquals(GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").tag().ref().refs("2026.11.").writes().list(),
        withoutDeref, () -> run.all() + gh.unmatched());
    assertTrue(gh.count("GET", gh.repoPath("/git/tags/" + theirs)) <= 1, () -> String.join("\n", gh.calls()));
    List<String> refs = gh.requests().stream().filter(r -> FakeGitHub.path(r).equals(gh.repoPath("/git/refs")))
        .map(r -> FakeGitHub.parse(r.getBodyAsString()).path("ref").asText()).toList();
    assertEquals(List.of("refs/tags/2026.11.0", "refs/tags/2026.11.1"), refs);
    assertEquals("2026.11.1", run.json().path("version").asText(), run::all);
    assertEquals("2026.11.0", run.json().path("previousTag").asText(), run::all);
  }

  @Test
  void fiveCollisionsInARowGiveUpWithoutARelease() {
    gh.lightweight("2026.10.4");
    for (int patch = 0; patch < 8; patch++) {
      gh.tagCreated("2026.11." + patch).refTakenConcurrently("2026.11." + patch);
    }

    ReleaseRunner.Result run = gantry.release();

    assertNotEquals(ExitCode.OK, run.exitCode(), run::all);
    assertEquals(1, run.stderrLines().size(), run::all);
    long attempts = gh.count("POST", gh.repoPath("/git/refs"));
    // "retry with the next patch, up to 5 times": 5 attempts, or 1 + 5 retries.
    assertTrue(attempts == 5 || attempts == 6, () -> attempts + " ref attempts:\n" + String.join("\n", gh.calls()));
    assertEquals(0, gh.count("POST", gh.repoPath("/releases")));
    assertEquals(0, gh.count("POST", gh.repoPath("/releases/generate-notes")));
  }

  /**
   * Two runs for the same commit at once (a re-run started while the first is still going): the one that loses the
   * ref finds, on listing again, that the winner's tag is on this very commit. The commit now carries a CalVer tag,
   * so it is reused (README: "If COMMIT already carries a CalVer tag … that version is reused: no second tag").
   */
  @Test
  void losingTheRefToARunOfTheSameCommitReusesItsTagInsteadOfTaggingTwice() {
    gh.lightweight("2026.10.4").tagCreated("2026.11.0").refTakenConcurrentlyBySameCommit("2026.11.0");
    gh.tagCreated("2026.11.1"); // would be a second tag on the same commit
    gh.releaseExists("2026.11.0");

    ReleaseRunner.Result run = gantry.release("--json");

    assertEquals(1, gh.count("POST", gh.repoPath("/git/refs")), () -> "a second tag on the same commit:\n"
        + String.join("\n", gh.calls()) + "\n" + run.all());
    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    assertEquals("2026.11.0", run.json().path("version").asText(), run::all);
    assertEquals(0, gh.count("POST", gh.repoPath("/releases")), () -> String.join("\n", gh.calls()));
  }

  @ParameterizedTest(name = "release exists: {0}")
  @ValueSource(booleans = {true, false})
  void reRunOnAnAnnotatedTagReusesItsVersion(boolean releaseExists) {
    gh.annotated("2026.11.0").annotatedOn("2026.11.1", SHA).annotated("2026.11.2").lightweight("2026.10.4");
    if (releaseExists) {
      gh.releaseExists("2026.11.1");
    } else {
      gh.releaseMissing("2026.11.1").notesGenerated("2026.11.1", "2026.11.0", FakeGitHub.notes("2026.11.1", "2026.11.0"))
          .releaseCreated("2026.11.1");
    }

    ReleaseRunner.Result run = gantry.release("--json");

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    assertEquals(0, gh.count("POST", gh.repoPath("/git/tags")), () -> String.join("\n", gh.calls()));
    assertEquals(0, gh.count("POST", gh.repoPath("/git/refs")), () -> String.join("\n", gh.calls()));
    assertEquals(1, gh.count("GET", gh.repoPath("/git/tags/" + OURS_ANNOTATED)), () -> String.join("\n", gh.calls()));
    assertEquals(1, gh.count("GET", gh.repoPath("/releases/tags/2026.11.1")), () -> String.join("\n", gh.calls()));
    assertEquals(releaseExists ? 0 : 1, gh.count("POST", gh.repoPath("/releases")), () -> String.join("\n", gh.calls()));
    assertEquals(releaseExists ? 0 : 1, gh.count("POST", gh.repoPath("/releases/generate-notes")));
    JsonNode json = run.json();
    assertEquals("2026.11.1", json.path("version").asText());
    assertTrue(json.path("alreadyReleased").asBoolean(), run::all);
    assertEquals("2026.11.0", json.path("previousTag").asText(), "the highest below 2026.11.1, not the month's highest");
    assertEquals(FakeGitHub.RELEASE_ID, json.path("release").path("id").asLong(), run::all);
  }

  @ParameterizedTest(name = "release exists: {0}")
  @ValueSource(booleans = {true, false})
  void reRunOnALightweightTagComparesTheCommitDirectly(boolean releaseExists) {
    gh.lightweightOn("2026.11.0", SHA).annotated("2026.10.3").lightweight("2026.10.2");
    if (releaseExists) {
      gh.releaseExists("2026.11.0");
    } else {
      gh.releaseMissing("2026.11.0").notesGenerated("2026.11.0", "2026.10.3", FakeGitHub.notes("2026.11.0", "2026.10.3"))
          .releaseCreated("2026.11.0");
    }

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls expected = GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").releaseByTag("2026.11.0");
    if (!releaseExists) {
      expected.notes().release();
    }
    // A lightweight ref on this commit answers the question: nothing needs dereferencing.
    expected.assertExactly(run);
    assertTrue(run.stdout().contains("already released as 2026.11.0"), run::all);
  }

  @Test
  void aTagFromLastMonthIsReusedToo() {
    gh.lightweight("2026.11.0").lightweight("2026.10.3").lightweightOn("2026.10.4", SHA)
        .releaseMissing("2026.10.4").notesGenerated("2026.10.4", "2026.10.3", FakeGitHub.notes("2026.10.4", "2026.10.3"))
        .releaseCreated("2026.10.4");

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").releaseByTag("2026.10.4").notes().release().assertExactly(run);
    assertTrue(run.stdout().contains("already released as 2026.10.4"), run::all);
  }

  @Test
  void aSecondIdenticalRunWritesNothing() {
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");
    ReleaseRunner.Result first = gantry.release();
    assertEquals(ExitCode.OK, first.exitCode(), first::all);
    gh.releaseExists("2026.11.0");
    gh.wm.resetRequests();

    ReleaseRunner.Result second = gantry.release("--json");

    assertEquals(ExitCode.OK, second.exitCode(), second::all);
    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").tagObject(FakeGitHub.tagObjectSha("2026.11.0", SHA))
        .releaseByTag("2026.11.0").assertExactly(second);
    assertTrue(second.json().path("alreadyReleased").asBoolean(), second::all);
    assertFalse(second.stdout().contains("\"status\":\"error\""), second::all);
  }
}
