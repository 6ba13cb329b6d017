package dev.gantry.referrers;

import dev.gantry.Jobs;
import dev.gantry.image.CosignTags;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.ManifestContent;
import dev.gantry.image.MediaTypes;
import dev.gantry.image.Ref;
import dev.gantry.image.Referrer;
import dev.gantry.store.ImageStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds everything attached to an image, breadth first: for the image and (for an index) every
 * platform manifest, the OCI referrers ({@link ImageStore#referrers}: referrers API, fallback tag
 * or layout index) and cosign's {@code .sig}/{@code .att}/{@code .sbom} tags; then, level by level,
 * the OCI referrers and cosign's {@code .sig} tag of what was found (a signature of an attestation:
 * {@code cosign sign} on the digest of an {@code .att} manifest or of an SBOM referrer writes
 * {@code sha256-<that digest>.sig}). For attachments only {@code .sig} is looked up, since that is
 * what cosign writes for them: one request per attachment instead of three. Each level's look-ups
 * run in parallel ({@code jobs}); nothing is written.
 */
public final class Discovery {
  /**
   * Deeper chains than this are not followed (a signature of a signature of an attestation is depth
   * 3).
   */
  public static final int MAX_DEPTH = 8;

  private Discovery() {}

  /**
   * The cosign tags looked up for an attachment (the image and its platform manifests get {@link
   * CosignTags#KINDS}).
   */
  static final List<String> ATTACHMENT_KINDS = List.of("sig");

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
      final List<String> kinds = images ? CosignTags.KINDS : ATTACHMENT_KINDS;
      List<List<Attachment>> perSubject =
          Jobs.valuesOrThrow(
              Jobs.run(level, jobs, true, subject -> attachedTo(store, subject, d, kinds)));
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

  private static List<Attachment> attachedTo(
      ImageStore store, Digest subject, int depth, List<String> cosignKinds) {
    List<Attachment> out = new ArrayList<>();
    for (Referrer r : store.referrers(subject, Optional.empty())) {
      out.add(Attachment.oci(subject, r, depth));
    }
    for (String kind : cosignKinds) {
      String tag = CosignTags.tag(subject, kind);
      store
          .findManifest(Ref.tag(tag))
          .ifPresent(
              m ->
                  out.add(
                      new Attachment(
                          subject,
                          new Referrer(
                              new Descriptor(m.mediaType(), m.digest(), m.size()),
                              CosignTags.artifactType(kind),
                              Map.of()),
                          Optional.of(tag),
                          Optional.of(m),
                          depth)));
    }
    return out;
  }

  /**
   * The manifests below an index (nested indexes too), each of which can carry its own attachments.
   */
  private static void collectPlatforms(ImageStore store, Manifest manifest, List<Digest> out) {
    if (!manifest.isIndex()) {
      return;
    }
    for (Descriptor child : ManifestContent.of(manifest, store.name()).children()) {
      out.add(child.digest());
      if (MediaTypes.isIndex(child.mediaType())) {
        collectPlatforms(store, store.getManifest(Ref.of(child.digest())), out);
      }
    }
  }
}
