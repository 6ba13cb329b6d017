package dev.gantry.cli;

import dev.gantry.GantryException;
import dev.gantry.ledger.Durations;
import dev.gantry.ledger.History;
import dev.gantry.ledger.LedgerRun;
import dev.gantry.ledger.MoveKind;
import dev.gantry.ledger.Recorder;
import dev.gantry.progress.CountingStore;
import dev.gantry.progress.Summary;
import dev.gantry.progress.Tracker;
import dev.gantry.promote.Location;
import dev.gantry.promote.PromotePlan;
import dev.gantry.promote.PromoteReport;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.promote.Promoter;
import dev.gantry.promote.StopSignal;
import dev.gantry.session.RegistrySettings;
import dev.gantry.session.Session;
import dev.gantry.store.ImageStore;
import dev.gantry.trust.TrustGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description =
        "Point target tags at the manifest a source tag (or digest) points at, in every IMAGE, "
            + "by copying the manifest bytes: nothing is pulled or rebuilt and the digest never changes. "
            + "All images are read before the first write; if a write fails, every target already moved is restored.")
final class PromoteCommand extends RegistryCommand {
  private final Consumer<Summary> summaries;

  @Option(
      names = "--from",
      paramLabel = "TAG",
      required = true,
      description = "Source tag, or @sha256:<hex> for a digest.")
  String from;

  @Option(
      names = "--to",
      paramLabel = "TAG",
      required = true,
      description = "Target tag (repeatable).")
  List<String> to = new ArrayList<>();

  @Option(
      names = "--soak",
      paramLabel = "DURATION",
      description =
          "Refuse (exit 8, nothing written) unless the ledger shows each source digest at the --from tag for at least this long (90s, 45m, 2h, 1d).")
  String soak;

  @Option(
      names = "--sha",
      paramLabel = "COMMIT",
      description =
          "The commit the promotion records name (default: each image's org.opencontainers.image.revision label).")
  String sha;

  @Option(
      names = "--history",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "With --json: each target tag's last N moves from the ledger, after the promote (the action shows 5).")
  int history;

  @Mixin LedgerOptions ledger;

  @Mixin ProgressOptions progress;

  @Mixin TrustOptions trust;

  @Parameters(
      paramLabel = "IMAGE",
      arity = "1..*",
      description =
          "Repository such as ghcr.io/acme/api; IMAGE@sha256:<hex> pins the digest --from must resolve to.")
  List<String> images = new ArrayList<>();

  PromoteCommand(Environment env, Consumer<Summary> summaries) {
    super(env);
    this.summaries = summaries;
  }

  @Override
  public Integer call() {
    PromoteReport report;
    Summary summary;
    Recorder.Written recorded = Recorder.Written.none();
    List<History.Log> histories = new ArrayList<>();
    StopSignal stop = new StopSignal();
    PromoteRequest request = PromoteRequest.parse(images, from, to);
    for (PromoteRequest.Image image : request.images()) {
      if (image.location() instanceof Location.Registry) {
        // OkHttp and its platform, while the trust policy and the ledger are set up.
        Warmup.start("http", List.of(Warmup.Task.HTTP));
        break;
      }
    }
    Optional<LedgerRun.Soak> soakFor = soak(request);
    Optional<String> commit = LedgerOptions.commit(sha);
    if (history < 0 || history > 100) {
      throw GantryException.badInput("invalid --history " + history + " (0 to 100)");
    }
    RegistrySettings settings = registry.settings();
    progress.mode();
    TrustGate gate = new TrustGate(trust.policy(), registry.jobs);
    RegistrySettings.@Nullable Login login = settings.loginForImages(request.images());
    try (Session session = Session.open(env.surroundings(), settings, login);
        SignalStop signals = SignalStop.install(stop, env.stderr())) {
      // Promote moves manifests only: no blob progress to draw, but the summary counts what was
      // written.
      Tracker counted = Tracker.counting(env.clock());
      // One store per image for the promote and the ledger (opened once: a registry's referrers
      // probe is remembered); the ledger's reads and writes bypass the counter, so the summary
      // counts the images' manifests.
      // Anonymous classes, not lambdas, here and below: a run starts a JVM, and each lambda links
      // a call site on first use (the first one sets up java.lang.invoke's machinery).
      boolean push = !registry.dryRun;
      LedgerRun run =
          new LedgerRun(
              new Function<>() {
                @Override
                public ImageStore apply(PromoteRequest.Image image) {
                  return session.store(image, push);
                }
              },
              soakFor,
              ledger.recording(registry.dryRun),
              commit,
              LedgerOptions.provenance(env),
              registry.jobs);
      report =
          Promoter.promote(
              request,
              new Function<>() {
                @Override
                public ImageStore apply(PromoteRequest.Image image) {
                  return new CountingStore(run.open().apply(image), counted);
                }
              },
              registry.dryRun,
              registry.jobs,
              stop,
              new Consumer<>() {
                @Override
                public void accept(PromotePlan plan) {
                  run.beforeWrites(plan);
                  // Before the first write, on stderr: the record that lets a person undo a run
                  // killed outright.
                  env.stderr().print(PromoteOutput.plan(plan));
                  env.stderr().flush();
                  signals.arm();
                }
              },
              gate);
      signals.disarm();
      if (registry.dryRun) {
        // Nothing is written in a dry run, but it answers what the soak gate would.
        run.answerSoak(report.plan());
      }
      summary = counted.summary();
      recorded = run.record(report, MoveKind.PROMOTE, request.fromLabel());
      if (history > 0 && !report.failed()) {
        histories =
            run.histories(
                report,
                history,
                w -> env.stderr().println("gantry: warning: " + Gantry.firstLine(w)));
      }
    }
    GantryException failure = failure(report);
    int code = failure == null ? ExitCode.OK : ExitCode.of(failure.kind());
    String error = failure == null ? null : Gantry.firstLine(failure.getMessage());
    env.stdout()
        .print(
            registry.json
                ? PromoteOutput.json(report, code, error, recorded, histories) + "\n"
                : PromoteOutput.text(report));
    env.stdout().flush();
    for (String w : recorded.warnings()) {
      env.stderr().println("gantry: warning: " + w);
    }
    summaries.accept(summary);
    if (failure != null) {
      throw new ReportedFailure(failure); // a failure's stderr stays its one line
    }
    progress.printSummary(
        env,
        "promote",
        summary,
        ledger.recording(registry.dryRun) ? "; " + recorded.summary() : "");
    return ExitCode.OK;
  }

  /** --soak needs a source tag (a digest has no time at a tag). */
  private Optional<LedgerRun.Soak> soak(PromoteRequest request) {
    if (soak == null) {
      return Optional.empty();
    }
    Duration d = Durations.parse("--soak", soak);
    String fromTag = request.fromTag();
    if (fromTag == null) {
      throw GantryException.badInput(
          "--soak needs --from to name a tag (the ledger times a digest at a tag), not " + from);
    }
    return Optional.of(new LedgerRun.Soak(fromTag, d));
  }

  /**
   * The run's failure as the exit code and one line will tell it, or null when every write
   * succeeded.
   */
  static @Nullable GantryException failure(PromoteReport report) {
    if (!report.failed()) {
      return null;
    }
    // failed() without a stop means a write failed (or may have): there is a first failure.
    PromoteReport.@Nullable TagResult first = report.firstFailure();
    String cause =
        report.stoppedBy() != null
            ? "promote stopped by " + report.stoppedBy() + ": no further write was started"
            : Objects.requireNonNull(first, "a failed run names its failure").error();
    if (report.rollbackIncomplete()) {
      return new GantryException(
          GantryException.Kind.ROLLBACK_INCOMPLETE,
          cause + "; restoring the targets already moved was not completed: see the report above");
    }
    if (report.movedAny() || report.stoppedBy() != null) {
      return new GantryException(
          GantryException.Kind.ROLLED_BACK,
          cause + "; every target already moved was restored (new tags are left, see the report)");
    }
    // Nothing had been changed yet: the write failure's own kind (authentication, not found, ...)
    // is the answer.
    PromoteReport.TagResult failure =
        Objects.requireNonNull(first, "a failed run names its failure");
    GantryException.Kind kind = failure.errorKind();
    return new GantryException(
        kind == null ? GantryException.Kind.FAILED : kind,
        failure.error() + "; nothing was changed");
  }
}
