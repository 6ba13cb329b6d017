package dev.gantry.image;

import java.util.List;

/**
 * Cosign's tag scheme: a signature, attestation or SBOM of {@code sha256:<hex>} is the manifest
 * tagged {@code sha256-<hex>.sig}, {@code .att} or {@code .sbom} in the same repository. Selected
 * and reported by the artifactType cosign itself gives these in its OCI 1.1 mode: {@code
 * application/vnd.dev.cosign.artifact.<kind>.v1+json}.
 */
public final class CosignTags {
  public static final List<String> KINDS = List.of("sig", "att", "sbom");

  private CosignTags() {}

  public static String tag(Digest subject, String kind) {
    return subject.algorithm() + "-" + subject.hex() + "." + kind;
  }

  public static String artifactType(String kind) {
    return "application/vnd.dev.cosign.artifact." + kind + ".v1+json";
  }
}
