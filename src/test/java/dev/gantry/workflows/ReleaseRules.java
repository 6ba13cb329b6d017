package dev.gantry.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.workflows.Workflow.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Rules for a release tree (what scripts/prepare-release.sh leaves, issue 11): nothing a caller
 * pins may move. No OWNER placeholder, action.yml runs an image pinned by digest, every reference
 * to Gantry (job and step {@code uses:}, the gantry-repository/gantry-ref defaults) names a full
 * commit SHA. Checked independently of the script's own check, from the parsed YAML. The default
 * branch is not a release tree: there these rules find the placeholders.
 */
final class ReleaseRules {
  private static final Pattern PLACEHOLDER = Pattern.compile("OWNER/gantry|ghcr\\.io/OWNER\\b");
  private static final Pattern PINNED_IMAGE =
      Pattern.compile("docker://[^@\\s]+@sha256:[0-9a-f]{64}");
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

  private ReleaseRules() {}

  static List<Violation> check(Suite suite, String actionYml, JsonNode action) {
    List<Violation> out = new ArrayList<>();
    placeholders("action.yml", actionYml, out);
    // The workflows and templates name where Gantry comes from; the scripts they call only talk
    // about it.
    suite
        .files()
        .forEach(
            (path, text) -> {
              if (!path.startsWith(Suite.SCRIPTS)) {
                placeholders(path, text, out);
              }
            });
    String image = action.path("runs").path("image").asText("");
    if (!PINNED_IMAGE.matcher(image).matches()) {
      out.add(
          new Violation(
              "action.yml",
              "release-image",
              "runs.image is '"
                  + image
                  + "', not docker://IMAGE@sha256:<64 hex>: every job would build or pull something that can change"));
    }
    String gantry = suite.gantryRepository().toLowerCase(Locale.ROOT);
    if (gantry.isEmpty()) {
      out.add(
          new Violation(
              Workflow.WORKFLOWS,
              "release-ref",
              "no reusable workflow says where Gantry lives "
                  + "(a gantry-repository input with a default)"));
    }
    for (Workflow w : suite.workflows()) {
      if (w.isReusable()) {
        JsonNode ref = w.call().path("inputs").path("gantry-ref");
        if (!ref.isMissingNode() && !SHA.matcher(ref.path("default").asText("")).matches()) {
          out.add(
              new Violation(
                  w.path(),
                  "release-ref",
                  "the gantry-ref input defaults to '"
                      + ref.path("default").asText("")
                      + "', not a commit SHA"));
        }
      }
      w.jobs()
          .forEach((id, job) -> movable(w, "job " + id, job.path("uses").asText(""), gantry, out));
      for (Step step : w.allSteps()) {
        movable(w, step.where(), step.uses(), gantry, out);
      }
    }
    return out;
  }

  private static void placeholders(String path, String text, List<Violation> out) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (PLACEHOLDER.matcher(lines[i]).find()) {
        out.add(
            new Violation(
                path, "release-placeholder", "line " + (i + 1) + ": " + lines[i].strip()));
      }
    }
  }

  private static void movable(
      Workflow w, String where, String uses, String gantry, List<Violation> out) {
    String lower = uses.toLowerCase(Locale.ROOT);
    boolean ours =
        !gantry.isEmpty() && (lower.startsWith(gantry + "/") || lower.startsWith(gantry + "@"));
    if (ours && !SHA.matcher(uses.substring(uses.lastIndexOf('@') + 1)).matches()) {
      out.add(
          new Violation(
              w.path(),
              "release-ref",
              where + ": " + uses + " can move: pin Gantry by commit SHA"));
    }
  }
}
