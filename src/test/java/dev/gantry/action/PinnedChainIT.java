package dev.gantry.action;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.action.ActionStep.Result;
import dev.gantry.release.FakeGitHub;
import dev.gantry.testing.LoggedRequest;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The chain's steps as the runner runs them, carrying one digest set: {@code resolve} pins {@code
 * sha-<7>} once; a push of that tag in between (a re-run of the build) cannot slip other bytes into
 * {@code promote} or {@code release} (exit 5, nothing written anywhere); unmoved, the release tags
 * exactly the recorded digests. Real registry, GitHub on WireMock, every result read back with
 * skopeo.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PinnedChainIT {
  private static final AtomicLong SEED = new AtomicLong(2_600);
  private static final String TAG = "sha-" + FakeGitHub.SHA.substring(0, 7);
  private RegistryServer registry;
  private Skopeo skopeo;
  private FakeGitHub github;
  private String version;

  @BeforeAll
  void start() {
    registry = RegistryServer.open();
    skopeo = Skopeo.isolated();
  }

  @AfterAll
  void stop() {
    skopeo.close();
    registry.close();
  }

  @BeforeEach
  void gitHub() throws InterruptedException {
    // The jar runs on the real clock: this month's first version, no earlier release. In a month's
    // last two minutes (UTC) the test first waits for the next, so the jar and it agree.
    OffsetDateTime nextMonth =
        YearMonth.now(ZoneOffset.UTC)
            .plusMonths(1)
            .atDay(1)
            .atStartOfDay()
            .atOffset(ZoneOffset.UTC);
    Duration left = Duration.between(OffsetDateTime.now(ZoneOffset.UTC), nextMonth);
    if (left.compareTo(Duration.ofMinutes(2)) < 0) {
      Thread.sleep(left.toMillis() + 1000);
    }
    YearMonth now = YearMonth.now(ZoneOffset.UTC);
    version = now.getYear() + "." + now.getMonthValue() + ".0";
    github = new FakeGitHub().freshRelease(version, null);
  }

  @AfterEach
  void closeGitHub() {
    github.close();
  }

  @Test
  void aTagPushedAfterResolveIsNeitherPromotedNorReleased() {
    String api = image("moved/api");
    String web = image("moved/web");
    TestImages.Layout built =
        TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet());
    TestImages.push(built, registry, "chain/moved/api", TAG);
    TestImages.push(
        TestImages.singlePlatform(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
        registry,
        "chain/moved/web",
        TAG);

    Result resolved = step().input("command", "resolve").input("images", api + "\n" + web).run();

    assertEquals(0, resolved.exitCode(), resolved.all());
    Map<String, String> recorded = digests(resolved);
    assertEquals(built.digest(), recorded.get(api), "an index resolves to the index digest");
    assertArrayEquals(built.manifest(), skopeo.inspectRaw(api + "@" + recorded.get(api), registry));
    assertEquals(skopeo.digest(web + ":" + TAG, registry), recorded.get(web));
    assertEquals(
        api + "@" + recorded.get(api) + "\n" + web + "@" + recorded.get(web),
        resolved.outputs().get("images"));
    assertTrue(
        ActionStep.declaredOutputs().containsAll(resolved.outputs().keySet()),
        resolved.outputs().keySet().toString());
    assertTrue(resolved.summary().startsWith("### Gantry resolve"), resolved.summary());
    recorded.forEach(
        (image, digest) ->
            assertTrue(
                resolved.summary().contains("| `" + image + "` | `" + digest + "` |"),
                resolved.summary()));

    // A re-run of the build pushes other bytes under the same tag.
    String other =
        TestImages.push(
            TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
            registry,
            "chain/moved/api",
            TAG);
    assertFalse(other.equals(recorded.get(api)));
    int mark = registry.mark();

    Result promoted = step().input("images", resolved.outputs().get("images")).run();

    assertEquals(5, promoted.exitCode(), promoted.all());
    assertEquals(1, promoted.errors().size(), promoted.all());
    assertTrue(
        promoted
            .errors()
            .get(0)
            .contains(
                "source tag moved: " + TAG + " is " + other + ", expected " + recorded.get(api)),
        promoted.all());
    assertFalse(skopeo.exists(api + ":latest", registry), "nothing promoted");
    assertFalse(
        skopeo.exists(web + ":latest", registry), "all or nothing: the unmoved image neither");

    Result released =
        step()
            .input("command", "release")
            .input("images", resolved.outputs().get("images"))
            .input("github-token", FakeGitHub.TOKEN)
            .env("GITHUB_API_URL", github.apiUrl())
            .run();

    assertEquals(5, released.exitCode(), released.all() + github.unmatched());
    assertTrue(released.errors().get(0).contains("expected " + recorded.get(api)), released.all());
    assertTrue(
        github.calls().stream().allMatch(c -> c.startsWith("GET ")),
        "no tag, no release: " + github.calls());
    assertFalse(skopeo.exists(api + ":" + version, registry));
    assertFalse(skopeo.exists(web + ":" + version, registry));
    List<LoggedRequest> writes =
        registry.requestLogSince(mark).stream()
            .filter(
                q ->
                    q.userAgent().startsWith("gantry/")
                        && !q.method().equals("GET")
                        && !q.method().equals("HEAD"))
            .toList();
    assertEquals(List.of(), writes, "nothing written to the registry");
  }

  @Test
  void theReleaseTagsExactlyTheRecordedDigests() {
    String api = image("kept/api");
    String web = image("kept/web");
    TestImages.push(
        TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
        registry,
        "chain/kept/api",
        TAG);
    TestImages.push(
        TestImages.singlePlatform(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
        registry,
        "chain/kept/web",
        TAG);
    Result resolved = step().input("command", "resolve").input("images", api + "\n" + web).run();
    assertEquals(0, resolved.exitCode(), resolved.all());
    Map<String, String> recorded = digests(resolved);

    Result promoted = step().input("images", resolved.outputs().get("images")).run();
    assertEquals(0, promoted.exitCode(), promoted.all());

    Result released =
        step()
            .input("command", "release")
            .input("images", resolved.outputs().get("images"))
            .input("github-token", FakeGitHub.TOKEN)
            .env("GITHUB_API_URL", github.apiUrl())
            .run();

    assertEquals(0, released.exitCode(), released.all() + github.unmatched());
    assertEquals(version, released.outputs().get("version"));
    for (String image : List.of(api, web)) {
      byte[] recordedBytes = skopeo.inspectRaw(image + "@" + recorded.get(image), registry);
      assertArrayEquals(
          recordedBytes, skopeo.inspectRaw(image + ":" + version, registry), image + ":" + version);
      assertArrayEquals(
          recordedBytes, skopeo.inspectRaw(image + ":latest", registry), image + ":latest");
      assertEquals(recorded.get(image), skopeo.digest(image + ":" + version, registry));
    }
    assertEquals(
        recorded,
        toMap(json(released.outputs().get("digests"))),
        "the release's digests are the recorded ones");
    String body = github.onlyBody("POST", github.repoPath("/releases")).path("body").asText();
    recorded
        .values()
        .forEach(d -> assertTrue(body.contains(d), d + " in the release body:\n" + body));
  }

  /**
   * A step on the workflow_run that followed the build of {@link FakeGitHub#SHA}; promote unless
   * told otherwise.
   */
  private ActionStep step() {
    return ActionStep.on(
        "workflow_run", EventPayloads.workflowRun(FakeGitHub.SHA, "main"), EventPayloads.sha());
  }

  private String image(String repo) {
    return registry.hostPort() + "/chain/" + repo;
  }

  private static Map<String, String> digests(Result r) {
    return toMap(json(r.outputs().get("digests")));
  }

  private static Map<String, String> toMap(JsonNode object) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    object.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  private static JsonNode json(String text) {
    try {
      return EventPayloads.JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
