package dev.gantry.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.Json;
import dev.gantry.ledger.History;
import dev.gantry.ledger.HistoryOutput;
import dev.gantry.ledger.Recorder;
import dev.gantry.promote.PromotePlan;
import dev.gantry.promote.PromotePlan.ImagePlan;
import dev.gantry.promote.PromoteReport;
import dev.gantry.promote.PromoteReport.Outcome;
import dev.gantry.promote.PromoteReport.TagResult;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Writes a promote report as aligned text lines or as one JSON document. */
final class PromoteOutput {
  private PromoteOutput() {}

  /**
   * {@code value} left-aligned in {@code width} columns, as {@code %-Ns} (no String.format: its
   * first use is slow).
   */
  private static StringBuilder padded(StringBuilder s, String value, int width) {
    s.append(value);
    for (int i = value.length(); i < width; i++) {
      s.append(' ');
    }
    return s;
  }

  static String text(PromoteReport report) {
    StringBuilder s = new StringBuilder();
    int width = 0;
    for (TagResult r : report.results()) {
      width = Math.max(width, (r.image() + ":" + r.tag()).length());
    }
    for (TagResult r : report.results()) {
      String target = r.image() + ":" + r.tag();
      padded(s, label(r.outcome()), 14).append(' ');
      padded(s, target, width).append("  ").append(r.source());
      if (r.previous() != null && !r.previous().equals(r.source())) {
        s.append("  (was ").append(r.previous()).append(')');
      } else if (r.previous() == null && r.outcome() != Outcome.UNCHANGED) {
        s.append("  (new tag)");
      }
      if (r.error() != null) {
        s.append("  ").append(r.error());
      }
      s.append('\n');
    }
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    for (TagResult r : report.results()) {
      counts.put(
          r.outcome(), counts.getOrDefault(r.outcome(), 0) + 1); // no method reference to link
    }
    StringBuilder summary = new StringBuilder(report.dryRun() ? "dry run, nothing written: " : "");
    String sep = "";
    for (Map.Entry<Outcome, Integer> e : counts.entrySet()) {
      summary.append(sep).append(label(e.getKey())).append(' ').append(e.getValue());
      sep = ", ";
    }
    return s.append(summary).append('\n').toString();
  }

  /**
   * The writes about to be made, each with the digest its tag holds now: printed before the first
   * write, so a run killed outright (SIGKILL) can still be undone by hand.
   */
  static String plan(PromotePlan plan) {
    StringBuilder s =
        new StringBuilder("gantry: plan: ")
            .append(plan.writes())
            .append(" tag(s) to write; to undo by hand, point each back at its previous digest\n");
    for (ImagePlan image : plan.images()) {
      for (PromotePlan.TagStep step : image.steps()) {
        if (step.write()) {
          s.append("gantry: plan: ")
              .append(image.image())
              .append(':')
              .append(step.tag())
              .append("  ")
              .append(image.source().digest())
              .append("  ")
              .append(step.previous() == null ? "(new tag)" : "(was " + step.previous() + ")")
              .append('\n');
        }
      }
    }
    return s.toString();
  }

  static String label(Outcome o) {
    return o.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The report as one document; for a failed run it also says the exit code and the one-line error.
   */
  static String json(PromoteReport report, int exitCode, @Nullable String error) {
    return JsonForm.json("promote", report, exitCode, error, null, List.of());
  }

  /** The same with the ledger's part: records written and a warning per record that was not. */
  static String json(
      PromoteReport report,
      int exitCode,
      @Nullable String error,
      Recorder.Written ledger,
      List<History.Log> history) {
    return JsonForm.json("promote", report, exitCode, error, ledger, history);
  }

  /** A rollback's report: a promote's, named rollback, without a source tag. */
  static String rollbackJson(
      PromoteReport report, int exitCode, @Nullable String error, Recorder.Written ledger) {
    return JsonForm.json("rollback", report, exitCode, error, ledger, List.of());
  }

  private static String status(PromoteReport report) {
    if (report.rollbackIncomplete()) {
      return "rollback-incomplete";
    }
    if (report.failed()) {
      return report.movedAny() || report.stoppedBy() != null ? "rolled-back" : "failed";
    }
    return report.dryRun() ? "planned" : "ok";
  }

  /**
   * The JSON form, in a class of its own: the JVM's verifier loads the JSON node types of a method
   * when its class is loaded, and a text-output promote needs none of them.
   */
  private static final class JsonForm {
    static String json(
        String command,
        PromoteReport report,
        int exitCode,
        @Nullable String error,
        Recorder.@Nullable Written ledger,
        List<History.Log> history) {
      ObjectNode root = Json.object();
      root.put("command", command);
      if (command.equals("promote")) {
        root.put("from", report.plan().request().fromLabel());
      }
      root.put("dryRun", report.dryRun());
      root.put("status", status(report));
      if (error != null) {
        root.put("exitCode", exitCode);
        root.put("error", error);
      }
      if (report.stoppedBy() != null) {
        root.put("stoppedBy", report.stoppedBy());
      }
      // The plan with every previous digest (also printed on stderr before the first write).
      ArrayNode writes = root.putArray("plan");
      for (ImagePlan p : report.plan().images()) {
        for (PromotePlan.TagStep step : p.steps()) {
          if (step.write()) {
            ObjectNode w = writes.addObject();
            w.put("image", p.image().toString());
            w.put("tag", step.tag());
            w.put("digest", p.source().digest().toString());
            w.put("previous", step.previous() == null ? null : step.previous().toString());
          }
        }
      }
      ArrayNode images = root.putArray("images");
      for (ImagePlan plan : report.plan().images()) {
        ObjectNode image = images.addObject();
        image.put("image", plan.image().toString());
        image.put("digest", plan.source().digest().toString());
        image.put("mediaType", plan.source().mediaType());
        ArrayNode tags = image.putArray("tags");
        for (TagResult r : report.results()) {
          if (r.image().equals(plan.image())) {
            ObjectNode t = tags.addObject();
            t.put("tag", r.tag());
            t.put("outcome", label(r.outcome()));
            t.put("previous", r.previous() == null ? null : r.previous().toString());
            if (r.error() != null) {
              t.put("error", r.error());
            }
          }
        }
      }
      if (ledger != null) {
        ObjectNode l = root.putObject("ledger");
        l.put("records", ledger.records());
        ArrayNode warnings = l.putArray("warnings");
        ledger.warnings().forEach(warnings::add);
      }
      if (!history.isEmpty()) {
        ArrayNode h = root.putArray("history");
        history.forEach(log -> h.add(HistoryOutput.tree(log)));
      }
      return Json.write(root);
    }
  }
}
