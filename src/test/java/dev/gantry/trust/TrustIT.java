package dev.gantry.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.testing.CosignArtifacts;
import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.LoggedRequest;
import dev.gantry.testing.RawRegistry;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code --require-referrer} and {@code --verify-signature} on promote and copy, against the real
 * distribution registry (2.8: no referrers API, so referrers live in the spec's fallback tag). The
 * attachments are written by test code ({@link CosignArtifacts}) following cosign's signature
 * specification and the OCI 1.1 referrers tag schema, since no cosign binary can be installed here.
 * Every refusal is checked for zero writes: no PUT in the registry's log, and skopeo reads every
 * tag as before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrustIT {
  private static final AtomicLong SEED = new AtomicLong(1600);
  private static final String SPDX = "application/spdx+json";
  private static final String BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  private static final String SLSA = "https://slsa.dev/provenance/v1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private RegistryServer registry;
  private RawRegistry raw;
  private Skopeo skopeo;
  private KeyPair signer;
  private Path key;

  @BeforeAll
  void start() throws IOException {
    registry = RegistryServer.open();
    raw = new RawRegistry(registry);
    skopeo = Skopeo.isolated();
    signer = CosignArtifacts.keyPair();
    key = TempDirs.create("gantry-key-").resolve("cosign.pub");
    Files.writeString(key, CosignArtifacts.publicPem(signer.getPublic()));
  }

  @AfterAll
  void stop() {
    skopeo.close();
    registry.close();
  }

  /** A fresh two-platform index at repo:sha-1234567 and an older one at repo:latest. */
  private Image image(String repo) {
    String digest =
        TestImages.push(
            TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
            registry,
            repo,
            "sha-1234567");
    TestImages.push(
        TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
        registry,
        repo,
        "latest");
    return new Image(repo, digest, skopeo.inspectRaw(ref(repo, "sha-1234567"), registry));
  }

  private record Image(String repo, String digest, byte[] index) {
    ObjectNode descriptor() {
      return CosignArtifacts.descriptor(
          "application/vnd.oci.image.index.v1+json", digest, index.length);
    }

    List<ObjectNode> platforms() throws IOException {
      List<ObjectNode> out = new ArrayList<>();
      for (JsonNode m : JSON.readTree(index).path("manifests")) {
        out.add(
            CosignArtifacts.descriptor(
                m.path("mediaType").asText(), m.path("digest").asText(), m.path("size").asLong()));
      }
      return out;
    }
  }

  private String ref(String repo, String tag) {
    return registry.hostPort() + "/" + repo + ":" + tag;
  }

  private String name(String repo) {
    return registry.hostPort() + "/" + repo;
  }

  private void sbom(Image image, ObjectNode subject) {
    CosignArtifacts.pushReferrer(
        raw,
        image.repo(),
        subject,
        SPDX,
        Map.of(),
        "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8));
  }

  private void signature(Image image, String subjectDigest, String signedDigest, KeyPair by) {
    byte[] payload = CosignArtifacts.payload(name(image.repo()), signedDigest);
    CosignArtifacts.pushSignature(
        raw,
        image.repo(),
        subjectDigest,
        List.of(
            new CosignArtifacts.Layer(payload, CosignArtifacts.sign(by.getPrivate(), payload))));
  }

  private Result promote(Image image, String... options) {
    List<String> args =
        new ArrayList<>(List.of("promote", "--from", "sha-1234567", "--to", "latest"));
    args.addAll(List.of(options));
    args.add(name(image.repo()));
    return new GantryRunner().run(args.toArray(String[]::new));
  }

  /**
   * Runs a refused promote and checks the refusal: its code, one line naming image and digest, and
   * zero writes.
   */
  private String refusedPromote(Image image, int code, String... options) {
    String latest = skopeo.digest(ref(image.repo(), "latest"), registry);
    String tags = tags(image.repo());
    int mark = registry.mark();
    Result r = promote(image, options);
    assertEquals(code, r.exitCode(), r.all());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().contains(name(image.repo()) + "@" + image.digest()), r.stderr());
    assertTrue(r.stderr().contains("nothing was written"), r.stderr());
    assertEquals(List.of(), writes(mark), "no write request");
    assertEquals(latest, skopeo.digest(ref(image.repo(), "latest"), registry), "latest unchanged");
    assertEquals(tags, tags(image.repo()), "no tag added or removed");
    return r.stderr();
  }

  /** The repository's tags as skopeo lists them (JSON, sorted by the registry). */
  private String tags(String repo) {
    return skopeo
        .run(List.of("list-tags", "--tls-verify=false", "--no-creds", "docker://" + name(repo)))
        .stdoutText();
  }

  private void promoted(Image image, String... options) {
    Result r = promote(image, options);
    assertEquals(0, r.exitCode(), r.all());
    assertEquals(image.digest(), skopeo.digest(ref(image.repo(), "latest"), registry));
  }

  private List<LoggedRequest> writes(int mark) {
    return registry.requestLogSince(mark).stream()
        .filter(
            q ->
                q.userAgent().startsWith("gantry/")
                    && !q.method().equals("GET")
                    && !q.method().equals("HEAD"))
        .toList();
  }

  @Test
  void aMissingSbomRefusesThePromotionWithExit9AndZeroWrites() {
    Image image = image("trust/no-sbom");
    String line = refusedPromote(image, 9, "--require-referrer", SPDX);
    assertTrue(
        line.contains(
            "no application/spdx+json is attached to the index or to any platform manifest"),
        line);
    assertEquals(
        line,
        refusedPromote(image, 9, "--dry-run", "--require-referrer", SPDX),
        "a dry run is refused alike");
  }

  @Test
  void anSbomOnTheIndexLetsItThrough() {
    Image image = image("trust/sbom-index");
    sbom(image, image.descriptor());
    promoted(image, "--require-referrer", SPDX);
  }

  @Test
  void anSbomOnOnePlatformOnlyIsRefusedNamingTheOtherThenOnBothPasses() throws IOException {
    Image image = image("trust/sbom-platforms");
    sbom(image, image.platforms().get(0));
    String line = refusedPromote(image, 9, "--require-referrer", SPDX);
    assertTrue(line.contains("linux/arm64 (of 2 platforms) has none"), line);
    sbom(image, image.platforms().get(1));
    promoted(image, "--require-referrer", SPDX);
  }

  @Test
  void aProvenanceBundleCountsByItsPredicateTypeAnnotation() {
    Image image = image("trust/provenance");
    CosignArtifacts.pushReferrer(
        raw,
        image.repo(),
        image.descriptor(),
        BUNDLE,
        Map.of("dev.sigstore.bundle.predicateType", "https://spdx.dev/Document/v2.3"),
        "{}".getBytes(StandardCharsets.UTF_8));
    String line =
        refusedPromote(image, 9, "--require-referrer", SLSA, "--require-referrer", BUNDLE);
    assertTrue(line.contains("no " + SLSA + " is attached"), line);
    assertFalse(line.contains("no " + BUNDLE), "the bundle type itself is there: " + line);
    CosignArtifacts.pushReferrer(
        raw,
        image.repo(),
        image.descriptor(),
        BUNDLE,
        Map.of("dev.sigstore.bundle.predicateType", SLSA),
        "{}".getBytes(StandardCharsets.UTF_8));
    promoted(image, "--require-referrer", SLSA, "--require-referrer", BUNDLE);
  }

  @Test
  void aCosignSigTagCountsAsCosignSig() {
    Image image = image("trust/cosign-tag");
    String line = refusedPromote(image, 9, "--require-referrer", "cosign.sig");
    assertTrue(line.contains("no cosign.sig is attached"), line);
    signature(image, image.digest(), image.digest(), signer);
    promoted(image, "--require-referrer", "cosign.sig");
  }

  @Test
  void aValidSignaturePassesVerification() {
    Image image = image("trust/signed");
    signature(image, image.digest(), image.digest(), signer);
    promoted(image, "--verify-key", key.toString());
  }

  @Test
  void aSignatureOnEveryPlatformPassesVerification() throws IOException {
    Image image = image("trust/signed-platforms");
    for (ObjectNode p : image.platforms()) {
      signature(image, p.path("digest").asText(), p.path("digest").asText(), signer);
    }
    promoted(image, "--verify-signature", "--verify-key", key.toString());
  }

  @Test
  void anUnsignedImageIsRefusedWithExit10() {
    Image image = image("trust/unsigned");
    String line = refusedPromote(image, 10, "--verify-key", key.toString());
    assertTrue(line.contains("index: no cosign signature"), line);
  }

  @Test
  void aTamperedSignatureIsRefused() {
    Image image = image("trust/tampered");
    byte[] payload = CosignArtifacts.payload(name(image.repo()), image.digest());
    byte[] der = Base64.getDecoder().decode(CosignArtifacts.sign(signer.getPrivate(), payload));
    der[der.length - 2] ^= 0x04;
    CosignArtifacts.pushSignature(
        raw,
        image.repo(),
        image.digest(),
        List.of(new CosignArtifacts.Layer(payload, Base64.getEncoder().encodeToString(der))));
    String line = refusedPromote(image, 10, "--verify-key", key.toString());
    assertTrue(line.contains("a signature does not verify with the key"), line);
  }

  @Test
  void aSignatureOfAnotherDigestIsRefused() {
    Image image = image("trust/other-digest");
    Image other = image("trust/other-digest-source");
    signature(
        image,
        image.digest(),
        other.digest(),
        signer); // a valid signature, moved to this image's .sig tag
    String line = refusedPromote(image, 10, "--verify-key", key.toString());
    assertTrue(
        line.contains("a valid signature is for " + other.digest() + ", not this digest"), line);
  }

  @Test
  void aSignatureByAnotherKeyIsRefused() {
    Image image = image("trust/wrong-key");
    signature(image, image.digest(), image.digest(), CosignArtifacts.keyPair());
    String line = refusedPromote(image, 10, "--verify-key", key.toString());
    assertTrue(line.contains("a signature does not verify with the key"), line);
  }

  @Test
  void copyAcrossRepositoriesRefusesWithZeroWritesAndPassesOnceAttached() {
    Image image = image("trust/copy-src");
    String dest = ref("trust/copy-dst", "v1");
    int mark = registry.mark();
    Result refused =
        new GantryRunner()
            .run(
                "copy",
                "--require-referrer",
                SPDX,
                "--verify-key",
                key.toString(),
                ref(image.repo(), "sha-1234567"),
                dest);
    assertEquals(9, refused.exitCode(), refused.all());
    assertTrue(
        refused.stderr().contains(name(image.repo()) + "@" + image.digest()), refused.stderr());
    assertEquals(List.of(), writes(mark));
    assertFalse(skopeo.exists(dest, registry));

    sbom(image, image.descriptor());
    Result unsigned =
        new GantryRunner()
            .run(
                "copy",
                "--require-referrer",
                SPDX,
                "--verify-key",
                key.toString(),
                ref(image.repo(), "sha-1234567"),
                dest);
    assertEquals(10, unsigned.exitCode(), unsigned.all());
    assertFalse(skopeo.exists(dest, registry));

    signature(image, image.digest(), image.digest(), signer);
    Result ok =
        new GantryRunner()
            .run(
                "copy",
                "--require-referrer",
                SPDX,
                "--verify-key",
                key.toString(),
                ref(image.repo(), "sha-1234567"),
                dest);
    assertEquals(0, ok.exitCode(), ok.all());
    assertEquals(image.digest(), skopeo.digest(dest, registry));
  }

  @Test
  void aRefusedCopyToALayoutDoesNotCreateIt() {
    Image image = image("trust/copy-layout");
    Path layout = TempDirs.create("gantry-dst-").resolve("out");
    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--require-referrer",
                "cosign.sbom",
                ref(image.repo(), "sha-1234567"),
                "oci:" + layout);
    assertEquals(9, r.exitCode(), r.all());
    assertFalse(Files.exists(layout), "the destination layout was not created");
  }

  /**
   * The figure the README gives: what the checks add to a promote on a registry without the
   * referrers API.
   */
  @Test
  void requestsTheChecksAdd() {
    Image plain = image("trust/cost-plain");
    Image checked = image("trust/cost-checked");
    Image verified = image("trust/cost-verified");
    sbom(checked, checked.descriptor());
    signature(verified, verified.digest(), verified.digest(), signer);

    // --no-record: the ledger's promotion record (written by default) is not what is measured here.
    int mark = registry.mark();
    promoted(plain, "--no-record");
    List<String> base = gantryRequests(mark, plain);
    mark = registry.mark();
    promoted(checked, "--no-record", "--require-referrer", SPDX);
    List<String> required = gantryRequests(mark, checked);
    mark = registry.mark();
    promoted(verified, "--no-record", "--verify-key", key.toString());
    List<String> signed = gantryRequests(mark, verified);

    // The API probe (404: distribution 2.8 has none), then the fallback tag's index.
    assertEquals(
        List.of("GET REPO/referrers/DIGEST", "GET REPO/manifests/sha256-HEX"),
        minus(required, base),
        required.toString());
    // The .sig manifest and its one payload blob.
    assertEquals(
        List.of("GET REPO/manifests/sha256-HEX.sig", "GET REPO/blobs/BLOB"),
        minus(signed, base),
        signed.toString());
    System.out.printf(
        "requests: promote %d; with --require-referrer %d; with --verify-key %d%n",
        base.size(), required.size(), signed.size());
  }

  private static List<String> minus(List<String> run, List<String> base) {
    List<String> rest = new ArrayList<>(run);
    base.forEach(rest::remove);
    return rest;
  }

  /**
   * METHOD PATH of Gantry's requests since {@code mark}, with the image's repository, digest and
   * blob digests generic.
   */
  private List<String> gantryRequests(int mark, Image image) {
    return registry.requestLogSince(mark).stream()
        .filter(q -> q.userAgent().startsWith("gantry/"))
        .map(
            q ->
                q.method()
                    + " "
                    + q.path()
                        .replace("/v2/" + image.repo(), "REPO")
                        .replace(image.digest(), "DIGEST")
                        .replace(image.digest().replace(':', '-'), "sha256-HEX")
                        .replaceAll("blobs/sha256:[0-9a-f]+", "blobs/BLOB"))
        .toList();
  }

  @Test
  void badValuesAreExit2BeforeAnyRequest() {
    Image image = image("trust/bad-input");
    int mark = registry.mark();
    Result type = promote(image, "--require-referrer", "sbom");
    assertEquals(2, type.exitCode(), type.all());
    assertTrue(type.stderr().contains("invalid --require-referrer 'sbom'"), type.stderr());
    Result noKey = promote(image, "--verify-signature");
    assertEquals(2, noKey.exitCode(), noKey.all());
    assertTrue(noKey.stderr().contains("--verify-signature needs --verify-key"), noKey.stderr());
    Result badKey = promote(image, "--verify-key", "/nonexistent/cosign.pub");
    assertEquals(2, badKey.exitCode(), badKey.all());
    assertTrue(
        badKey.stderr().contains("invalid --verify-key /nonexistent/cosign.pub"), badKey.stderr());
    assertEquals(
        0,
        registry.requestLogSince(mark).stream()
            .filter(q -> q.userAgent().startsWith("gantry/"))
            .count());
  }
}
