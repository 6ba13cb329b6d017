package dev.gantry.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import org.junit.jupiter.api.Test;

class RequirementTest {
  @Test
  void threeFormsToldApartByShape() {
    assertEquals(
        new Requirement.ArtifactType("application/spdx+json"),
        Requirement.parse("application/spdx+json"));
    assertEquals(
        new Requirement.PredicateType("https://slsa.dev/provenance/v1"),
        Requirement.parse("https://slsa.dev/provenance/v1"));
    assertEquals(new Requirement.CosignTag("sig"), Requirement.parse("cosign.sig"));
    assertEquals(
        new Requirement.ArtifactType("application/vnd.dev.sigstore.bundle+json;version=0.3"),
        Requirement.parse("application/vnd.dev.sigstore.bundle+json;version=0.3"));
    assertEquals(new Requirement.CosignTag("sbom"), Requirement.parse("COSIGN.SBOM"));
    // cosign's OCI 1.1 artifact type names the same thing as its tag
    assertEquals(
        new Requirement.CosignTag("att"),
        Requirement.parse("application/vnd.dev.cosign.artifact.att.v1+json"));
  }

  @Test
  void anythingElseIsBadInputNamingTheValue() {
    for (String bad :
        new String[] {
          "", "spdx", "cosign.sigs", "application/", "-x", "a/b c", "ftp://x", "a/b;", "a/b;x"
        }) {
      GantryException e = assertThrows(GantryException.class, () -> Requirement.parse(bad));
      assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
      assertTrue(
          e.getMessage().startsWith("invalid --require-referrer '" + bad + "'"), e.getMessage());
    }
  }
}
