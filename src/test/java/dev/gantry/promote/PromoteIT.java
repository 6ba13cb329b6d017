package dev.gantry.promote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.LoggedRequest;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code gantry promote} on a real, open distribution registry; every result read back with skopeo.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromoteIT {
  private static final AtomicLong SEED = new AtomicLong(100);
  private RegistryServer registry;
  private Skopeo skopeo;

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

  /** Pushes a fresh two-platform, three-layer index to repo:tag with skopeo; returns its digest. */
  private String pushIndex(String repo, String tag) {
    Path dir = TempDirs.create("gantry-layout-");
    return TestImages.push(TestImages.multiArch(dir, SEED.incrementAndGet()), registry, repo, tag);
  }

  private String image(String repo) {
    return registry.hostPort() + "/" + repo;
  }

  private byte[] raw(String repo, String tag) {
    return skopeo.inspectRaw(image(repo) + ":" + tag, registry);
  }

  @Test
  void promotesSeveralMultiArchImagesByteExactWithThreeRequestsEach() {
    String a = "it/promote-a";
    String b = "it/promote-b";
    String digestA = pushIndex(a, "sha-abc1234");
    String digestB = pushIndex(b, "sha-abc1234");
    pushIndex(a, "latest"); // an older latest, so the run really moves it
    int mark = registry.mark();

    // The promote's own requests (the ledger's are counted in LedgerIT).
    Result r =
        new GantryRunner()
            .run(
                "promote",
                "--no-record",
                "--from",
                "sha-abc1234",
                "--to",
                "latest",
                image(a),
                image(b));

    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().contains("promoted"), r.stdout());
    assertArrayEquals(raw(a, "sha-abc1234"), raw(a, "latest"));
    assertArrayEquals(raw(b, "sha-abc1234"), raw(b, "latest"));
    assertEquals(digestA, skopeo.digest(image(a) + ":latest", registry));
    assertEquals(digestB, skopeo.digest(image(b) + ":latest", registry));
    List<LoggedRequest> requests = gantryRequests(mark);
    // b's latest is new: its HEAD 404 is checked with a GET (some registries answer HEAD 404 for a
    // tag GET finds).
    assertEquals(
        7, requests.size(), "HEAD + GET + PUT per (image, tag), + GET for a new tag: " + requests);
    assertEquals(2, count(requests, "PUT"), requests.toString());
    assertTrue(
        requests.stream().noneMatch(q -> q.path().contains("/blobs/")),
        "no blob requests: " + requests);
  }

  @Test
  void secondIdenticalRunWritesNothing() {
    String repo = "it/idempotent";
    pushIndex(repo, "sha-1111111");
    Result first =
        new GantryRunner()
            .run(
                "promote",
                "--from",
                "sha-1111111",
                "--to",
                "latest",
                "--to",
                "stable",
                image(repo));
    assertEquals(0, first.exitCode(), first.all());
    int mark = registry.mark();

    Result second =
        new GantryRunner()
            .run(
                "promote",
                "--json",
                "--from",
                "sha-1111111",
                "--to",
                "latest",
                "--to",
                "stable",
                image(repo));

    assertEquals(0, second.exitCode(), second.all());
    assertTrue(second.stdout().contains("\"outcome\":\"unchanged\""), second.stdout());
    assertFalse(second.stdout().contains("\"outcome\":\"promoted\""), second.stdout());
    assertEquals(0, count(gantryRequests(mark), "PUT"), "a second run makes no PUT");
  }

  @Test
  void missingSourceForOneImageWritesNothingAnywhere() {
    String ok = "it/preflight-ok";
    pushIndex(ok, "sha-2222222");
    String before = skopeo.digest(image(ok) + ":sha-2222222", registry);
    int mark = registry.mark();

    Result r =
        new GantryRunner()
            .run(
                "promote",
                "--from",
                "sha-2222222",
                "--to",
                "latest",
                image(ok),
                image("it/preflight-missing"));

    assertEquals(4, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("it/preflight-missing:sha-2222222"), r.stderr());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertEquals(0, count(gantryRequests(mark), "PUT"));
    assertFalse(skopeo.exists(image(ok) + ":latest", registry));
    assertEquals(before, skopeo.digest(image(ok) + ":sha-2222222", registry));
  }

  @Test
  void pinnedDigestThatNoLongerMatchesRefusesWithZeroWrites() {
    String repo = "it/pinned";
    pushIndex(repo, "sha-3333333");
    String stale = "sha256:" + "0".repeat(64);
    int mark = registry.mark();

    Result r =
        new GantryRunner()
            .run("promote", "--from", "sha-3333333", "--to", "latest", image(repo) + "@" + stale);

    assertEquals(5, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("source tag moved"), r.stderr());
    assertEquals(0, count(gantryRequests(mark), "PUT"));

    String actual = skopeo.digest(image(repo) + ":sha-3333333", registry);
    Result pinnedOk =
        new GantryRunner()
            .run("promote", "--from", "sha-3333333", "--to", "latest", image(repo) + "@" + actual);
    assertEquals(0, pinnedOk.exitCode(), pinnedOk.all());
    assertEquals(actual, skopeo.digest(image(repo) + ":latest", registry));
  }

  @Test
  void promotesADigestDirectly() {
    String repo = "it/by-digest";
    String digest = pushIndex(repo, "sha-4444444");

    Result r =
        new GantryRunner().run("promote", "--from", "@" + digest, "--to", "release", image(repo));

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(digest, skopeo.digest(image(repo) + ":release", registry));
  }

  @Test
  void dryRunReadsButNeverWrites() {
    String repo = "it/dry-run";
    pushIndex(repo, "sha-5555555");
    int mark = registry.mark();

    Result r =
        new GantryRunner()
            .run("promote", "--dry-run", "--from", "sha-5555555", "--to", "latest", image(repo));

    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().contains("would-promote"), r.stdout());
    assertEquals(0, count(gantryRequests(mark), "PUT"));
    assertFalse(skopeo.exists(image(repo) + ":latest", registry));
  }

  @Test
  void dockerV2SchemaManifestKeepsItsMediaTypeAndDigest() {
    String repo = "it/docker-v2";
    Path dir = TempDirs.create("gantry-layout-");
    TestImages.Layout layout =
        TestImages.singlePlatform(
            dir,
            SEED.incrementAndGet(),
            TestImages.Format.DOCKER,
            TestImages.Platform.LINUX_AMD64,
            2,
            1024);
    String digest = TestImages.push(layout, registry, repo, "sha-6666666");

    Result r =
        new GantryRunner()
            .run("promote", "--json", "--from", "sha-6666666", "--to", "latest", image(repo));

    assertEquals(0, r.exitCode(), r.all());
    assertTrue(
        r.stdout().contains("application/vnd.docker.distribution.manifest.v2+json"), r.stdout());
    assertEquals(digest, skopeo.digest(image(repo) + ":latest", registry));
  }

  private List<LoggedRequest> gantryRequests(int mark) {
    return registry.requestLogSince(mark).stream()
        .filter(q -> q.userAgent().startsWith("gantry/"))
        .toList();
  }

  private static long count(List<LoggedRequest> requests, String method) {
    return requests.stream().filter(q -> q.method().equals(method)).count();
  }
}
