package dev.gantry.referrers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.image.CosignTags;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --referrers}: all, none, or artifact types; anything else is bad input naming the value.
 */
class SelectionTest {
  @Test
  void allAndNone() {
    assertTrue(Selection.parse("all").includes("application/spdx+json"));
    assertTrue(Selection.parse("none").none());
    assertFalse(Selection.parse("none").includes("application/spdx+json"));
  }

  @Test
  void typesAreMatchedExactly() {
    Selection s =
        Selection.parse(
            "application/spdx+json, application/vnd.dev.sigstore.bundle+json;version=0.3");

    assertEquals(
        Set.of("application/spdx+json", "application/vnd.dev.sigstore.bundle+json;version=0.3"),
        s.types());
    assertTrue(s.includes("application/spdx+json"));
    assertTrue(s.includes("application/vnd.dev.sigstore.bundle+json;version=0.3"));
    assertFalse(s.includes("application/vnd.cyclonedx+json"));
    assertFalse(s.includes(""));
    assertTrue(
        Selection.parse(CosignTags.artifactType("sig"))
            .includes("application/vnd.dev.cosign.artifact.sig.v1+json"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "sbom",
        "all,application/spdx+json",
        "application/spdx+json,",
        "application/",
        "a b/c"
      })
  void anythingElseIsBadInputNamingTheValue(String value) {
    GantryException e = assertThrows(GantryException.class, () -> Selection.parse(value));

    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains("'" + value + "'"), e.getMessage());
  }
}
