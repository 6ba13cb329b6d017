package dev.gantry.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Proves the attachment makers and checkers before any Gantry test leans on them:
 * {@code @sigstore/oci} really writes the referrers fallback tag on the Debian registry
 * (distribution 2.8 has no referrers API), skopeo reads what it wrote, {@code @sigstore/verify}
 * accepts the bundle and refuses it for a wrong root, a wrong digest or a flipped byte; the cosign
 * legacy .sig/.att writer produces what the specs say and its signatures check only under its key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SigstoreNpmIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong SEED = new AtomicLong(1600);
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

  private String pushImage(String repo) {
    return TestImages.push(
        TestImages.singlePlatform(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
        registry,
        repo,
        "v1");
  }

  @Test
  void attestationIsListedInTheFallbackTagIndexAndVerifies() throws IOException {
    String digest = pushImage("harness/app");
    int mark = registry.mark();

    SigstoreNpm.Attestation attestation =
        SigstoreNpm.attest(registry, "harness/app", digest, SigstoreNpm.PROVENANCE);

    // @sigstore/oci asked for the referrers API, got 404 from distribution 2.8, and PUT the
    // fallback tag.
    List<LoggedRequest> requests = registry.requestLogSince(mark);
    assertTrue(
        requests.stream().anyMatch(r -> r.path().contains("/referrers/") && r.status() == 404),
        requests::toString);
    String fallbackTag = digest.replace(':', '-');
    assertTrue(
        requests.stream()
            .anyMatch(
                r -> r.method().equals("PUT") && r.path().endsWith("/manifests/" + fallbackTag)),
        requests::toString);

    JsonNode index = JSON.readTree(skopeo.inspectRaw("harness/app:" + fallbackTag, registry));
    assertEquals(
        "application/vnd.oci.image.index.v1+json",
        index.path("mediaType").asText(),
        index::toString);
    assertEquals(1, index.path("manifests").size(), index::toString);
    JsonNode entry = index.path("manifests").get(0);
    assertEquals(attestation.manifestDigest(), entry.path("digest").asText());
    assertEquals(SigstoreNpm.BUNDLE_TYPE, entry.path("artifactType").asText());
    assertEquals(
        SigstoreNpm.PROVENANCE,
        entry.path("annotations").path("dev.sigstore.bundle.predicateType").asText());

    byte[] manifestBytes =
        skopeo.inspectRaw("harness/app@" + attestation.manifestDigest(), registry);
    assertEquals(attestation.manifestDigest(), Skopeo.sha256(manifestBytes));
    JsonNode manifest = JSON.readTree(manifestBytes);
    assertEquals(digest, manifest.path("subject").path("digest").asText());
    assertEquals(SigstoreNpm.BUNDLE_TYPE, manifest.path("artifactType").asText());

    Path saved = TempDirs.create("gantry-bundles-");
    SigstoreNpm.Verification ok =
        SigstoreNpm.verify(
            registry,
            "harness/app",
            digest,
            List.of(attestation.trustedRoot()),
            Optional.of(saved));
    assertTrue(ok.verified(), ok::toString);
    assertEquals(List.of(attestation.manifestDigest()), ok.verifiedManifests(), ok::toString);

    // The checker can say no. Another attestation's root does not certify this signer:
    String other = pushImage("harness/other");
    SigstoreNpm.Attestation otherAttestation =
        SigstoreNpm.attest(registry, "harness/other", other, SigstoreNpm.SPDX);
    SigstoreNpm.Verification wrongRoot =
        SigstoreNpm.verify(
            registry,
            "harness/app",
            digest,
            List.of(otherAttestation.trustedRoot()),
            Optional.empty());
    assertFalse(wrongRoot.verified(), wrongRoot::toString);
    assertTrue(wrongRoot.lines().get(0).contains("certificate chain"), wrongRoot::toString);

    // This bundle offered as a statement about another digest:
    Path bundle = saved.resolve(attestation.manifestDigest().replace(':', '-') + ".json");
    SigstoreNpm.Verification wrongDigest =
        SigstoreNpm.verifyFile(bundle, other, List.of(attestation.trustedRoot()));
    assertFalse(wrongDigest.verified(), wrongDigest::toString);
    assertTrue(wrongDigest.lines().get(0).contains("not " + other), wrongDigest::toString);

    // One byte of the signed statement flipped:
    Path tampered = saved.resolve("tampered.json");
    Files.writeString(tampered, SigstoreNpm.flipPayloadByte(Files.readString(bundle)));
    SigstoreNpm.Verification flipped =
        SigstoreNpm.verifyFile(tampered, digest, List.of(attestation.trustedRoot()));
    assertFalse(flipped.verified(), flipped::toString);
    assertTrue(
        SigstoreNpm.verifyFile(bundle, digest, List.of(attestation.trustedRoot())).verified(),
        "the untouched file");

    // An image with nothing attached:
    String bare = pushImage("harness/bare");
    SigstoreNpm.Verification none =
        SigstoreNpm.verify(
            registry, "harness/bare", bare, List.of(attestation.trustedRoot()), Optional.empty());
    assertFalse(none.verified(), none::toString);
    assertTrue(none.lines().get(0).contains("no Sigstore bundle"), none::toString);
  }

  @Test
  void cosignLegacySignatureAndAttestationFollowTheSpecAndCheckOnlyUnderTheirKey()
      throws IOException {
    String digest = pushImage("harness/signed");
    KeyPair key = CosignLegacy.newKey();

    CosignLegacy.Signed signed = CosignLegacy.sign(registry, "harness/signed", digest, key);

    assertEquals(digest.replace(':', '-') + ".sig", signed.tag());
    byte[] raw = skopeo.inspectRaw("harness/signed:" + signed.tag(), registry);
    assertEquals(signed.manifestDigest(), Skopeo.sha256(raw));
    JsonNode layer = JSON.readTree(raw).path("layers").get(0);
    assertEquals(CosignLegacy.SIMPLE_SIGNING, layer.path("mediaType").asText());
    byte[] payload = CosignLegacy.blob(registry, "harness/signed", layer.path("digest").asText());
    assertEquals(
        digest,
        JSON.readTree(payload)
            .path("critical")
            .path("image")
            .path("docker-manifest-digest")
            .asText());
    String signature = layer.path("annotations").path(CosignLegacy.SIGNATURE_ANNOTATION).asText();
    assertTrue(CosignLegacy.verifies(payload, signature, key.getPublic()));
    assertFalse(
        CosignLegacy.verifies(payload, signature, CosignLegacy.newKey().getPublic()),
        "another key");
    byte[] changed = payload.clone();
    changed[changed.length / 2] ^= 0x01;
    assertFalse(
        CosignLegacy.verifies(changed, signature, key.getPublic()), "a flipped payload byte");

    CosignLegacy.Signed att =
        CosignLegacy.attest(registry, "harness/signed", digest, key, SigstoreNpm.SPDX);
    assertEquals(digest.replace(':', '-') + ".att", att.tag());
    JsonNode attLayer =
        JSON.readTree(skopeo.inspectRaw("harness/signed:" + att.tag(), registry))
            .path("layers")
            .get(0);
    assertEquals(CosignLegacy.DSSE, attLayer.path("mediaType").asText());
    assertEquals(SigstoreNpm.SPDX, attLayer.path("annotations").path("predicateType").asText());
    byte[] envelope =
        CosignLegacy.blob(registry, "harness/signed", attLayer.path("digest").asText());
    assertTrue(CosignLegacy.verifiesEnvelope(envelope, key.getPublic()));
    assertFalse(
        CosignLegacy.verifiesEnvelope(envelope, CosignLegacy.newKey().getPublic()), "another key");
    String statement =
        new String(
            Base64.getDecoder().decode(JSON.readTree(envelope).path("payload").asText()),
            StandardCharsets.UTF_8);
    assertEquals(
        digest.substring("sha256:".length()),
        JSON.readTree(statement).path("subject").get(0).path("digest").path("sha256").asText());
  }
}
