package dev.gantry.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.GantryException;
import dev.gantry.Json;
import dev.gantry.copy.CopyReport;
import dev.gantry.copy.ImageCopier;
import dev.gantry.copy.ReferrerResult;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.ledger.MoveKind;
import dev.gantry.ledger.Recorder;
import dev.gantry.progress.Progress;
import dev.gantry.progress.Summary;
import dev.gantry.referrers.Attachment;
import dev.gantry.referrers.Selection;
import dev.gantry.session.Locator;
import dev.gantry.session.RegistrySettings;
import dev.gantry.session.Session;
import dev.gantry.trust.TrustGate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "copy",
    mixinStandardHelpOptions = true,
    description =
        "Copy an image, byte-exact and multi-arch included, between registries, repositories and OCI layouts. "
            + "Blobs are mounted across repositories of one registry and streamed between registries; the digest "
            + "at the destination is the digest at the source. Signatures, attestations and SBOMs attached to the image "
            + "(OCI referrers and cosign's tags) go with it, written before the destination tag.")
final class CopyCommand extends RegistryCommand {
  private final Consumer<Summary> summaries;

  @Mixin ProgressOptions progress;

  @Mixin LedgerOptions ledger;

  @Mixin TrustOptions trust;

  @Option(
      names = "--sha",
      paramLabel = "COMMIT",
      description =
          "The commit the promotion record of a copy to a tag names (default: the image's org.opencontainers.image.revision label).")
  String sha;

  @Option(
      names = "--referrers",
      paramLabel = "all|none|TYPE[,TYPE...]",
      defaultValue = "all",
      description =
          "Attachments to carry, by artifact type (cosign's .sig/.att/.sbom tags count as "
              + "application/vnd.dev.cosign.artifact.<sig|att|sbom>.v1+json); default: ${DEFAULT-VALUE}.")
  String referrers;

  @Parameters(
      index = "0",
      paramLabel = "SRC_REFERENCE",
      description =
          "Image to copy: REPOSITORY[:TAG][@DIGEST] (tag defaults to latest), oci:PATH[:TAG] or oci-archive:FILE[:TAG].")
  String source;

  @Parameters(
      index = "1",
      paramLabel = "DST_REFERENCE",
      description =
          "Destination: REPOSITORY[:TAG] or oci:PATH[:TAG] (created if missing); without a tag, the source's tag (or its digest) is used.")
  String destination;

  CopyCommand(Environment env, Consumer<Summary> summaries) {
    super(env);
    this.summaries = summaries;
  }

  @Override
  public Integer call() {
    CopyReport report;
    Summary summary;
    Recorder.Written recorded = Recorder.Written.none();
    boolean recording = false;
    Selection selection = Selection.parse(referrers);
    Optional<String> commit = LedgerOptions.commit(sha);
    // Malformed references are refused before anything is opened or sent.
    Locator sourceRef = Locator.parse(source);
    Locator destinationRef = Locator.parse(destination);
    String from = sourceRef.registry();
    String to = destinationRef.registry();
    if (from != null || to != null) {
      Warmup.start("http", List.of(Warmup.Task.HTTP)); // OkHttp, while the rest is set up
    }
    RegistrySettings settings = registry.settings();
    progress.mode();
    TrustGate gate = new TrustGate(trust.policy(), registry.jobs);
    RegistrySettings.@Nullable Login login =
        settings.login(
            Stream.of(from, to).filter(Objects::nonNull).toList(), to != null ? to : from);
    try (Session session = Session.open(env.surroundings(), settings, login);
        Progress shown = progress.start(env)) {
      ImageCopier.Endpoint src = session.source(sourceRef);
      // Checked before the destination is even opened (a layout destination would be created).
      Manifest top = ImageCopier.read(src);
      gate.check(src.store(), top);
      ImageCopier.Endpoint dst = session.destination(destinationRef, sourceRef, registry.dryRun);
      report =
          ImageCopier.copy(
              src, top, dst, registry.dryRun, registry.jobs, shown.listener(), selection);
      shown.close(); // the live lines are gone before the report is printed
      summary = shown.summary();
      // A copy to a tag moved that tag: recorded like a promote (a copy by digest moves no tag).
      Optional<String> tag = movedTag(report);
      recording =
          ledger.recording(registry.dryRun)
              && report.outcome() == CopyReport.Outcome.COPIED
              && tag.isPresent();
      if (recording) {
        recorded =
            Recorder.write(
                List.of(
                    new Recorder.Move(
                        dst.store(),
                        tag.get(),
                        dst.store().getManifest(Ref.of(report.digest())),
                        report.previous(),
                        report.source())),
                MoveKind.COPY,
                commit,
                LedgerOptions.provenance(env),
                registry.jobs);
      }
    }
    Optional<GantryException> failure = failure(report);
    env.stdout().println(registry.json ? json(report, failure, recorded) : text(report));
    env.stdout().flush();
    recorded.warnings().forEach(w -> env.stderr().println("gantry: warning: " + w));
    summaries.accept(summary);
    if (failure.isPresent()) {
      throw new ReportedFailure(failure.get()); // the report is on stdout; stderr gets its one line
    }
    progress.printSummary(env, "copy", summary, recording ? "; " + recorded.summary() : "");
    return ExitCode.OK;
  }

  /**
   * An attachment that could not be copied: its own failure kind, and the destination tag was not
   * moved.
   */
  private static Optional<GantryException> failure(CopyReport report) {
    return report
        .firstFailure()
        .map(
            f ->
                new GantryException(
                    f.errorKind().orElse(GantryException.Kind.FAILED),
                    f.error().orElse("copy referrer " + f.attachment().digest() + " failed")
                        + "; "
                        + report.destination()
                        + " was not tagged"));
  }

  /**
   * The tag the copy wrote (the destination's, or the source's it kept), or empty for a copy by
   * digest.
   */
  private static Optional<String> movedTag(CopyReport report) {
    return report.target() instanceof Ref.Tag t ? Optional.of(t.name()) : Optional.empty();
  }

  private static String text(CopyReport r) {
    String outcome = label(r.outcome());
    String line =
        String.format(
            Locale.ROOT, "%-10s %s -> %s  %s", outcome, r.source(), r.destination(), r.digest());
    if (r.outcome() == CopyReport.Outcome.COPIED) {
      line +=
          String.format(
              Locale.ROOT,
              "  (%d manifests; blobs: %d copied, %d mounted, %d present; %d bytes)",
              r.manifests(),
              r.blobsCopied(),
              r.blobsMounted(),
              r.blobsPresent(),
              r.bytesCopied());
    }
    StringBuilder out = new StringBuilder(line);
    for (ReferrerResult rr : r.referrers()) {
      Attachment a = rr.attachment();
      out.append(
          String.format(
              Locale.ROOT,
              "%n  referrer %-13s %s %s%s of %s",
              label(rr.outcome()),
              a.digest(),
              a.artifactType().isEmpty() ? "(no artifactType)" : a.artifactType(),
              a.cosignTag().map(t -> " (tag " + t + ")").orElse(""),
              a.subject()));
      rr.error().ifPresent(e -> out.append(": ").append(Gantry.firstLine(e)));
    }
    return out.toString();
  }

  private static String label(Enum<?> outcome) {
    return outcome.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String json(
      CopyReport r, Optional<GantryException> failure, Recorder.Written recorded) {
    ObjectNode root = Json.object();
    root.put("command", "copy");
    root.put("status", failure.isEmpty() ? "ok" : "failed");
    failure.ifPresent(
        f -> {
          root.put("exitCode", ExitCode.of(f.kind()));
          root.put("error", Gantry.firstLine(f.getMessage()));
        });
    root.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    root.put("source", r.source());
    root.put("destination", r.destination());
    root.put("digest", r.digest().toString());
    root.put("mediaType", r.mediaType());
    root.put("manifests", r.manifests());
    ObjectNode blobs = root.putObject("blobs");
    blobs.put("copied", r.blobsCopied());
    blobs.put("mounted", r.blobsMounted());
    blobs.put("present", r.blobsPresent());
    blobs.put("bytes", r.bytesCopied());
    ArrayNode referrers = root.putArray("referrers");
    for (ReferrerResult rr : r.referrers()) {
      Attachment a = rr.attachment();
      ObjectNode o = referrers.addObject();
      o.put("subject", a.subject().toString());
      o.put("digest", a.digest().toString());
      o.put("artifactType", a.artifactType());
      a.cosignTag().ifPresent(t -> o.put("tag", t));
      o.put("depth", a.depth());
      o.put("outcome", label(rr.outcome()));
      rr.error().ifPresent(e -> o.put("error", Gantry.firstLine(e)));
    }
    ObjectNode l = root.putObject("ledger");
    l.put("records", recorded.records());
    recorded.warnings().forEach(l.putArray("warnings")::add);
    return Json.write(root);
  }
}
