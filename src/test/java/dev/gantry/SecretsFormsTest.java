package dev.gantry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Each form a secret can take in output is blanked out; ordinary text around it is left alone. */
class SecretsFormsTest {
  private static final String SECRET = "my  p\"a\\ss\tword/+=&";
  private final Secrets secrets = new Secrets();

  SecretsFormsTest() {
    secrets.add(SECRET);
  }

  private void assertBlanked(String form) {
    String out = secrets.redact("before " + form + " after");
    assertEquals("before *** after", out, "form: " + form);
  }

  @Test
  void raw() {
    assertBlanked(SECRET);
  }

  @Test
  void jsonEscaped() {
    assertBlanked("my  p\\\"a\\\\ss\\tword/+=&");
  }

  @Test
  void whitespaceCollapsedOrRemoved() {
    assertBlanked("my p\"a\\ss word/+=&");
    assertBlanked("myp\"a\\ssword/+=&");
  }

  @Test
  void urlEncodedEitherWayAndInEitherCase() {
    String form = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
    assertBlanked(form);
    assertBlanked(form.replace("+", "%20"));
    assertBlanked(form.toLowerCase(java.util.Locale.ROOT));
  }

  @Test
  void base64WithAndWithoutPadding() {
    String b64 = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    assertBlanked(b64);
    assertBlanked(b64.replace("=", ""));
    assertBlanked(
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void basicValueWithoutPadding() {
    String basic =
        Base64.getEncoder().encodeToString(("ci:" + SECRET).getBytes(StandardCharsets.UTF_8));
    secrets.add(basic);
    assertFalse(
        secrets
            .redact("auth=" + basic.replaceAll("=+$", "") + ";")
            .contains(basic.replaceAll("=+$", "")));
  }

  @Test
  void shortOrBlankSecretsAreTooShort() {
    assertTrue(Secrets.tooShort("abc"));
    assertTrue(Secrets.tooShort("a b c"));
    assertTrue(Secrets.tooShort("    "));
    assertFalse(Secrets.tooShort("abcd"));
    assertFalse(Secrets.tooShort(""), "empty is no secret at all");
  }

  /** The header pattern runs only on a line that names a scheme: in any case, and not otherwise. */
  @Test
  void headerValuesAreBlankedInAnyCaseAndOtherLinesLeftAlone() {
    Secrets none = new Secrets();
    assertEquals("Authorization: bearer ***", none.redact("Authorization: bearer abcdefgh.ij"));
    assertEquals("x BASIC *** y", none.redact("x BASIC dXNlcjpwYXNz y"));
    assertEquals("BeArEr ***", none.redact("BeArEr 0123456789"));
    assertEquals("basic abc", none.redact("basic abc"));
    assertEquals("promoted oci:x:latest", none.redact("promoted oci:x:latest"));
    assertEquals("ab", none.redact("ab"));
  }
}
