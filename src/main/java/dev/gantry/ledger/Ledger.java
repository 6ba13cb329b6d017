package dev.gantry.ledger;

import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Referrer;
import dev.gantry.store.ImageStore;
import java.io.ByteArrayInputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The ledger of one store, kept in the store itself: records are referrers of the digest a tag was
 * moved to, so reading a tag's moves to one digest is one referrers listing (its annotations are
 * the records' fields), and writing a record is one manifest PUT (plus the fallback index where the
 * registry has no referrers API).
 */
public final class Ledger {
  private Ledger() {}

  /**
   * The records of moves of {@code tag} to {@code digest} in this repository, newest first (one
   * listing; no manifest is fetched). Records travel with the image (a copy carries its referrers),
   * so a record of another repository of the same digest is not this tag's history: a registry
   * repository takes the records of its own path, under any registry host (a mirror keeps its
   * history); a layout, which holds one repository, takes them all.
   */
  public static List<PromotionRecord> records(ImageStore store, Digest digest, String tag) {
    Optional<String> path = path(store.name());
    return store.referrers(digest, Optional.of(PromotionRecord.ARTIFACT_TYPE)).stream()
        .filter(r -> PromotionRecord.ARTIFACT_TYPE.equals(r.artifactType()))
        .map(Referrer::annotations)
        .flatMap(a -> PromotionRecord.fromAnnotations(digest, a).stream())
        .filter(r -> r.tag().equals(tag))
        .filter(r -> path.isEmpty() || path.equals(path(r.repository())))
        .sorted(Comparator.comparing(PromotionRecord::time).reversed())
        .toList();
  }

  /** {@code acme/api} of {@code ghcr.io/acme/api}; empty for a layout ({@code oci:…}). */
  private static Optional<String> path(String repository) {
    int slash = repository.indexOf('/');
    return repository.startsWith("oci:") || slash < 0
        ? Optional.empty()
        : Optional.of(repository.substring(slash + 1));
  }

  /**
   * Writes one record of a move to {@code subject}; the store must hold the empty blob ({@link
   * #prepare}).
   */
  public static void write(ImageStore store, PromotionRecord record, Descriptor subject) {
    store.putReferrer(RecordManifest.of(record, subject));
  }

  /**
   * Makes sure the store holds the empty blob every record's config and layer name (a HEAD, and a
   * write once).
   */
  public static void prepare(ImageStore store) {
    if (!store.blobExists(RecordManifest.EMPTY.digest())) {
      store.writeBlob(RecordManifest.EMPTY, new ByteArrayInputStream(RecordManifest.EMPTY_BYTES));
    }
  }
}
