package dev.gantry.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.image.Digest;
import dev.gantry.testing.CosignArtifacts;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * cosign's key-based signatures, verified with JDK crypto. The signatures are made here by test
 * code following cosign's published signature specification (no cosign binary can be installed on
 * this machine): a key pair generated in the test, the simple-signing payload, ECDSA P-256 over its
 * exact bytes, base64 of the DER.
 */
class CosignVerifierTest {
  private static final Digest SUBJECT = Digest.sha256("the image".getBytes(StandardCharsets.UTF_8));
  private static final Digest OTHER =
      Digest.sha256("another image".getBytes(StandardCharsets.UTF_8));
  private final KeyPair pair = CosignArtifacts.keyPair();
  private final VerifyKey key =
      VerifyKey.parse(
          "--verify-key cosign.pub", "cosign.pub", CosignArtifacts.publicPem(pair.getPublic()));

  private SignedPayload signed(Digest digest, KeyPair by) {
    byte[] payload = CosignArtifacts.payload("registry.example/acme/api", digest.toString());
    return SignedPayload.of(payload, CosignArtifacts.sign(by.getPrivate(), payload));
  }

  @Test
  void aValidSignatureOfTheDigestPasses() {
    assertEquals(
        Optional.empty(), CosignVerifier.refusal(key, SUBJECT, List.of(signed(SUBJECT, pair))));
  }

  @Test
  void aTamperedSignatureIsRefused() {
    SignedPayload good = signed(SUBJECT, pair);
    byte[] der = Base64.getDecoder().decode(good.signature());
    der[der.length - 3] ^= 0x01; // one bit of s
    Optional<String> why =
        CosignVerifier.refusal(
            key,
            SUBJECT,
            List.of(SignedPayload.of(good.payload(), Base64.getEncoder().encodeToString(der))));
    assertEquals(Optional.of("a signature does not verify with the key"), why);
  }

  @Test
  void aTamperedPayloadIsRefused() {
    SignedPayload good = signed(SUBJECT, pair);
    byte[] payload =
        new String(good.payload(), StandardCharsets.UTF_8)
            .replace("acme", "acmf")
            .getBytes(StandardCharsets.UTF_8);
    assertEquals(
        Optional.of("a signature does not verify with the key"),
        CosignVerifier.refusal(key, SUBJECT, List.of(SignedPayload.of(payload, good.signature()))));
  }

  @Test
  void aValidSignatureOfAnotherDigestIsRefused() {
    Optional<String> why = CosignVerifier.refusal(key, SUBJECT, List.of(signed(OTHER, pair)));
    assertEquals(Optional.of("a valid signature is for " + OTHER + ", not this digest"), why);
  }

  @Test
  void aSignatureByAnotherKeyIsRefused() {
    Optional<String> why =
        CosignVerifier.refusal(key, SUBJECT, List.of(signed(SUBJECT, CosignArtifacts.keyPair())));
    assertEquals(Optional.of("a signature does not verify with the key"), why);
  }

  @Test
  void oneGoodSignatureAmongBadOnesIsEnoughAsForCosignVerify() {
    List<SignedPayload> layers =
        List.of(
            signed(OTHER, pair), signed(SUBJECT, CosignArtifacts.keyPair()), signed(SUBJECT, pair));
    assertEquals(Optional.empty(), CosignVerifier.refusal(key, SUBJECT, layers));
  }

  @Test
  void everyDistinctReasonIsSaidOnce() {
    List<SignedPayload> layers =
        List.of(
            signed(OTHER, pair),
            signed(SUBJECT, CosignArtifacts.keyPair()),
            signed(SUBJECT, CosignArtifacts.keyPair()));
    assertEquals(
        Optional.of(
            "a valid signature is for "
                + OTHER
                + ", not this digest; a signature does not verify with the key"),
        CosignVerifier.refusal(key, SUBJECT, layers));
  }

  @Test
  void noSignatureAtAllIsRefused() {
    assertEquals(
        Optional.of("no cosign signature"), CosignVerifier.refusal(key, SUBJECT, List.of()));
  }

  @Test
  void garbageInTheAnnotationIsARefusalNotACrash() {
    byte[] payload = CosignArtifacts.payload("r/x", SUBJECT.toString());
    assertEquals(
        Optional.of("a signature is not base64"),
        CosignVerifier.refusal(key, SUBJECT, List.of(SignedPayload.of(payload, "not base64 !!"))));
    assertEquals(
        Optional.of("a signature does not verify with the key"),
        CosignVerifier.refusal(
            key,
            SUBJECT,
            List.of(
                SignedPayload.of(
                    payload, Base64.getEncoder().encodeToString(new byte[] {0x30, 0x02, 0x01})))));
  }

  @Test
  void aSignedPayloadOfAnotherTypeIsRefused() {
    byte[] payload =
        new String(CosignArtifacts.payload("r/x", SUBJECT.toString()), StandardCharsets.UTF_8)
            .replace("cosign container image signature", "something else")
            .getBytes(StandardCharsets.UTF_8);
    Optional<String> why =
        CosignVerifier.refusal(
            key,
            SUBJECT,
            List.of(SignedPayload.of(payload, CosignArtifacts.sign(pair.getPrivate(), payload))));
    assertTrue(why.orElseThrow().contains("payload type"), why.toString());
  }
}
