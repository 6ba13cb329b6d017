package dev.gantry.promote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.auth.CredentialSource;
import dev.gantry.image.Manifest;
import dev.gantry.image.MediaTypes;
import dev.gantry.promote.PromoteReport.Outcome;
import dev.gantry.promote.PromoteReport.TagResult;
import dev.gantry.registry.InMemoryRegistry;
import dev.gantry.registry.MockRegistry;
import dev.gantry.registry.RegistryClient;
import dev.gantry.registry.TestManifests;
import dev.gantry.testing.GantryRunner;
import java.util.List;
import java.util.Set;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole promote against an in-memory registry: exactly which requests, in which order, and what
 * is left.
 */
class PromoterTest {
  private static final Manifest SRC_A = TestManifests.index("a-new");
  private static final Manifest OLD_A = TestManifests.index("a-old");
  private static final Manifest SRC_B = TestManifests.dockerImage("b-new");

  private final MockRegistry registry = new MockRegistry();
  private final InMemoryRegistry store = new InMemoryRegistry();
  private RegistryClient client;

  @BeforeEach
  void start() {
    registry.server.setDispatcher(store);
    client = registry.client(CredentialSource.none());
  }

  @AfterEach
  void close() {
    registry.close();
  }

  private PromoteReport promote(
      List<String> images, String from, List<String> to, boolean dryRun, int jobs) {
    PromoteRequest request =
        PromoteRequest.parse(
            images.stream().map(i -> registry.registry() + "/" + i).toList(), from, to);
    return Promoter.promote(
        request,
        i ->
            dryRun
                ? client.forPull(i.repository().orElseThrow())
                : client.forPush(i.repository().orElseThrow()),
        dryRun,
        jobs);
  }

  private static List<Outcome> outcomes(PromoteReport report) {
    return report.results().stream().map(TagResult::outcome).toList();
  }

  @Test
  void oneImageOneTagIsGetHeadPutInThatOrderSequentially() {
    store.put("demo/a", "sha-1", SRC_A).put("demo/a", "latest", OLD_A);

    PromoteReport report = promote(List.of("demo/a"), "sha-1", List.of("latest"), false, 1);

    assertEquals(List.of(Outcome.PROMOTED), outcomes(report));
    List<RecordedRequest> rs = registry.requests();
    assertEquals(
        List.of(
            "GET /v2/demo/a/manifests/sha-1",
            "HEAD /v2/demo/a/manifests/latest",
            "PUT /v2/demo/a/manifests/latest"),
        rs.stream().map(r -> r.getMethod() + " " + r.getTarget()).toList());
    assertArrayEquals(SRC_A.bytes(), rs.get(2).getBody().toByteArray());
    assertEquals(MediaTypes.OCI_INDEX, rs.get(2).getHeaders().get("Content-Type"));
    assertArrayEquals(SRC_A.bytes(), store.get("demo/a", "latest").bytes());
  }

  @Test
  void oneImageOneTagMakesThreeRequestsInParallelToo() {
    store.put("demo/a", "sha-1", SRC_A).put("demo/a", "latest", OLD_A);

    promote(List.of("demo/a"), "sha-1", List.of("latest"), false, 8);

    List<String> lines = registry.requestLines();
    assertEquals(3, lines.size(), lines::toString);
    assertEquals(
        Set.of("GET /v2/demo/a/manifests/sha-1", "HEAD /v2/demo/a/manifests/latest"),
        Set.copyOf(lines.subList(0, 2)),
        "both reads come before the write");
    assertEquals("PUT /v2/demo/a/manifests/latest", lines.get(2));
  }

  @Test
  void secondIdenticalRunWritesNothing() {
    store.put("demo/a", "sha-1", SRC_A);
    promote(List.of("demo/a"), "sha-1", List.of("latest"), false, 4);
    registry.requests();

    PromoteReport again = promote(List.of("demo/a"), "sha-1", List.of("latest"), false, 4);

    assertEquals(List.of(Outcome.UNCHANGED), outcomes(again));
    List<String> lines = registry.requestLines();
    assertEquals(2, lines.size(), lines::toString);
    assertEquals(
        Set.of("GET /v2/demo/a/manifests/sha-1", "HEAD /v2/demo/a/manifests/latest"),
        Set.copyOf(lines));
  }

  @Test
  void failedWriteRestoresTheTagAlreadyMovedToItsPreviousManifest() {
    store
        .put("demo/a", "sha-1", SRC_A)
        .put("demo/a", "latest", OLD_A)
        .put("demo/b", "sha-1", SRC_B)
        .override(
            "PUT /v2/demo/b/manifests/latest",
            MockRegistry.error(400, "MANIFEST_INVALID", "manifest invalid"));

    PromoteReport report =
        promote(List.of("demo/a", "demo/b"), "sha-1", List.of("latest"), false, 1);

    assertEquals(List.of(Outcome.ROLLED_BACK, Outcome.FAILED), outcomes(report));
    TagResult failed = report.results().get(1);
    assertTrue(
        failed.error().contains("put manifest " + registry.registry() + "/demo/b:latest"),
        failed.error());
    assertTrue(failed.error().contains("MANIFEST_INVALID"), failed.error());
    assertEquals(OLD_A.digest(), report.results().get(0).previous());

    List<RecordedRequest> rs = registry.requests();
    assertEquals(
        List.of(
            "GET /v2/demo/a/manifests/sha-1",
            "HEAD /v2/demo/a/manifests/latest",
            "GET /v2/demo/b/manifests/sha-1",
            "HEAD /v2/demo/b/manifests/latest",
            "GET /v2/demo/b/manifests/latest",
            "PUT /v2/demo/a/manifests/latest",
            "PUT /v2/demo/b/manifests/latest",
            "HEAD /v2/demo/a/manifests/latest", // still at the digest Gantry wrote? only then is it
            // restored
            "GET /v2/demo/a/manifests/" + OLD_A.digest(),
            "PUT /v2/demo/a/manifests/latest"),
        rs.stream().map(r -> r.getMethod() + " " + r.getTarget()).toList());
    assertArrayEquals(
        OLD_A.bytes(), rs.get(9).getBody().toByteArray(), "the restore PUTs the previous bytes");
    assertArrayEquals(OLD_A.bytes(), store.get("demo/a", "latest").bytes());
  }

  @Test
  void restoreThatFailsIsReportedAsRollbackFailed() {
    store
        .put("demo/a", "sha-1", SRC_A)
        .put("demo/a", "latest", OLD_A)
        .put("demo/b", "sha-1", SRC_B)
        .override(
            "PUT /v2/demo/b/manifests/latest",
            MockRegistry.error(400, "MANIFEST_INVALID", "manifest invalid"))
        .override(
            "GET /v2/demo/a/manifests/" + OLD_A.digest(),
            MockRegistry.error(404, "MANIFEST_UNKNOWN", "gone"));

    PromoteReport report =
        promote(List.of("demo/a", "demo/b"), "sha-1", List.of("latest"), false, 1);

    assertEquals(List.of(Outcome.ROLLBACK_FAILED, Outcome.FAILED), outcomes(report));
    assertTrue(report.rollbackIncomplete());
    assertTrue(
        report.results().get(0).error().contains("MANIFEST_UNKNOWN"),
        report.results().get(0).error());
    assertArrayEquals(
        SRC_A.bytes(), store.get("demo/a", "latest").bytes(), "left where the promote put it");
  }

  @Test
  void failedWriteLeavesANewTagAndSaysSo() {
    store
        .put("demo/a", "sha-1", SRC_A)
        .put("demo/b", "sha-1", SRC_B)
        .override(
            "PUT /v2/demo/b/manifests/latest",
            MockRegistry.error(400, "MANIFEST_INVALID", "manifest invalid"));

    PromoteReport report =
        promote(List.of("demo/a", "demo/b"), "sha-1", List.of("latest"), false, 1);

    assertEquals(List.of(Outcome.LEFT_NEW, Outcome.FAILED), outcomes(report));
    assertTrue(
        registry.requestLines().stream()
            .noneMatch(l -> l.startsWith("GET /v2/demo/a/manifests/sha256:")));
  }

  @Test
  void writeThatLandedWithAnotherDigestReportedIsRestoredAndSaysSo() {
    // The PUT was applied, but its answer names another digest: the tag may have moved, so it is
    // put back.
    store
        .put("demo/a", "sha-1", SRC_A)
        .put("demo/a", "latest", OLD_A)
        .reportOnPut("PUT /v2/demo/a/manifests/latest", SRC_B.digest());

    PromoteReport report = promote(List.of("demo/a"), "sha-1", List.of("latest"), false, 1);

    assertEquals(List.of(Outcome.ROLLED_BACK), outcomes(report));
    assertTrue(report.movedAny(), "the tag may have moved: not 'nothing was changed'");
    assertTrue(
        report.firstFailure().error().contains("digest mismatch"), report.firstFailure().error());
    assertArrayEquals(OLD_A.bytes(), store.get("demo/a", "latest").bytes());
  }

  @Test
  void newTagWrittenWithAnotherDigestReportedIsLeftNew() {
    store
        .put("demo/a", "sha-1", SRC_A)
        .reportOnPut("PUT /v2/demo/a/manifests/latest", SRC_B.digest());

    PromoteReport report = promote(List.of("demo/a"), "sha-1", List.of("latest"), false, 1);

    assertEquals(List.of(Outcome.LEFT_NEW), outcomes(report));
    assertTrue(report.movedAny());
    assertTrue(
        report.firstFailure().error().contains("digest mismatch"), report.firstFailure().error());
  }

  @Test
  void rollbackLeavesATagSomeoneElseMovedMeanwhile() {
    Manifest theirs = TestManifests.index("someone-else");
    store
        .put("demo/a", "sha-1", SRC_A)
        .put("demo/a", "latest", OLD_A)
        .put("demo/b", "sha-1", SRC_B)
        .override(
            "PUT /v2/demo/b/manifests/latest",
            MockRegistry.error(400, "MANIFEST_INVALID", "manifest invalid"))
        .onRequest("PUT /v2/demo/b/manifests/latest", () -> store.put("demo/a", "latest", theirs));

    PromoteReport report =
        promote(List.of("demo/a", "demo/b"), "sha-1", List.of("latest"), false, 1);

    assertEquals(List.of(Outcome.SKIPPED, Outcome.FAILED), outcomes(report));
    assertTrue(report.rollbackIncomplete());
    assertEquals(
        "moved by someone else (digest " + theirs.digest() + ")", report.results().get(0).error());
    assertArrayEquals(
        theirs.bytes(), store.get("demo/a", "latest").bytes(), "the other writer's tag is kept");
    assertTrue(
        registry.requestLines().stream()
            .noneMatch(l -> l.startsWith("GET /v2/demo/a/manifests/sha256:")));
  }

  @Test
  void exitCodesSayWhatAnAmbiguousWriteAndASkippedRestoreMayHaveLeft() {
    store
        .put("demo/a", "sha-1", SRC_A)
        .put("demo/a", "latest", OLD_A)
        .reportOnPut("PUT /v2/demo/a/manifests/latest", SRC_B.digest());
    GantryRunner.Result restored =
        new GantryRunner()
            .run("promote", "--from", "sha-1", "--to", "latest", registry.registry() + "/demo/a");
    assertEquals(6, restored.exitCode(), restored.all());
    assertTrue(restored.stdout().contains("rolled-back"), restored.stdout());

    Manifest theirs = TestManifests.index("someone-else-2");
    store
        .put("demo/c", "sha-1", SRC_A)
        .put("demo/c", "latest", OLD_A)
        .put("demo/d", "sha-1", SRC_B)
        .override(
            "PUT /v2/demo/d/manifests/latest",
            MockRegistry.error(400, "MANIFEST_INVALID", "manifest invalid"))
        .onRequest("PUT /v2/demo/d/manifests/latest", () -> store.put("demo/c", "latest", theirs));
    GantryRunner.Result skipped =
        new GantryRunner()
            .run(
                "promote",
                "--jobs",
                "1",
                "--from",
                "sha-1",
                "--to",
                "latest",
                registry.registry() + "/demo/c",
                registry.registry() + "/demo/d");
    assertEquals(7, skipped.exitCode(), skipped.all());
    assertTrue(
        skipped.stdout().contains("skipped")
            && skipped.stdout().contains("moved by someone else (digest " + theirs.digest() + ")"),
        skipped.stdout());
  }

  @Test
  void writesAfterTheFirstFailureAreNotAttempted() {
    store
        .put("demo/a", "sha-1", SRC_A)
        .put("demo/b", "sha-1", SRC_B)
        .override(
            "PUT /v2/demo/a/manifests/latest",
            MockRegistry.error(400, "MANIFEST_INVALID", "manifest invalid"));

    PromoteReport report =
        promote(List.of("demo/a", "demo/b"), "sha-1", List.of("latest"), false, 1);

    assertEquals(List.of(Outcome.FAILED, Outcome.NOT_ATTEMPTED), outcomes(report));
    assertTrue(registry.requestLines().stream().noneMatch(l -> l.startsWith("PUT /v2/demo/b/")));
  }

  @Test
  void missingSourceEndsTheRunBeforeAnyWrite() {
    store.put("demo/a", "sha-1", SRC_A);

    GantryException e =
        assertThrows(
            GantryException.class,
            () -> promote(List.of("demo/a", "demo/b"), "sha-1", List.of("latest"), false, 4));

    assertEquals(GantryException.Kind.NOT_FOUND, e.kind());
    assertTrue(e.getMessage().contains("demo/b:sha-1"), e.getMessage());
    assertTrue(registry.requestLines().stream().noneMatch(l -> l.startsWith("PUT")));
  }

  @Test
  void movedSourceEndsTheRunBeforeAnyWrite() {
    store.put("demo/a", "sha-1", SRC_A);
    PromoteRequest request =
        PromoteRequest.parse(
            List.of(registry.registry() + "/demo/a@" + OLD_A.digest()), "sha-1", List.of("latest"));

    GantryException e =
        assertThrows(
            GantryException.class,
            () ->
                Promoter.promote(
                    request, i -> client.forPush(i.repository().orElseThrow()), false, 1));

    assertEquals(GantryException.Kind.SOURCE_MOVED, e.kind());
    assertTrue(registry.requestLines().stream().noneMatch(l -> l.startsWith("PUT")));
  }

  @Test
  void dryRunReadsButNeverWrites() {
    store.put("demo/a", "sha-1", SRC_A);

    PromoteReport report =
        promote(List.of("demo/a"), "sha-1", List.of("latest", "stable"), true, 4);

    assertEquals(List.of(Outcome.WOULD_PROMOTE, Outcome.WOULD_PROMOTE), outcomes(report));
    assertTrue(report.dryRun());
    // GET source, and per new tag HEAD 404 confirmed by GET (some registries answer HEAD 404 for a
    // tag GET finds).
    assertEquals(5, registry.server.getRequestCount());
    assertTrue(registry.requestLines().stream().noneMatch(l -> l.startsWith("PUT")));
  }

  @Test
  void promoteByDigestReadsTheSourceByDigest() {
    store.put("demo/a", "sha-1", SRC_A);

    promote(List.of("demo/a"), "@" + SRC_A.digest(), List.of("latest"), false, 1);

    assertEquals(
        List.of(
            "GET /v2/demo/a/manifests/" + SRC_A.digest(),
            "HEAD /v2/demo/a/manifests/latest",
            "GET /v2/demo/a/manifests/latest",
            "PUT /v2/demo/a/manifests/latest"),
        registry.requestLines());
  }
}
