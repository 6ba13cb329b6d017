package dev.gantry.referrers;

import dev.gantry.Jobs;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.ManifestContent;
import dev.gantry.image.MediaTypes;
import dev.gantry.image.Referrer;
import dev.gantry.store.ImageStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds everything attached to an image, breadth first: for the image and (for an index) every platform manifest,
 * the OCI referrers ({@link ImageStore#referrers}: referrers API, fallback tag or layout index) and cosign's
 * {@code .sig}/{@code .att}/{@code .sbom} tags; then, level by level, the OCI referrers of what was found (a
 * signature of an attestation). Cosign's tags are looked up for the image and its platform manifests only, where
 * cosign writes them. Each level's look-ups run in parallel ({@code jobs}); nothing is written.
 */
public final class Discovery {
  /** Deeper chains than this are not followed (a signature of a signature of an attestation is depth 3). */
  public static final int MAX_DEPTH = 8;

  private Discovery() {}

  public static Discovered discover(ImageStore store, Manifest image, int jobs) {
    List<Digest> platforms = new ArrayList<>();
    collectPlatforms(store, image, platforms);
    Set<Digest> seen = new HashSet<>(platforms);
    seen.add(image.digest());
    List<Digest> level = new ArrayList<>();
    level.add(image.digest());
    level.addAll(platforms);
    boolean images = true;
    List<Attachment> found = new ArrayList<>();
    for (int depth = 1; depth <= MAX_DEPTH && !level.isEmpty(); depth++) {
      final int d = depth;
      final boolean withCosign = images;
      List<List<Attachment>> perSubject = Jobs.valuesOrThrow(Jobs.run(level, jobs, true,
          subject -> attachedTo(store, subject, d, withCosign)));
      List<Digest> next = new ArrayList<>();
      for (List<Attachment> attached : perSubject) {
        for (Attachment a : attached) {
          if (seen.add(a.digest())) {
            found.add(a);
            next.add(a.digest());
          }
        }
      }
      level = next;
      images = false;
    }
    return new Discovered(image.digest(), platforms, found);
  }

  private static List<Attachment> attachedTo(ImageStore store, Digest subject, int depth, boolean withCosign) {
    List<Attachment> out = new ArrayList<>();
    for (Referrer r : store.referrers(subject, Optional.empty())) {
      out.add(Attachment.oci(subject, r, depth));
    }
    if (withCosign) {
      for (String kind : CosignTags.KINDS) {
        String tag = CosignTags.tag(subject, kind);
        store.findManifest(tag).ifPresent(m -> out.add(new Attachment(subject,
            new Referrer(new Descriptor(m.mediaType(), m.digest(), m.size()), CosignTags.artifactType(kind), Map.of()),
            Optional.of(tag), Optional.of(m), depth)));
      }
    }
    return out;
  }

  /** The manifests below an index (nested indexes too), each of which can carry its own attachments. */
  private static void collectPlatforms(ImageStore store, Manifest manifest, List<Digest> out) {
    if (!manifest.isIndex()) {
      return;
    }
    for (Descriptor child : ManifestContent.of(manifest, store.name()).children()) {
      out.add(child.digest());
      if (MediaTypes.isIndex(child.mediaType())) {
        collectPlatforms(store, store.getManifest(child.digest().toString()), out);
      }
    }
  }
}
