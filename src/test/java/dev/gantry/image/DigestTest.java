package dev.gantry.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {
  // sha256("") and sha256("abc"), from FIPS 180-2 test vectors.
  private static final String EMPTY =
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String ABC =
      "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void sha256OfBytesMatchesKnownVectors() {
    assertEquals(EMPTY, Digest.sha256(new byte[0]).toString());
    assertEquals(ABC, Digest.sha256("abc".getBytes(StandardCharsets.US_ASCII)).toString());
  }

  @Test
  void parseAndToStringRoundTrip() {
    Digest d = Digest.parse(ABC);
    assertEquals("sha256", d.algorithm());
    assertEquals(ABC.substring(7), d.hex());
    assertEquals(ABC, d.toString());
  }

  @Test
  void sha512IsAccepted() {
    String value = "sha512:" + "0".repeat(128);
    assertEquals(value, Digest.parse(value).toString());
  }

  @Test
  void matchesUsesTheDigestsOwnAlgorithm() {
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    assertTrue(Digest.parse(ABC).matches(abc));
    assertFalse(Digest.parse(EMPTY).matches(abc));
    Digest sha512 =
        Digest.parse(
            "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    assertTrue(sha512.matches(abc));
  }

  @Test
  void shortFormKeepsTwelveHexDigits() {
    assertEquals("sha256:ba7816bf8f01", Digest.parse(ABC).shortForm());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "sha256",
        "sha256:",
        "sha256:abc",
        "md5:d41d8cd98f00b204e9800998ecf8427e",
        "SHA256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0",
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",
        "sha256:zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        " sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "sha512:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      })
  void malformedDigestsAreBadInputNamingTheValue(String value) {
    GantryException e = assertThrows(GantryException.class, () -> Digest.parse(value));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains("'" + value + "'"), e.getMessage());
  }

  /** The hex check is a loop: it must answer as [a-f0-9]{64} (sha256) and {128} (sha512) do. */
  @Test
  void digestHexIsCheckedAsItsExpression() {
    Random random = new Random(13);
    String alphabet = "0123456789abcdefABCDEFg:";
    List<String> values = new ArrayList<>(List.of("", "a".repeat(64), "a".repeat(128)));
    for (int n = 0; n < 3000; n++) {
      StringBuilder b = new StringBuilder();
      int length = new int[] {63, 64, 65, 127, 128, 129, 3}[random.nextInt(7)];
      for (int i = 0; i < length; i++) {
        b.append(
            random.nextInt(40) == 0
                ? alphabet.charAt(random.nextInt(alphabet.length()))
                : alphabet.charAt(random.nextInt(16)));
      }
      values.add(b.toString());
    }
    for (String hex : values) {
      for (String algorithm : List.of("sha256", "sha512", "md5")) {
        boolean expected =
            (algorithm.equals("sha256") && hex.matches("[a-f0-9]{64}"))
                || (algorithm.equals("sha512") && hex.matches("[a-f0-9]{128}"));
        boolean accepted;
        try {
          new Digest(algorithm, hex);
          accepted = true;
        } catch (GantryException e) {
          accepted = false;
        }
        assertEquals(expected, accepted, algorithm + ":" + hex);
      }
    }
  }
}
