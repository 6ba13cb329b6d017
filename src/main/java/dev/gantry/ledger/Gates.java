package dev.gantry.ledger;

import dev.gantry.GantryException;
import dev.gantry.Jobs;
import dev.gantry.image.Digest;
import dev.gantry.image.Ref;
import dev.gantry.promote.PromotePlan;
import dev.gantry.promote.PromotePlan.ImagePlan;
import dev.gantry.promote.PromotePlan.TagStep;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.store.ImageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks made on a plan just before its first write; each refusal is one line and leaves everything
 * unwritten.
 */
public final class Gates {
  private Gates() {}

  /**
   * The soak gate: every image's source digest must have been at {@code fromTag} for at least
   * {@code soak}, by the ledger (the newest record of a move of {@code fromTag} to that digest).
   * Refused (exit 8) otherwise, or when the ledger has no such record. One listing per image.
   */
  public static void soak(
      PromotePlan plan,
      Function<PromoteRequest.Image, ImageStore> open,
      String fromTag,
      Duration soak,
      Instant now,
      int jobs) {
    List<ImagePlan> images = plan.images();
    List<Jobs.Outcome<ImagePlan, Optional<String>>> found =
        Jobs.run(
            images,
            jobs,
            false,
            image -> {
              Digest digest = image.source().digest();
              Optional<PromotionRecord> since =
                  Ledger.records(open.apply(image.image()), digest, fromTag).stream()
                      .filter(r -> !r.time().isAfter(now))
                      .findFirst();
              String who =
                  "promote "
                      + image.image()
                      + ": refused by --soak "
                      + Durations.format(soak)
                      + ": "
                      + digest;
              if (since.isEmpty()) {
                return Optional.of(
                    who
                        + " has no ledger record at "
                        + fromTag
                        + " (put there by another tool?); nothing was written");
              }
              Duration age = Duration.between(since.get().time(), now);
              if (age.compareTo(soak) < 0) {
                return Optional.of(
                    who
                        + " has been at "
                        + fromTag
                        + " for "
                        + Durations.format(age)
                        + " (since "
                        + since.get().time()
                        + "); nothing was written");
              }
              return Optional.empty();
            });
    for (Jobs.Outcome<ImagePlan, Optional<String>> o : found) {
      if (o.failure() != null) {
        throw o.failure();
      }
      Optional<String> refusal = o.value();
      if (refusal != null && refusal.isPresent()) {
        throw new GantryException(GantryException.Kind.REFUSED, refusal.get());
      }
    }
  }

  /**
   * Compare-and-set on the plan: every tag about to be written must still hold the digest the plan
   * read (a HEAD each). A concurrent writer that moved one since is refused here (exit 5, nothing
   * written), so no record claims a previous digest the tag no longer held. Registries have no
   * conditional PUT: the window left is one round trip.
   */
  public static void unmoved(
      PromotePlan plan, Function<PromoteRequest.Image, ImageStore> open, int jobs) {
    record Check(ImagePlan image, TagStep step) {}
    List<Check> checks = new ArrayList<>();
    for (ImagePlan image : plan.images()) {
      for (TagStep step : image.steps()) {
        if (step.write()) {
          checks.add(new Check(image, step));
        }
      }
    }
    List<Optional<Digest>> now =
        Jobs.valuesOrThrow(
            Jobs.run(
                checks,
                jobs,
                true,
                // A class, not a lambda: every promote that records runs this gate, and each
                // lambda links a call site on first use.
                new Function<>() {
                  @Override
                  public Optional<Digest> apply(Check c) {
                    return open.apply(c.image().image()).headManifest(Ref.tag(c.step().tag()));
                  }
                }));
    for (int i = 0; i < checks.size(); i++) {
      Check c = checks.get(i);
      Digest read = c.step().previous();
      Digest current = now.get(i).orElse(null);
      if (!Objects.equals(read, current)) {
        throw new GantryException(
            GantryException.Kind.SOURCE_MOVED,
            "promote "
                + c.image().image()
                + ": target tag "
                + c.step().tag()
                + " moved since it was read (was "
                + (read == null ? "absent" : read)
                + ", now "
                + (current == null ? "absent" : current)
                + "), by a concurrent writer; nothing was written");
      }
    }
  }
}
