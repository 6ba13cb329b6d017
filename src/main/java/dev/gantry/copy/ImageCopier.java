package dev.gantry.copy;

import dev.gantry.Jobs;
import dev.gantry.registry.Descriptor;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.Manifest;
import dev.gantry.registry.ManifestContent;
import dev.gantry.registry.RegistryClient;
import dev.gantry.registry.RemoteRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies an image, byte-exact, between repositories or registries: the blobs first (mounted or streamed), then
 * the child manifests of an index by digest, then the top manifest under the destination tag, so a reader never
 * sees a manifest whose content is missing. A destination already at the digest is left alone.
 */
public final class ImageCopier {
  private ImageCopier() {}

  public static CopyReport copy(ImageReference source, ImageReference destination, RegistryClient client, boolean dryRun, int jobs) {
    RemoteRepository from = client.forPull(source.repository());
    RemoteRepository to = dryRun ? client.forPull(destination.repository()) : client.forPush(destination.repository(), source.repository());
    Manifest top = from.getManifest(source.manifestReference());
    ImageReference target = resolveTarget(source, destination, top);
    String targetRef = target.manifestReference();

    boolean present = to.headManifest(targetRef).map(top.digest()::equals).orElse(false);
    if (present || dryRun) {
      CopyReport.Outcome outcome = present ? CopyReport.Outcome.UNCHANGED : CopyReport.Outcome.WOULD_COPY;
      return new CopyReport(source, target, top.digest(), top.mediaType(), outcome, 0, 0, 0, 0, 0);
    }

    // Every manifest below the top one (an index's children, depth first), read once and kept as bytes.
    List<Manifest> children = new ArrayList<>();
    collectChildren(top, from, jobs, children);
    List<Manifest> missing = new ArrayList<>();
    for (Manifest child : children) {
      if (to.headManifest(child.digest().toString()).isEmpty()) {
        missing.add(child);
      }
    }
    Map<String, Descriptor> blobs = new LinkedHashMap<>();
    List<Manifest> withBlobs = new ArrayList<>(missing);
    if (!top.isIndex()) {
      withBlobs.add(top);
    }
    for (Manifest m : withBlobs) {
      for (Descriptor d : ManifestContent.of(m, source.toString()).blobs()) {
        if (!d.isForeign()) {
          blobs.putIfAbsent(d.digest().toString(), d);
        }
      }
    }
    boolean sameRegistry = source.repository().registry().equals(destination.repository().registry());
    List<BlobTransfer.How> how = Jobs.valuesOrThrow(Jobs.run(new ArrayList<>(blobs.values()), jobs, true,
        d -> BlobTransfer.transfer(d, from, to, sameRegistry)));
    // Image manifests in parallel; nested indexes after them, in order, since each needs its children present.
    List<Manifest> leaves = missing.stream().filter(m -> !m.isIndex()).toList();
    Jobs.valuesOrThrow(Jobs.run(leaves, jobs, true, m -> {
      to.putManifest(m.digest().toString(), m);
      return m;
    }));
    missing.stream().filter(Manifest::isIndex).forEach(m -> to.putManifest(m.digest().toString(), m));
    to.putManifest(targetRef, top);

    long bytes = 0;
    int copied = 0;
    int mounted = 0;
    int existing = 0;
    List<Descriptor> list = new ArrayList<>(blobs.values());
    for (int i = 0; i < how.size(); i++) {
      switch (how.get(i)) {
        case COPIED -> {
          copied++;
          bytes += list.get(i).size();
        }
        case MOUNTED -> mounted++;
        case PRESENT -> existing++;
      }
    }
    return new CopyReport(source, target, top.digest(), top.mediaType(), CopyReport.Outcome.COPIED,
        missing.size() + 1, copied, mounted, existing, bytes);
  }

  /** The destination with its tag or digest filled in: as given, else the source's tag, else by digest. */
  static ImageReference resolveTarget(ImageReference source, ImageReference destination, Manifest top) {
    if (destination.tag() != null || destination.digest() != null) {
      if (destination.digest() != null && !destination.digest().equals(top.digest())) {
        throw dev.gantry.GantryException.badInput("destination digest " + destination.digest()
            + " does not match the source manifest " + top.digest());
      }
      return destination;
    }
    return source.tag() != null ? destination.withTag(source.tag()) : ImageReference.of(destination.repository(), top.digest());
  }

  private static void collectChildren(Manifest manifest, RemoteRepository from, int jobs, List<Manifest> out) {
    if (!manifest.isIndex()) {
      return;
    }
    List<Descriptor> refs = ManifestContent.of(manifest, from.repository().toString()).children();
    List<Manifest> read = Jobs.valuesOrThrow(Jobs.run(refs, jobs, true, d -> from.getManifest(d.digest().toString())));
    for (Manifest child : read) {
      collectChildren(child, from, jobs, out);
      out.add(child);
    }
  }
}
