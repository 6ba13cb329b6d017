package dev.gantry.cli;

import dev.gantry.GantryException;
import dev.gantry.trust.Requirement;
import dev.gantry.trust.TrustPolicy;
import dev.gantry.trust.VerifyKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --require-referrer}, {@code --verify-signature} and {@code --verify-key}, for promote and
 * copy.
 */
final class TrustOptions {
  @Option(
      names = "--require-referrer",
      paramLabel = "TYPE",
      description =
          "Refuse (exit 9, nothing written) unless TYPE is attached to the source: to the index or single "
              + "manifest, or else to every platform manifest. TYPE is an artifact type (application/spdx+json), a "
              + "predicate type URL (https://slsa.dev/provenance/v1) or cosign.sig, cosign.att, cosign.sbom (repeatable).")
  List<String> requireReferrer = new ArrayList<>();

  @Option(
      names = "--verify-signature",
      description =
          "Refuse (exit 10, nothing written) unless a cosign signature of the source (its .sig tag) verifies "
              + "with --verify-key and names the source digest: on the index or single manifest, or else on every platform manifest.")
  boolean verifySignature;

  @Option(
      names = "--verify-key",
      paramLabel = "FILE",
      description =
          "The cosign public key (cosign.pub: PEM, ECDSA P-256) for --verify-signature; implies it.")
  @Nullable Path verifyKey;

  /** The checks asked for, every value validated (bad input names it) before any request. */
  TrustPolicy policy() {
    // A loop, not a stream: every promote builds its policy, and a stream's lambdas are linked on
    // first use.
    LinkedHashSet<Requirement> distinct = new LinkedHashSet<>();
    for (String r : requireReferrer) {
      distinct.add(Requirement.parse(r));
    }
    List<Requirement> requirements = new ArrayList<>(distinct);
    if (verifySignature && verifyKey == null) {
      throw GantryException.badInput(
          "--verify-signature needs --verify-key FILE (a cosign public key); for keyless "
              + "Sigstore bundles run gh attestation verify or cosign verify-attestation (see the README)");
    }
    return new TrustPolicy(
        requirements,
        verifyKey == null ? Optional.empty() : Optional.ofNullable(VerifyKey.read(verifyKey)));
  }
}
