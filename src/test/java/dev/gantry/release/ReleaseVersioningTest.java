package dev.gantry.release;

import static dev.gantry.release.FakeGitHub.SHA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.cli.ExitCode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which version a fresh release takes, and which calls find it: this month's and last month's tags
 * by their exact prefix (with the trailing dot), compared numerically, only exact format matches
 * counting. The tags are served the way GitHub serves matching-refs (prefix match, name order), so
 * a query without the trailing dot really does see {@code 2026.1x.*}, and {@code 2026.11.10} really
 * does come before {@code 2026.11.9}.
 */
@Timeout(60)
class ReleaseVersioningTest {
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
  void firstReleaseOfTheMonthIsPatchZeroWithNotesSinceLastMonthsHighest() {
    gh.lightweight("2026.10.0", "2026.10.1", "2026.10.2", "2026.10.3")
        .annotated("2026.10.4")
        .freshRelease("2026.11.0", "2026.10.4");

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.of(gh)
        .reads(SHA, "2026.11.", "2026.10.")
        .tagObject(FakeGitHub.tagObjectSha("2026.10.4", FakeGitHub.otherCommit("2026.10.4")))
        .writes()
        .assertExactly(run);
    assertEquals(
        FakeGitHub.parse(
            "{\"tag\":\"2026.11.0\",\"message\":\"Release 2026.11.0\",\"object\":\""
                + SHA
                + "\",\"type\":\"commit\"}"),
        gh.onlyBody("POST", gh.repoPath("/git/tags")));
    assertEquals(
        FakeGitHub.parse(
            "{\"ref\":\"refs/tags/2026.11.0\",\"sha\":\""
                + FakeGitHub.tagObjectSha("2026.11.0", SHA)
                + "\"}"),
        gh.onlyBody("POST", gh.repoPath("/git/refs")));
    assertEquals(
        FakeGitHub.parse(
            "{\"tag_name\":\"2026.11.0\",\"target_commitish\":\""
                + SHA
                + "\",\"previous_tag_name\":\"2026.10.4\"}"),
        gh.onlyBody("POST", gh.repoPath("/releases/generate-notes")));
    GitHubCalls.assertAuthorized(gh, FakeGitHub.TOKEN);
    assertTrue(run.stdout().contains("2026.11.0"), run::all);
    assertTrue(run.stdout().contains("2026.10.4"), run::all);
    assertTrue(
        run.stdout().contains("https://github.com/acme/api/releases/tag/2026.11.0"), run::all);
    assertEquals("", run.stderr());
  }

  @Test
  void nextPatchIsTheHighestPlusOneNotTheCount() {
    gh.lightweight("2026.11.0", "2026.11.1", "2026.11.7", "2026.10.2")
        .freshRelease("2026.11.8", "2026.11.7");

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").writes().assertExactly(run);
    assertEquals("2026.11.8", gh.onlyBody("POST", gh.repoPath("/git/tags")).path("tag").asText());
  }

  @Test
  void patchesCompareNumericallyThoughGitHubListsThemByName() {
    // GitHub's order: 2026.11.10, 2026.11.2, 2026.11.9 — the last listed is not the highest.
    gh.lightweight("2026.11.2", "2026.11.9", "2026.11.10").freshRelease("2026.11.11", "2026.11.10");

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").writes().assertExactly(run);
    assertEquals("2026.11.11", gh.onlyBody("POST", gh.repoPath("/git/tags")).path("tag").asText());
  }

  @Test
  void tagsOfOtherFormatsThisMonthAreIgnoredAndNeverDereferenced() {
    // Listed under tags/2026.11. but not YYYY.M.PATCH; annotated, so dereferencing them would cost
    // calls for nothing.
    gh.annotated("2026.11.3-rc1", "2026.11.x", "2026.11.3.1", "2026.11.05")
        .lightweight(
            "v2026.11.3",
            "2026.11",
            "2026.110.4",
            "release-2026.11.9") // not even listed under the prefix
        .lightweight("2026.10.1")
        .freshRelease("2026.11.0", "2026.10.1");

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").writes().assertExactly(run);
    assertEquals("2026.11.0", gh.onlyBody("POST", gh.repoPath("/git/tags")).path("tag").asText());
  }

  @Test
  void januaryLooksBackToLastYearsDecember() {
    gh.lightweight("2026.11.5", "2026.12.0", "2026.12.1", "2026.12.2")
        .freshRelease("2027.1.0", "2026.12.2");

    ReleaseRunner.Result run = gantry.at("2027-01-05T08:00:00Z").release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.of(gh).reads(SHA, "2027.1.", "2026.12.").writes().assertExactly(run);
  }

  @Test
  void theMonthIsTheUtcMonthWhateverTheClocksZone() {
    // 22:00 on 30 November in New York is already 1 December in UTC.
    gh.lightweight("2026.11.4").freshRelease("2026.12.0", "2026.11.4");

    ReleaseRunner.Result run =
        gantry.at(Instant.parse("2026-12-01T03:00:00Z"), ZoneId.of("America/New_York")).release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.of(gh).reads(SHA, "2026.12.", "2026.11.").writes().assertExactly(run);
  }

  @Test
  void zeroPaddedMonthFormat() {
    // 2026.1.3 is in the repository but is another format: tags/2026.01. does not list it.
    gh.lightweight("2025.12.0", "2025.12.1", "2026.1.3").freshRelease("2026.01.0", "2025.12.1");

    ReleaseRunner.Result run =
        gantry.at("2026-01-15T12:00:00Z").release("--format", "YYYY.0M.PATCH");

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.of(gh).reads(SHA, "2026.01.", "2025.12.").writes().assertExactly(run);
  }

  @Test
  void twoDigitYearFormat() {
    gh.lightweight("26.10.3", "26.11.0", "2026.11.9").freshRelease("26.11.1", "26.11.0");

    ReleaseRunner.Result run = gantry.release("--format", "YY.M.PATCH");

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.of(gh).reads(SHA, "26.11.", "26.10.").writes().assertExactly(run);
  }

  /**
   * Issue 14, item 15: months without a CalVer tag are not walked back one call each; the previous
   * tag comes from the one listing of releases (the highest CalVer release below the version;
   * drafts, whose tag may not exist, and other names do not count).
   */
  @Test
  void quietMonthsTakeThePreviousTagFromTheOneListingOfReleases() {
    gh.lightweight("2026.8.0", "2026.8.3", "2026.7.9")
        .published("2026.7.9", "2026.8.0", "2026.8.3", "v1.4.0")
        .release("2026.9.0", FakeGitHub.otherCommit("a draft"), true)
        .freshRelease("2026.11.0", "2026.8.3");

    ReleaseRunner.Result run = gantry.release("--json");

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    assertEquals("2026.8.3", run.json().path("previousTag").asText(), run::all);
    GitHubCalls expected = GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").writes();
    assertEquals(8, expected.size());
    expected.assertExactly(run);
  }

  @Test
  void thePreviousReleaseMayBeInAnotherYear() {
    gh.lightweight("2026.11.4").published("2026.11.4").freshRelease("2027.2.0", "2026.11.4");

    ReleaseRunner.Result run = gantry.at("2027-02-10T09:00:00Z").release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.of(gh).reads(SHA, "2027.2.", "2027.1.").writes().assertExactly(run);
  }

  /**
   * Issue 14, item 15: the first release in a repository with no CalVer tag made 31 calls (24
   * months walked back).
   */
  @Test
  void theFirstReleaseEverHasNoPreviousTagAndCostsEightCalls() {
    gh.lightweight("v1.0.0", "v1.1.0")
        .published("v1.0.0", "v1.1.0")
        .freshRelease("2026.11.0", null);

    ReleaseRunner.Result run = gantry.release("--json");

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    // generate-notes was matched exactly: no previous_tag_name at all.
    assertEquals(
        FakeGitHub.parse("{\"tag_name\":\"2026.11.0\",\"target_commitish\":\"" + SHA + "\"}"),
        gh.onlyBody("POST", gh.repoPath("/releases/generate-notes")));
    assertTrue(run.json().path("previousTag").isNull(), run::all);
    assertTrue(
        gh.calls().size() <= 8,
        () -> gh.calls().size() + " calls:\n" + String.join("\n", gh.calls()));
    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").writes().assertExactly(run);
  }

  /**
   * The budget in a repository Gantry releases: every tag is annotated and has its release, on its
   * commit. The listing of releases says which commit each tag is on, so none is dereferenced: 8
   * calls, not 8 + 15.
   */
  @Test
  void annotatedTagsThatHaveTheirReleaseAreNotDereferenced() {
    for (int patch = 0; patch < 10; patch++) {
      gh.annotated("2026.10." + patch).published("2026.10." + patch);
    }
    for (int patch = 0; patch < 5; patch++) {
      gh.annotated("2026.11." + patch).published("2026.11." + patch);
    }
    gh.freshRelease("2026.11.5", "2026.11.4");

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    assertTrue(
        gh.calls().size() <= 8,
        () -> gh.calls().size() + " calls:\n" + String.join("\n", gh.calls()));
    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").writes().assertExactly(run);
  }

  /**
   * The budget: 5,000 tags spread over six years cost nothing, because only this and last month are
   * listed (and they hold a few lightweight tags).
   */
  @Test
  void fiveThousandTagsStillCostEightCalls() {
    int made = 0;
    // 62 tags in each month from 2020.1 to 2026.9: 4,995 tags, plus the 5 below.
    for (YearMonth month = YearMonth.of(2020, 1);
        !month.isAfter(YearMonth.of(2026, 9));
        month = month.plusMonths(1)) {
      for (int patch = 0; patch < 62 && made < 4_995; patch++, made++) {
        gh.lightweight(month.getYear() + "." + month.getMonthValue() + "." + patch);
      }
    }
    gh.lightweight("2026.10.0", "2026.10.1", "2026.11.0", "2026.11.1", "2026.11.2")
        .freshRelease("2026.11.3", "2026.11.2");

    assertEquals(5_000, gh.tagCount());

    ReleaseRunner.Result run = gantry.release();

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    assertTrue(
        gh.calls().size() <= 8,
        () -> gh.calls().size() + " calls:\n" + String.join("\n", gh.calls()));
    GitHubCalls.of(gh).reads(SHA, "2026.11.", "2026.10.").writes().assertExactly(run);
  }

  @Test
  void aShortShaIsExpandedByGitHubAndOnlyTheFullShaIsWritten() {
    gh.lightweight("2026.10.4").freshRelease("2026.11.0", "2026.10.4");

    ReleaseRunner.Result run =
        gantry.run("release", "--repository", "acme/api", "--sha", FakeGitHub.SHORT_SHA, "--json");

    assertEquals(ExitCode.OK, run.exitCode(), run::all);
    GitHubCalls.of(gh)
        .reads(FakeGitHub.SHORT_SHA, "2026.11.", "2026.10.")
        .writes()
        .assertExactly(run);
    assertEquals(SHA, gh.onlyBody("POST", gh.repoPath("/git/tags")).path("object").asText());
    JsonNode release = gh.onlyBody("POST", gh.repoPath("/releases"));
    assertEquals(SHA, release.path("target_commitish").asText());
    assertEquals(SHA, run.json().path("sha").asText());
  }
}
