package dev.gantry.action;

import java.util.List;

/**
 * Pure: the Markdown images table and {@code docker pull} block, one renderer for the step
 * summaries here and the release body (release sits above action, so it calls this one). Cells are
 * written as given: callers quote them.
 */
public final class ImagesMarkdown {
  private ImagesMarkdown() {}

  /** The header row, its separator, then one line per row. */
  public static String table(List<String> header, List<List<String>> rows) {
    StringBuilder s = new StringBuilder(row(header)).append('|');
    header.forEach(h -> s.append(" --- |"));
    s.append('\n');
    rows.forEach(r -> s.append(row(r)));
    return s.toString();
  }

  /**
   * After a blank line, a fenced block of {@code docker pull REFERENCE} lines; empty when there is
   * no reference.
   */
  public static String pulls(List<String> references) {
    if (references.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder("\n```\n");
    references.forEach(r -> s.append("docker pull ").append(r).append('\n'));
    return s.append("```\n").toString();
  }

  private static String row(List<String> cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }
}
