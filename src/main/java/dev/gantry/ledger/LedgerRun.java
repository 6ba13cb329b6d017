package dev.gantry.ledger;

import dev.gantry.GantryException;
import dev.gantry.image.Ref;
import dev.gantry.promote.OpenOnce;
import dev.gantry.promote.PromotePlan;
import dev.gantry.promote.PromoteReport;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.store.ImageStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The ledger's part of one promote or rollback, so a command only wires it: the gates before the
 * first write (the soak time, the compare-and-set), the records after the tags moved, and each
 * tag's history for the report. It reads and writes through one store per image (a registry's
 * referrers API is probed once, the empty blob checked once), opened by {@code open}.
 *
 * @param soak the soak gate: the source tag and how long a digest must have been there, or empty
 * @param recording whether records are written (and so whether the compare-and-set gate runs)
 */
public record LedgerRun(
    Function<PromoteRequest.Image, ImageStore> open,
    Optional<Soak> soak,
    boolean recording,
    Optional<String> commit,
    Provenance provenance,
    int jobs) {
  /** {@code --soak}: the digest must have been at {@code fromTag} for at least {@code time}. */
  public record Soak(String fromTag, Duration time) {}

  public LedgerRun {
    open = new OpenOnce(open);
  }

  /**
   * Before the first write: refused (exit 8) by the soak gate, or (exit 5) when a target moved
   * since the plan.
   */
  public void beforeWrites(PromotePlan plan) {
    answerSoak(plan);
    if (recording) {
      Gates.unmoved(plan, open, jobs);
    }
  }

  /** The soak gate alone (a dry run answers it too). */
  public void answerSoak(PromotePlan plan) {
    if (soak.isPresent()) { // not ifPresent: a lambda links a call site even when there is no soak
      Soak s = soak.get();
      Gates.soak(plan, open, s.fromTag(), s.time(), provenance.clock().instant(), jobs);
    }
  }

  /** The records of every tag the run moved (none when it rolled back, or when not recording). */
  public Recorder.Written record(PromoteReport report, MoveKind kind, String source) {
    return recording
        ? Recorder.write(Recorder.promoted(report, open, source), kind, commit, provenance, jobs)
        : Recorder.Written.none();
  }

  /**
   * Each target tag's last {@code limit} moves; one that cannot be read is told to {@code warn},
   * not a failure.
   */
  public List<History.Log> histories(PromoteReport report, int limit, Consumer<String> warn) {
    List<History.Log> logs = new ArrayList<>();
    for (PromoteReport.TagResult r : report.results()) {
      try {
        logs.add(History.read(open.apply(r.image()), Ref.tag(r.tag()), limit));
      } catch (GantryException e) {
        warn.accept("history " + r.image() + ":" + r.tag() + ": " + e.getMessage());
      }
    }
    return logs;
  }
}
