package dev.gantry.action;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;

/**
 * The runner's side channels: workflow commands on standard output ({@code ::add-mask::}, {@code
 * ::group::}, {@code ::error::}), step outputs appended to {@code $GITHUB_OUTPUT} (always in the
 * delimiter form, so any value, multi-line included, is safe) and Markdown appended to {@code
 * $GITHUB_STEP_SUMMARY}.
 */
public final class WorkflowCommands {
  /** GitHub refuses step summaries over 1 MiB. */
  public static final int MAX_SUMMARY = 1024 * 1024;

  private final PrintStream out;
  private final Map<String, String> env;

  public WorkflowCommands(PrintStream out, Map<String, String> env) {
    this.out = out;
    this.env = env;
  }

  public void mask(String secret) {
    for (String line : secret.split("\\R")) {
      if (!line.isBlank()) {
        out.println("::add-mask::" + escapeData(line));
      }
    }
  }

  public void group(String title) {
    out.println("::group::" + escapeData(title));
  }

  public void endGroup() {
    out.println("::endgroup::");
  }

  public void error(String title, String message) {
    out.println("::error title=" + escapeProperty(title) + "::" + escapeData(message));
  }

  public void warning(String message) {
    out.println("::warning::" + escapeData(message));
  }

  /**
   * Appends every output to $GITHUB_OUTPUT as {@code name<<DELIMITER}, value, {@code DELIMITER}.
   */
  public void outputs(Map<String, String> outputs) throws IOException {
    String file = env.get("GITHUB_OUTPUT");
    if (file == null || file.isEmpty()) {
      warning("GITHUB_OUTPUT is not set: step outputs are not written");
      return;
    }
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, String> e : outputs.entrySet()) {
      String delimiter = "ghadelimiter_" + UUID.randomUUID();
      s.append(e.getKey())
          .append("<<")
          .append(delimiter)
          .append('\n')
          .append(e.getValue())
          .append('\n')
          .append(delimiter)
          .append('\n');
    }
    append(Path.of(file), s.toString());
  }

  /** Appends Markdown to the step summary, cut to stay under GitHub's 1 MiB limit. */
  public void summary(String markdown) throws IOException {
    String file = env.get("GITHUB_STEP_SUMMARY");
    if (file == null || file.isEmpty()) {
      return;
    }
    Path path = Path.of(file);
    long used = Files.exists(path) ? Files.size(path) : 0;
    byte[] bytes = markdown.getBytes(StandardCharsets.UTF_8);
    long room = MAX_SUMMARY - used - 200;
    if (bytes.length > room) {
      String note = "\n\n_Summary cut to stay under GitHub's 1 MiB limit._\n";
      String cut = new String(bytes, 0, (int) Math.max(0, room), StandardCharsets.UTF_8);
      cut = cut.substring(0, Math.max(0, cut.lastIndexOf('\n')));
      markdown = cut + note;
    }
    append(path, markdown);
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(
        file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static String escapeData(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  static String escapeProperty(String s) {
    return escapeData(s).replace(":", "%3A").replace(",", "%2C");
  }
}
