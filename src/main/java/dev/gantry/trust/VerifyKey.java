package dev.gantry.trust;

import dev.gantry.GantryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The public key cosign signatures must verify with: the PEM file {@code cosign generate-key-pair}
 * writes as {@code cosign.pub} ({@code -----BEGIN PUBLIC KEY-----}, an ECDSA P-256
 * SubjectPublicKeyInfo). Read with JDK crypto only; any other key is bad input.
 */
public record VerifyKey(String name, ECPublicKey key) {
  private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String END = "-----END PUBLIC KEY-----";

  public static VerifyKey read(Path file) {
    String text;
    try {
      if (Files.size(file) > 64 * 1024) {
        throw bad("--verify-key " + file, "larger than 64 KiB, not a public key");
      }
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw bad("--verify-key " + file, "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    return parse("--verify-key " + file, file.toString(), text);
  }

  /**
   * {@code what} names the value in a bad-input message ({@code input verify-key}), {@code name}
   * the key elsewhere.
   */
  public static VerifyKey parse(String what, String name, String pem) {
    int begin = pem.indexOf(BEGIN);
    int end = pem.indexOf(END);
    if (begin < 0 || end < begin) {
      throw bad(what, "no " + BEGIN + " block (cosign's cosign.pub is expected)");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
      if (!(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der))
          instanceof ECPublicKey ec)) {
        throw bad(what, "not an ECDSA public key");
      }
      if (!isP256(ec.getParams())) {
        throw bad(what, "not an ECDSA P-256 key (the curve cosign generates)");
      }
      return new VerifyKey(name, ec);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw bad(what, "not an ECDSA P-256 public key");
    }
  }

  private static boolean isP256(ECParameterSpec params) throws GeneralSecurityException {
    AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
    p.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec p256 = p.getParameterSpec(ECParameterSpec.class);
    return params.getOrder().equals(p256.getOrder())
        && params.getCurve().equals(p256.getCurve())
        && params.getGenerator().equals(p256.getGenerator());
  }

  private static GantryException bad(String what, String why) {
    return GantryException.badInput("invalid " + what + ": " + why);
  }
}
