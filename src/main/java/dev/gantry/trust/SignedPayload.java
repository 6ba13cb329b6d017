package dev.gantry.trust;

/**
 * One layer of a cosign {@code .sig} manifest: the simple-signing payload blob's bytes and the
 * base64 ASN.1 ECDSA signature over them from its {@code dev.cosignproject.cosign/signature}
 * annotation. {@code unreadable} says why the layer could not be taken as a signature (then the
 * other two are empty).
 */
@SuppressWarnings(
    "ArrayRecordComponent") // copied in and out; never compared (no equals is relied on)
public record SignedPayload(byte[] payload, String signature, String unreadable) {
  public SignedPayload {
    payload = payload.clone();
  }

  public static SignedPayload of(byte[] payload, String signature) {
    return new SignedPayload(payload, signature, "");
  }

  public static SignedPayload unreadable(String why) {
    return new SignedPayload(new byte[0], "", why);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
