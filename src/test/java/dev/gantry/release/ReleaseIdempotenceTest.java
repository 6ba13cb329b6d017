package dev.gantry.release;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
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
 * The ref is the lock, and a commit is released once: a concurrent release that takes the version
 * first moves this one to the next patch; a commit that already carries a CalVer tag reuses it,
 * creating the release only if missing.
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
    gh.lightweight("2026.10.4")
        .tagCreated("2026.11.0")
        .refTakenConcurrently("2026.11.0")
        .freshRelease("2026.11.1", "2026.11.0");

    ReleaseRunner.Result run = gantry.release("--json");

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    String theirs =
        FakeGitHub.tagObjectSha("2026.11.0 (the winner)", FakeGitHub.otherCommit("2026.11.0"));
    // Listing again shows the winner's annotated tag; dereferencing it (to see whether it is this
    // commit) is allowed.
    List<String> withoutDeref =
        gh.calls().stream()
            .filter(c -> !c.equals("GET " + gh.repoPath("/git/tags/" + theirs)))
            .toList();
    assertEquals(
        GitHubCalls.of(gh)
            .reads(SHA, "2026.11.", "2026.10.")
            .tag()
            .ref()
            .refs("2026.11.")
            .writes()
            .list(),
        withoutDeref,
        () -> run.all() + gh.unmatched());
    assertTrue(
        gh.count("GET", gh.repoPath("/git/tags/" + theirs)) <= 1,
        () -> String.join("\n", gh.calls()));
    List<String> refs =
        gh.requests().stream()
            .filter(r -> FakeGitHub.path(r).equals(gh.repoPath("/git/refs")))
            .map(r -> FakeGitHub.parse(r.getBodyAsString()).path("ref").asText())
            .toList();
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
    assertTrue(
        attempts == 5 || attempts == 6,
        () -> attempts + " ref attempts:\n" + String.join("\n", gh.calls()));
    assertEquals(0, gh.count("POST", gh.repoPath("/releases")));
    assertEquals(0, gh.count("POST", gh.repoPath("/releases/generate-notes")));
  }

  /**
   * Two runs for the same commit at once (a re-run started while the first is still going): the one
   * that loses the ref finds, on listing again, that the winner's tag is on this very commit. The
   * commit now carries a CalVer tag, so it is reused (README: "If COMMIT already carries a CalVer
   * tag … that version is reused: no second tag").
   */
  @Test
  void losingTheRefToARunOfTheSameCommitReusesItsTagInsteadOfTaggingTwice() {
    gh.lightweight("2026.10.4")
        .tagCreated("2026.11.0")
        .refTakenConcurrentlyBySameCommit("2026.11.0");
    gh.tagCreated("2026.11.1"); // would be a second tag on the same commit
    gh.releaseExists("2026.11.0");

    ReleaseRunner.Result run = gantry.release("--json");

    assertEquals(
        1,
        gh.count("POST", gh.repoPath("/git/refs")),
        () ->
            "a second tag on the same commit:\n"
                + String.join("\n", gh.calls())
                + "\n"
                + run.all());
    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    assertEquals("2026.11.0", run.json().path("version").asText(), run::all);
    assertEquals(
        0, gh.count("POST", gh.repoPath("/releases")), () -> String.join("\n", gh.calls()));
  }

  @ParameterizedTest(name = "release exists: {0}")
  @ValueSource(booleans = {true, false})
  void reRunOnAnAnnotatedTagReusesItsVersion(boolean releaseExists) {
    gh.annotated("2026.11.0")
        .annotatedOn("2026.11.1", SHA)
        .annotated("2026.11.2")
        .lightweight("2026.10.4");
    if (releaseExists) {
      gh.releaseExists("2026.11.1");
    } else {
      gh.releaseMissing("2026.11.1")
          .notesGenerated("2026.11.1", "2026.11.0", FakeGitHub.notes("2026.11.1", "2026.11.0"))
          .releaseCreated("2026.11.1");
    }

    ReleaseRunner.Result run = gantry.release("--json");

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    assertEquals(
        0, gh.count("POST", gh.repoPath("/git/tags")), () -> String.join("\n", gh.calls()));
    assertEquals(
        0, gh.count("POST", gh.repoPath("/git/refs")), () -> String.join("\n", gh.calls()));
    // With its release listed, the release says the tag is on this commit; without, the tag object
    // is read.
    assertEquals(
        releaseExists ? 0 : 1,
        gh.count("GET", gh.repoPath("/git/tags/" + OURS_ANNOTATED)),
        () -> String.join("\n", gh.calls()));
    assertEquals(
        releaseExists ? 0 : 1,
        gh.count("POST", gh.repoPath("/releases")),
        () -> String.join("\n", gh.calls()));
    assertEquals(releaseExists ? 0 : 1, gh.count("POST", gh.repoPath("/releases/generate-notes")));
    JsonNode json = run.json();
    assertEquals("2026.11.1", json.path("version").asText());
    assertTrue(json.path("alreadyReleased").asBoolean(), run::all);
    assertEquals(
        "2026.11.0",
        json.path("previousTag").asText(),
        "the highest below 2026.11.1, not the month's highest");
    assertEquals(FakeGitHub.RELEASE_ID, json.path("release").path("id").asLong(), run::all);
  }

  @ParameterizedTest(name = "release exists: {0}")
  @ValueSource(booleans = {true, false})
  void reRunOnALightweightTagComparesTheCommitDirectly(boolean releaseExists) {
    gh.lightweightOn("2026.11.0", SHA).annotated("2026.10.3").lightweight("2026.10.2");
    if (releaseExists) {
      gh.releaseExists("2026.11.0");
    } else {
      gh.releaseMissing("2026.11.0")
          .notesGenerated("2026.11.0", "2026.10.3", FakeGitHub.notes("2026.11.0", "2026.10.3"))
          .releaseCreated("2026.11.0");
    }

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls expected = GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.");
    if (!releaseExists) {
      expected.notes().release();
    }
    // A lightweight ref on this commit answers the question: nothing needs dereferencing.
    expected.assertExactly(run);
    assertTrue(run.stdout().contains("already released as 2026.11.0"), run::all);
  }

  @Test
  void aTagFromLastMonthIsReusedToo() {
    gh.lightweight("2026.11.0")
        .lightweight("2026.10.3")
        .lightweightOn("2026.10.4", SHA)
        .releaseMissing("2026.10.4")
        .notesGenerated("2026.10.4", "2026.10.3", FakeGitHub.notes("2026.10.4", "2026.10.3"))
        .releaseCreated("2026.10.4");

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").notes().release().assertExactly(run);
    assertTrue(run.stdout().contains("already released as 2026.10.4"), run::all);
  }

  @Test
  void aSecondIdenticalRunWritesNothing() {
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");
    ReleaseRunner.Result first = gantry.release();
    assertEquals(ExitCode.OK, first.exitCode(), first::all);
    gh.wm.resetRequests();

    ReleaseRunner.Result second = gantry.release("--json");

    assertEquals(ExitCode.OK, second.exitCode(), second::all);
    // The release listed says which commit the tag is on: nothing to dereference.
    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").assertExactly(second);
    assertTrue(second.json().path("alreadyReleased").asBoolean(), second::all);
    assertFalse(second.stdout().contains("\"status\":\"error\""), second::all);
  }

  /**
   * Issue 14, item 13: GET /releases/tags/{tag} answers 404 for a draft, so a re-run of {@code
   * --draft} must find the draft in the listing of releases, not create a second one.
   */
  @Test
  void reRunningADraftReleaseFindsTheDraftInsteadOfCreatingASecond() {
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");
    ReleaseRunner.Result first = gantry.release("--draft", "--json");
    assertEquals(ExitCode.OK, first.exitCode(), first::all);
    assertEquals(1, gh.releaseCount());
    gh.wm.resetRequests();

    ReleaseRunner.Result second = gantry.release("--draft", "--json");

    assertEquals(
        0,
        gh.count("POST", gh.repoPath("/releases")),
        () -> "a second draft:\n" + String.join("\n", gh.calls()));
    assertEquals(1, gh.releaseCount());
    assertEquals(ExitCode.OK, second.exitCode(), second::all);
    JsonNode json = second.json();
    assertTrue(json.path("alreadyReleased").asBoolean(), second::all);
    assertEquals(FakeGitHub.RELEASE_ID, json.path("release").path("id").asLong(), second::all);
    assertFalse(json.path("release").path("created").asBoolean(), second::all);
    // The listing says the release of 2026.11.0 is on this commit: no tag object to dereference, no
    // GET by tag.
    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").assertExactly(second);
  }

  /**
   * Item 13, paginating only as far as needed: the draft is on the second page when 100 releases
   * came after it.
   */
  @Test
  void aDraftOlderThanAPageOfReleasesIsFoundOnTheNextPage() {
    gh.lightweightOn("2026.11.0", SHA).lightweight("2026.10.4").draftExists("2026.11.0");
    for (int i = 0; i < 120; i++) {
      gh.release("nightly-" + i, FakeGitHub.otherCommit("nightly-" + i), false);
    }

    ReleaseRunner.Result run = gantry.release("--draft", "--json");

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    assertEquals(
        0, gh.count("POST", gh.repoPath("/releases")), () -> String.join("\n", gh.calls()));
    assertEquals(FakeGitHub.RELEASE_ID, run.json().path("release").path("id").asLong(), run::all);
    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").nextReleases().assertExactly(run);
    List<String> pages =
        gh.requests().stream()
            .filter(r -> FakeGitHub.path(r).endsWith("/releases"))
            .map(
                r ->
                    r.queryParameter("page").isPresent()
                        ? r.queryParameter("page").firstValue()
                        : "1")
            .toList();
    assertEquals(List.of("1", "2"), pages);
  }

  /**
   * Issue 14, item 14: another run of this commit creates the release between the check and the
   * create. GitHub answers 422 already_exists on tag_name; the release is read again and, being on
   * this commit, reused.
   */
  @Test
  void aReleaseCreatedConcurrentlyForThisCommitIsReused() {
    gh.lightweight("2026.10.4")
        .freshRelease("2026.11.0", "2026.10.4")
        .releaseCreatedConcurrently("2026.11.0", true);

    ReleaseRunner.Result run = gantry.release("--json");

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    assertEquals("", run.stderr(), run::all);
    JsonNode json = run.json();
    assertEquals("2026.11.0", json.path("version").asText(), run::all);
    assertEquals(
        FakeGitHub.RELEASE_ID + 1,
        json.path("release").path("id").asLong(),
        "the concurrent run's release");
    assertFalse(json.path("release").path("created").asBoolean(), run::all);
    assertEquals(1, gh.releaseCount());
    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").writes().releases().assertExactly(run);
  }

  /**
   * Item 14, otherwise: a release of the tag on another commit is not ours: one clear line, exit 1,
   * no retry.
   */
  @Test
  void aReleaseCreatedConcurrentlyOnAnotherCommitIsAClearError() {
    gh.lightweight("2026.10.4")
        .freshRelease("2026.11.0", "2026.10.4")
        .releaseCreatedConcurrently("2026.11.0", false);

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.FAILED, run.exitCode(), run::all);
    assertEquals(1, run.stderrLines().size(), run::all);
    String line = run.stderrLines().get(0);
    assertTrue(
        line.contains("2026.11.0")
            && line.contains("acme/api")
            && line.contains("already exists")
            && line.contains(FakeGitHub.otherCommit("a concurrent release")),
        line);
    assertEquals(
        1, gh.count("POST", gh.repoPath("/releases")), () -> String.join("\n", gh.calls()));
  }

  /**
   * Item 14, otherwise: GitHub says the release exists but the listing does not show it: one clear
   * line, exit 1.
   */
  @Test
  void aReleaseGitHubSaysExistsButDoesNotListIsAClearError() {
    gh.lightweight("2026.10.4")
        .freshRelease("2026.11.0", "2026.10.4")
        .stub(
            post(urlPathEqualTo(gh.repoPath("/releases")))
                .willReturn(
                    FakeGitHub.json(422, gh.fixture("errors/release-already-exists.json"))));

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.FAILED, run.exitCode(), run::all);
    assertEquals(1, run.stderrLines().size(), run::all);
    assertTrue(
        run.stderrLines()
            .get(0)
            .contains("already exists, but it is not among the listed releases"),
        run::all);
    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").writes().releases().assertExactly(run);
  }
}
