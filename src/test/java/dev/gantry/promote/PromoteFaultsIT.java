package dev.gantry.promote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.testing.FaultProxy;
import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.HeldRequest;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Retries and all-or-nothing rollback, with faults injected by a proxy in front of a real registry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PromoteFaultsIT {
  private static final AtomicLong SEED = new AtomicLong(700);
  private RegistryServer registry;
  private FaultProxy proxy;
  private Skopeo skopeo;

  @BeforeAll
  void start() {
    registry = RegistryServer.open();
    proxy = FaultProxy.inFrontOf(registry);
    skopeo = Skopeo.isolated();
  }

  @AfterAll
  void stop() {
    skopeo.close();
    proxy.close();
    registry.close();
  }

  @BeforeEach
  void clearFaults() {
    proxy.reset();
  }

  private String push(String repo, String tag) {
    return TestImages.push(
        TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
        registry,
        repo,
        tag);
  }

  private String viaProxy(String repo) {
    return proxy.hostPort() + "/" + repo;
  }

  private String digest(String repo, String tag) {
    return skopeo.digest(registry.hostPort() + "/" + repo + ":" + tag, registry);
  }

  @Test
  void transientFaultsAreRetried() {
    String digest = push("faults/retry", "sha-abc1234");
    proxy.failTimes("PUT", "/v2/faults/retry/manifests/latest", 503, 2);
    proxy.respond429Once("GET", "/v2/faults/retry/manifests/sha-abc1234", 1);
    proxy.resetConnectionOnce("HEAD", "/v2/faults/retry/manifests/latest");

    Result r =
        new GantryRunner()
            .run(
                "promote",
                "--no-record",
                "--from",
                "sha-abc1234",
                "--to",
                "latest",
                viaProxy("faults/retry"));

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(digest, digest("faults/retry", "latest"));
    long puts = proxy.requests().stream().filter(q -> q.method().equals("PUT")).count();
    assertEquals(3, puts, "two 503s, then success: " + proxy.requests());
    long gets =
        proxy.requests().stream()
            .filter(q -> q.method().equals("GET") && q.url().endsWith("sha-abc1234"))
            .count();
    assertEquals(2, gets, "one 429, then success: " + proxy.requests());
  }

  @Test
  void permanentFailureOnOneImageRestoresEveryOtherTarget() {
    String a = "faults/rollback-a";
    String b = "faults/rollback-b";
    String c = "faults/rollback-c";
    push(a, "sha-abc1234");
    push(b, "sha-abc1234");
    push(c, "sha-abc1234");
    String oldA = push(a, "latest");
    String oldB = push(b, "latest");
    // c has no latest yet: after a rollback it is reported, not deleted.
    proxy.failAlways("PUT", "/v2/" + b + "/manifests/latest", 403);

    Result r =
        new GantryRunner()
            .run(
                "promote",
                "--jobs",
                "1",
                "--from",
                "sha-abc1234",
                "--to",
                "latest",
                viaProxy(a),
                viaProxy(c),
                viaProxy(b));

    assertEquals(6, r.exitCode(), r.all());
    assertEquals(oldA, digest(a, "latest"), "a is back on its previous manifest");
    assertEquals(oldB, digest(b, "latest"), "b was never moved");
    assertTrue(r.stdout().contains("rolled-back"), r.stdout());
    assertTrue(r.stdout().contains("left-new"), r.stdout());
    assertTrue(r.stdout().contains("failed"), r.stdout());
    assertTrue(r.stderr().contains("put manifest") && r.stderr().contains(b), r.stderr());
    assertEquals(
        1, r.stderr().lines().filter(l -> !l.startsWith("gantry: plan: ")).count(), r.stderr());
  }

  @Test
  void exhaustedRetriesAlsoRollBack() {
    String a = "faults/exhaust-a";
    String b = "faults/exhaust-b";
    push(a, "sha-abc1234");
    push(b, "sha-abc1234");
    String oldA = push(a, "latest");
    push(b, "latest");
    proxy.failAlways("PUT", "/v2/" + b + "/manifests/latest", 503);

    Result r =
        new GantryRunner()
            .run(
                "promote",
                "--jobs",
                "1",
                "--json",
                "--from",
                "sha-abc1234",
                "--to",
                "latest",
                viaProxy(a),
                viaProxy(b));

    assertEquals(6, r.exitCode(), r.all());
    assertTrue(r.stdout().contains("\"status\":\"rolled-back\""), r.stdout());
    assertEquals(oldA, digest(a, "latest"));
    long putsB =
        proxy.requests().stream()
            .filter(q -> q.method().equals("PUT") && q.url().contains(b))
            .count();
    assertEquals(5, putsB, "five attempts, then give up");
  }

  @Test
  void registryRefusingHeadIsCheckedWithGet() {
    String a = "faults/head405";
    String digest = push(a, "sha-abc1234");
    String old = push(a, "latest");
    proxy.failAlways("HEAD", "/v2/" + a + "/manifests/.*", 405);

    Result r =
        new GantryRunner().run("promote", "--from", "sha-abc1234", "--to", "latest", viaProxy(a));

    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().contains("(was " + old + ")"), r.stdout());
    assertEquals(digest, digest(a, "latest"));
  }

  @Test
  void existingTagThatHeadCallsMissingKeepsItsPreviousDigest() {
    String a = "faults/head404";
    String digest = push(a, "sha-abc1234");
    String old = push(a, "latest");
    proxy.failAlways("HEAD", "/v2/" + a + "/manifests/.*", 404);

    // The promote's own requests (the ledger's are counted in LedgerIT).
    Result first =
        new GantryRunner()
            .run("promote", "--no-record", "--from", "sha-abc1234", "--to", "latest", viaProxy(a));
    Result again =
        new GantryRunner()
            .run("promote", "--no-record", "--from", "sha-abc1234", "--to", "latest", viaProxy(a));

    assertEquals(0, first.exitCode(), first.all());
    assertTrue(
        first.stdout().contains("(was " + old + ")"), "not taken for a new tag: " + first.stdout());
    assertEquals(digest, digest(a, "latest"));
    assertEquals(0, again.exitCode(), again.all());
    assertTrue(again.stdout().startsWith("unchanged"), again.stdout());
    assertEquals(
        1,
        proxy.requests().stream().filter(q -> q.method().equals("PUT")).count(),
        proxy.requests().toString());
  }

  @Test
  void rollbackLeavesATagAnotherWriterMovedMeanwhile() throws Exception {
    String a = "faults/concurrent-a";
    String b = "faults/concurrent-b";
    String digest = push(a, "sha-abc1234");
    push(b, "sha-abc1234");
    push(a, "latest");
    push(b, "latest");
    TestImages.Layout theirs =
        TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet());
    // b's write is held, then refused: meanwhile another writer moves a, which Gantry has already
    // written (--jobs 1: a's write is done before b's starts).
    HeldRequest bWrite = proxy.holdOnce("PUT", "/v2/" + b + "/manifests/latest");
    proxy.failTimes("PUT", "/v2/" + b + "/manifests/latest", 403, 1);

    java.util.concurrent.CompletableFuture<Result> run =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                new GantryRunner()
                    .run(
                        "promote",
                        "--jobs",
                        "1",
                        "--from",
                        "sha-abc1234",
                        "--to",
                        "latest",
                        viaProxy(a),
                        viaProxy(b)));
    try {
      bWrite.awaitArrival(Duration.ofSeconds(60));
      assertEquals(digest, digest(a, "latest"), "a is written before b's write starts");
      TestImages.push(theirs, registry, a, "latest");
    } finally {
      bWrite.release();
    }
    Result r = run.get();

    assertEquals(7, r.exitCode(), r.all());
    assertEquals(theirs.digest(), digest(a, "latest"), "the other writer's tag is left alone");
    assertTrue(
        r.stdout().contains("skipped")
            && r.stdout().contains("moved by someone else (digest " + theirs.digest() + ")"),
        r.stdout());
  }

  @Test
  void unreachableRegistryFailsInPreflightWithZeroWrites() {
    String a = "faults/unreachable";
    push(a, "sha-abc1234");
    int mark = registry.mark();

    Result r =
        new GantryRunner()
            .run(
                "promote",
                "--from",
                "sha-abc1234",
                "--to",
                "latest",
                viaProxy(a),
                "127.0.0.1:1/nowhere/app");

    assertEquals(1, r.exitCode(), r.all());
    assertTrue(
        r.stderr().contains("127.0.0.1:1/nowhere/app") && r.stderr().contains("unreachable"),
        r.stderr());
    assertFalse(registry.requestLogSince(mark).stream().anyMatch(q -> q.method().equals("PUT")));
  }
}
