package dev.gantry.cli;

import dev.gantry.GantryException;
import dev.gantry.progress.CountingStore;
import dev.gantry.progress.Summary;
import dev.gantry.progress.Tracker;
import dev.gantry.promote.PromoteReport;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.promote.Promoter;
import dev.gantry.promote.StopSignal;
import dev.gantry.trust.TrustGate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "promote", mixinStandardHelpOptions = true,
    description = "Point target tags at the manifest a source tag (or digest) points at, in every IMAGE, "
        + "by copying the manifest bytes: nothing is pulled or rebuilt and the digest never changes. "
        + "All images are read before the first write; if a write fails, every target already moved is restored.")
final class PromoteCommand implements Callable<Integer>, JsonOutput {
  private final Environment env;
  private final Consumer<Summary> summaries;

  @Option(names = "--from", paramLabel = "TAG", required = true, description = "Source tag, or @sha256:<hex> for a digest.")
  String from;

  @Option(names = "--to", paramLabel = "TAG", required = true, description = "Target tag (repeatable).")
  List<String> to = new ArrayList<>();

  @Mixin
  RegistryOptions registry;

  @Mixin
  ProgressOptions progress;

  @Mixin
  TrustOptions trust;

  @Parameters(paramLabel = "IMAGE", arity = "1..*",
      description = "Repository such as ghcr.io/acme/api; IMAGE@sha256:<hex> pins the digest --from must resolve to.")
  List<String> images = new ArrayList<>();

  PromoteCommand(Environment env, Consumer<Summary> summaries) {
    this.env = env;
    this.summaries = summaries;
  }

  @Override
  public boolean json() {
    return registry.json;
  }

  @Override
  public Integer call() {
    PromoteReport report;
    Summary summary;
    StopSignal stop = new StopSignal();
    try (Stores stores = new Stores(registry, env); SignalStop signals = SignalStop.install(stop, env.stderr())) {
      PromoteRequest request = PromoteRequest.parse(images, from, to);
      registry.validate();
      progress.mode();
      TrustGate gate = new TrustGate(trust.policy(), registry.jobs);
      registry.bindCredentialsForImages(request.images());
      // Promote moves manifests only: no blob progress to draw, but the summary counts what was written.
      Tracker counted = Tracker.counting(env.clock());
      report = Promoter.promote(request, image -> new CountingStore(stores.forPromote(image, !registry.dryRun), counted),
          registry.dryRun, registry.jobs, stop, plan -> {
            // Before the first write, on stderr: the record that lets a person undo a run killed outright.
            env.stderr().print(PromoteOutput.plan(plan));
            env.stderr().flush();
            signals.arm();
          }, gate);
      signals.disarm();
      summary = counted.summary();
    }
    GantryException failure = failure(report);
    int code = failure == null ? ExitCode.OK : ExitCode.of(failure.kind());
    String error = failure == null ? null : Gantry.firstLine(failure.getMessage());
    env.stdout().print(registry.json ? PromoteOutput.json(report, code, error) + "\n" : PromoteOutput.text(report));
    env.stdout().flush();
    summaries.accept(summary);
    if (failure != null) {
      throw new ReportedFailure(failure); // a failure's stderr stays its one line
    }
    progress.printSummary(env, "promote", summary);
    return ExitCode.OK;
  }

  /** The run's failure as the exit code and one line will tell it, or null when every write succeeded. */
  private static @Nullable GantryException failure(PromoteReport report) {
    if (!report.failed()) {
      return null;
    }
    // failed() without a stop means a write failed (or may have): there is a first failure.
    PromoteReport.@Nullable TagResult first = report.firstFailure();
    String cause = report.stoppedBy() != null
        ? "promote stopped by " + report.stoppedBy() + ": no further write was started"
        : Objects.requireNonNull(first, "a failed run names its failure").error();
    if (report.rollbackIncomplete()) {
      return new GantryException(GantryException.Kind.ROLLBACK_INCOMPLETE,
          cause + "; restoring the targets already moved was not completed: see the report above");
    }
    if (report.movedAny() || report.stoppedBy() != null) {
      return new GantryException(GantryException.Kind.ROLLED_BACK,
          cause + "; every target already moved was restored (new tags are left, see the report)");
    }
    // Nothing had been changed yet: the write failure's own kind (authentication, not found, ...) is the answer.
    PromoteReport.TagResult failure = Objects.requireNonNull(first, "a failed run names its failure");
    GantryException.Kind kind = failure.errorKind();
    return new GantryException(kind == null ? GantryException.Kind.FAILED : kind, failure.error() + "; nothing was changed");
  }
}
