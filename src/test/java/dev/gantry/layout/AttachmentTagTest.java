package dev.gantry.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Which index entries are attachments by their tag: a loop that must answer as the expression it
 * stands for.
 */
class AttachmentTagTest {
  private static final Pattern GRAMMAR =
      Pattern.compile("sha(256|512)-[a-f0-9]{64,}(\\.(sig|att|sbom))?");

  @Test
  void answersAsTheAttachmentTagExpression() {
    String hex = "0123456789abcdef".repeat(4);
    List<String> values =
        new ArrayList<>(
            List.of(
                "",
                "latest",
                "sha256-" + hex,
                "sha512-" + hex + "ab",
                "sha256-" + hex + ".sig",
                "sha256-" + hex + ".att",
                "sha256-" + hex + ".sbom",
                "sha256-" + hex + ".sbomx",
                "sha256-" + hex + ".",
                "sha256-" + hex.substring(1),
                "sha256-" + hex.substring(1) + ".sig",
                "sha384-" + hex,
                "SHA256-" + hex,
                "sha256-" + hex.toUpperCase(java.util.Locale.ROOT),
                "sha256_" + hex));
    Random random = new Random(13);
    String[] parts = {
      "sha256-", "sha512-", "sha1-", "a", "f", "0", "9", "g", ".", "sig", "att", "sbom", "-"
    };
    for (int n = 0; n < 5000; n++) {
      StringBuilder b = new StringBuilder(random.nextBoolean() ? "sha256-" : "");
      if (random.nextBoolean()) {
        b.append(hex, 0, 60 + random.nextInt(5));
      }
      for (int i = random.nextInt(6); i > 0; i--) {
        b.append(parts[random.nextInt(parts.length)]);
      }
      values.add(b.toString());
    }
    for (String v : values) {
      assertEquals(GRAMMAR.matcher(v).matches(), OciLayout.isAttachmentTag(v), v);
    }
  }
}
