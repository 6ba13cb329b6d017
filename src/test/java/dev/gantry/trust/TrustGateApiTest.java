package dev.gantry.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.auth.CredentialSource;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.MediaTypes;
import dev.gantry.registry.MockRegistry;
import dev.gantry.registry.RemoteRepository;
import dev.gantry.testing.Attachments;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The read-phase check against a registry that has the OCI 1.1 referrers API, on a MockWebServer:
 * exactly which requests it makes (the referrers endpoint, never the fallback tag when the API
 * answers; the platforms only when the index alone does not do; nothing at all when no check is
 * asked for) and that a refusal is typed.
 */
class TrustGateApiTest {
  private static final Digest AMD = Digest.sha256("amd64".getBytes(StandardCharsets.UTF_8));
  private static final Digest ARM = Digest.sha256("arm64".getBytes(StandardCharsets.UTF_8));
  private static final Manifest INDEX =
      Manifest.of(
          ("{\"schemaVersion\":2,\"mediaType\":\""
                  + MediaTypes.OCI_INDEX
                  + "\",\"manifests\":["
                  + entry(AMD, "amd64")
                  + ","
                  + entry(ARM, "arm64")
                  + ",{\"mediaType\":\""
                  + MediaTypes.OCI_MANIFEST
                  + "\",\"size\":7,\"digest\":\""
                  + Digest.sha256("att".getBytes(StandardCharsets.UTF_8))
                  + "\",\"platform\":"
                  + "{\"os\":\"unknown\",\"architecture\":\"unknown\"},\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"}}]}")
              .getBytes(StandardCharsets.UTF_8),
          MediaTypes.OCI_INDEX);
  private static final String SPDX = "application/spdx+json";

  private final MockRegistry registry = new MockRegistry();
  private final RemoteRepository remote =
      registry.client(CredentialSource.none()).forPull(registry.repository("demo/api"));

  @AfterEach
  void close() {
    registry.close();
  }

  private static String entry(Digest d, String arch) {
    return "{\"mediaType\":\""
        + MediaTypes.OCI_MANIFEST
        + "\",\"size\":7,\"digest\":\""
        + d
        + "\",\"platform\":{\"os\":\"linux\",\"architecture\":\""
        + arch
        + "\"}}";
  }

  private static MockResponse referrers(String... entries) {
    String body =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_INDEX
            + "\",\"manifests\":["
            + String.join(",", entries)
            + "]}";
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", MediaTypes.OCI_INDEX)
        .body(body)
        .build();
  }

  private static String referrer(String artifactType, String annotations) {
    return "{\"mediaType\":\""
        + MediaTypes.OCI_MANIFEST
        + "\",\"size\":100,\"digest\":\""
        + Digest.sha256((artifactType + annotations).getBytes(StandardCharsets.UTF_8))
        + "\",\"artifactType\":\""
        + artifactType
        + "\""
        + (annotations.isEmpty() ? "" : ",\"annotations\":" + annotations)
        + "}";
  }

  private static TrustGate gate(String... types) {
    return new TrustGate(
        new TrustPolicy(
            java.util.Arrays.stream(types).map(Requirement::parse).toList(), Optional.empty()),
        1);
  }

  @Test
  void noPolicyMakesNoRequest() {
    TrustGate.none().check(remote, INDEX);
    assertEquals(List.of(), registry.requestLines());
  }

  @Test
  void anSbomOnTheIndexIsOneReferrersRequest() {
    registry.server.enqueue(referrers(referrer(SPDX, "")));

    gate(SPDX).check(remote, INDEX);

    assertEquals(List.of("GET /v2/demo/api/referrers/" + INDEX.digest()), registry.requestLines());
  }

  @Test
  void theIndexWithoutItAsksEveryPlatformButNotTheAttestationManifest() {
    registry.server.enqueue(referrers());
    registry.server.enqueue(referrers(referrer(SPDX, "")));
    registry.server.enqueue(referrers(referrer(SPDX, "")));

    gate(SPDX).check(remote, INDEX);

    assertEquals(
        List.of(
            "GET /v2/demo/api/referrers/" + INDEX.digest(),
            "GET /v2/demo/api/referrers/" + AMD,
            "GET /v2/demo/api/referrers/" + ARM),
        registry.requestLines());
  }

  @Test
  void oneBarePlatformRefusesWithTheKindOfItsOwnAndNamesIt() {
    registry.server.enqueue(referrers());
    registry.server.enqueue(referrers(referrer(SPDX, "")));
    registry.server.enqueue(referrers(referrer("application/vnd.cyclonedx+json", "")));

    GantryException e = assertThrows(GantryException.class, () -> gate(SPDX).check(remote, INDEX));

    assertEquals(GantryException.Kind.REFERRER_MISSING, e.kind());
    assertEquals(
        "require referrer "
            + registry.registry()
            + "/demo/api@"
            + INDEX.digest()
            + ": no "
            + SPDX
            + " is attached to the index, and linux/arm64 (of 2 platforms) has none; nothing was written",
        e.getMessage());
    assertEquals(3, registry.requestLines().size());
  }

  @Test
  void aPredicateTypeIsReadFromTheBundleReferrersAnnotation() {
    registry.server.enqueue(
        referrers(
            referrer(
                "application/vnd.dev.sigstore.bundle.v0.3+json",
                "{\"dev.sigstore.bundle.predicateType\":\"https://slsa.dev/provenance/v1\"}")));

    gate("https://slsa.dev/provenance/v1").check(remote, INDEX);

    assertEquals(1, registry.requestLines().size());
  }

  @Test
  void aBundleListedWithoutAnnotationsIsReadOnceForItsOwn() {
    Manifest bundle =
        Manifest.of(
            ("{\"schemaVersion\":2,\"mediaType\":\""
                    + MediaTypes.OCI_MANIFEST
                    + "\",\"artifactType\":"
                    + "\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
                    + "\"size\":2,\"digest\":\""
                    + Digest.sha256(Attachments.EMPTY_CONFIG)
                    + "\"},\"layers\":[],\"annotations\":"
                    + "{\"dev.sigstore.bundle.predicateType\":\"https://slsa.dev/provenance/v1\"}}")
                .getBytes(StandardCharsets.UTF_8),
            MediaTypes.OCI_MANIFEST);
    registry.server.enqueue(
        referrers(
            "{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST
                + "\",\"size\":"
                + bundle.size()
                + ",\"digest\":\""
                + bundle.digest()
                + "\",\"artifactType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}"));
    registry.server.enqueue(MockRegistry.manifest(bundle));

    gate("https://slsa.dev/provenance/v1").check(remote, INDEX);

    assertEquals(
        List.of(
            "GET /v2/demo/api/referrers/" + INDEX.digest(),
            "GET /v2/demo/api/manifests/" + bundle.digest()),
        registry.requestLines());
  }

  @Test
  void aCosignTagIsOneGetByName() {
    Manifest sig = Attachments.cosignSignature(INDEX.digest(), "demo/api").manifest();
    registry.server.enqueue(MockRegistry.manifest(sig));

    gate("cosign.sig").check(remote, INDEX);

    assertEquals(
        List.of("GET /v2/demo/api/manifests/sha256-" + INDEX.digest().hex() + ".sig"),
        registry.requestLines());
  }

  @Test
  void withoutTheTagCosignsOci11ReferrerCountsAsCosignSig() {
    registry.server.enqueue(MockRegistry.error(404, "MANIFEST_UNKNOWN", "manifest unknown"));
    registry.server.enqueue(
        referrers(referrer("application/vnd.dev.cosign.artifact.sig.v1+json", "")));

    gate("cosign.sig").check(remote, INDEX);

    assertEquals(
        List.of(
            "GET /v2/demo/api/manifests/sha256-" + INDEX.digest().hex() + ".sig",
            "GET /v2/demo/api/referrers/" + INDEX.digest()),
        registry.requestLines());
  }

  @Test
  void aFailingReferrersEndpointIsAFailureNotARefusal() {
    registry.server.enqueue(MockRegistry.error(403, "DENIED", "no"));

    GantryException e = assertThrows(GantryException.class, () -> gate(SPDX).check(remote, INDEX));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind(), e.getMessage());
    assertTrue(registry.requestLines().get(0).startsWith("GET /v2/demo/api/referrers/"));
  }
}
