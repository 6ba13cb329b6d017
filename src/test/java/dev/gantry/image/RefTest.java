package dev.gantry.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gantry.GantryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RefTest {
  private static final String DIGEST = "sha256:" + "a".repeat(64);

  @Test
  void aTagParsesToATag() {
    Ref ref = Ref.parse("sha-abc1234");
    Ref.Tag tag = assertInstanceOf(Ref.Tag.class, ref);
    assertEquals("sha-abc1234", tag.name());
    assertEquals("sha-abc1234", ref.toString());
    assertEquals(Ref.tag("sha-abc1234"), ref);
  }

  @Test
  void aDigestParsesToADigest() {
    Ref ref = Ref.parse(DIGEST);
    Ref.ByDigest d = assertInstanceOf(Ref.ByDigest.class, ref);
    assertEquals(Digest.parse(DIGEST), d.digest());
    assertEquals(DIGEST, ref.toString());
    assertEquals(Ref.of(Digest.parse(DIGEST)), ref);
  }

  @Test
  void sha512IsADigestToo() {
    String value = "sha512:" + "0".repeat(128);
    assertInstanceOf(Ref.ByDigest.class, Ref.parse(value));
    assertEquals(value, Ref.parse(value).toString());
  }

  /** The wire form parses back to the same reference: what is printed is what was meant. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "latest",
        "v1.2.3",
        "_x",
        "sha256-ab.sig",
        "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      })
  void toStringRoundTrips(String value) {
    Ref ref = Ref.parse(value);
    assertEquals(value, ref.toString());
    assertEquals(ref, Ref.parse(ref.toString()));
    assertEquals(ref.hashCode(), Ref.parse(ref.toString()).hashCode());
  }

  @Test
  void describeJoinsAStoreNameWithColonOrAt() {
    assertEquals("ghcr.io/acme/api:latest", Ref.tag("latest").in("ghcr.io/acme/api"));
    assertEquals("oci:build/app@" + DIGEST, Ref.parse(DIGEST).in("oci:build/app"));
  }

  @Test
  void aTagAndADigestAreNeverEqual() {
    assertNotEquals(Ref.tag("sha256-" + "a".repeat(64)), Ref.parse(DIGEST));
    assertFalse(Ref.parse(DIGEST).equals(DIGEST), "not equal to its own text");
  }

  /** Same messages as before the type: the tag grammar, or the digest form. */
  @ParameterizedTest
  @ValueSource(strings = {"-leading-dash", ".dot", "has space", "a/b", "é", ""})
  void aBadTagIsBadInputNamingIt(String value) {
    GantryException e = assertThrows(GantryException.class, () -> Ref.parse(value));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertEquals(
        "invalid tag '" + value + "' (allowed: [A-Za-z0-9_][A-Za-z0-9._-]{0,127})", e.getMessage());
  }

  @Test
  void aTagLongerThan128IsBadInput() {
    assertEquals("a".repeat(128), Ref.parse("a".repeat(128)).toString());
    GantryException e = assertThrows(GantryException.class, () -> Ref.parse("a".repeat(129)));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha256:short", "md5:" + "a", "sha256:" + "A"})
  void aBadDigestIsBadInputNamingIt(String value) {
    GantryException e = assertThrows(GantryException.class, () -> Ref.parse(value));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertEquals("invalid digest '" + value + "' (expected sha256:<64 hex>)", e.getMessage());
  }

  @Test
  void aNullTagIsBadInputNamingIt() {
    GantryException e = assertThrows(GantryException.class, () -> Ref.Tag.parse(null));
    assertEquals("invalid tag 'null' (allowed: [A-Za-z0-9_][A-Za-z0-9._-]{0,127})", e.getMessage());
  }

  /**
   * A tag the program makes itself is not held to the grammar (a layout's index may carry names a
   * registry would refuse), but it can never look like a digest.
   */
  @Test
  void aTagIsNeverEmptyNorHoldsAColon() {
    assertEquals("v1+build", Ref.tag("v1+build").name());
    assertThrows(IllegalArgumentException.class, () -> Ref.tag(""));
    assertThrows(IllegalArgumentException.class, () -> Ref.tag(DIGEST));
  }

  /** The grammar check is a loop: it must answer as the distribution spec's expression does. */
  @Test
  void tagValidityIsTheDistributionSpecGrammar() {
    Pattern grammar = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    Random random = new Random(13);
    String alphabet = "aZ09_.-:/@ é";
    List<String> values =
        new ArrayList<>(
            List.of("", "a", "_", ".", "-", "a".repeat(128), "a".repeat(129), "A.b-c_9"));
    for (int n = 0; n < 5000; n++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(4) == 0 ? 120 + random.nextInt(12) : random.nextInt(8);
      for (int i = 0; i < length; i++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      values.add(b.toString());
    }
    for (String v : values) {
      assertEquals(grammar.matcher(v).matches(), Ref.Tag.isValid(v), v);
    }
  }
}
