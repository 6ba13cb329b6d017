package dev.gantry.cli;

import dev.gantry.GantryException;
import dev.gantry.image.Digest;
import dev.gantry.ledger.LedgerRun;
import dev.gantry.ledger.MoveKind;
import dev.gantry.ledger.Recorder;
import dev.gantry.ledger.Rollback;
import dev.gantry.promote.PlanExecutor;
import dev.gantry.promote.PromotePlan;
import dev.gantry.promote.PromoteReport;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.promote.StopSignal;
import dev.gantry.registry.ImageReference;
import dev.gantry.session.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description =
        "Move a tag of every IMAGE back to the digest it held before, by the promotion ledger (or to a digest "
            + "the ledger shows it held): all or nothing, as promote, and recorded as a rollback. No old sha-<7> tag needed.")
final class RollbackCommand extends RegistryCommand {

  @Option(
      names = "--tag",
      paramLabel = "TAG",
      required = true,
      description = "The tag to move back (such as latest).")
  String tag;

  @Option(
      names = "--to",
      paramLabel = "previous|sha256:<hex>",
      defaultValue = "previous",
      description =
          "previous (default): the digest before the last move; or a digest the ledger shows the tag held.")
  String to;

  @Mixin LedgerOptions ledger;

  @Parameters(
      paramLabel = "IMAGE",
      arity = "1..*",
      description = "Repository such as ghcr.io/acme/api, or oci:PATH.")
  List<String> images = new ArrayList<>();

  RollbackCommand(Environment env) {
    super(env);
  }

  @Override
  public Integer call() {
    PromoteReport report;
    Recorder.Written recorded = Recorder.Written.none();
    StopSignal stop = new StopSignal();
    ImageReference.checkTag(tag);
    Optional<Digest> target = target(to);
    List<PromoteRequest.Image> parsed = PromoteRequest.Image.parseAll(images);
    for (PromoteRequest.Image i : parsed) {
      if (i.pinned() != null) {
        throw GantryException.badInput(
            "image '" + i + "@" + i.pinned() + "' must not carry a digest: name it with --to");
      }
    }
    try (Session session = registry.openForImages(env, parsed);
        SignalStop signals = SignalStop.install(stop, env.stderr())) {
      LedgerRun run =
          new LedgerRun(
              i -> session.store(i, !registry.dryRun),
              Optional.empty(),
              ledger.recording(registry.dryRun),
              Optional.empty(),
              LedgerOptions.provenance(env),
              registry.jobs);
      PromotePlan plan = Rollback.plan(parsed, tag, target, run.open(), registry.jobs);
      report =
          registry.dryRun
              ? PlanExecutor.dryRun(plan)
              : PlanExecutor.apply(
                  plan,
                  run.open(),
                  registry.jobs,
                  stop,
                  p -> {
                    run.beforeWrites(p);
                    env.stderr().print(PromoteOutput.plan(p));
                    env.stderr().flush();
                    signals.arm();
                  });
      signals.disarm();
      recorded = run.record(report, MoveKind.ROLLBACK, "ledger");
    }
    GantryException failure = PromoteCommand.failure(report);
    int code = failure == null ? ExitCode.OK : ExitCode.of(failure.kind());
    String error = failure == null ? null : Gantry.firstLine(failure.getMessage());
    env.stdout()
        .print(
            registry.json
                ? PromoteOutput.rollbackJson(report, code, error, recorded) + "\n"
                : "rollback of " + tag + ":\n" + PromoteOutput.text(report));
    env.stdout().flush();
    recorded.warnings().forEach(w -> env.stderr().println("gantry: warning: " + w));
    if (failure != null) {
      throw new ReportedFailure(failure);
    }
    if (ledger.recording(registry.dryRun)) {
      env.stderr().println("rollback: " + recorded.summary());
    }
    return ExitCode.OK;
  }

  private static Optional<Digest> target(String to) {
    if ("previous".equals(to)) {
      return Optional.empty();
    }
    if (!to.startsWith("sha256:")) {
      throw GantryException.badInput(
          "invalid --to '" + to + "' (expected previous or sha256:<64 hex>)");
    }
    return Optional.of(Digest.parse(to));
  }
}
