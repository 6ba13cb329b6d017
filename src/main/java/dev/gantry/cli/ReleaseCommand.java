package dev.gantry.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.Json;
import dev.gantry.ledger.MoveKind;
import dev.gantry.ledger.Recorder;
import dev.gantry.promote.PromoteReport;
import dev.gantry.release.GitHubApi;
import dev.gantry.release.ReleaseNotes;
import dev.gantry.release.ReleaseRequest;
import dev.gantry.release.Releaser;
import dev.gantry.session.Session;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description =
        "Release a commit: the next CalVer version, an annotated tag on exactly that commit, a GitHub Release "
            + "with notes since the previous version, and every --image tagged with the version at the registry level. "
            + "Re-running on a released commit completes what is missing and changes nothing else.")
final class ReleaseCommand extends RegistryCommand {
  @Mixin GitHubOptions github;

  @Option(
      names = "--sha",
      paramLabel = "COMMIT",
      required = true,
      description = "The commit to release (7 to 40 hex characters).")
  String sha;

  @Option(
      names = "--image",
      paramLabel = "IMAGE",
      description =
          "An image to tag with the version (repeatable); IMAGE@sha256:<hex> tags exactly that digest (exit 5 if --from moved).")
  List<String> images = new ArrayList<>();

  @Option(
      names = "--from",
      paramLabel = "TAG",
      description = "The images' source tag (default: sha-<first 7 of COMMIT>).")
  @Nullable String from;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "YYYY.M.PATCH",
      description =
          "YYYY.M.PATCH (default), YYYY.0M.PATCH or YY.M.PATCH; the date is today's in UTC.")
  String format;

  @Option(names = "--draft", description = "Create the release as a draft.")
  boolean draft;

  @Option(names = "--prerelease", description = "Mark the release as a pre-release.")
  boolean prerelease;

  @Option(names = "--no-latest", description = "Do not mark the release as the latest one.")
  boolean noLatest;

  @Mixin LedgerOptions ledger;

  ReleaseCommand(Environment env) {
    super(env);
  }

  @Override
  public Integer call() {
    Releaser.Result result;
    Recorder.Written recorded = Recorder.Written.none();
    ReleaseRequest request =
        ReleaseRequest.parse(
            github.repository, sha, images, from, format, draft, prerelease, noLatest);
    try (Session session = registry.openForImages(env, request.images())) {
      GitHubApi gitHub = new GitHubApi(session.gitHub(github.settings(env)), request.repository());
      YearMonth now = YearMonth.now(env.clock().withZone(ZoneOffset.UTC));
      result =
          Releaser.release(
              request,
              gitHub,
              image -> session.store(image, !registry.dryRun),
              now,
              registry.dryRun,
              registry.jobs);
      if (ledger.recording(registry.dryRun) && result.imageReport() != null) {
        // The version tags moved (a re-run that found them in place moved nothing and records
        // nothing).
        recorded =
            Recorder.write(
                Recorder.promoted(
                    result.imageReport(),
                    image -> session.store(image, true),
                    result.imageReport().plan().request().fromLabel()),
                MoveKind.RELEASE,
                Optional.of(result.commit()),
                LedgerOptions.provenance(env),
                registry.jobs);
      }
    }
    env.stdout().println(registry.json ? json(result, recorded) : text(result));
    recorded.warnings().forEach(w -> env.stderr().println("gantry: warning: " + w));
    if (ledger.recording(registry.dryRun) && result.imageReport() != null) {
      env.stderr().println("release: " + recorded.summary());
    }
    return ExitCode.OK;
  }

  private static String text(Releaser.Result r) {
    StringBuilder s = new StringBuilder();
    if (r.dryRun()) {
      s.append("dry run, nothing written: would release ").append(r.version());
    } else if (r.alreadyReleased()) {
      s.append("already released as ").append(r.version());
    } else {
      s.append("released ").append(r.version());
    }
    s.append(" (commit ")
        .append(r.commit())
        .append(", previous ")
        .append(r.previousTag() == null ? "none" : r.previousTag())
        .append(")\n");
    if (r.release() != null) {
      s.append(r.releaseCreated() ? "release created: " : "release exists: ")
          .append(r.release().url())
          .append('\n');
    }
    for (ReleaseNotes.ImageLine i : r.images()) {
      s.append(r.dryRun() ? "would tag " : "tagged ")
          .append(i.image())
          .append(':')
          .append(r.version())
          .append("  ")
          .append(i.digest())
          .append('\n');
    }
    if (r.dryRun()) {
      s.append("\n").append(r.body());
    }
    return s.toString().stripTrailing();
  }

  private static String json(Releaser.Result r, Recorder.Written recorded) {
    ObjectNode root = Json.object();
    root.put("command", "release");
    root.put("status", r.dryRun() ? "planned" : "ok");
    root.put("dryRun", r.dryRun());
    root.put("version", r.version());
    root.put("tag", r.version());
    root.put("previousTag", r.previousTag());
    root.put("alreadyReleased", r.alreadyReleased());
    root.put("sha", r.commit());
    if (r.release() != null) {
      ObjectNode release = root.putObject("release");
      release.put("id", r.release().id());
      release.put("url", r.release().url());
      release.put("created", r.releaseCreated());
    } else {
      root.putNull("release");
    }
    ArrayNode images = root.putArray("images");
    for (ReleaseNotes.ImageLine i : r.images()) {
      ObjectNode image = images.addObject();
      image.put("image", i.image());
      image.put("digest", i.digest());
      image.put("outcome", outcome(r.imageReport(), i.image(), r.dryRun()));
    }
    ObjectNode l = root.putObject("ledger");
    l.put("records", recorded.records());
    recorded.warnings().forEach(l.putArray("warnings")::add);
    return Json.write(root);
  }

  private static String outcome(@Nullable PromoteReport report, String image, boolean dryRun) {
    if (report == null) {
      return dryRun ? "would-promote" : "unknown";
    }
    return report.results().stream()
        .filter(t -> t.image().toString().equals(image))
        .findFirst()
        .map(t -> PromoteOutput.label(t.outcome()))
        .orElse("unknown");
  }
}
