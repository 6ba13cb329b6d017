package dev.gantry.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.MediaTypes;
import dev.gantry.testing.Attachments;
import dev.gantry.testing.CosignLegacy;
import dev.gantry.testing.FaultProxy;
import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.LoggedRequest;
import dev.gantry.testing.RawPush;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code gantry copy} carrying attachments between real registries (distribution 2.8: no referrers
 * API, so the referrers tag schema at both ends) and layouts. At the source they are written by
 * test code with the JDK's HTTP client, not by Gantry: an SBOM referring to the image, a signature
 * referring to the SBOM (listed in hand-written fallback indexes), and a cosign {@code .sig} tag
 * written following cosign's published SIGNATURE_SPEC (no cosign binary is installable here).
 * Results are read back with skopeo. Copies run with {@code --no-record}: a copy to a tag otherwise
 * adds its own promotion record (one more referrer of the image at the destination), which these
 * exact sets and counts are not about (LedgerIT counts the ledger's requests).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopyReferrersIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong SEED = new AtomicLong(1600);
  private RegistryServer one;
  private RegistryServer two;
  private Skopeo skopeo;

  @BeforeAll
  void start() {
    one = RegistryServer.open();
    two = RegistryServer.open();
    skopeo = Skopeo.isolated();
  }

  @AfterAll
  void stop() {
    skopeo.close();
    one.close();
    two.close();
  }

  /** An image and what the test attached to it at the source. */
  record Source(Manifest image, Manifest sbom, Manifest sigOfSbom, Manifest cosign) {}

  private Source attached(RegistryServer registry, String repo, boolean sigOfSbom) {
    long seed = SEED.incrementAndGet();
    TestImages.Layout layout = TestImages.singlePlatform(TempDirs.create("gantry-layout-"), seed);
    TestImages.push(layout, registry, repo, "v1");
    Manifest image = Manifest.of(layout.manifest(), layout.mediaType());
    RawPush push = new RawPush(registry);
    Attachments.Artifact sbom = Attachments.referrer(image, Attachments.SBOM_TYPE, "sbom " + seed);
    push.blobs(repo, sbom.blobs());
    push.manifest(repo, sbom.manifest().digest().toString(), sbom.manifest());
    push.manifest(
        repo,
        "sha256-" + image.digest().hex(),
        fallbackIndex(sbom.manifest(), Attachments.SBOM_TYPE));
    Manifest sig = null;
    if (sigOfSbom) {
      Attachments.Artifact s =
          Attachments.referrer(sbom.manifest(), Attachments.SIGNATURE_TYPE, "sig " + seed);
      push.blobs(repo, s.blobs());
      push.manifest(repo, s.manifest().digest().toString(), s.manifest());
      push.manifest(
          repo,
          "sha256-" + sbom.manifest().digest().hex(),
          fallbackIndex(s.manifest(), Attachments.SIGNATURE_TYPE));
      sig = s.manifest();
    }
    Attachments.Artifact cosign =
        Attachments.cosignSignature(image.digest(), registry.hostPort() + "/" + repo);
    push.blobs(repo, cosign.blobs());
    push.manifest(repo, Attachments.cosignTag(image.digest(), "sig"), cosign.manifest());
    return new Source(image, sbom.manifest(), sig, cosign.manifest());
  }

  /** The referrers tag schema's index, written by hand. */
  private static Manifest fallbackIndex(Manifest referrer, String artifactType) {
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_INDEX
            + "\",\"manifests\":[{\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST
            + "\",\"digest\":\""
            + referrer.digest()
            + "\",\"size\":"
            + referrer.size()
            + ",\"artifactType\":\""
            + artifactType
            + "\"}]}";
    return Manifest.of(json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX);
  }

  private List<String> listed(String repo, Digest subject, RegistryServer registry)
      throws Exception {
    String tag = repo + ":sha256-" + subject.hex();
    if (!skopeo.exists(tag, registry)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    JSON.readTree(skopeo.inspectRaw(tag, registry))
        .path("manifests")
        .forEach(m -> out.add(m.path("digest").asText()));
    return out;
  }

  private static List<LoggedRequest> gantryRequests(RegistryServer registry, int mark) {
    return registry.requestLogSince(mark).stream()
        .filter(q -> q.userAgent().startsWith("gantry/"))
        .toList();
  }

  @Test
  void acrossRegistriesEveryAttachmentArrivesInTheDestinationsFormBeforeTheTag() throws Exception {
    Source src = attached(one, "sup/app", true);

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                "--json",
                one.hostPort() + "/sup/app:v1",
                two.hostPort() + "/mirror/app:v1");

    assertEquals(0, r.exitCode(), r.all());
    assertArrayEquals(src.image().bytes(), skopeo.inspectRaw("mirror/app:v1", two));
    assertEquals(
        List.of(src.sbom().digest().toString()), listed("mirror/app", src.image().digest(), two));
    assertEquals(
        List.of(src.sigOfSbom().digest().toString()),
        listed("mirror/app", src.sbom().digest(), two));
    assertArrayEquals(
        src.sbom().bytes(), skopeo.inspectRaw("mirror/app@" + src.sbom().digest(), two));
    assertArrayEquals(
        src.sigOfSbom().bytes(), skopeo.inspectRaw("mirror/app@" + src.sigOfSbom().digest(), two));
    assertArrayEquals(
        src.cosign().bytes(),
        skopeo.inspectRaw("mirror/app:" + Attachments.cosignTag(src.image().digest(), "sig"), two));
    // Every attachment is complete: skopeo copies each one, blobs included, out of the destination.
    for (Manifest m : List.of(src.sbom(), src.sigOfSbom(), src.cosign())) {
      skopeo.run(
          List.of(
              "copy",
              "--quiet",
              "--src-tls-verify=false",
              "docker://" + two.hostPort() + "/mirror/app@" + m.digest(),
              "oci:" + TempDirs.create("gantry-pull-") + ":x"));
    }

    JsonNode report = JSON.readTree(r.stdout());
    assertEquals("copied", report.path("outcome").asText());
    Map<String, String> outcomes = new java.util.HashMap<>();
    report
        .path("referrers")
        .forEach(x -> outcomes.put(x.path("digest").asText(), x.path("outcome").asText()));
    assertEquals(
        Map.of(
            src.sbom().digest().toString(),
            "copied",
            src.sigOfSbom().digest().toString(),
            "copied",
            src.cosign().digest().toString(),
            "copied"),
        outcomes);
    JsonNode cosign = report.path("referrers").get(1);
    assertEquals("sha256-" + src.image().digest().hex() + ".sig", cosign.path("tag").asText());
    assertEquals(
        "application/vnd.dev.cosign.artifact.sig.v1+json", cosign.path("artifactType").asText());
  }

  /**
   * Signatures of attestations under cosign's tags (issue 16 item 2, "recursively"): {@code cosign
   * sign} run on the digest of an SBOM referrer and on the digest of a cosign {@code .att} manifest
   * writes {@code sha256-<that>.sig}. Written here by test code following cosign's SIGNATURE_SPEC
   * and ATTESTATION_SPEC ({@link CosignLegacy}; no cosign binary is installable here). Both reach
   * the destination, before the tag moves, and are reported at depth 2.
   */
  @Test
  void cosignSignaturesOfAnSbomReferrerAndOfACosignAttestationTravelToo() throws Exception {
    String repo = "sup/chain";
    Source src = attached(one, repo, false);
    java.security.KeyPair key = CosignLegacy.newKey();
    CosignLegacy.Signed att =
        CosignLegacy.attest(
            one, repo, src.image().digest().toString(), key, "https://spdx.dev/Document");
    CosignLegacy.Signed sigOfAtt = CosignLegacy.sign(one, repo, att.manifestDigest(), key);
    CosignLegacy.Signed sigOfSbom =
        CosignLegacy.sign(one, repo, src.sbom().digest().toString(), key);
    int mark = two.mark();

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                "--json",
                one.hostPort() + "/" + repo + ":v1",
                two.hostPort() + "/mirror/chain:v1");

    assertEquals(0, r.exitCode(), r.all());
    assertArrayEquals(att.manifest(), skopeo.inspectRaw("mirror/chain:" + att.tag(), two));
    assertArrayEquals(
        sigOfAtt.manifest(), skopeo.inspectRaw("mirror/chain:" + sigOfAtt.tag(), two));
    assertArrayEquals(
        sigOfSbom.manifest(), skopeo.inspectRaw("mirror/chain:" + sigOfSbom.tag(), two));
    for (CosignLegacy.Signed s : List.of(sigOfAtt, sigOfSbom)) {
      assertArrayEquals(
          s.payload(),
          CosignLegacy.blob(two, "mirror/chain", Digest.sha256(s.payload()).toString()));
    }
    Map<String, JsonNode> reported = new java.util.HashMap<>();
    JSON.readTree(r.stdout())
        .path("referrers")
        .forEach(x -> reported.put(x.path("digest").asText(), x));
    for (CosignLegacy.Signed s : List.of(sigOfAtt, sigOfSbom)) {
      JsonNode n = reported.get(s.manifestDigest());
      assertTrue(n != null, "not reported: " + s.tag() + " in " + r.stdout());
      assertEquals("copied", n.path("outcome").asText(), n::toString);
      assertEquals(2, n.path("depth").asInt(), n::toString);
      assertEquals(s.tag(), n.path("tag").asText(), n::toString);
    }
    List<String> puts =
        gantryRequests(two, mark).stream()
            .filter(q -> q.method().equals("PUT") && q.path().contains("/manifests/"))
            .map(q -> q.path().substring(q.path().lastIndexOf('/') + 1))
            .toList();
    assertEquals("v1", puts.get(puts.size() - 1), puts.toString());
    assertTrue(
        puts.indexOf(att.tag()) < puts.indexOf(sigOfAtt.tag()),
        "parent before its signature: " + puts);
    assertTrue(
        puts.indexOf(src.sbom().digest().toString()) < puts.indexOf(sigOfSbom.tag()),
        "parent before its signature: " + puts);
  }

  @Test
  void theDestinationTagMovesOnlyAfterEveryAttachmentIsThere() throws Exception {
    Source src = attached(one, "sup/order", true);
    int mark = two.mark();

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                one.hostPort() + "/sup/order:v1",
                two.hostPort() + "/mirror/order:v1");

    assertEquals(0, r.exitCode(), r.all());
    List<String> puts =
        gantryRequests(two, mark).stream()
            .filter(q -> q.method().equals("PUT") && q.path().contains("/manifests/"))
            .map(q -> q.path().substring(q.path().lastIndexOf('/') + 1))
            .toList();
    assertEquals("v1", puts.get(puts.size() - 1), puts.toString());
    assertEquals(1, puts.stream().filter("v1"::equals).count(), puts.toString());
    assertTrue(
        puts.indexOf(src.image().digest().toString())
            < puts.indexOf(src.sbom().digest().toString()),
        "the subject exists by digest before its referrers: " + puts);
    assertTrue(r.stdout().contains("referrer copied"), r.stdout());
  }

  @Test
  void aSecondCopyFindsEverythingUnchangedAndWritesNothing() {
    attached(one, "sup/again", true);
    new GantryRunner()
        .run(
            "copy",
            "--no-record",
            one.hostPort() + "/sup/again:v1",
            two.hostPort() + "/mirror/again:v1");
    int mark = two.mark();

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                one.hostPort() + "/sup/again:v1",
                two.hostPort() + "/mirror/again:v1");

    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().startsWith("unchanged"), r.stdout());
    assertEquals(
        3, r.stdout().lines().filter(l -> l.contains("referrer unchanged")).count(), r.stdout());
    List<LoggedRequest> writes =
        gantryRequests(two, mark).stream()
            .filter(q -> !q.method().equals("GET") && !q.method().equals("HEAD"))
            .toList();
    assertEquals(List.of(), writes);
  }

  @Test
  void aNewAttachmentAtTheSourceFollowsAnImageAlreadyCopied() throws Exception {
    attached(one, "sup/later", false);
    Result first =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                "--referrers=none",
                one.hostPort() + "/sup/later:v1",
                two.hostPort() + "/mirror/later:v1");
    assertEquals(0, first.exitCode(), first.all());
    Manifest image =
        Manifest.of(skopeo.inspectRaw("mirror/later:v1", two), MediaTypes.OCI_MANIFEST);
    assertEquals(List.of(), listed("mirror/later", image.digest(), two));
    assertFalse(skopeo.exists("mirror/later:" + Attachments.cosignTag(image.digest(), "sig"), two));

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                one.hostPort() + "/sup/later:v1",
                two.hostPort() + "/mirror/later:v1");

    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().startsWith("unchanged"), r.stdout());
    assertEquals(1, listed("mirror/later", image.digest(), two).size());
    assertTrue(skopeo.exists("mirror/later:" + Attachments.cosignTag(image.digest(), "sig"), two));
  }

  @Test
  void aTypeListCarriesOnlyThoseTypesAndWhatHangsOnThem() throws Exception {
    Source src = attached(one, "sup/typed", true);

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                "--referrers=" + Attachments.SBOM_TYPE,
                one.hostPort() + "/sup/typed:v1",
                two.hostPort() + "/mirror/typed:v1");

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(
        List.of(src.sbom().digest().toString()), listed("mirror/typed", src.image().digest(), two));
    assertEquals(
        List.of(),
        listed("mirror/typed", src.sbom().digest(), two),
        "the signature's type was not selected");
    assertFalse(
        skopeo.exists("mirror/typed:" + Attachments.cosignTag(src.image().digest(), "sig"), two));

    Result cosignOnly =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                "--referrers=application/vnd.dev.cosign.artifact.sig.v1+json",
                one.hostPort() + "/sup/typed:v1",
                two.hostPort() + "/mirror/typed2:v1");
    assertEquals(0, cosignOnly.exitCode(), cosignOnly.all());
    assertTrue(
        skopeo.exists("mirror/typed2:" + Attachments.cosignTag(src.image().digest(), "sig"), two));
    assertEquals(List.of(), listed("mirror/typed2", src.image().digest(), two));
  }

  @Test
  void aPlatformManifestsAttachmentsGoWithTheIndex() throws Exception {
    TestImages.Layout layout =
        TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet());
    TestImages.push(layout, one, "sup/multi", "v1");
    JsonNode index = JSON.readTree(layout.manifest());
    Digest arm64 = Digest.parse(index.path("manifests").get(1).path("digest").asText());
    Manifest platform =
        Manifest.of(skopeo.inspectRaw("sup/multi@" + arm64, one), MediaTypes.OCI_MANIFEST);
    Attachments.Artifact sbom = Attachments.referrer(platform, Attachments.SBOM_TYPE, "arm64 sbom");
    RawPush push = new RawPush(one);
    push.blobs("sup/multi", sbom.blobs());
    push.manifest("sup/multi", sbom.manifest().digest().toString(), sbom.manifest());
    push.manifest(
        "sup/multi",
        "sha256-" + arm64.hex(),
        fallbackIndex(sbom.manifest(), Attachments.SBOM_TYPE));

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                one.hostPort() + "/sup/multi:v1",
                two.hostPort() + "/mirror/multi:v1");

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(List.of(sbom.manifest().digest().toString()), listed("mirror/multi", arm64, two));
    assertArrayEquals(
        sbom.manifest().bytes(),
        skopeo.inspectRaw("mirror/multi@" + sbom.manifest().digest(), two));
    assertTrue(
        r.stdout().contains("referrer copied") && r.stdout().contains(" of " + arm64), r.stdout());
  }

  @Test
  void aBadReferrersValueIsRefusedBeforeAnyRequest() {
    int mark = one.mark();

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                "--referrers=sbom",
                one.hostPort() + "/sup/none:v1",
                two.hostPort() + "/mirror/none:v1");

    assertEquals(2, r.exitCode(), r.all());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().contains("'sbom'"), r.stderr());
    assertEquals(List.of(), gantryRequests(one, mark));
  }

  @Test
  void withinARegistryAttachmentBlobsAreMounted() throws Exception {
    Source src = attached(one, "sup/mount", true);
    int mark = one.mark();

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                one.hostPort() + "/sup/mount:v1",
                one.hostPort() + "/dst/mount:v1");

    assertEquals(0, r.exitCode(), r.all());
    List<LoggedRequest> requests = gantryRequests(one, mark);
    assertTrue(
        requests.stream()
            .noneMatch(
                q ->
                    q.method().equals("PATCH")
                        || q.method().equals("PUT") && q.path().contains("/blobs/uploads/")),
        "no blob bytes uploaded: " + requests);
    assertEquals(
        List.of(src.sbom().digest().toString()), listed("dst/mount", src.image().digest(), one));
    assertEquals(
        List.of(src.sigOfSbom().digest().toString()),
        listed("dst/mount", src.sbom().digest(), one));
  }

  @Test
  void throughALayoutAndOnToAnotherRegistry() throws Exception {
    Source src = attached(one, "sup/layout", true);
    Path dir = TempDirs.create("gantry-copy-layout-").resolve("out");

    Result toLayout =
        new GantryRunner()
            .run("copy", "--no-record", one.hostPort() + "/sup/layout:v1", "oci:" + dir + ":v1");
    Result onward =
        new GantryRunner()
            .run("copy", "--no-record", "oci:" + dir + ":v1", two.hostPort() + "/mirror/layout:v1");

    assertEquals(0, toLayout.exitCode(), toLayout.all());
    JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
    List<String> entries = new ArrayList<>();
    index
        .path("manifests")
        .forEach(
            e ->
                entries.add(
                    e.path("digest").asText()
                        + " "
                        + e.path("annotations")
                            .path("org.opencontainers.image.ref.name")
                            .asText("")));
    assertTrue(entries.contains(src.sbom().digest() + " "), entries.toString());
    assertTrue(entries.contains(src.sigOfSbom().digest() + " "), entries.toString());
    assertTrue(
        entries.contains(src.cosign().digest() + " sha256-" + src.image().digest().hex() + ".sig"),
        entries.toString());
    assertTrue(entries.contains(src.image().digest() + " v1"), entries.toString());
    assertEquals(0, onward.exitCode(), onward.all());
    assertEquals(
        List.of(src.sbom().digest().toString()),
        listed("mirror/layout", src.image().digest(), two));
    assertEquals(
        List.of(src.sigOfSbom().digest().toString()),
        listed("mirror/layout", src.sbom().digest(), two));
    assertArrayEquals(
        src.cosign().bytes(),
        skopeo.inspectRaw(
            "mirror/layout:" + Attachments.cosignTag(src.image().digest(), "sig"), two));
  }

  @Test
  void aReferrerPutThatFailsPermanentlyLeavesTheTagWhereItWas() throws Exception {
    String dst = "mirror/fault";
    Source old =
        attached(
            two, dst, false); // the destination already has v1 (another image) and a .sig for it
    Source src = attached(one, "sup/fault", true);
    // The destination already holds a cosign signature under the same tag the copy replaces, so its
    // rollback shows.
    Attachments.Artifact theirs = Attachments.cosignSignature(src.image().digest(), "someone-else");
    new RawPush(two).blobs(dst, theirs.blobs());
    new RawPush(two)
        .manifest(dst, Attachments.cosignTag(src.image().digest(), "sig"), theirs.manifest());
    try (FaultProxy proxy = FaultProxy.inFrontOf(two)) {
      proxy.failAlways("PUT", "/v2/" + dst + "/manifests/" + src.sigOfSbom().digest(), 400);

      Result r =
          new GantryRunner()
              .run(
                  "copy",
                  "--no-record",
                  "--json",
                  one.hostPort() + "/sup/fault:v1",
                  proxy.hostPort() + "/" + dst + ":v1");

      assertEquals(1, r.exitCode(), r.all());
      assertArrayEquals(
          old.image().bytes(), skopeo.inspectRaw(dst + ":v1", two), "the tag was not moved");
      assertArrayEquals(
          theirs.manifest().bytes(),
          skopeo.inspectRaw(dst + ":" + Attachments.cosignTag(src.image().digest(), "sig"), two),
          "the cosign tag replaced before the failure is put back");
      JsonNode report = JSON.readTree(r.stdout());
      assertEquals("failed", report.path("outcome").asText());
      assertEquals(1, report.path("exitCode").asInt());
      Map<String, String> outcomes = new java.util.HashMap<>();
      report
          .path("referrers")
          .forEach(x -> outcomes.put(x.path("digest").asText(), x.path("outcome").asText()));
      assertEquals(
          Map.of(
              src.sbom().digest().toString(),
              "copied",
              src.cosign().digest().toString(),
              "rolled-back",
              src.sigOfSbom().digest().toString(),
              "failed"),
          outcomes);
      assertEquals(1, r.stderr().lines().count(), r.stderr());
      assertTrue(
          r.stderr().contains("put manifest")
              && r.stderr().contains(src.sigOfSbom().digest().toString())
              && r.stderr().contains("was not tagged"),
          r.stderr());
    }
  }

  /**
   * The figures for the report: requests at each registry for one image (single platform, 3 layers)
   * with a cosign signature and an SBOM referrer, copied across registries, against the same copy
   * without attachments.
   */
  @Test
  void requestCountsForOneImageWithASignatureAndAnSbom() {
    attached(one, "sup/count", false);
    int markOne = one.mark();
    int markTwo = two.mark();
    Result bare =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                "--referrers=none",
                one.hostPort() + "/sup/count:v1",
                two.hostPort() + "/mirror/count-bare:v1");
    List<LoggedRequest> bareOne = gantryRequests(one, markOne);
    List<LoggedRequest> bareTwo = gantryRequests(two, markTwo);
    markOne = one.mark();
    markTwo = two.mark();

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                one.hostPort() + "/sup/count:v1",
                two.hostPort() + "/mirror/count:v1");

    assertEquals(0, bare.exitCode(), bare.all());
    assertEquals(0, r.exitCode(), r.all());
    List<LoggedRequest> atOne = gantryRequests(one, markOne);
    List<LoggedRequest> atTwo = gantryRequests(two, markTwo);
    System.out.println(
        "REQUEST COUNTS copy without attachments: source "
            + bareOne.size()
            + " "
            + byMethod(bareOne)
            + ", destination "
            + bareTwo.size()
            + " "
            + byMethod(bareTwo));
    System.out.println(
        "REQUEST COUNTS copy with .sig + SBOM: source "
            + atOne.size()
            + " "
            + byMethod(atOne)
            + ", destination "
            + atTwo.size()
            + " "
            + byMethod(atTwo));
    atOne.forEach(q -> System.out.println("  source      " + q));
    atTwo.forEach(q -> System.out.println("  destination " + q));
    // Each attachment blob is checked once and sent once; nothing is uploaded twice.
    long uploads =
        atTwo.stream()
            .filter(q -> q.method().equals("PUT") && q.path().contains("/blobs/uploads/"))
            .count();
    long bareUploads =
        bareTwo.stream()
            .filter(q -> q.method().equals("PUT") && q.path().contains("/blobs/uploads/"))
            .count();
    assertEquals(
        bareUploads + 4,
        uploads,
        "empty config + SBOM layer + cosign config + cosign payload: " + atTwo);
  }

  private static Map<String, Long> byMethod(List<LoggedRequest> requests) {
    return requests.stream()
        .collect(
            Collectors.groupingBy(
                LoggedRequest::method, java.util.TreeMap::new, Collectors.counting()));
  }
}
