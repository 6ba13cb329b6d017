package dev.gantry.action;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's part of a promote or rollback step summary: records written (or not), and each tag's
 * last moves.
 */
final class LedgerMarkdown {
  private LedgerMarkdown() {}

  static String of(JsonNode result) {
    StringBuilder s = new StringBuilder();
    JsonNode ledger = result.path("ledger");
    if (ledger.isObject()) {
      JsonNode warnings = ledger.path("warnings");
      s.append("\n**Ledger:** ")
          .append(ledger.path("records").asInt())
          .append(" record(s) written");
      if (!warnings.isEmpty()) {
        s.append(", **").append(warnings.size()).append(" not written**:\n\n");
        warnings.forEach(w -> s.append("- ").append(w.asText().replace("\n", " ")).append('\n'));
      } else {
        s.append(".\n");
      }
    }
    for (JsonNode h : result.path("history")) {
      s.append("\n#### Last moves of `")
          .append(h.path("image").asText())
          .append(':')
          .append(h.path("tag").asText())
          .append("`\n\n");
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode r : h.path("records")) {
        rows.add(
            List.of(
                text(r, "time"),
                text(r, "kind"),
                code(r, "digest"),
                code(r, "previous"),
                code(r, "commit"),
                text(r, "actor"),
                r.path("run").isTextual() ? "[run](" + r.path("run").asText() + ")" : "-"));
      }
      s.append(
          ImagesMarkdown.table(
              List.of("time", "kind", "digest", "previous", "commit", "actor", "run"), rows));
    }
    return s.toString();
  }

  private static String text(JsonNode r, String key) {
    return r.path(key).isTextual() ? r.path(key).asText().replace("|", "\\|") : "-";
  }

  private static String code(JsonNode r, String key) {
    return r.path(key).isTextual() ? "`" + r.path(key).asText().replace("`", "'") + "`" : "-";
  }
}
