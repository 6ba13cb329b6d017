package dev.gantry.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.testing.CosignArtifacts;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

class VerifyKeyTest {
  @Test
  void readsTheP256PemCosignWrites() {
    var pair = CosignArtifacts.keyPair();
    assertEquals(
        pair.getPublic(),
        VerifyKey.parse(
                "--verify-key cosign.pub",
                "cosign.pub",
                CosignArtifacts.publicPem(pair.getPublic()))
            .key());
  }

  @Test
  void refusesOtherCurvesRsaAndGarbageAsBadInputNamingTheFile() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    for (String pem :
        new String[] {
          CosignArtifacts.publicPem(ec.generateKeyPair().getPublic()),
          CosignArtifacts.publicPem(rsa.generateKeyPair().getPublic()),
          "hello",
          "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----\n"
        }) {
      GantryException e =
          assertThrows(
              GantryException.class,
              () -> VerifyKey.parse("--verify-key keys/x.pub", "keys/x.pub", pem));
      assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
      assertTrue(e.getMessage().startsWith("invalid --verify-key keys/x.pub: "), e.getMessage());
    }
  }
}
