package dev.gantry.ledger;

import dev.gantry.GantryException;
import dev.gantry.image.Digest;
import dev.gantry.image.Ref;
import dev.gantry.store.ImageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A tag's history, newest first, walked from the digest the tag holds now: the newest record of a
 * move of the tag to that digest, then the newest record of a move to its {@code previous} made
 * before it, and so on. A digest with no such record was put there by another tool (or before the
 * ledger): it is named, and the walk stops there.
 */
public final class History {
  /** One step of the walk. */
  public sealed interface Entry permits Recorded, Unrecorded {
    Digest digest();
  }

  /** A move the ledger recorded. */
  public record Recorded(PromotionRecord record) implements Entry {
    @Override
    public Digest digest() {
      return record.digest();
    }
  }

  /** The tag held this digest, but no record says how it got there: moved by another tool. */
  public record Unrecorded(Digest digest) implements Entry {}

  /** The history of {@code tag} in {@code store}, which holds {@code current} now. */
  public record Log(String image, String tag, Digest current, List<Entry> entries) {
    public Log {
      entries = List.copyOf(entries);
    }

    /** The records alone, newest first. */
    public List<PromotionRecord> records() {
      return entries.stream()
          .flatMap(
              e ->
                  e instanceof Recorded r
                      ? java.util.stream.Stream.of(r.record())
                      : java.util.stream.Stream.empty())
          .toList();
    }
  }

  private History() {}

  /**
   * Reads the tag, then walks at most {@code limit} entries; a missing tag or repository is
   * NOT_FOUND. (A layout named without a tag stands for its only image, which may be untagged: its
   * digest is then read, and followed, as the tag.)
   */
  public static Log read(ImageStore store, Ref tag, int limit) {
    Optional<Digest> current = store.headImage(tag);
    if (current.isEmpty()) {
      throw new GantryException(
          GantryException.Kind.NOT_FOUND, "history " + store.describe(tag) + ": no such tag");
    }
    String name = tag.toString();
    return new Log(store.name(), name, current.get(), walk(store, name, current.get(), limit));
  }

  /**
   * One referrers listing per entry. Times strictly decrease along the walk, so it ends even on a
   * cycle of digests.
   */
  public static List<Entry> walk(ImageStore store, String tag, Digest from, int limit) {
    List<Entry> entries = new ArrayList<>();
    Digest at = from;
    Instant before = Instant.MAX;
    while (entries.size() < limit) {
      Instant bound = before;
      Optional<PromotionRecord> newest =
          Ledger.records(store, at, tag).stream().filter(r -> r.time().isBefore(bound)).findFirst();
      if (newest.isEmpty()) {
        entries.add(new Unrecorded(at));
        break;
      }
      PromotionRecord r = newest.get();
      entries.add(new Recorded(r));
      if (r.previous().isEmpty()) {
        break;
      }
      at = r.previous().get();
      before = r.time();
    }
    return entries;
  }
}
