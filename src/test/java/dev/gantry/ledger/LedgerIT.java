package dev.gantry.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.Json;
import dev.gantry.testing.FaultProxy;
import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.HeldRequest;
import dev.gantry.testing.LoggedRequest;
import dev.gantry.testing.ManualClock;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ledger on the real registry (distribution 2.8: no referrers API, so records live under the
 * fallback tag).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LedgerIT {
  private static final AtomicLong SEED = new AtomicLong(1700);
  private static final String COMMIT_A = "a".repeat(40);
  private static final String COMMIT_B = "b".repeat(40);
  private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
  private RegistryServer registry;
  private FaultProxy proxy;
  private Skopeo skopeo;
  private ManualClock clock;

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
  void reset() {
    proxy.reset();
    clock = new ManualClock(T0);
  }

  private GantryRunner gantry() {
    return new GantryRunner()
        .clock(clock)
        .env("GITHUB_ACTOR", "octocat")
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/app")
        .env("GITHUB_RUN_ID", "7");
  }

  /** Pushes an image built from {@code commit} to {@code repo:sha-<7>}; returns its digest. */
  private String push(String repo, String commit) {
    return TestImages.push(
        TestImages.multiArch(
            TempDirs.create("gantry-layout-"),
            SEED.incrementAndGet(),
            Map.of("org.opencontainers.image.revision", commit)),
        registry,
        repo,
        "sha-" + commit.substring(0, 7));
  }

  private String image(String repo) {
    return registry.hostPort() + "/" + repo;
  }

  private String digest(String repo, String tag) {
    return skopeo.digest(image(repo) + ":" + tag, registry);
  }

  private JsonNode history(String ref) {
    Result r = gantry().run("history", "--json", ref);
    assertEquals(0, r.exitCode(), r.all());
    try {
      return Json.readTree(r.stdout());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> field(JsonNode history, String name) {
    List<String> values = new ArrayList<>();
    history
        .path("records")
        .forEach(r -> values.add(r.path(name).isNull() ? null : r.path(name).asText()));
    return values;
  }

  private Result promote(String commit, String... images) {
    List<String> args =
        new ArrayList<>(
            List.of("promote", "--from", "sha-" + commit.substring(0, 7), "--to", "latest"));
    args.addAll(List.of(images));
    return gantry().run(args.toArray(String[]::new));
  }

  @Test
  void historyListsBThenAAndRollbackMovesEveryImageBackToA() {
    String x = "ledger/chain-x";
    String y = "ledger/chain-y";
    String ax = push(x, COMMIT_A);
    String ay = push(y, COMMIT_A);
    String bx = push(x, COMMIT_B);
    String by = push(y, COMMIT_B);

    Result first = promote(COMMIT_A, image(x), image(y));
    assertEquals(0, first.exitCode(), first.all());
    assertTrue(first.stderr().contains("ledger: 2 records written"), first.stderr());
    clock.advance(Duration.ofMinutes(5));
    assertEquals(0, promote(COMMIT_B, image(x), image(y)).exitCode());

    JsonNode h = history(image(x) + ":latest");
    assertEquals(image(x), h.path("image").asText());
    assertEquals("latest", h.path("tag").asText());
    assertEquals(List.of(bx, ax), field(h, "digest"));
    assertEquals(
        java.util.Arrays.asList(ax, null), field(h, "previous"), "A was the first: latest was new");
    assertEquals(
        List.of(COMMIT_B, COMMIT_A), field(h, "commit"), "from the images' revision labels");
    assertEquals(List.of("2026-11-30T08:05:00Z", "2026-11-30T08:00:00Z"), field(h, "time"));
    assertEquals(List.of("octocat", "octocat"), field(h, "actor"));
    assertEquals("https://github.com/acme/app/actions/runs/7", field(h, "run").get(0));
    assertEquals(List.of("promote", "promote"), field(h, "kind"));

    clock.advance(Duration.ofMinutes(5));
    Result back = gantry().run("rollback", "--tag", "latest", image(x), image(y));
    assertEquals(0, back.exitCode(), back.all());
    assertEquals(ax, digest(x, "latest"), "skopeo: x is back on A");
    assertEquals(ay, digest(y, "latest"), "skopeo: y is back on A");

    JsonNode after = history(image(y) + ":latest");
    assertEquals(List.of(ay, by, ay), field(after, "digest"));
    assertEquals(List.of("rollback", "promote", "promote"), field(after, "kind"));
    assertEquals(by, field(after, "previous").get(0));
    assertEquals(COMMIT_A, field(after, "commit").get(0));
    assertEquals("2026-11-30T08:10:00Z", field(after, "time").get(0));

    Result text = gantry().run("history", image(x) + ":latest");
    assertEquals(0, text.exitCode(), text.all());
    List<String> lines = text.stdout().lines().toList();
    assertTrue(lines.get(0).startsWith(image(x) + ":latest  now " + ax), text.stdout());
    assertTrue(
        lines.get(2).contains("rollback") && lines.get(2).contains(ax.substring(0, 19)),
        text.stdout());
    assertEquals(5, lines.size(), text.stdout());
  }

  @Test
  void recordsAreValidOciManifestsThatSkopeoReadsFromTheFallbackTag() throws IOException {
    String repo = "ledger/skopeo";
    String a = push(repo, COMMIT_A);
    assertEquals(0, promote(COMMIT_A, image(repo)).exitCode());

    // The fallback tag of the OCI distribution spec: sha256-<hex> holds an index of the referrers.
    byte[] indexBytes = skopeo.inspectRaw(image(repo) + ":sha256-" + a.substring(7), registry);
    JsonNode index = Json.readTree(indexBytes);
    assertEquals("application/vnd.oci.image.index.v1+json", index.path("mediaType").asText());
    assertEquals(1, index.path("manifests").size(), index.toString());
    JsonNode entry = index.path("manifests").get(0);
    assertEquals("application/vnd.gantry.promotion.v1+json", entry.path("artifactType").asText());
    assertEquals("latest", entry.path("annotations").path("dev.gantry.promotion.tag").asText());
    assertEquals(COMMIT_A, entry.path("annotations").path("dev.gantry.promotion.commit").asText());

    byte[] recordBytes =
        skopeo.inspectRaw(image(repo) + "@" + entry.path("digest").asText(), registry);
    assertEquals(entry.path("digest").asText(), Skopeo.sha256(recordBytes));
    assertEquals(entry.path("size").asLong(), recordBytes.length);
    JsonNode record = Json.readTree(recordBytes);
    assertEquals(2, record.path("schemaVersion").asInt());
    assertEquals("application/vnd.oci.image.manifest.v1+json", record.path("mediaType").asText());
    assertEquals("application/vnd.gantry.promotion.v1+json", record.path("artifactType").asText());
    assertEquals(a, record.path("subject").path("digest").asText());
    assertEquals(
        "application/vnd.oci.image.index.v1+json",
        record.path("subject").path("mediaType").asText());
    for (JsonNode d : List.of(record.path("config"), record.path("layers").get(0))) {
      assertEquals("application/vnd.oci.empty.v1+json", d.path("mediaType").asText());
      assertEquals(
          "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
          d.path("digest").asText());
      assertEquals(2, d.path("size").asInt());
    }
    assertEquals(
        entry.path("annotations"),
        record.path("annotations"),
        "the listing carries the record's fields");
    // The shared empty blob is there, and is {}.
    assertTrue(
        skopeo
                .run(
                    List.of(
                        "inspect",
                        "--tls-verify=false",
                        "--raw",
                        "docker://" + image(repo) + "@" + a))
                .exitCode()
            == 0);
  }

  @Test
  void aFailureMidRollbackRestoresEveryImageAndRecordsNothing() {
    String a = "ledger/faults-a";
    String b = "ledger/faults-b";
    String c = "ledger/faults-c";
    for (String repo : List.of(a, b, c)) {
      push(repo, COMMIT_A);
      push(repo, COMMIT_B);
    }
    assertEquals(0, promote(COMMIT_A, image(a), image(b), image(c)).exitCode());
    clock.advance(Duration.ofMinutes(1));
    assertEquals(0, promote(COMMIT_B, image(a), image(b), image(c)).exitCode());
    String bA = digest(a, "latest");
    String bB = digest(b, "latest");
    String bC = digest(c, "latest");
    proxy.failAlways("PUT", "/v2/" + b + "/manifests/latest", 403);
    clock.advance(Duration.ofMinutes(1));

    Result r =
        gantry()
            .run(
                "rollback",
                "--jobs",
                "1",
                "--tag",
                "latest",
                proxy.hostPort() + "/" + a,
                proxy.hostPort() + "/" + c,
                proxy.hostPort() + "/" + b);

    assertEquals(6, r.exitCode(), r.all());
    assertTrue(r.stdout().contains("rolled-back") && r.stdout().contains("failed"), r.stdout());
    assertEquals(bA, digest(a, "latest"), "a was moved back to A, then restored to B");
    assertEquals(bB, digest(b, "latest"));
    assertEquals(bC, digest(c, "latest"));
    assertTrue(
        proxy.requests().stream()
            .filter(q -> q.method().equals("PUT"))
            .allMatch(q -> q.url().endsWith("/manifests/latest")),
        () -> "only the tag writes and their restores, no record: " + proxy.requests());
    for (String repo : List.of(a, b, c)) {
      assertEquals(
          List.of("promote", "promote"),
          field(history(image(repo) + ":latest"), "kind"),
          "a rollback that was undone leaves no record: " + repo);
    }
  }

  @Test
  void soakRefusesAFreshStagingDigestWithZeroWritesAndPassesOnceItHasSoaked() {
    String repo = "ledger/soak";
    String a = push(repo, COMMIT_A);
    Result staged =
        gantry().run("promote", "--from", "sha-aaaaaaa", "--to", "staging", image(repo));
    assertEquals(0, staged.exitCode(), staged.all());

    Result now =
        gantry().run("promote", "--from", "staging", "--to", "canary", "--soak", "0s", image(repo));
    assertEquals(0, now.exitCode(), "--soak 0s passes at once: " + now.all());

    clock.advance(Duration.ofMinutes(30));
    int mark = registry.mark();
    Result early =
        gantry().run("promote", "--from", "staging", "--to", "prod", "--soak", "1h", image(repo));
    assertEquals(8, early.exitCode(), early.all());
    assertEquals(
        "gantry: promote "
            + image(repo)
            + ": refused by --soak 1h: "
            + a
            + " has been at staging for 30m (since "
            + T0
            + "); nothing was written",
        early.stderr().strip());
    assertEquals(List.of(), writes(registry.requestLogSince(mark)), "zero writes");
    assertFalse(skopeo.exists(image(repo) + ":prod", registry));

    Result dry =
        gantry()
            .run(
                "promote",
                "--dry-run",
                "--from",
                "staging",
                "--to",
                "prod",
                "--soak",
                "1h",
                image(repo));
    assertEquals(8, dry.exitCode(), "a dry run answers what the gate would: " + dry.all());

    clock.advance(Duration.ofMinutes(31));
    Result later =
        gantry().run("promote", "--from", "staging", "--to", "prod", "--soak", "1h", image(repo));
    assertEquals(0, later.exitCode(), later.all());
    assertEquals(a, digest(repo, "prod"));
  }

  private static List<String> writes(List<LoggedRequest> log) {
    return log.stream()
        .filter(r -> !r.method().equals("GET") && !r.method().equals("HEAD"))
        .map(r -> r.method() + " " + r.path())
        .collect(Collectors.toList());
  }

  @Test
  void twoPromotesRacingForOneTagRefuseTheOneThatReadTheTagBeforeTheOtherMovedIt()
      throws Exception {
    String repo = "ledger/race";
    String a = push(repo, COMMIT_A);
    String b = push(repo, COMMIT_B);
    String x = push(repo, "c".repeat(40));
    assertEquals(
        0,
        gantry().run("promote", "--from", "sha-ccccccc", "--to", "latest", image(repo)).exitCode());
    clock.advance(Duration.ofMinutes(1));
    // P1 reads latest (x) at once, but its read of the source is held: P2 promotes B meanwhile.
    HeldRequest source = proxy.holdOnce("GET", "/v2/" + repo + "/manifests/sha-aaaaaaa");
    java.util.concurrent.CompletableFuture<Result> p1 =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                gantry()
                    .run(
                        "promote",
                        "--from",
                        "sha-aaaaaaa",
                        "--to",
                        "latest",
                        proxy.hostPort() + "/" + repo));
    try {
      source.awaitArrival(Duration.ofSeconds(60));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (proxy.requests().stream()
          .noneMatch(q -> q.method().equals("HEAD") && q.url().endsWith("/manifests/latest"))) {
        assertTrue(System.nanoTime() < deadline, "P1 never read latest: " + proxy.requests());
        Thread.sleep(20);
      }
      Result p2 = gantry().run("promote", "--from", "sha-bbbbbbb", "--to", "latest", image(repo));
      assertEquals(0, p2.exitCode(), p2.all());
    } finally {
      source.release();
    }
    Result first = p1.get();

    assertEquals(5, first.exitCode(), first.all());
    assertTrue(
        first
            .stderr()
            .contains("target tag latest moved since it was read (was " + x + ", now " + b + ")"),
        first.stderr());
    assertEquals(b, digest(repo, "latest"), "P2's move stands");
    assertTrue(
        proxy.requests().stream().noneMatch(q -> q.method().equals("PUT")),
        "P1 wrote nothing: " + proxy.requests());
    JsonNode h = history(image(repo) + ":latest");
    assertEquals(
        List.of(b, x),
        field(h, "digest"),
        "the history names every move that happened, each with its true previous");
    assertEquals(x, field(h, "previous").get(0));
    assertFalse(field(h, "digest").contains(a));
  }

  @Test
  void requestsPerPromoteWithAndWithoutRecords() {
    String repo = "ledger/cost";
    push(repo, COMMIT_A);
    push(repo, COMMIT_B);
    String c = "c".repeat(40);
    push(repo, c);
    assertEquals(
        0,
        gantry()
            .run("promote", "--no-record", "--from", "sha-ccccccc", "--to", "latest", image(repo))
            .exitCode());

    int mark = registry.mark();
    assertEquals(
        0,
        gantry()
            .run("promote", "--no-record", "--from", "sha-aaaaaaa", "--to", "latest", image(repo))
            .exitCode());
    List<LoggedRequest> without = registry.requestLogSince(mark);
    clock.advance(Duration.ofMinutes(1));
    mark = registry.mark();
    assertEquals(
        0,
        gantry().run("promote", "--from", "sha-bbbbbbb", "--to", "latest", image(repo)).exitCode());
    List<LoggedRequest> firstRecord = registry.requestLogSince(mark);
    clock.advance(Duration.ofMinutes(1));
    mark = registry.mark();
    assertEquals(
        0,
        gantry().run("promote", "--from", "sha-ccccccc", "--to", "latest", image(repo)).exitCode());
    List<LoggedRequest> with = registry.requestLogSince(mark);
    clock.advance(Duration.ofMinutes(1));
    mark = registry.mark();
    assertEquals(
        0,
        gantry()
            .run(
                "promote",
                "--sha",
                "abcdef1",
                "--from",
                "sha-aaaaaaa",
                "--to",
                "latest",
                image(repo))
            .exitCode());
    List<LoggedRequest> withSha = registry.requestLogSince(mark);
    mark = registry.mark();
    assertEquals(0, gantry().run("history", "--limit", "3", image(repo)).exitCode());
    List<LoggedRequest> history = registry.requestLogSince(mark);

    System.out.println("LEDGER COST without records: " + without.size() + " " + lines(without));
    System.out.println(
        "LEDGER COST first record in a repository: "
            + firstRecord.size()
            + " "
            + lines(firstRecord));
    System.out.println("LEDGER COST with records: " + with.size() + " " + lines(with));
    System.out.println(
        "LEDGER COST with records and --sha: " + withSha.size() + " " + lines(withSha));
    System.out.println("LEDGER COST history --limit 3: " + history.size() + " " + lines(history));
    // The README's table ("What records cost in requests") states these counts.
    assertEquals(3, without.size(), lines(without));
    assertEquals(13, firstRecord.size(), lines(firstRecord));
    assertEquals(11, with.size(), lines(with));
    assertEquals(9, withSha.size(), lines(withSha));
    assertEquals(5, history.size(), lines(history));
  }

  private static String lines(List<LoggedRequest> log) {
    return log.stream()
        .map(r -> r.method() + " " + r.path() + " " + r.status())
        .collect(Collectors.joining(", "));
  }

  @Test
  void anOciLayoutKeepsItsRecordsTheSameWay() {
    java.nio.file.Path dir = TempDirs.create("gantry-ledger-layout-");
    TestImages.Layout a =
        TestImages.multiArch(
            dir, SEED.incrementAndGet(), Map.of("org.opencontainers.image.revision", COMMIT_A));
    String layout = "oci:" + dir;

    Result promoted = gantry().run("promote", "--from", a.tag(), "--to", "latest", layout);
    assertEquals(0, promoted.exitCode(), promoted.all());
    assertTrue(promoted.stderr().contains("ledger: 1 record written"), promoted.stderr());

    JsonNode h = history(layout + ":latest");
    assertEquals(List.of(a.digest()), field(h, "digest"));
    assertEquals(List.of(COMMIT_A), field(h, "commit"));
    assertEquals(List.of("promote"), field(h, "kind"));
    Result missing = gantry().run("history", layout + ":nope");
    assertEquals(4, missing.exitCode(), missing.all());
  }

  @Test
  void aCopyToATagIsRecordedAndAMissingRepositoryIsExitFour() {
    String repo = "ledger/copy-src";
    String a = push(repo, COMMIT_A);
    Result copied =
        gantry().run("copy", image(repo) + ":sha-aaaaaaa", image("ledger/copy-dst") + ":stable");
    assertEquals(0, copied.exitCode(), copied.all());
    JsonNode h = history(image("ledger/copy-dst") + ":stable");
    assertEquals(List.of(a), field(h, "digest"));
    assertEquals(List.of("copy"), field(h, "kind"));
    assertEquals(List.of(COMMIT_A), field(h, "commit"));
    assertEquals(image(repo) + ":sha-aaaaaaa", h.path("records").get(0).path("source").asText());

    Result none = gantry().run("history", image("ledger/no-such-repository") + ":latest");
    assertEquals(4, none.exitCode(), none.all());
    assertTrue(
        none.stderr()
            .startsWith("gantry: history " + image("ledger/no-such-repository") + ":latest: "),
        none.stderr());
    Result noHistory = gantry().run("rollback", "--tag", "sha-aaaaaaa", image(repo));
    assertEquals(4, noHistory.exitCode(), noHistory.all());
    assertTrue(
        noHistory.stderr().contains(image(repo) + ":sha-aaaaaaa: the tag has no history"),
        noHistory.stderr());
  }

  @Test
  void aRecordTheRegistryRefusesIsAWarningInTheReportAndTheSummaryLineNeverSilent()
      throws IOException {
    String repo = "ledger/refused";
    String a = push(repo, COMMIT_A);
    // The tag write goes through; every manifest PUT by digest (the record) is refused.
    proxy.failAlways("PUT", "/v2/" + repo + "/manifests/sha256:.*", 403);

    Result r =
        gantry()
            .run(
                "promote",
                "--from",
                "sha-aaaaaaa",
                "--to",
                "latest",
                proxy.hostPort() + "/" + repo);

    assertEquals(0, r.exitCode(), "the tag moved; the record is what failed: " + r.all());
    assertEquals(a, digest(repo, "latest"));
    List<String> warnings =
        r.stderr().lines().filter(l -> l.startsWith("gantry: warning: ")).toList();
    assertEquals(1, warnings.size(), r.stderr());
    assertTrue(
        warnings
            .get(0)
            .startsWith(
                "gantry: warning: ledger: the record of "
                    + proxy.hostPort()
                    + "/"
                    + repo
                    + ":latest -> "
                    + a
                    + " was not written: "),
        warnings.get(0));
    assertTrue(r.stderr().strip().endsWith("; ledger: 1 of 1 record NOT written"), r.stderr());

    Result json =
        gantry()
            .run(
                "promote",
                "--json",
                "--from",
                "sha-aaaaaaa",
                "--to",
                "prod",
                proxy.hostPort() + "/" + repo);
    assertEquals(0, json.exitCode(), json.all());
    JsonNode doc = Json.readTree(json.stdout());
    assertEquals(0, doc.path("ledger").path("records").asInt(), json.stdout());
    assertEquals(1, doc.path("ledger").path("warnings").size(), json.stdout());
  }
}
