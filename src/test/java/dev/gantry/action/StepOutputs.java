package dev.gantry.action;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@code $GITHUB_OUTPUT} file the way the runner does, but strictly: every entry must be in
 * the delimiter form ({@code name<<DELIMITER}, value lines, {@code DELIMITER}) with a {@code
 * ghadelimiter_<uuid>} delimiter that is used once in the file and does not occur in its value.
 * Anything else throws, so a test sees the format break.
 */
final class StepOutputs {
  private static final Pattern DELIMITER =
      Pattern.compile("ghadelimiter_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private StepOutputs() {}

  static Map<String, String> parse(String file) {
    Map<String, String> outputs = new LinkedHashMap<>();
    Set<String> delimiters = new HashSet<>();
    List<String> lines = List.of(file.split("\n", -1));
    int i = 0;
    while (i < lines.size()) {
      String header = lines.get(i++);
      if (header.isEmpty()) {
        continue; // the runner skips blank lines between entries
      }
      int heredoc = header.indexOf("<<");
      int equals = header.indexOf('=');
      if (heredoc <= 0 || (equals >= 0 && equals < heredoc)) {
        throw new IllegalArgumentException(
            "not in the delimiter form: '" + header + "' in\n" + file);
      }
      String name = header.substring(0, heredoc);
      String delimiter = header.substring(heredoc + 2);
      if (!DELIMITER.matcher(delimiter).matches()) {
        throw new IllegalArgumentException(
            "delimiter of " + name + " is not ghadelimiter_<uuid>: '" + delimiter + "'");
      }
      if (!delimiters.add(delimiter)) {
        throw new IllegalArgumentException("delimiter used twice: " + delimiter);
      }
      StringBuilder value = new StringBuilder();
      boolean closed = false;
      for (String sep = ""; i < lines.size(); sep = "\n") {
        String line = lines.get(i++);
        if (line.equals(delimiter)) {
          closed = true;
          break;
        }
        value.append(sep).append(line);
      }
      if (!closed) {
        throw new IllegalArgumentException("no closing delimiter for " + name + " in\n" + file);
      }
      if (value.indexOf(delimiter) >= 0) {
        throw new IllegalArgumentException("the value of " + name + " contains its own delimiter");
      }
      if (outputs.put(name, value.toString()) != null) {
        throw new IllegalArgumentException("output " + name + " written twice");
      }
    }
    return outputs;
  }
}
