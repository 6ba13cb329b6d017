package dev.gantry.ledger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.Json;
import dev.gantry.image.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A tag's history as aligned text (short digests) or one JSON document (full values). */
public final class HistoryOutput {
  private HistoryOutput() {}

  public static String text(History.Log log) {
    StringBuilder s =
        new StringBuilder(log.image())
            .append(':')
            .append(log.tag())
            .append("  now ")
            .append(log.current())
            .append('\n');
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TIME", "KIND", "DIGEST", "PREVIOUS", "COMMIT", "ACTOR", "RUN"});
    for (History.Entry e : log.entries()) {
      if (e instanceof History.Recorded r) {
        PromotionRecord p = r.record();
        rows.add(
            new String[] {
              p.time().toString(),
              p.kind().label(),
              p.digest().shortForm(),
              p.previous().map(Digest::shortForm).orElse("(new tag)"),
              p.commit().map(HistoryOutput::shortCommit).orElse("-"),
              p.actor().orElse("-"),
              p.run().orElse("-")
            });
      } else {
        rows.add(
            new String[] {
              "-",
              "unrecorded",
              e.digest().shortForm(),
              "-",
              "-",
              "-",
              "moved by another tool (no ledger record): the walk stops here"
            });
      }
    }
    int[] width = new int[7];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(
            i == row.length - 1
                ? row[i]
                : String.format(Locale.ROOT, "%-" + width[i] + "s  ", row[i]));
      }
      s.append(line.toString().stripTrailing()).append('\n');
    }
    return s.toString();
  }

  public static String json(History.Log log) {
    return Json.write(tree(log));
  }

  /**
   * {@code {"image","tag","current","records":[{digest, previous, time, commit, actor, run, kind,
   * source}]}}.
   */
  public static ObjectNode tree(History.Log log) {
    ObjectNode root = Json.object();
    root.put("image", log.image());
    root.put("tag", log.tag());
    root.put("current", log.current().toString());
    ArrayNode records = root.putArray("records");
    for (History.Entry e : log.entries()) {
      ObjectNode o = records.addObject();
      o.put("digest", e.digest().toString());
      if (e instanceof History.Recorded r) {
        PromotionRecord p = r.record();
        put(o, "previous", p.previous().map(Digest::toString));
        o.put("time", p.time().toString());
        put(o, "commit", p.commit());
        put(o, "actor", p.actor());
        put(o, "run", p.run());
        o.put("kind", p.kind().label());
        o.put("source", p.source());
      } else {
        for (String k : List.of("previous", "time", "commit", "actor", "run")) {
          o.putNull(k);
        }
        o.put("kind", "unrecorded"); // moved by another tool: the walk stopped here
      }
    }
    return root;
  }

  private static void put(ObjectNode o, String key, Optional<String> value) {
    if (value.isPresent()) {
      o.put(key, value.get());
    } else {
      o.putNull(key);
    }
  }

  private static String shortCommit(String commit) {
    return commit.length() > 7 ? commit.substring(0, 7) : commit;
  }
}
