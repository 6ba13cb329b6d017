package dev.gantry.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.testing.CosignLegacy;
import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.LoggedRequest;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.SigstoreNpm;
import dev.gantry.testing.SigstoreNpm.Attestation;
import dev.gantry.testing.SigstoreNpm.Verification;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 16, "how it must be shown": attachments made by the tools that make them in real pipelines
 * travel with {@code gantry copy}. Sigstore bundles are signed by npm {@code @sigstore/sign}
 * against {@code @sigstore/mock}'s Fulcio/Rekor and attached by {@code @sigstore/oci}'s
 * attachArtifactToImage (as actions/attest-build-provenance does), which on the Debian registry
 * (distribution 2.8, no referrers API) writes the fallback tag sha256-HEX. Cosign's legacy .sig
 * tags are written by test code following cosign's published SIGNATURE_SPEC (and ATTESTATION_SPEC
 * for .att; {@link CosignLegacy}), because no cosign binary can be installed here and Debian's
 * skopeo has sigstore signing disabled. At the destination, skopeo reads what arrived and
 * {@code @sigstore/verify} verifies the COPIED bundles against the mock's trusted roots; a tampered
 * copy and a copy without referrers show the checks can fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopyAttestationsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong SEED = new AtomicLong(1616);
  private static final String CYCLONEDX = "https://cyclonedx.org/bom";
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

  /**
   * An image index with what a real pipeline hangs on it: SLSA provenance on the index, an SPDX
   * SBOM attestation on one platform manifest, a verification summary attested about the provenance
   * attestation's own manifest (a referrer of a referrer, also attached by @sigstore/oci), and
   * cosign's legacy .sig and .att tags on the index.
   */
  private record Attached(
      String repo,
      String digest,
      String platform,
      Attestation provenance,
      Attestation sbom,
      Attestation summary,
      CosignLegacy.Signed signature,
      CosignLegacy.Signed cosignAttestation,
      KeyPair key) {
    List<Path> roots() {
      return List.of(provenance.trustedRoot(), sbom.trustedRoot(), summary.trustedRoot());
    }
  }

  private Attached attachedImage(RegistryServer registry, String repo) throws IOException {
    TestImages.Layout layout =
        TestImages.multiArch(
            TempDirs.create("gantry-layout-"),
            SEED.incrementAndGet(),
            TestImages.Format.OCI,
            List.of(TestImages.Platform.LINUX_AMD64, TestImages.Platform.LINUX_ARM64),
            2,
            2048);
    String digest = TestImages.push(layout, registry, repo, "v1");
    String platform =
        JSON.readTree(layout.manifest()).path("manifests").get(0).path("digest").asText();
    Attestation provenance = SigstoreNpm.attest(registry, repo, digest, SigstoreNpm.PROVENANCE);
    Attestation sbom = SigstoreNpm.attest(registry, repo, platform, SigstoreNpm.SPDX);
    Attestation summary =
        SigstoreNpm.attest(registry, repo, provenance.manifestDigest(), SigstoreNpm.VSA);
    KeyPair key = CosignLegacy.newKey();
    CosignLegacy.Signed signature = CosignLegacy.sign(registry, repo, digest, key);
    CosignLegacy.Signed cosignAttestation =
        CosignLegacy.attest(registry, repo, digest, key, CYCLONEDX);
    Attached attached =
        new Attached(
            repo, digest, platform, provenance, sbom, summary, signature, cosignAttestation, key);
    // The source itself passes every check below, so a failure at the destination is the copy's.
    assertCarried(registry, attached, registry, repo);
    return attached;
  }

  @Test
  void acrossRepositoriesEveryAttachmentArrivesAndVerifies() throws IOException {
    Attached src = attachedImage(one, "src/attested");

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                "--referrers=all",
                one.hostPort() + "/src/attested:v1",
                one.hostPort() + "/dst/attested:v1");

    assertEquals(0, r.exitCode(), r.all());
    assertCarried(one, src, one, "dst/attested");
  }

  @Test
  void acrossRegistriesByDefaultEveryAttachmentArrivesAndVerifies() throws IOException {
    Attached src = attachedImage(one, "src/mirrored");

    // No --referrers: carrying all of them is copy's default.
    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                "--json",
                one.hostPort() + "/src/mirrored:v1",
                two.hostPort() + "/mirror/mirrored:v1");

    assertEquals(0, r.exitCode(), r.all());
    assertCarried(one, src, two, "mirror/mirrored");
    // The report lists each attachment with its subject, depth and outcome.
    Map<String, JsonNode> reported = new TreeMap<>();
    JSON.readTree(r.stdout())
        .path("referrers")
        .forEach(n -> reported.put(n.path("digest").asText(), n));
    assertEquals(5, reported.size(), reported::toString);
    for (String attachment :
        List.of(
            src.provenance().manifestDigest(),
            src.sbom().manifestDigest(),
            src.summary().manifestDigest(),
            src.signature().manifestDigest(),
            src.cosignAttestation().manifestDigest())) {
      assertEquals("copied", reported.get(attachment).path("outcome").asText(), reported::toString);
    }
    assertEquals(
        src.platform(), reported.get(src.sbom().manifestDigest()).path("subject").asText());
    assertEquals(
        2, reported.get(src.summary().manifestDigest()).path("depth").asInt(), reported::toString);
  }

  @Test
  void aTamperedCopyOfTheBundleFailsVerification() throws IOException {
    Attached src = attachedImage(one, "src/tampered");
    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                "--referrers=all",
                one.hostPort() + "/src/tampered:v1",
                two.hostPort() + "/mirror/tampered:v1");
    assertEquals(0, r.exitCode(), r.all());
    Path saved = TempDirs.create("gantry-bundles-");
    Verification copied =
        SigstoreNpm.verify(two, "mirror/tampered", src.digest(), src.roots(), Optional.of(saved));
    assertTrue(copied.verified(), copied::toString);

    // The copied bundle with one byte of its signed statement flipped: @sigstore/verify refuses it.
    Path bundle = saved.resolve(src.provenance().manifestDigest().replace(':', '-') + ".json");
    Path flipped = saved.resolve("flipped.json");
    Files.writeString(flipped, SigstoreNpm.flipPayloadByte(Files.readString(bundle)));
    Verification refused = SigstoreNpm.verifyFile(flipped, src.digest(), src.roots());
    assertFalse(refused.verified(), refused::toString);

    // The same flip written into the destination registry's storage: the fetched bundle no longer
    // matches its
    // digest, and verification at the destination fails.
    String blob =
        layerDigest(skopeo.inspectRaw("mirror/tampered@" + src.provenance().manifestDigest(), two));
    Path data = blobFile(two, blob);
    Files.writeString(data, SigstoreNpm.flipPayloadByte(Files.readString(data)));
    Verification atDestination =
        SigstoreNpm.verify(two, "mirror/tampered", src.digest(), src.roots(), Optional.empty());
    assertFalse(atDestination.verified(), atDestination::toString);
    assertTrue(
        atDestination.lines().get(0).startsWith("FAILED " + src.provenance().manifestDigest()),
        atDestination::toString);
  }

  @Test
  void withReferrersNoneNothingButTheImageArrivesAndVerificationAtTheDestinationFails()
      throws IOException {
    Attached src = attachedImage(one, "src/bare");

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                "--referrers=none",
                one.hostPort() + "/src/bare:v1",
                two.hostPort() + "/mirror/bare:v1");

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(src.digest(), skopeo.digest("mirror/bare:v1", two));
    assertFalse(skopeo.exists("mirror/bare:" + src.digest().replace(':', '-'), two));
    assertFalse(skopeo.exists("mirror/bare:" + src.signature().tag(), two));
    assertFalse(skopeo.exists("mirror/bare:" + src.cosignAttestation().tag(), two));
    Verification none =
        SigstoreNpm.verify(two, "mirror/bare", src.digest(), src.roots(), Optional.empty());
    assertFalse(none.verified(), none::toString);
  }

  @Test
  void byArtifactTypeOnlyTheSigstoreBundlesArriveAndVerify() throws IOException {
    Attached src = attachedImage(one, "src/typed");

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                "--referrers=" + SigstoreNpm.BUNDLE_TYPE,
                one.hostPort() + "/src/typed:v1",
                two.hostPort() + "/mirror/typed:v1");

    assertEquals(0, r.exitCode(), r.all());
    assertVerified(two, "mirror/typed", src.digest(), src.roots(), src.provenance());
    assertVerified(two, "mirror/typed", src.platform(), src.roots(), src.sbom());
    assertVerified(
        two, "mirror/typed", src.provenance().manifestDigest(), src.roots(), src.summary());
    assertFalse(
        skopeo.exists("mirror/typed:" + src.signature().tag(), two),
        "cosign's .sig is another type");
    assertFalse(
        skopeo.exists("mirror/typed:" + src.cosignAttestation().tag(), two),
        "cosign's .att is another type");
  }

  @Test
  void requestCountsForOneImageWithASignatureAndAnSbom() throws IOException {
    String repo = "src/counted";
    TestImages.Layout layout =
        TestImages.singlePlatform(TempDirs.create("gantry-layout-"), SEED.incrementAndGet());
    String digest = TestImages.push(layout, one, repo, "v1");
    Attestation sbom = SigstoreNpm.attest(one, repo, digest, SigstoreNpm.SPDX);
    CosignLegacy.Signed signature = CosignLegacy.sign(one, repo, digest, CosignLegacy.newKey());
    // The same image copied without its attachments, to a registry of its own, is the baseline of
    // the ratio.
    Traffic bare;
    try (RegistryServer three = RegistryServer.open()) {
      bare = traffic("--referrers=none", repo, three, "mirror/counted");
    }
    Traffic first = traffic("--referrers=all", repo, two, "mirror/counted");
    Traffic again = traffic("--referrers=all", repo, two, "mirror/counted");
    System.out.printf(
        "copy of 1 image + cosign signature + SBOM attestation across registries (requests by gantry):%n"
            + "  --referrers=none: %d (source %s, destination %s)%n  --referrers=all:  %d (source %s, destination %s)%n"
            + "  again (unchanged): %d (source %s, destination %s)%n  ratio all/none: %.2f%n",
        bare.total(),
        bare.source(),
        bare.destination(),
        first.total(),
        first.source(),
        first.destination(),
        again.total(),
        again.source(),
        again.destination(),
        (double) first.total() / bare.total());

    assertEquals(0, bare.result().exitCode(), bare.result().all());
    assertEquals(0, first.result().exitCode(), first.result().all());
    assertEquals(0, again.result().exitCode(), again.result().all());
    assertTrue(
        skopeo.exists("mirror/counted@" + sbom.manifestDigest(), two),
        "the SBOM attestation was not copied");
    assertArrayEquals(
        skopeo.inspectRaw(repo + "@" + sbom.manifestDigest(), one),
        skopeo.inspectRaw("mirror/counted@" + sbom.manifestDigest(), two));
    assertArrayEquals(
        signature.manifest(), skopeo.inspectRaw("mirror/counted:" + signature.tag(), two));
    JsonNode againReport =
        JSON.readTree(
                new GantryRunner()
                    .run(
                        "copy",
                        "--no-record",
                        "--json",
                        one.hostPort() + "/" + repo + ":v1",
                        two.hostPort() + "/mirror/counted:v1")
                    .stdout())
            .path("referrers");
    assertEquals(2, againReport.size(), againReport::toString);
    againReport.forEach(
        n -> assertEquals("unchanged", n.path("outcome").asText(), againReport::toString));
    // Nothing re-uploaded that is there: the second copy writes nothing at all.
    assertEquals(
        0,
        again.destination().entrySet().stream()
            .filter(e -> !e.getKey().startsWith("GET") && !e.getKey().startsWith("HEAD"))
            .mapToLong(Map.Entry::getValue)
            .sum(),
        "writes on the second copy: " + again.destination());
  }

  /** One copy from registry one to two, and gantry's requests on each side. */
  private record Traffic(Result result, Map<String, Long> source, Map<String, Long> destination) {
    long total() {
      return source.values().stream().mapToLong(Long::longValue).sum()
          + destination.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private Traffic traffic(String referrers, String repo, RegistryServer dst, String dstRepo) {
    int srcMark = one.mark();
    int dstMark = dst.mark();
    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                referrers,
                one.hostPort() + "/" + repo + ":v1",
                dst.hostPort() + "/" + dstRepo + ":v1");
    return new Traffic(
        r, counts(one.requestLogSince(srcMark)), counts(dst.requestLogSince(dstMark)));
  }

  /**
   * Everything attached to {@code src} is at {@code registry/repo}, byte for byte, and the bundles
   * verify there.
   */
  private void assertCarried(
      RegistryServer srcRegistry, Attached src, RegistryServer registry, String repo)
      throws IOException {
    assertEquals(src.digest(), skopeo.digest(repo + ":v1", registry));

    // OCI referrers, as the distribution 2.8 fallback tag index lists them (artifactType and
    // annotations kept).
    assertListed(registry, repo, src.digest(), src.provenance(), SigstoreNpm.PROVENANCE);
    assertListed(registry, repo, src.platform(), src.sbom(), SigstoreNpm.SPDX);
    assertListed(registry, repo, src.provenance().manifestDigest(), src.summary(), SigstoreNpm.VSA);
    for (Attestation a : List.of(src.provenance(), src.sbom(), src.summary())) {
      assertTrue(skopeo.exists(repo + "@" + a.manifestDigest(), registry), a.manifestDigest());
      assertArrayEquals(
          skopeo.inspectRaw(src.repo() + "@" + a.manifestDigest(), srcRegistry),
          skopeo.inspectRaw(repo + "@" + a.manifestDigest(), registry));
    }

    // @sigstore/verify on the bundles as served here: for the index, the platform manifest and the
    // attestation.
    assertVerified(registry, repo, src.digest(), src.roots(), src.provenance());
    assertVerified(registry, repo, src.platform(), src.roots(), src.sbom());
    assertVerified(registry, repo, src.provenance().manifestDigest(), src.roots(), src.summary());

    // Cosign's tags: same bytes, and the signatures check against the payload and the envelope
    // served here.
    CosignLegacy.Signed sig = src.signature();
    byte[] raw = cosignTag(registry, repo, sig);
    byte[] payload = CosignLegacy.blob(registry, repo, layerDigest(raw));
    String annotation =
        JSON.readTree(raw)
            .path("layers")
            .get(0)
            .path("annotations")
            .path(CosignLegacy.SIGNATURE_ANNOTATION)
            .asText();
    assertTrue(CosignLegacy.verifies(payload, annotation, src.key().getPublic()), sig.tag());
    byte[] envelope =
        CosignLegacy.blob(
            registry, repo, layerDigest(cosignTag(registry, repo, src.cosignAttestation())));
    assertTrue(
        CosignLegacy.verifiesEnvelope(envelope, src.key().getPublic()),
        src.cosignAttestation().tag());
  }

  private byte[] cosignTag(RegistryServer registry, String repo, CosignLegacy.Signed expected) {
    assertTrue(
        skopeo.exists(repo + ":" + expected.tag(), registry),
        () -> "no " + expected.tag() + " in " + repo);
    byte[] raw = skopeo.inspectRaw(repo + ":" + expected.tag(), registry);
    assertArrayEquals(expected.manifest(), raw, expected.tag());
    return raw;
  }

  private static void assertVerified(
      RegistryServer registry,
      String repo,
      String subject,
      List<Path> roots,
      Attestation expected) {
    Verification v = SigstoreNpm.verify(registry, repo, subject, roots, Optional.empty());
    assertTrue(v.verified(), v::toString);
    assertEquals(List.of(expected.manifestDigest()), v.verifiedManifests(), v::toString);
  }

  private void assertListed(
      RegistryServer registry, String repo, String subject, Attestation a, String predicateType)
      throws IOException {
    String fallbackTag = subject.replace(':', '-');
    assertTrue(
        skopeo.exists(repo + ":" + fallbackTag, registry),
        () ->
            "no referrers fallback tag " + fallbackTag + " in " + registry.hostPort() + "/" + repo);
    JsonNode index = JSON.readTree(skopeo.inspectRaw(repo + ":" + fallbackTag, registry));
    assertEquals(
        "application/vnd.oci.image.index.v1+json",
        index.path("mediaType").asText(),
        index::toString);
    JsonNode entry = null;
    for (JsonNode m : index.path("manifests")) {
      if (m.path("digest").asText().equals(a.manifestDigest())) {
        entry = m;
      }
    }
    assertTrue(entry != null, () -> a.manifestDigest() + " not in " + index);
    assertEquals(SigstoreNpm.BUNDLE_TYPE, entry.path("artifactType").asText(), entry::toString);
    assertEquals(
        predicateType,
        entry.path("annotations").path("dev.sigstore.bundle.predicateType").asText(),
        entry::toString);
  }

  private static String layerDigest(byte[] manifest) throws IOException {
    return JSON.readTree(manifest).path("layers").get(0).path("digest").asText();
  }

  private static Path blobFile(RegistryServer registry, String digest) {
    String hex = digest.substring("sha256:".length());
    return registry
        .storageDir()
        .resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
  }

  /**
   * Gantry's requests by "METHOD kind[ status]" (kind: manifests, blobs, uploads, referrers; status
   * when not 2xx).
   */
  private static Map<String, Long> counts(List<LoggedRequest> log) {
    return log.stream()
        .filter(q -> q.userAgent().startsWith("gantry/"))
        .collect(
            Collectors.groupingBy(
                q ->
                    q.method()
                        + " "
                        + kind(q.path())
                        + (q.status() / 100 == 2 ? "" : " " + q.status()),
                TreeMap::new,
                Collectors.counting()));
  }

  private static String kind(String path) {
    for (String k : List.of("uploads", "manifests", "blobs", "referrers", "tags")) {
      if (path.contains("/" + k + "/")) {
        return k;
      }
    }
    return "other";
  }
}
