package dev.gantry.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Each template NAME.yml has a NAME.properties.json that GitHub's "new workflow" page can show. */
final class TemplateRules {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KEYS =
      Set.of("name", "description", "iconName", "categories", "filePatterns");

  private TemplateRules() {}

  static void check(Suite suite, List<Violation> out) {
    for (Workflow t : suite.templates()) {
      String base = t.path().replaceFirst("\\.ya?ml$", "");
      String path = base + ".properties.json";
      if (!suite.files().containsKey(path)) {
        out.add(new Violation(t.path(), "properties", "no " + path));
        continue;
      }
      checkProperties(suite, t, path, out);
    }
    for (String path : suite.files().keySet()) {
      if (path.endsWith(".properties.json")) {
        String base = path.substring(0, path.length() - ".properties.json".length());
        if (!suite.files().containsKey(base + ".yml")
            && !suite.files().containsKey(base + ".yaml")) {
          out.add(
              new Violation(
                  path, "properties", "no template " + base + ".yml for these properties"));
        }
      }
    }
  }

  private static void checkProperties(Suite suite, Workflow t, String path, List<Violation> out) {
    JsonNode p;
    try {
      p = JSON.readTree(suite.text(path));
    } catch (IOException e) {
      out.add(
          new Violation(
              path, "properties", "not JSON: " + e.getMessage().lines().findFirst().orElse("")));
      return;
    }
    if (!p.isObject()) {
      out.add(new Violation(path, "properties", "not a JSON object"));
      return;
    }
    p.fieldNames()
        .forEachRemaining(
            key -> {
              if (!KEYS.contains(key)) {
                out.add(new Violation(path, "properties", "unknown key " + key));
              }
            });
    if (!p.path("name").asText("").equals(t.name())) {
      out.add(
          new Violation(
              path,
              "properties",
              "name '"
                  + p.path("name").asText("")
                  + "' is not the template's name '"
                  + t.name()
                  + "'"));
    }
    if (p.path("description").asText("").isBlank()) {
      out.add(new Violation(path, "properties", "no description"));
    }
    String icon = p.path("iconName").asText("");
    boolean svg = suite.files().containsKey(Workflow.TEMPLATES + icon + ".svg");
    if (!icon.matches("octicon [a-z0-9-]+") && !svg) {
      out.add(
          new Violation(
              path,
              "properties",
              "iconName '" + icon + "' is neither `octicon NAME` nor an .svg here"));
    }
    if (!nonEmptyStrings(p.path("categories"))) {
      out.add(new Violation(path, "properties", "categories must be a non-empty list of strings"));
    }
    JsonNode patterns = p.path("filePatterns");
    if (!nonEmptyStrings(patterns)) {
      out.add(
          new Violation(
              path, "properties", "filePatterns must be a non-empty list of regular expressions"));
    } else {
      for (JsonNode pattern : patterns) {
        try {
          Pattern.compile(pattern.asText());
        } catch (PatternSyntaxException e) {
          out.add(
              new Violation(
                  path,
                  "properties",
                  "filePatterns: '" + pattern.asText() + "' is not a regular expression"));
        }
      }
    }
  }

  private static boolean nonEmptyStrings(JsonNode list) {
    if (!list.isArray() || list.isEmpty()) {
      return false;
    }
    for (JsonNode item : list) {
      if (!item.isTextual() || item.asText().isBlank()) {
        return false;
      }
    }
    return true;
  }
}
