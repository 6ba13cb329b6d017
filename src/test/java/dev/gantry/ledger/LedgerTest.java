package dev.gantry.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.GantryException;
import dev.gantry.Json;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.MediaTypes;
import dev.gantry.image.Ref;
import dev.gantry.promote.PlanExecutor;
import dev.gantry.promote.PromotePlan;
import dev.gantry.promote.PromoteReport;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.promote.StopSignal;
import dev.gantry.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ledger against an in-memory store that keeps referrers as the contract says. */
class LedgerTest {
  private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private final MemoryStore store = new MemoryStore("registry.test/acme/api");
  private final Provenance provenance =
      Provenance.from(
          Map.of(
              "GITHUB_ACTOR",
              "alice",
              "GITHUB_SERVER_URL",
              "https://github.com",
              "GITHUB_REPOSITORY",
              "acme/app",
              "GITHUB_RUN_ID",
              "42",
              "GITHUB_RUN_ATTEMPT",
              "2"),
          "1.2.3",
          clock);
  private final PromoteRequest.Image image = PromoteRequest.Image.parse("registry.test/acme/api");

  /**
   * An image manifest whose config carries the revision label {@code commit}; its config blob is in
   * the store.
   */
  private Manifest image(String commit) {
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"org.opencontainers.image.revision\":\""
                + commit
                + "\"}}}")
            .getBytes(StandardCharsets.UTF_8);
    store.blob(config);
    byte[] manifest =
        ("{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST
                + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + Digest.sha256(config)
                + "\",\"size\":"
                + config.length
                + "},\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    return Manifest.of(manifest, MediaTypes.OCI_MANIFEST);
  }

  /** Moves latest to {@code to} as a promote does, then records it at the clock's time. */
  private Recorder.Written move(Manifest to, MoveKind kind) {
    Optional<Digest> previous = store.headManifest(Ref.tag("latest"));
    store.putManifest(Ref.tag("latest"), to);
    return Recorder.write(
        List.of(new Recorder.Move(store, "latest", to, previous, "sha-" + kind.label())),
        kind,
        Optional.empty(),
        provenance,
        4);
  }

  @Test
  void aRecordIsAValidOciArtifactManifestWithItsFieldsAsAnnotations() throws Exception {
    Manifest a = image("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    PromotionRecord record =
        provenance.record(
            "registry.test/acme/api",
            "latest",
            a.digest(),
            Optional.empty(),
            "sha-aaaaaaa",
            Optional.of("aaaaaaa"),
            T0,
            MoveKind.PROMOTE);
    Manifest m = RecordManifest.of(record, new Descriptor(a.mediaType(), a.digest(), a.size()));
    JsonNode root = Json.readTree(m.bytes());
    assertEquals(2, root.path("schemaVersion").asInt());
    assertEquals(MediaTypes.OCI_MANIFEST, root.path("mediaType").asText());
    assertEquals("application/vnd.gantry.promotion.v1+json", root.path("artifactType").asText());
    // The OCI empty descriptor, as the image spec defines it.
    assertEquals(
        "application/vnd.oci.empty.v1+json", root.path("config").path("mediaType").asText());
    assertEquals(
        "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
        root.path("config").path("digest").asText());
    assertEquals(2, root.path("config").path("size").asInt());
    assertEquals(root.path("config"), root.path("layers").get(0));
    assertEquals(a.digest().toString(), root.path("subject").path("digest").asText());
    assertEquals(a.size(), root.path("subject").path("size").asLong());
    assertEquals(
        "2026-11-30T08:00:00Z",
        root.path("annotations").path("org.opencontainers.image.created").asText());
    assertEquals(
        "https://github.com/acme/app/actions/runs/42/attempts/2",
        root.path("annotations").path("dev.gantry.promotion.run").asText());
    assertFalse(
        root.path("annotations").has("dev.gantry.promotion.previous"),
        "a new tag has no previous, not an empty one");
    assertEquals(
        Optional.of(record), PromotionRecord.fromAnnotations(a.digest(), record.annotations()));
    assertEquals(
        Optional.empty(),
        PromotionRecord.fromAnnotations(image("bbbbbbb").digest(), record.annotations()),
        "a record listed under another subject is not taken");
  }

  @Test
  void historyListsEveryMoveNewestFirstFromListingsAlone() {
    Manifest x = image("0000000");
    Manifest a = image("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    Manifest b = image("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    store.tag("latest", x); // before the ledger: another tool
    assertEquals(1, move(a, MoveKind.PROMOTE).records());
    clock.advance(Duration.ofMinutes(10));
    move(b, MoveKind.PROMOTE);
    clock.advance(Duration.ofMinutes(10));
    move(a, MoveKind.ROLLBACK);
    store.listings.set(0);
    store.manifestGets.set(0);

    History.Log log = History.read(store, Ref.tag("latest"), 20);

    List<PromotionRecord> r = log.records();
    assertEquals(
        List.of(MoveKind.ROLLBACK, MoveKind.PROMOTE, MoveKind.PROMOTE),
        r.stream().map(PromotionRecord::kind).toList());
    assertEquals(
        List.of(a.digest(), b.digest(), a.digest()),
        r.stream().map(PromotionRecord::digest).toList());
    assertEquals(
        List.of(Optional.of(b.digest()), Optional.of(a.digest()), Optional.of(x.digest())),
        r.stream().map(PromotionRecord::previous).toList());
    assertEquals(
        List.of(T0.plusSeconds(1200), T0.plusSeconds(600), T0),
        r.stream().map(PromotionRecord::time).toList());
    assertEquals(
        Optional.of("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
        r.get(1).commit(),
        "from the image's revision label");
    assertEquals(Optional.of("alice"), r.get(0).actor());
    assertInstanceOf(
        History.Unrecorded.class,
        log.entries().get(3),
        "x was put there by another tool: named, and the walk stops");
    assertEquals(4, store.listings.get(), "one listing per entry");
    assertEquals(
        0,
        store.manifestGets.get(),
        "no record manifest is fetched: the listing's annotations are the record");

    assertEquals(2, History.read(store, Ref.tag("latest"), 2).entries().size(), "--limit");
  }

  @Test
  void aTagMovedByAnotherToolIsShownAsSuchAndTheWalkStops() {
    move(image("aaaaaaa"), MoveKind.PROMOTE);
    Manifest c = image("ccccccc");
    store.tag("latest", c);

    History.Log log = History.read(store, Ref.tag("latest"), 20);

    assertEquals(List.of(new History.Unrecorded(c.digest())), log.entries());
    assertTrue(HistoryOutput.text(log).contains("moved by another tool"), HistoryOutput.text(log));
    assertTrue(
        HistoryOutput.json(log).contains("\"kind\":\"unrecorded\""), HistoryOutput.json(log));
  }

  @Test
  void aMissingTagIsNotFound() {
    GantryException e =
        assertThrows(GantryException.class, () -> History.read(store, Ref.tag("latest"), 5));
    assertEquals(GantryException.Kind.NOT_FOUND, e.kind());
  }

  @Test
  void aRecordThatCannotBeWrittenIsAWarningNotASilentLoss() {
    MemoryStore failing =
        new MemoryStore("registry.test/acme/broken") {
          @Override
          public void putReferrer(Manifest manifest) {
            throw new GantryException(
                GantryException.Kind.FAILED,
                "put manifest registry.test/acme/broken: 500 Internal Server Error");
          }
        };
    Manifest a = image("aaaaaaa");
    Recorder.Written w =
        Recorder.write(
            List.of(new Recorder.Move(failing, "latest", a, Optional.empty(), "sha-aaaaaaa")),
            MoveKind.PROMOTE,
            Optional.of("abcdef1"),
            provenance,
            2);
    assertEquals(0, w.records());
    assertEquals(1, w.warnings().size());
    assertTrue(
        w.warnings().get(0).contains("registry.test/acme/broken:latest")
            && w.warnings().get(0).contains("500"),
        w.warnings().toString());
    assertEquals("ledger: 1 of 1 record NOT written", w.summary());
  }

  private PromotePlan plan(Manifest source, String tag) {
    PromoteRequest request = new PromoteRequest(List.of(image), Ref.tag("staging"), List.of(tag));
    Digest current = store.headManifest(Ref.tag(tag)).orElse(null);
    return new PromotePlan(
        request,
        List.of(
            new PromotePlan.ImagePlan(
                image,
                source,
                List.of(new PromotePlan.TagStep(tag, current, !source.digest().equals(current))))));
  }

  private Recorder.Written moveTo(String tag, Manifest to) {
    Optional<Digest> previous = store.headManifest(Ref.tag(tag));
    store.putManifest(Ref.tag(tag), to);
    return Recorder.write(
        List.of(new Recorder.Move(store, tag, to, previous, "sha-x")),
        MoveKind.PROMOTE,
        Optional.empty(),
        provenance,
        1);
  }

  @Test
  void theSoakGateTimesTheDigestAtTheSourceTagByTheInjectedClock() {
    Manifest a = image("aaaaaaa");
    moveTo("staging", a);
    PromotePlan toProd = plan(a, "prod");

    clock.advance(Duration.ofMinutes(25));
    GantryException refused =
        assertThrows(
            GantryException.class,
            () ->
                Gates.soak(toProd, i -> store, "staging", Duration.ofHours(1), clock.instant(), 2));
    assertEquals(GantryException.Kind.REFUSED, refused.kind());
    assertEquals(
        "promote registry.test/acme/api: refused by --soak 1h: "
            + a.digest()
            + " has been at staging for 25m (since "
            + T0
            + "); nothing was written",
        refused.getMessage());

    Gates.soak(
        toProd, i -> store, "staging", Duration.ZERO, clock.instant(), 2); // --soak 0s passes
    clock.advance(Duration.ofMinutes(35));
    Gates.soak(
        toProd,
        i -> store,
        "staging",
        Duration.ofHours(1),
        clock.instant(),
        2); // an hour later: passes
  }

  @Test
  void theSoakGateRefusesADigestTheLedgerNeverSawAtTheSourceTag() {
    Manifest a = image("aaaaaaa");
    store.tag("staging", a); // another tool
    clock.advance(Duration.ofDays(3));
    GantryException refused =
        assertThrows(
            GantryException.class,
            () ->
                Gates.soak(
                    plan(a, "prod"),
                    i -> store,
                    "staging",
                    Duration.ofHours(1),
                    clock.instant(),
                    2));
    assertEquals(GantryException.Kind.REFUSED, refused.kind());
    assertTrue(
        refused.getMessage().contains("has no ledger record at staging"), refused.getMessage());
  }

  @Test
  void aTargetMovedSincePlanTimeIsRefusedBeforeAnyWrite() {
    Manifest a = image("aaaaaaa");
    Manifest b = image("bbbbbbb");
    store.tag("latest", image("0000000"));
    PromotePlan mine = plan(a, "latest");
    store.tag("latest", b); // a concurrent promote lands between our read and our write
    GantryException e =
        assertThrows(GantryException.class, () -> Gates.unmoved(mine, i -> store, 2));
    assertEquals(GantryException.Kind.SOURCE_MOVED, e.kind());
    assertTrue(e.getMessage().contains("now " + b.digest()), e.getMessage());
    Gates.unmoved(plan(a, "latest"), i -> store, 2); // read again: unmoved
  }

  @Test
  void rollbackPlansThePreviousDigestOrOneTheLedgerShowsAndAppliesThroughTheEngine() {
    Manifest a = image("aaaaaaa");
    Manifest b = image("bbbbbbb");
    Manifest c = image("ccccccc");
    move(a, MoveKind.PROMOTE);
    clock.advance(Duration.ofMinutes(1));
    move(b, MoveKind.PROMOTE);
    clock.advance(Duration.ofMinutes(1));
    move(c, MoveKind.PROMOTE);

    PromotePlan previous = Rollback.plan(List.of(image), "latest", Optional.empty(), i -> store, 2);
    assertEquals(b.digest(), previous.images().get(0).source().digest());
    assertEquals(c.digest(), previous.images().get(0).steps().get(0).previous());

    PromotePlan toA =
        Rollback.plan(List.of(image), "latest", Optional.of(a.digest()), i -> store, 2);
    PromoteReport report = PlanExecutor.apply(toA, i -> store, 2, StopSignal.never(), p -> {});
    assertEquals(PromoteReport.Outcome.PROMOTED, report.results().get(0).outcome());
    assertEquals(Optional.of(a.digest()), store.headManifest(Ref.tag("latest")));

    GantryException unknown =
        assertThrows(
            GantryException.class,
            () ->
                Rollback.plan(
                    List.of(image),
                    "latest",
                    Optional.of(image("ddddddd").digest()),
                    i -> store,
                    2));
    assertEquals(GantryException.Kind.NOT_FOUND, unknown.kind());
    assertTrue(
        unknown.getMessage().contains("the ledger does not show the tag holding"),
        unknown.getMessage());

    store.tag("other", a);
    GantryException none =
        assertThrows(
            GantryException.class,
            () -> Rollback.plan(List.of(image), "other", Optional.empty(), i -> store, 2));
    assertEquals(GantryException.Kind.NOT_FOUND, none.kind());
    assertTrue(
        none.getMessage().contains("registry.test/acme/api:other: the tag has no history"),
        none.getMessage());
  }

  @Test
  void durationsParseAndPrintAsWritten() {
    assertEquals(Duration.ofHours(2), Durations.parse("--soak", "2h"));
    assertEquals(Duration.ZERO, Durations.parse("--soak", "0s"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("--soak", "1h30m"));
    assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
    assertEquals("0s", Durations.format(Duration.ZERO));
    GantryException bad =
        assertThrows(GantryException.class, () -> Durations.parse("--soak", "2 hours"));
    assertEquals(GantryException.Kind.BAD_INPUT, bad.kind());
    assertThrows(GantryException.class, () -> Durations.parse("--soak", ""));
  }

  @Test
  void recordsOfAnotherRepositoryOfTheSameDigestAreNotThisTagsHistory() {
    Manifest a = image("aaaaaaa");
    MemoryStore other = new MemoryStore("registry.test/acme/other");
    other.blob(RecordManifest.EMPTY_BYTES);
    // A copy carried another repository's record of the same digest and tag into this one.
    PromotionRecord foreign =
        provenance.record(
            "registry.test/acme/other",
            "latest",
            a.digest(),
            Optional.empty(),
            "sha-x",
            Optional.empty(),
            T0,
            MoveKind.PROMOTE);
    store.blob(RecordManifest.EMPTY_BYTES);
    store.putReferrer(
        RecordManifest.of(foreign, new Descriptor(a.mediaType(), a.digest(), a.size())));
    store.tag("latest", a);
    assertEquals(
        List.of(new History.Unrecorded(a.digest())),
        History.read(store, Ref.tag("latest"), 5).entries());

    // The same repository path on another registry host (a mirror) is this repository.
    PromotionRecord mirrored =
        provenance.record(
            "mirror.test:5000/acme/api",
            "latest",
            a.digest(),
            Optional.empty(),
            "sha-x",
            Optional.empty(),
            T0,
            MoveKind.PROMOTE);
    store.putReferrer(
        RecordManifest.of(mirrored, new Descriptor(a.mediaType(), a.digest(), a.size())));
    assertEquals(List.of(mirrored), History.read(store, Ref.tag("latest"), 5).records());
  }
}
