package dev.gantry.copy;

import dev.gantry.Jobs;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.ManifestContent;
import dev.gantry.image.Ref;
import dev.gantry.image.Referrer;
import dev.gantry.progress.TransferListener;
import dev.gantry.referrers.Attachment;
import dev.gantry.referrers.Discovered;
import dev.gantry.referrers.Selection;
import dev.gantry.store.ImageStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries an image's attachments on a copy: plans from what was read (the source's attachments,
 * what the destination lists already), then writes, parents before children, each in the
 * destination's own form: an OCI referrer through {@link ImageStore#putReferrer} (referrers API or
 * fallback tag, or a layout's index), a cosign tag as the same tag. Blobs go as the image's do:
 * HEAD first, mounted within a registry, never sent twice.
 *
 * <p>The first failure stops the carry: nothing after it starts, and the copier does not move the
 * destination tag. Cosign tags already replaced are put back (if they still hold what was written);
 * referrers already written stay, since they are untagged manifests (and fallback-index entries)
 * that list only what exists.
 */
final class ReferrerCarrier {
  /**
   * One attachment to carry: whether the destination has it, what its cosign tag held there before
   * (if any), and, when it is to be copied, its manifest as read from the source.
   */
  record Step(
      Attachment attachment,
      boolean present,
      Optional<Manifest> previous,
      Optional<Manifest> manifest) {}

  /** What the carry did: one result per step, and every blob it looked at with how it got there. */
  record Carried(List<ReferrerResult> results, List<Transferred> blobs, int manifests) {
    boolean failed() {
      return results.stream().anyMatch(r -> r.outcome() == ReferrerResult.Outcome.FAILED);
    }
  }

  /** A blob and how it reached the destination. */
  record Transferred(Descriptor blob, BlobTransfer.How how) {}

  private ReferrerCarrier() {}

  /**
   * The selected attachments, in discovery order (parents first), with the destination's state. An
   * attachment is carried when its type is selected and its subject is carried (the image and its
   * platform manifests always are).
   */
  static List<Step> plan(
      Discovered found, ImageStore from, ImageStore to, Selection selection, int jobs) {
    Set<Digest> carried = new HashSet<>(found.images());
    List<Attachment> chosen = new ArrayList<>();
    for (Attachment a : found.attachments()) {
      if (selection.includes(a.artifactType()) && carried.contains(a.subject())) {
        chosen.add(a);
        carried.add(a.digest());
      }
    }
    // One read per subject with OCI referrers, one per cosign tag; all before the first write.
    List<Digest> subjects =
        chosen.stream().filter(a -> !a.isCosignTag()).map(Attachment::subject).distinct().toList();
    List<List<Referrer>> listed =
        Jobs.valuesOrThrow(Jobs.run(subjects, jobs, true, s -> to.referrers(s, Optional.empty())));
    Map<Digest, Set<Digest>> atDestination = new HashMap<>();
    for (int i = 0; i < subjects.size(); i++) {
      Set<Digest> digests = new HashSet<>();
      listed.get(i).forEach(r -> digests.add(r.digest()));
      atDestination.put(subjects.get(i), digests);
    }
    List<Attachment> tags = chosen.stream().filter(Attachment::isCosignTag).toList();
    List<Optional<Manifest>> current =
        Jobs.valuesOrThrow(
            Jobs.run(tags, jobs, true, a -> to.findManifest(Ref.tag(a.cosignTag().orElseThrow()))));
    Map<Attachment, Optional<Manifest>> tagged = new HashMap<>();
    for (int i = 0; i < tags.size(); i++) {
      tagged.put(tags.get(i), current.get(i));
    }
    // The manifests to copy, read now: a referrer listed at the source but gone from it fails here,
    // with zero writes.
    List<Optional<Manifest>> manifests =
        Jobs.valuesOrThrow(
            Jobs.run(
                chosen,
                jobs,
                true,
                a -> {
                  boolean present =
                      a.isCosignTag()
                          ? tagged
                              .getOrDefault(a, Optional.empty())
                              .map(m -> m.digest().equals(a.digest()))
                              .orElse(false)
                          : atDestination.getOrDefault(a.subject(), Set.of()).contains(a.digest());
                  return present
                      ? Optional.<Manifest>empty()
                      : Optional.of(
                          a.manifest().orElseGet(() -> from.getManifest(Ref.of(a.digest()))));
                }));
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < chosen.size(); i++) {
      Attachment a = chosen.get(i);
      Optional<Manifest> manifest = manifests.get(i);
      steps.add(
          new Step(a, manifest.isEmpty(), tagged.getOrDefault(a, Optional.empty()), manifest));
    }
    return steps;
  }

  static List<ReferrerResult> dryRun(List<Step> steps) {
    return steps.stream()
        .map(
            s ->
                ReferrerResult.of(
                    s.attachment(),
                    s.present()
                        ? ReferrerResult.Outcome.UNCHANGED
                        : ReferrerResult.Outcome.WOULD_COPY))
        .toList();
  }

  static Carried apply(
      List<Step> steps, ImageStore from, ImageStore to, int jobs, TransferListener listener) {
    Set<Digest> ensured = ConcurrentHashMap.newKeySet();
    List<Transferred> blobs = new ArrayList<>();
    List<ReferrerResult> results = new ArrayList<>();
    List<Integer> replacedTags = new ArrayList<>();
    RuntimeException failure = null;
    int manifests = 0;
    for (Step step : steps) {
      Attachment a = step.attachment();
      if (step.present()) {
        results.add(ReferrerResult.of(a, ReferrerResult.Outcome.UNCHANGED));
      } else if (failure != null) {
        results.add(ReferrerResult.of(a, ReferrerResult.Outcome.NOT_ATTEMPTED));
      } else {
        try {
          manifests +=
              carry(a, step.manifest().orElseThrow(), from, to, jobs, listener, ensured, blobs);
          if (a.isCosignTag() && step.previous().isPresent()) {
            replacedTags.add(results.size());
          }
          results.add(ReferrerResult.of(a, ReferrerResult.Outcome.COPIED));
        } catch (RuntimeException e) {
          failure = e;
          results.add(ReferrerResult.failed(a, ReferrerResult.Outcome.FAILED, e));
        }
      }
    }
    if (failure != null) {
      for (int i : replacedTags) {
        Step step = steps.get(i);
        try {
          restore(step, to);
          results.set(i, ReferrerResult.of(step.attachment(), ReferrerResult.Outcome.ROLLED_BACK));
        } catch (RuntimeException e) {
          results.set(
              i,
              ReferrerResult.failed(step.attachment(), ReferrerResult.Outcome.ROLLBACK_FAILED, e));
        }
      }
    }
    return new Carried(results, blobs, manifests);
  }

  /**
   * Copies one attachment's content, then writes it in the destination's form; says how many
   * manifests it wrote.
   */
  private static int carry(
      Attachment a,
      Manifest m,
      ImageStore from,
      ImageStore to,
      int jobs,
      TransferListener listener,
      Set<Digest> ensured,
      List<Transferred> transferred) {
    List<Manifest> children = new ArrayList<>();
    collectChildren(m, from, children);
    Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
    List<Manifest> withBlobs =
        new ArrayList<>(children.stream().filter(c -> !c.isIndex()).toList());
    if (!m.isIndex()) {
      withBlobs.add(m);
    }
    for (Manifest each : withBlobs) {
      for (Descriptor d : ManifestContent.of(each, from.describe(Ref.of(each.digest()))).blobs()) {
        if (!d.isForeign() && !ensured.contains(d.digest())) {
          blobs.putIfAbsent(d.digest(), d);
        }
      }
    }
    List<Descriptor> list = new ArrayList<>(blobs.values());
    List<BlobTransfer.How> how = BlobTransfer.transferAll(list, from, to, jobs, listener);
    for (int i = 0; i < list.size(); i++) {
      ensured.add(list.get(i).digest());
      transferred.add(new Transferred(list.get(i), how.get(i)));
    }
    int written = 0;
    for (Manifest child : children) {
      if (to.headManifest(Ref.of(child.digest())).isEmpty()) {
        to.putManifest(Ref.of(child.digest()), child);
        written++;
      }
    }
    if (a.cosignTag().isPresent()) {
      to.putManifest(Ref.tag(a.cosignTag().get()), m);
    } else {
      to.putReferrer(m);
    }
    listener.manifestWritten(m.digest());
    return written + 1;
  }

  /** An attachment that is an index (rare, but legal): its manifests, children before parents. */
  private static void collectChildren(Manifest manifest, ImageStore from, List<Manifest> out) {
    if (!manifest.isIndex()) {
      return;
    }
    for (Descriptor d : ManifestContent.of(manifest, from.name()).children()) {
      Manifest child = from.getManifest(Ref.of(d.digest()));
      collectChildren(child, from, out);
      out.add(child);
    }
  }

  /**
   * Puts a replaced cosign tag back on its previous manifest, unless someone else moved it
   * meanwhile.
   */
  private static void restore(Step step, ImageStore to) {
    Ref tag = Ref.tag(step.attachment().cosignTag().orElseThrow());
    Manifest previous = step.previous().orElseThrow();
    if (to.headManifest(tag).map(step.attachment().digest()::equals).orElse(false)) {
      to.putManifest(tag, previous);
    }
  }
}
