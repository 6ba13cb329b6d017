package dev.gantry.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gantry.GantryException;
import dev.gantry.auth.CredentialSource;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.MediaTypes;
import dev.gantry.registry.MockRegistry;
import dev.gantry.registry.RemoteRepository;
import dev.gantry.testing.CosignArtifacts;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cosign {@code .sig} manifest served by a registry that may lie: the exact requests made, and
 * each hostile answer refused (exit 10) rather than trusted or followed without end. The signatures
 * are made by test code following cosign's signature specification.
 */
class SignatureReaderTest {
  private static final Digest IMAGE = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));
  private static final String SIG = "/v2/demo/api/manifests/sha256-" + IMAGE.hex() + ".sig";
  private final KeyPair pair = CosignArtifacts.keyPair();
  private final VerifyKey key =
      VerifyKey.parse("--verify-key k", "k", CosignArtifacts.publicPem(pair.getPublic()));
  private final MockRegistry registry = new MockRegistry();
  private final RemoteRepository remote =
      registry.client(CredentialSource.none()).forPull(registry.repository("demo/api"));
  private final Manifest single =
      Manifest.of(
          ("{\"schemaVersion\":2,\"mediaType\":\""
                  + MediaTypes.OCI_MANIFEST
                  + "\",\"config\":{\"mediaType\":\"x\",\"size\":1,\"digest\":\""
                  + IMAGE
                  + "\"},\"layers\":[]}")
              .getBytes(StandardCharsets.UTF_8),
          MediaTypes.OCI_MANIFEST);
  private final byte[] payload = CosignArtifacts.payload("demo/api", single.digest().toString());

  @AfterEach
  void close() {
    registry.close();
  }

  private static Manifest sigManifest(
      int layers, long size, Digest payloadDigest, String signature) {
    StringBuilder json =
        new StringBuilder(
            "{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST
                + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":2,\"digest\":\""
                + Digest.sha256("{}".getBytes(StandardCharsets.UTF_8))
                + "\"},\"layers\":[");
    for (int i = 0; i < layers; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"mediaType\":\"")
          .append(CosignArtifacts.SIMPLE_SIGNING)
          .append("\",\"size\":")
          .append(size)
          .append(",\"digest\":\"")
          .append(payloadDigest)
          .append("\",\"annotations\":{\"")
          .append(CosignArtifacts.SIGNATURE_ANNOTATION)
          .append("\":\"")
          .append(signature)
          .append("\"}}");
    }
    return Manifest.of(
        json.append("]}").toString().getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
  }

  private static MockResponse blob(byte[] bytes) {
    return new MockResponse.Builder().code(200).body(new okio.Buffer().write(bytes)).build();
  }

  private TrustGate gate() {
    return new TrustGate(new TrustPolicy(List.of(), Optional.of(key)), 1);
  }

  @Test
  void aValidSignatureIsTheTagThenItsPayload() {
    Digest d = Digest.sha256(payload);
    registry.server.enqueue(
        MockRegistry.manifest(
            sigManifest(1, payload.length, d, CosignArtifacts.sign(pair.getPrivate(), payload))));
    registry.server.enqueue(blob(payload));

    gate().check(remote, single);

    assertEquals(
        List.of(
            "GET " + SIG.replace(IMAGE.hex(), single.digest().hex()),
            "GET /v2/demo/api/blobs/" + d),
        registry.requestLines());
  }

  @Test
  void aPayloadServedWithOtherBytesThanItsDigestIsRefused() {
    byte[] other = CosignArtifacts.payload("demo/api", IMAGE.toString());
    // The manifest names the signed payload; the registry serves another one of the same length,
    // signed too.
    registry.server.enqueue(
        MockRegistry.manifest(
            sigManifest(
                1,
                payload.length,
                Digest.sha256(payload),
                CosignArtifacts.sign(pair.getPrivate(), other))));
    registry.server.enqueue(blob(other));

    GantryException e = assertThrows(GantryException.class, () -> gate().check(remote, single));

    assertEquals(GantryException.Kind.SIGNATURE_REFUSED, e.kind());
    assertEquals(
        true, e.getMessage().contains("a .sig payload does not match its digest"), e.getMessage());
  }

  @Test
  void aPayloadClaimingMoreThan64KiBIsNotFetched() {
    registry.server.enqueue(
        MockRegistry.manifest(sigManifest(1, 10_000_000, Digest.sha256(payload), "MEUC")));

    GantryException e = assertThrows(GantryException.class, () -> gate().check(remote, single));

    assertEquals(GantryException.Kind.SIGNATURE_REFUSED, e.kind());
    assertEquals(
        true,
        e.getMessage().contains("a .sig payload claims 10000000 bytes (at most 65536)"),
        e.getMessage());
    assertEquals(1, registry.requestLines().size(), "no blob request");
  }

  @Test
  void atMost32LayersAreRead() {
    Digest d = Digest.sha256(payload);
    registry.server.enqueue(
        MockRegistry.manifest(sigManifest(1000, payload.length, d, "bm90IGEgc2lnbmF0dXJl")));
    for (int i = 0; i < 40; i++) {
      registry.server.enqueue(blob(payload));
    }

    GantryException e = assertThrows(GantryException.class, () -> gate().check(remote, single));

    assertEquals(GantryException.Kind.SIGNATURE_REFUSED, e.kind());
    assertEquals(1 + 32, registry.requestLines().size());
  }
}
