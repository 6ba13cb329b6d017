package dev.gantry.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs registry tokens (JWT, RS256) with a throwaway key. The key and its self-signed certificate
 * come from the openssl CLI because the JDK has no public API to write an X.509 certificate. The
 * certificate travels in the JWT header as {@code x5c} and is also the registry's trust root, which
 * is how distribution 2.8 finds the verification key.
 */
final class TokenSigner {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(30);

  private final PrivateKey key;
  private final String x5c;
  private final Path certificatePem;

  private TokenSigner(PrivateKey key, String x5c, Path certificatePem) {
    this.key = key;
    this.x5c = x5c;
    this.certificatePem = certificatePem;
  }

  /** Makes a fresh RSA key and certificate in {@code dir}. */
  static TokenSigner generate(Path dir) {
    Path keyPem = dir.resolve("token-key.pem");
    Path keyDer = dir.resolve("token-key.der");
    Path certPem = dir.resolve("token-cert.pem");
    ProcessRunner.check(
        List.of(
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            keyPem.toString(),
            "-out",
            certPem.toString(),
            "-days",
            "2",
            "-subj",
            "/CN=gantry-test-token"),
        OPENSSL_TIMEOUT,
        Map.of(),
        null);
    // openssl 1.x writes PKCS#1 and 3.x PKCS#8 PEM; converting always gives the PKCS#8 DER the JDK
    // reads.
    ProcessRunner.check(
        List.of(
            "openssl",
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            keyPem.toString(),
            "-outform",
            "DER",
            "-out",
            keyDer.toString()),
        OPENSSL_TIMEOUT,
        Map.of(),
        null);
    try (InputStream in = Files.newInputStream(certPem)) {
      PrivateKey key =
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(keyDer)));
      X509Certificate cert =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      return new TokenSigner(key, Base64.getEncoder().encodeToString(cert.getEncoded()), certPem);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the token signing key made by openssl", e);
    }
  }

  Path certificatePem() {
    return certificatePem;
  }

  /** A compact JWS: base64url(header).base64url(claims).base64url(signature). */
  String sign(Map<String, Object> claims) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("typ", "JWT");
    header.put("alg", "RS256");
    header.put("x5c", List.of(x5c));
    String signingInput = base64Url(json(header)) + "." + base64Url(json(claims));
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + base64Url(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign token", e);
    }
  }

  private static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
