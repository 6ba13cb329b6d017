package dev.gantry.trust;

import dev.gantry.GantryException;
import dev.gantry.Jobs;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.store.ImageStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read-phase check of promote and copy: given the source manifest just read (the exact bytes
 * that will be written), it reads what is attached to it and refuses, by throwing, before anything
 * is written. With an empty policy it makes no request at all.
 *
 * <p>For an index, a requirement (and a signature) is met on the index's own digest, or else on
 * every one of its platform manifests ({@link RequirementCheck}); the platforms are only read when
 * the index alone does not do.
 */
public final class TrustGate {
  private final TrustPolicy policy;
  private final int jobs;

  public TrustGate(TrustPolicy policy, int jobs) {
    this.policy = policy;
    this.jobs = jobs;
  }

  public static TrustGate none() {
    return new TrustGate(TrustPolicy.none(), 1);
  }

  public boolean isEmpty() {
    return policy.isEmpty();
  }

  /**
   * Throws {@code REFERRER_MISSING} or {@code SIGNATURE_REFUSED} when {@code top}, read from {@code
   * store}, falls short.
   */
  public void check(ImageStore store, Manifest top) {
    if (policy.isEmpty()) {
      return;
    }
    Subject subject = Subject.of(store.name(), top);
    requireReferrers(store, subject);
    policy.key().ifPresent(key -> verify(store, subject, key));
  }

  private void requireReferrers(ImageStore store, Subject subject) {
    List<Requirement> required = policy.requirements();
    if (required.isEmpty()) {
      return;
    }
    Map<Digest, List<Attachment>> attached = new HashMap<>();
    attached.put(subject.digest(), AttachmentReader.read(store, subject.digest(), required));
    List<String> missing = RequirementCheck.missing(subject, attached, required);
    if (!missing.isEmpty() && subject.index()) {
      List<Digest> platforms = subject.platforms().stream().map(Subject.Platform::digest).toList();
      List<List<Attachment>> read =
          Jobs.valuesOrThrow(
              Jobs.run(platforms, jobs, true, d -> AttachmentReader.read(store, d, required)));
      for (int i = 0; i < platforms.size(); i++) {
        attached.put(platforms.get(i), read.get(i));
      }
      missing = RequirementCheck.missing(subject, attached, required);
    }
    if (!missing.isEmpty()) {
      throw new GantryException(
          GantryException.Kind.REFERRER_MISSING,
          "require referrer "
              + subject.reference()
              + ": "
              + String.join("; ", missing)
              + "; nothing was written");
    }
  }

  private void verify(ImageStore store, Subject subject, VerifyKey key) {
    Optional<String> top =
        CosignVerifier.refusal(
            key, subject.digest(), SignatureReader.read(store, subject.digest()));
    if (top.isEmpty()) {
      return;
    }
    List<String> reasons = new ArrayList<>();
    reasons.add((subject.index() ? "index: " : "") + top.get());
    if (subject.index() && !subject.platforms().isEmpty()) {
      List<Optional<String>> each =
          Jobs.valuesOrThrow(
              Jobs.run(
                  subject.platforms(),
                  jobs,
                  true,
                  p ->
                      CosignVerifier.refusal(
                          key, p.digest(), SignatureReader.read(store, p.digest()))));
      if (each.stream().allMatch(Optional::isEmpty)) {
        return; // every platform manifest carries a signature that verifies
      }
      for (int i = 0; i < each.size(); i++) {
        int at = i;
        each.get(i).ifPresent(why -> reasons.add(subject.platforms().get(at).label() + ": " + why));
      }
    }
    throw new GantryException(
        GantryException.Kind.SIGNATURE_REFUSED,
        "verify signature "
            + subject.reference()
            + " with "
            + key.name()
            + ": "
            + String.join("; ", reasons)
            + "; nothing was written");
  }
}
