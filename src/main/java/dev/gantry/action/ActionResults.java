package dev.gantry.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.Json;
import dev.gantry.progress.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Pure: turns a command's JSON result into the action's step outputs and its Markdown step summary.
 */
public final class ActionResults {
  private ActionResults() {}

  public static Map<String, String> outputs(String command, JsonNode result) {
    Map<String, String> out = new LinkedHashMap<>();
    ObjectNode digests = Json.object();
    ArrayNode promoted = Json.array();
    switch (command) {
      case "promote", "rollback" -> {
        for (JsonNode image : result.path("images")) {
          digests.put(image.path("image").asText(), image.path("digest").asText());
          for (JsonNode tag : image.path("tags")) {
            if (tag.path("outcome").asText().equals("promoted")) {
              promoted
                  .addObject()
                  .put("image", image.path("image").asText())
                  .put("tag", tag.path("tag").asText())
                  .put("digest", image.path("digest").asText())
                  .put("previous", tag.path("previous").asText(null));
            }
          }
        }
      }
      case "copy" -> {
        digests.put(result.path("destination").asText(), result.path("digest").asText());
        if (result.path("outcome").asText().equals("copied")) {
          promoted
              .addObject()
              .put("source", result.path("source").asText())
              .put("destination", result.path("destination").asText())
              .put("digest", result.path("digest").asText());
        }
      }
      case "resolve" -> {
        StringBuilder pinned = new StringBuilder();
        result
            .fields()
            .forEachRemaining(
                e -> {
                  digests.put(e.getKey(), e.getValue().asText());
                  pinned
                      .append(pinned.length() == 0 ? "" : "\n")
                      .append(e.getKey())
                      .append('@')
                      .append(e.getValue().asText());
                });
        out.put("digests", Json.write(digests));
        out.put("images", pinned.toString());
        return out;
      }
      case "check-commit" -> {
        out.put("eligible", String.valueOf(result.path("eligible").asBoolean(false)));
        out.put("reason", result.path("reason").asText(""));
        out.put("rollback-from", result.path("rollbackFrom").asText(""));
        return out;
      }
      default -> {
        for (JsonNode image : result.path("images")) {
          digests.put(image.path("image").asText(), image.path("digest").asText());
          if (image.path("outcome").asText().equals("promoted")) {
            promoted
                .addObject()
                .put("image", image.path("image").asText())
                .put("tag", result.path("version").asText())
                .put("digest", image.path("digest").asText());
          }
        }
        out.put("version", result.path("version").asText(""));
        out.put("tag", result.path("tag").asText(""));
        out.put("previous-tag", result.path("previousTag").asText(""));
        out.put("release-url", result.path("release").path("url").asText(""));
        out.put("release-id", result.path("release").path("id").asText(""));
      }
    }
    out.put("digests", Json.write(digests));
    out.put("promoted", Json.write(promoted));
    return out;
  }

  public static String summary(String command, JsonNode result) {
    StringBuilder s = new StringBuilder();
    boolean dry = result.path("dryRun").asBoolean(false);
    switch (command) {
      case "promote", "rollback" -> {
        s.append(
                command.equals("promote")
                    ? "### Gantry promote " + code(result.path("from").asText())
                    : "### Gantry rollback")
            .append(dry ? " (dry run)" : "")
            .append("\n\n");
        List<List<String>> rows = new ArrayList<>();
        List<String> pulls = new ArrayList<>();
        for (JsonNode image : result.path("images")) {
          for (JsonNode tag : image.path("tags")) {
            rows.add(
                List.of(
                    code(image.path("image").asText()),
                    code(image.path("digest").asText()),
                    code(tag.path("tag").asText()),
                    tag.path("outcome").asText()));
            if (!image.path("image").asText().startsWith("oci:")) {
              pulls.add(image.path("image").asText() + ':' + tag.path("tag").asText());
            }
          }
        }
        s.append(ImagesMarkdown.table(List.of("image", "source digest", "tag", "result"), rows))
            .append(ImagesMarkdown.pulls(pulls))
            .append(LedgerMarkdown.of(result));
      }
      case "copy" ->
          s.append("### Gantry copy\n\n")
              .append(result.path("outcome").asText())
              .append(": ")
              .append(code(result.path("source").asText()))
              .append(" → ")
              .append(code(result.path("destination").asText()))
              .append(" at ")
              .append(code(result.path("digest").asText()))
              .append('\n')
              .append(LedgerMarkdown.of(result));
      case "resolve" -> {
        s.append("### Gantry resolve\n\n| image | digest |\n| --- | --- |\n");
        result
            .fields()
            .forEachRemaining(
                e ->
                    s.append("| ")
                        .append(code(e.getKey()))
                        .append(" | ")
                        .append(code(e.getValue().asText()))
                        .append(" |\n"));
      }
      case "check-commit" -> {
        boolean eligible = result.path("eligible").asBoolean(false);
        s.append("### Gantry check-commit: ")
            .append(eligible ? "eligible" : "refused")
            .append("\n\n")
            .append(eligible ? "" : "**Refused:** ")
            .append(result.path("reason").asText())
            .append("\n\n");
        s.append("| check | result | detail |\n| --- | --- | --- |\n");
        for (JsonNode check : result.path("checks")) {
          s.append("| ")
              .append(check.path("check").asText())
              .append(" | ")
              .append(check.path("ok").asBoolean() ? "ok" : "refused")
              .append(" | ")
              .append(check.path("detail").asText().replace("|", "\\|"))
              .append(" |\n");
        }
      }
      default -> {
        String version = result.path("version").asText();
        s.append("### Gantry release ")
            .append(code(version))
            .append(dry ? " (dry run)" : "")
            .append("\n\n");
        if (result.path("alreadyReleased").asBoolean(false)) {
          s.append("Already released as ").append(code(version)).append(".\n\n");
        }
        s.append("Commit ")
            .append(code(result.path("sha").asText()))
            .append(", previous tag ")
            .append(
                result.path("previousTag").isNull()
                    ? "none"
                    : code(result.path("previousTag").asText()))
            .append(".\n\n");
        String url = result.path("release").path("url").asText("");
        if (!url.isEmpty()) {
          s.append("Release: [").append(version).append("](").append(url).append(")\n\n");
        }
        if (!result.path("images").isEmpty()) {
          List<List<String>> rows = new ArrayList<>();
          List<String> pulls = new ArrayList<>();
          for (JsonNode image : result.path("images")) {
            rows.add(
                List.of(
                    code(image.path("image").asText() + ":" + version),
                    code(image.path("digest").asText()),
                    image.path("outcome").asText()));
            pulls.add(image.path("image").asText() + ':' + version);
          }
          s.append(ImagesMarkdown.table(List.of("image", "digest", "result"), rows))
              .append(ImagesMarkdown.pulls(pulls));
        }
        s.append(LedgerMarkdown.of(result));
      }
    }
    return s.toString();
  }

  /**
   * The figures of the summary line that copy and promote print on stderr, as a table; empty for
   * release.
   */
  public static String transfer(@Nullable Summary s) {
    if (s == null) {
      return "";
    }
    return "\n| moved | blobs uploaded | blobs mounted | blobs already there | manifests written | time | throughput |\n"
        + "| --- | --- | --- | --- | --- | --- | --- |\n"
        + "| "
        + s.movedText()
        + " | "
        + s.uploaded()
        + " | "
        + s.mounted()
        + " | "
        + s.alreadyThere()
        + " | "
        + s.manifests()
        + " | "
        + s.elapsedText()
        + " | "
        + s.throughputText()
        + " |\n";
  }

  private static String code(String s) {
    return "`" + s.replace("`", "'") + "`";
  }
}
