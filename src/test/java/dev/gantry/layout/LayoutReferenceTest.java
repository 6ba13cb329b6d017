package dev.gantry.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayoutReferenceTest {
  @Test
  void absolutePathWithTag() {
    LayoutReference ref = LayoutReference.parse("oci:/a/b:tag");
    assertFalse(ref.archive());
    assertEquals(Path.of("/a/b"), ref.path());
    assertEquals("tag", ref.tag());
    assertEquals("oci:/a/b", ref.name());
  }

  @Test
  void relativeDirectoryWithoutTag() {
    LayoutReference ref = LayoutReference.parse("oci:relative/dir");
    assertFalse(ref.archive());
    assertEquals(Path.of("relative/dir"), ref.path());
    assertNull(ref.tag());
    assertEquals("oci:relative/dir", ref.name());
  }

  @Test
  void archiveWithTag() {
    LayoutReference ref = LayoutReference.parse("oci-archive:/x.tar:t");
    assertTrue(ref.archive());
    assertEquals(Path.of("/x.tar"), ref.path());
    assertEquals("t", ref.tag());
    assertEquals("oci-archive:/x.tar", ref.name());
  }

  @Test
  void aColonInADirectoryNameIsNotATag() {
    LayoutReference ref = LayoutReference.parse("oci:/builds/2025-01-01T10:00/app");
    assertEquals(Path.of("/builds/2025-01-01T10:00/app"), ref.path());
    assertNull(ref.tag());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "oci:/a/b:tag",
        "oci:relative/dir",
        "oci-archive:/x.tar:t",
        "oci-archive:image.tar",
        "oci:build/app:sha-abc1234",
        "oci:/a/b:v1.2.3_rc-1"
      })
  void toStringReadsBackAsTheSameReference(String value) {
    LayoutReference ref = LayoutReference.parse(value);
    assertEquals(value, ref.toString());
    assertEquals(ref, LayoutReference.parse(ref.toString()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "oci:/a/b:bad tag",
        "oci:/a/b:-leading-dash",
        "oci:/a/b:.dot",
        "oci:/a/b:",
        "oci:/a/b:caf\u00e9",
        "oci-archive:/x.tar:t!",
        "oci:",
        "oci-archive:",
        "oci::tag"
      })
  void badTagOrMissingPathIsBadInput(String value) {
    GantryException e = assertThrows(GantryException.class, () -> LayoutReference.parse(value));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains(value), e.getMessage());
  }

  @Test
  void aTagOfMoreThan128CharactersIsBadInput() {
    String tag = "t".repeat(129);
    GantryException e =
        assertThrows(GantryException.class, () -> LayoutReference.parse("oci:/a:" + tag));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertEquals("t".repeat(128), LayoutReference.parse("oci:/a:" + "t".repeat(128)).tag());
  }

  @Test
  void recognisesOnlyTheTwoLayoutTransports() {
    assertTrue(LayoutReference.isLayout("oci:x"));
    assertTrue(LayoutReference.isLayout("oci-archive:x.tar"));
    assertFalse(LayoutReference.isLayout("ghcr.io/acme/api:v1"));
    assertFalse(LayoutReference.isLayout("docker://ghcr.io/acme/api"));
    assertFalse(LayoutReference.isLayout("ocirepo/app"));
  }
}
