package dev.gantry.trust;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.Json;
import dev.gantry.image.Digest;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies cosign's key-based image signatures (the simple-signing format of the {@code .sig} tag)
 * with JDK crypto: the signature is ECDSA with SHA-256 over the payload's exact bytes (ASN.1 DER,
 * base64), and the payload's {@code critical.image.docker-manifest-digest} must be the digest being
 * promoted, its {@code critical.type} {@code cosign container image signature}. One signature that
 * passes all three is enough, as for {@code cosign verify --key}. The Rekor bundle annotation, when
 * present, is not checked (offline).
 */
public final class CosignVerifier {
  static final String TYPE = "cosign container image signature";

  private CosignVerifier() {}

  /** Empty when a signature verifies; otherwise why none did (each distinct reason once). */
  public static Optional<String> refusal(
      VerifyKey key, Digest subject, List<SignedPayload> signatures) {
    if (signatures.isEmpty()) {
      return Optional.of("no cosign signature");
    }
    Set<String> reasons = new LinkedHashSet<>();
    for (SignedPayload s : signatures) {
      Optional<String> why = check(key, subject, s);
      if (why.isEmpty()) {
        return Optional.empty();
      }
      reasons.add(why.get());
    }
    return Optional.of(String.join("; ", reasons));
  }

  private static Optional<String> check(VerifyKey key, Digest subject, SignedPayload s) {
    if (!s.unreadable().isEmpty()) {
      return Optional.of(s.unreadable());
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(s.signature().strip());
    } catch (IllegalArgumentException e) {
      return Optional.of("a signature is not base64");
    }
    try {
      Signature ecdsa = Signature.getInstance("SHA256withECDSA");
      ecdsa.initVerify(key.key());
      ecdsa.update(s.payload());
      if (!ecdsa.verify(der)) {
        return Optional.of("a signature does not verify with the key");
      }
    } catch (GeneralSecurityException e) {
      // A malformed DER signature is a signature that does not verify, not a crash.
      return Optional.of("a signature does not verify with the key");
    }
    JsonNode critical;
    try {
      critical = Json.readTree(s.payload()).path("critical");
    } catch (IOException e) {
      return Optional.of("a signed payload is not JSON");
    }
    String signed = critical.path("image").path("docker-manifest-digest").asText("");
    if (!signed.equals(subject.toString())) {
      return Optional.of(
          "a valid signature is for "
              + (signed.isEmpty() ? "no digest" : signed)
              + ", not this digest");
    }
    if (!TYPE.equals(critical.path("type").asText(""))) {
      return Optional.of("a valid signature's payload type is not '" + TYPE + "'");
    }
    return Optional.empty();
  }
}
