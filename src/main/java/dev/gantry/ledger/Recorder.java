package dev.gantry.ledger;

import dev.gantry.GantryException;
import dev.gantry.Jobs;
import dev.gantry.check.ImageRevision;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.promote.PromotePlan.ImagePlan;
import dev.gantry.promote.PromoteReport;
import dev.gantry.promote.PromoteReport.Outcome;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.store.ImageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Writes the records of the tags a run moved, after they moved (a run that rolled back moved
 * nothing and records nothing). A record that cannot be written does not undo the move: it becomes
 * a warning the command prints in its report and its summary line.
 */
public final class Recorder {
  /**
   * One tag move: in {@code store}, {@code tag} now holds {@code target} and held {@code previous}
   * before.
   */
  public record Move(
      ImageStore store, String tag, Manifest target, Optional<Digest> previous, String source) {}

  /** How many records were written, and one warning per record that was not. */
  public record Written(int records, List<String> warnings) {
    public Written {
      warnings = List.copyOf(warnings);
    }

    public static Written none() {
      return new Written(0, List.of());
    }

    /**
     * For the summary line: {@code ledger: 2 records written} or {@code ledger: 1 of 2 records NOT
     * written}.
     */
    public String summary() {
      int total = records + warnings.size();
      return warnings.isEmpty()
          ? "ledger: " + records + " record" + (records == 1 ? "" : "s") + " written"
          : "ledger: "
              + warnings.size()
              + " of "
              + total
              + " record"
              + (total == 1 ? "" : "s")
              + " NOT written";
    }
  }

  private Recorder() {}

  /**
   * The moves a promote made: every target it reports promoted (only a run that completed reports
   * any).
   */
  public static List<Move> promoted(
      PromoteReport report, Function<PromoteRequest.Image, ImageStore> open, String source) {
    List<Move> moves = new ArrayList<>();
    for (ImagePlan image : report.plan().images()) {
      for (PromoteReport.TagResult r : report.results()) {
        if (r.image().equals(image.image()) && r.outcome() == Outcome.PROMOTED) {
          moves.add(
              new Move(
                  open.apply(image.image()),
                  r.tag(),
                  image.source(),
                  Optional.ofNullable(r.previous()),
                  source));
        }
      }
    }
    return moves;
  }

  /**
   * Writes one record per move, all stamped with one time (the run's). The commit is {@code sha}
   * when given, else the target image's {@code org.opencontainers.image.revision} label (absent
   * when it has none).
   */
  public static Written write(
      List<Move> moves, MoveKind kind, Optional<String> sha, Provenance provenance, int jobs) {
    if (moves.isEmpty()) {
      return Written.none();
    }
    Instant time = provenance.now();
    IdentityHashMap<ImageStore, Optional<RuntimeException>> prepared = new IdentityHashMap<>();
    for (Move m : moves) {
      prepared.put(m.store(), Optional.empty());
    }
    List<ImageStore> stores = new ArrayList<>(prepared.keySet());
    // Classes, not lambdas, for each job's work: every promote records, and a lambda links a call
    // site on first use.
    List<Jobs.Outcome<ImageStore, Boolean>> ready =
        Jobs.run(
            stores,
            jobs,
            false,
            new Function<>() {
              @Override
              public Boolean apply(ImageStore s) {
                Ledger.prepare(s);
                return true;
              }
            });
    for (Jobs.Outcome<ImageStore, Boolean> o : ready) {
      prepared.put(o.item(), Optional.ofNullable(o.failure()));
    }
    Map<String, Optional<String>> commits = new ConcurrentHashMap<>();
    List<Jobs.Outcome<Move, Boolean>> outcomes =
        Jobs.run(
            moves,
            jobs,
            false,
            new Function<>() {
              @Override
              public Boolean apply(Move m) {
                Optional<RuntimeException> unprepared =
                    prepared.getOrDefault(m.store(), Optional.empty());
                if (unprepared.isPresent()) {
                  throw unprepared.get();
                }
                Optional<String> commit = sha.isPresent() ? sha : commitOf(m, commits);
                PromotionRecord record =
                    provenance.record(
                        m.store().name(),
                        m.tag(),
                        m.target().digest(),
                        m.previous(),
                        m.source(),
                        commit,
                        time,
                        kind);
                Ledger.write(
                    m.store(),
                    record,
                    new Descriptor(m.target().mediaType(), m.target().digest(), m.target().size()));
                return true;
              }
            });
    List<String> warnings = new ArrayList<>();
    int written = 0;
    for (Jobs.Outcome<Move, Boolean> o : outcomes) {
      RuntimeException failure = o.failure();
      if (failure == null) {
        written++;
      } else {
        Move m = o.item();
        warnings.add(
            "ledger: the record of "
                + m.store().describe(Ref.tag(m.tag()))
                + " -> "
                + m.target().digest()
                + " was not written: "
                + firstLine(failure.getMessage()));
      }
    }
    return new Written(written, warnings);
  }

  /**
   * The target's revision label, read once per (repository, digest) however many tags moved to it;
   * two jobs that ask at once may both read it, and the first answer stays.
   */
  private static Optional<String> commitOf(Move m, Map<String, Optional<String>> commits) {
    String key = m.store().name() + "@" + m.target().digest();
    Optional<String> known = commits.get(key);
    if (known != null) {
      return known;
    }
    Optional<String> read = label(m);
    Optional<String> first = commits.putIfAbsent(key, read);
    return first == null ? read : first;
  }

  private static Optional<String> label(Move m) {
    try {
      return Optional.ofNullable(
          ImageRevision.of(m.store(), m.target(), m.store().describe(Ref.of(m.target().digest())))
              .commit());
    } catch (GantryException e) {
      return Optional.empty(); // an unreadable config only costs the record its commit
    }
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
