package dev.gantry.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gantry.image.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule: TYPE on the index (or single manifest), or else on every platform manifest. */
class RequirementCheckTest {
  private static final Digest INDEX = d("index");
  private static final Digest AMD = d("amd64");
  private static final Digest ARM = d("arm64");
  private static final Subject MULTI =
      new Subject(
          "r/api",
          INDEX,
          true,
          List.of(
              new Subject.Platform("linux/amd64", AMD), new Subject.Platform("linux/arm64", ARM)));
  private static final Subject SINGLE = new Subject("r/api", AMD, false, List.of());
  private static final Requirement SBOM = Requirement.parse("application/spdx+json");
  private static final Requirement SLSA = Requirement.parse("https://slsa.dev/provenance/v1");
  private static final Requirement SIG = Requirement.parse("cosign.sig");
  private static final Attachment SPDX =
      new Attachment.Referrer("application/spdx+json", Map.of(), "");
  private static final Attachment BUNDLE =
      new Attachment.Referrer(
          "application/vnd.dev.sigstore.bundle.v0.3+json",
          Map.of("dev.sigstore.bundle.predicateType", "https://slsa.dev/provenance/v1"),
          "");

  private static Digest d(String s) {
    return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void onTheIndexIsEnough() {
    assertEquals(
        List.of(), RequirementCheck.missing(MULTI, Map.of(INDEX, List.of(SPDX)), List.of(SBOM)));
  }

  @Test
  void onEveryPlatformIsEnough() {
    assertEquals(
        List.of(),
        RequirementCheck.missing(
            MULTI, Map.of(AMD, List.of(SPDX), ARM, List.of(SPDX)), List.of(SBOM)));
  }

  @Test
  void onSomePlatformsIsNotAndTheMessageNamesTheOthers() {
    assertEquals(
        List.of(
            "no application/spdx+json is attached to the index, and linux/arm64 (of 2 platforms) has none"),
        RequirementCheck.missing(MULTI, Map.of(AMD, List.of(SPDX)), List.of(SBOM)));
    assertEquals(
        List.of("no application/spdx+json is attached to the index or to any platform manifest"),
        RequirementCheck.missing(MULTI, Map.of(), List.of(SBOM)));
  }

  @Test
  void aSingleManifestNeedsItOnItself() {
    assertEquals(
        List.of("no cosign.sig is attached"),
        RequirementCheck.missing(
            SINGLE, Map.of(INDEX, List.of(new Attachment.CosignTag("sig"))), List.of(SIG)));
    assertEquals(
        List.of(),
        RequirementCheck.missing(
            SINGLE, Map.of(AMD, List.of(new Attachment.CosignTag("sig"))), List.of(SIG)));
  }

  @Test
  void eachFormMatchesOnlyItsOwnKind() {
    Map<Digest, List<Attachment>> attached =
        Map.of(INDEX, List.of(BUNDLE, new Attachment.CosignTag("att")));
    assertEquals(
        List.of(
            "no application/spdx+json is attached to the index or to any platform manifest",
            "no cosign.sig is attached to the index or to any platform manifest"),
        RequirementCheck.missing(MULTI, attached, List.of(SBOM, SLSA, SIG)));
  }

  @Test
  void anIndexWithoutPlatformsNeedsItOnTheIndex() {
    Subject empty = new Subject("r/api", INDEX, true, List.of());
    assertEquals(
        List.of("no application/spdx+json is attached to the index (it has no platform manifests)"),
        RequirementCheck.missing(empty, Map.of(), List.of(SBOM)));
  }
}
