package dev.gantry.copy;

import dev.gantry.GantryException;
import dev.gantry.Jobs;
import dev.gantry.progress.Moved;
import dev.gantry.progress.TransferListener;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Manifest;
import dev.gantry.image.ManifestContent;
import dev.gantry.store.ImageStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Copies an image, byte-exact, between any two stores (registry repositories, OCI layouts): the blobs first
 * (mounted or streamed), then the child manifests of an index by digest, then the top manifest under the
 * destination reference, so a reader never sees a manifest whose content is missing. A destination already at
 * the digest is left alone.
 */
public final class ImageCopier {
  /** A store and the tag or digest within it. {@code reference} null at the destination: decided by {@link #copy}. */
  public record Endpoint(ImageStore store, @Nullable String reference) {
    public String describe() {
      return store.describe(Objects.requireNonNull(reference, "describe an endpoint before its reference is decided"));
    }
  }

  private ImageCopier() {}

  /** Copies, telling {@code listener} about every blob and manifest as it goes (for progress and the summary). */
  public static CopyReport copy(Endpoint source, Endpoint destination, boolean dryRun, int jobs, TransferListener listener) {
    return copy(source, read(source), destination, dryRun, jobs, listener);
  }

  /** The source's top manifest, as {@link #copy(Endpoint, Manifest, Endpoint, boolean, int, TransferListener)} takes it. */
  public static Manifest read(Endpoint source) {
    return source.store().getManifest(Objects.requireNonNull(source.reference(), "a copy source names its tag or digest"));
  }

  /**
   * Copies {@code top}, the source's top manifest as read before (and checked, by a caller that checks), so that
   * what is written is exactly what was checked, with no second read in between.
   */
  @SuppressWarnings("EnumOrdinal") // counts[] is indexed by the enum in memory, never stored
  public static CopyReport copy(Endpoint source, Manifest top, Endpoint destination, boolean dryRun, int jobs,
      TransferListener listener) {
    ImageStore from = source.store();
    ImageStore to = destination.store();
    String sourceRef = Objects.requireNonNull(source.reference(), "a copy source names its tag or digest");
    String named = destination.reference();
    String targetRef = named != null ? named
        : sourceRef.contains(":") ? top.digest().toString() : sourceRef;
    if (targetRef.contains(":") && !targetRef.equals(top.digest().toString())) {
      throw GantryException.badInput("destination digest " + targetRef + " does not match the source manifest " + top.digest());
    }
    Endpoint target = new Endpoint(to, targetRef);

    boolean present = to.headImage(targetRef).map(top.digest()::equals).orElse(false);
    if (present || dryRun) {
      CopyReport.Outcome outcome = present ? CopyReport.Outcome.UNCHANGED : CopyReport.Outcome.WOULD_COPY;
      return new CopyReport(source.describe(), target.describe(), top.digest(), top.mediaType(), outcome, 0, 0, 0, 0, 0);
    }

    // Every manifest below the top one (an index's children, depth first), read once and kept as bytes.
    List<Manifest> children = new ArrayList<>();
    collectChildren(top, from, jobs, children);
    List<Manifest> missing = Jobs.valuesOrThrow(Jobs.run(children, jobs, true,
        m -> to.headManifest(m.digest().toString()).isEmpty() ? m : null)).stream().filter(m -> m != null).toList();
    Map<String, Descriptor> blobs = new LinkedHashMap<>();
    List<Manifest> withBlobs = new ArrayList<>(missing);
    if (!top.isIndex()) {
      withBlobs.add(top);
    }
    for (Manifest m : withBlobs) {
      for (Descriptor d : ManifestContent.of(m, source.describe()).blobs()) {
        if (!d.isForeign()) {
          blobs.putIfAbsent(d.digest().toString(), d);
        }
      }
    }
    List<Descriptor> list = new ArrayList<>(blobs.values());
    listener.planned(list);
    List<BlobTransfer.How> how = Jobs.valuesOrThrow(Jobs.run(list, jobs, true, d -> {
      BlobTransfer.How h = BlobTransfer.transfer(d, from, to, listener);
      listener.blobFinished(d, moved(h));
      return h;
    }));
    // Image manifests in parallel; nested indexes after them, in order, since each needs its children present.
    List<Manifest> leaves = missing.stream().filter(m -> !m.isIndex()).toList();
    Jobs.valuesOrThrow(Jobs.run(leaves, jobs, true, m -> {
      to.putManifest(m.digest().toString(), m);
      listener.manifestWritten(m.digest());
      return m;
    }));
    missing.stream().filter(Manifest::isIndex).forEach(m -> {
      to.putManifest(m.digest().toString(), m);
      listener.manifestWritten(m.digest());
    });
    to.putImage(targetRef, top);
    listener.manifestWritten(top.digest());

    long bytes = 0;
    int[] counts = new int[BlobTransfer.How.values().length];
    for (int i = 0; i < how.size(); i++) {
      counts[how.get(i).ordinal()]++;
      if (how.get(i) == BlobTransfer.How.COPIED) {
        bytes += list.get(i).size();
      }
    }
    return new CopyReport(source.describe(), target.describe(), top.digest(), top.mediaType(), CopyReport.Outcome.COPIED,
        missing.size() + 1, counts[BlobTransfer.How.COPIED.ordinal()], counts[BlobTransfer.How.MOUNTED.ordinal()],
        counts[BlobTransfer.How.PRESENT.ordinal()], bytes);
  }

  private static Moved moved(BlobTransfer.How how) {
    return switch (how) {
      case PRESENT -> Moved.ALREADY_THERE;
      case MOUNTED -> Moved.MOUNTED;
      case COPIED -> Moved.UPLOADED;
    };
  }

  private static void collectChildren(Manifest manifest, ImageStore from, int jobs, List<Manifest> out) {
    if (!manifest.isIndex()) {
      return;
    }
    List<Descriptor> refs = ManifestContent.of(manifest, from.name()).children();
    List<Manifest> read = Jobs.valuesOrThrow(Jobs.run(refs, jobs, true, d -> from.getManifest(d.digest().toString())));
    for (Manifest child : read) {
      collectChildren(child, from, jobs, out);
      out.add(child);
    }
  }
}
