package dev.gantry.ledger;

import dev.gantry.GantryException;
import dev.gantry.Jobs;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.promote.PromotePlan;
import dev.gantry.promote.PromotePlan.ImagePlan;
import dev.gantry.promote.PromotePlan.TagStep;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.store.ImageStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Plans a rollback from the ledger: each image's tag goes back to the digest it held before (the
 * newest record's {@code previous}), or to a digest the ledger shows the tag held. The plan is a
 * promote plan, so the promote engine applies it with its guarantees (all or nothing, rollback of a
 * failed run). Reads only.
 */
public final class Rollback {
  /** How far back {@code --to sha256:…} may look. */
  public static final int DEPTH = 100;

  private Rollback() {}

  /**
   * @param to empty: the previous digest; else a digest the ledger shows the tag held
   */
  public static PromotePlan plan(
      List<PromoteRequest.Image> images,
      String tag,
      Optional<Digest> to,
      Function<PromoteRequest.Image, ImageStore> open,
      int jobs) {
    PromoteRequest request = new PromoteRequest(images, null, List.of(tag));
    Ref at = Ref.tag(tag);
    List<ImagePlan> plans =
        Jobs.valuesOrThrow(
            Jobs.run(
                images,
                jobs,
                true,
                image -> {
                  ImageStore store = open.apply(image);
                  String where = store.describe(at);
                  Digest current =
                      store
                          .headImage(at)
                          .orElseThrow(
                              () ->
                                  new GantryException(
                                      GantryException.Kind.NOT_FOUND,
                                      "rollback " + where + ": no such tag"));
                  Digest target =
                      to.isPresent()
                          ? held(store, tag, current, to.get(), where)
                          : previous(store, tag, current, where);
                  Manifest manifest = store.getManifest(Ref.of(target));
                  return new ImagePlan(
                      image, manifest, List.of(new TagStep(tag, current, !target.equals(current))));
                }));
    return new PromotePlan(request, plans);
  }

  private static Digest previous(ImageStore store, String tag, Digest current, String where) {
    List<PromotionRecord> records = Ledger.records(store, current, tag);
    if (records.isEmpty()) {
      throw new GantryException(
          GantryException.Kind.NOT_FOUND,
          "rollback "
              + where
              + ": the tag has no history (no ledger"
              + " record of its move to "
              + current
              + "; moved by another tool?)");
    }
    return records
        .get(0)
        .previous()
        .orElseThrow(
            () ->
                new GantryException(
                    GantryException.Kind.NOT_FOUND,
                    "rollback "
                        + where
                        + ": the tag was new when it was moved to "
                        + current
                        + ": there is no previous digest"));
  }

  private static Digest held(
      ImageStore store, String tag, Digest current, Digest wanted, String where) {
    if (wanted.equals(current)) {
      return current;
    }
    List<History.Entry> walk = History.walk(store, tag, current, DEPTH);
    List<Digest> seen = new ArrayList<>();
    for (History.Entry e : walk) {
      if (e instanceof History.Recorded r) {
        seen.add(r.record().digest());
        r.record().previous().ifPresent(seen::add);
      }
    }
    if (!seen.contains(wanted)) {
      throw new GantryException(
          GantryException.Kind.NOT_FOUND,
          "rollback "
              + where
              + ": the ledger does not show the tag"
              + " holding "
              + wanted
              + " (in its last "
              + DEPTH
              + " moves)");
    }
    return wanted;
  }
}
