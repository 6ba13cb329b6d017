package dev.gantry.trust;

import java.util.List;
import java.util.Optional;

/**
 * What promote and copy check before writing: the referrers that must be attached, and the key
 * signatures must verify with.
 */
public record TrustPolicy(List<Requirement> requirements, Optional<VerifyKey> key) {
  public TrustPolicy {
    requirements = List.copyOf(requirements);
  }

  public static TrustPolicy none() {
    return new TrustPolicy(List.of(), Optional.empty());
  }

  /** Nothing to check: no request is made for it. */
  public boolean isEmpty() {
    return requirements.isEmpty() && key.isEmpty();
  }
}
