package dev.gantry.copy;

import dev.gantry.GantryException;
import dev.gantry.Jobs;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.ManifestContent;
import dev.gantry.image.Ref;
import dev.gantry.progress.Moved;
import dev.gantry.progress.TransferListener;
import dev.gantry.referrers.Discovery;
import dev.gantry.referrers.Selection;
import dev.gantry.store.ImageStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Copies an image, byte-exact, between any two stores (registry repositories, OCI layouts): the
 * blobs first (mounted or streamed), then the child manifests of an index by digest, then the top
 * manifest under the destination reference, so a reader never sees a manifest whose content is
 * missing. A destination already at the digest is left alone. Attachments (signatures,
 * attestations, SBOMs) selected by {@link Selection} go with it ({@link ReferrerCarrier}), written
 * before the destination tag.
 */
public final class ImageCopier {
  /**
   * A store and the tag or digest within it. {@code reference} null at the destination: decided by
   * {@link #copy}.
   */
  public record Endpoint(ImageStore store, @Nullable Ref reference) {
    public String describe() {
      return store.describe(
          Objects.requireNonNull(
              reference, "describe an endpoint before its reference is decided"));
    }
  }

  private ImageCopier() {}

  /**
   * Copies, telling {@code listener} about every blob and manifest as it goes (for progress and the
   * summary).
   */
  @SuppressWarnings("EnumOrdinal") // counts[] is indexed by the enum in memory, never stored
  public static CopyReport copy(
      Endpoint source, Endpoint destination, boolean dryRun, int jobs, TransferListener listener) {
    return copy(source, destination, dryRun, jobs, listener, Selection.NONE);
  }

  /**
   * Copies the image and the attachments {@code referrers} selects. Everything is read before the
   * first write (the image, the source's attachments, what the destination has); the attachments
   * are written after the image's content and before the destination tag, which a failed attachment
   * leaves where it was.
   */
  public static CopyReport copy(
      Endpoint source,
      Endpoint destination,
      boolean dryRun,
      int jobs,
      TransferListener listener,
      Selection referrers) {
    return copy(source, read(source), destination, dryRun, jobs, listener, referrers);
  }

  /**
   * The source's top manifest, as {@link #copy(Endpoint, Manifest, Endpoint, boolean, int,
   * TransferListener, Selection)} takes it.
   */
  public static Manifest read(Endpoint source) {
    return source
        .store()
        .getManifest(
            Objects.requireNonNull(source.reference(), "a copy source names its tag or digest"));
  }

  /**
   * The same, for {@code top}: the source's top manifest as read before (and checked, by a caller
   * that checks), so that what is written is exactly what was checked, with no second read in
   * between.
   */
  public static CopyReport copy(
      Endpoint source,
      Manifest top,
      Endpoint destination,
      boolean dryRun,
      int jobs,
      TransferListener listener,
      Selection referrers) {
    ImageStore from = source.store();
    ImageStore to = destination.store();
    Ref sourceRef =
        Objects.requireNonNull(source.reference(), "a copy source names its tag or digest");
    Ref named = destination.reference();
    // Unnamed, the destination keeps the source's tag; a source named by digest is the digest read.
    Ref targetRef =
        named != null ? named : sourceRef instanceof Ref.Tag ? sourceRef : Ref.of(top.digest());
    if (targetRef instanceof Ref.ByDigest d && !d.digest().equals(top.digest())) {
      throw GantryException.badInput(
          "destination digest "
              + targetRef
              + " does not match the source manifest "
              + top.digest());
    }
    Endpoint target = new Endpoint(to, targetRef);

    Optional<Digest> previous = to.headImage(targetRef);
    boolean present = previous.map(top.digest()::equals).orElse(false);
    List<ReferrerCarrier.Step> steps =
        referrers.none()
            ? List.of()
            : ReferrerCarrier.plan(Discovery.discover(from, top, jobs), from, to, referrers, jobs);
    if (dryRun) {
      CopyReport.Outcome outcome =
          present ? CopyReport.Outcome.UNCHANGED : CopyReport.Outcome.WOULD_COPY;
      return new CopyReport(
          source.describe(),
          target.describe(),
          targetRef,
          top.digest(),
          top.mediaType(),
          outcome,
          0,
          0,
          0,
          0,
          0,
          ReferrerCarrier.dryRun(steps),
          previous);
    }

    List<ReferrerCarrier.Transferred> blobs = new ArrayList<>();
    int manifests =
        present ? 0 : copyContent(top, from, to, source.describe(), jobs, listener, blobs);
    if (!present && steps.stream().anyMatch(s -> !s.present())) {
      // The subject exists by digest before anything that refers to it (a registry may check); the
      // tag comes last.
      // One PUT, no HEAD first: a PUT of bytes the registry has is as cheap as asking, and changes
      // nothing.
      to.putManifest(Ref.of(top.digest()), top);
    }
    ReferrerCarrier.Carried carried = ReferrerCarrier.apply(steps, from, to, jobs, listener);
    blobs.addAll(carried.blobs());
    CopyReport.Outcome outcome;
    if (carried.failed()) {
      outcome = CopyReport.Outcome.FAILED;
    } else if (present) {
      outcome = CopyReport.Outcome.UNCHANGED;
    } else {
      to.putImage(targetRef, top);
      listener.manifestWritten(top.digest());
      manifests++;
      outcome = CopyReport.Outcome.COPIED;
    }
    long bytes = 0;
    Map<BlobTransfer.How, Integer> counts = new EnumMap<>(BlobTransfer.How.class);
    for (ReferrerCarrier.Transferred t : blobs) {
      counts.merge(t.how(), 1, Integer::sum);
      if (t.how() == BlobTransfer.How.COPIED) {
        bytes += t.blob().size();
      }
    }
    return new CopyReport(
        source.describe(),
        target.describe(),
        targetRef,
        top.digest(),
        top.mediaType(),
        outcome,
        manifests + carried.manifests(),
        counts.getOrDefault(BlobTransfer.How.COPIED, 0),
        counts.getOrDefault(BlobTransfer.How.MOUNTED, 0),
        counts.getOrDefault(BlobTransfer.How.PRESENT, 0),
        bytes,
        carried.results(),
        previous);
  }

  /**
   * The image's blobs and every manifest below the top one, written by digest; says how many
   * manifests it wrote. The top manifest itself is left to the caller.
   */
  private static int copyContent(
      Manifest top,
      ImageStore from,
      ImageStore to,
      String where,
      int jobs,
      TransferListener listener,
      List<ReferrerCarrier.Transferred> transferred) {
    // Every manifest below the top one (an index's children, depth first), read once and kept as
    // bytes.
    List<Manifest> children = new ArrayList<>();
    collectChildren(top, from, jobs, children);
    List<Manifest> missing =
        Jobs.valuesOrThrow(
                Jobs.run(
                    children,
                    jobs,
                    true,
                    m -> to.headManifest(Ref.of(m.digest())).isEmpty() ? m : null))
            .stream()
            .filter(m -> m != null)
            .toList();
    Map<String, Descriptor> blobs = new LinkedHashMap<>();
    List<Manifest> withBlobs = new ArrayList<>(missing);
    if (!top.isIndex()) {
      withBlobs.add(top);
    }
    for (Manifest m : withBlobs) {
      for (Descriptor d : ManifestContent.of(m, where).blobs()) {
        if (!d.isForeign()) {
          blobs.putIfAbsent(d.digest().toString(), d);
        }
      }
    }
    List<Descriptor> list = new ArrayList<>(blobs.values());
    List<BlobTransfer.How> how = BlobTransfer.transferAll(list, from, to, jobs, listener);
    for (int i = 0; i < list.size(); i++) {
      transferred.add(new ReferrerCarrier.Transferred(list.get(i), how.get(i)));
    }
    // Image manifests in parallel; nested indexes after them, in order, since each needs its
    // children present.
    List<Manifest> leaves = missing.stream().filter(m -> !m.isIndex()).toList();
    Jobs.valuesOrThrow(
        Jobs.run(
            leaves,
            jobs,
            true,
            m -> {
              to.putManifest(Ref.of(m.digest()), m);
              listener.manifestWritten(m.digest());
              return m;
            }));
    missing.stream()
        .filter(Manifest::isIndex)
        .forEach(
            m -> {
              to.putManifest(Ref.of(m.digest()), m);
              listener.manifestWritten(m.digest());
            });
    return missing.size();
  }

  static Moved moved(BlobTransfer.How how) {
    return switch (how) {
      case PRESENT -> Moved.ALREADY_THERE;
      case MOUNTED -> Moved.MOUNTED;
      case COPIED -> Moved.UPLOADED;
    };
  }

  private static void collectChildren(
      Manifest manifest, ImageStore from, int jobs, List<Manifest> out) {
    if (!manifest.isIndex()) {
      return;
    }
    List<Descriptor> refs = ManifestContent.of(manifest, from.name()).children();
    List<Manifest> read =
        Jobs.valuesOrThrow(Jobs.run(refs, jobs, true, d -> from.getManifest(Ref.of(d.digest()))));
    for (Manifest child : read) {
      collectChildren(child, from, jobs, out);
      out.add(child);
    }
  }
}
