package dev.gantry.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One workflow file of the suite: its path in the repository, its text and its YAML tree. */
record Workflow(String path, String text, JsonNode root) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static final String TEMPLATES = "workflows-templates/";
  static final String WORKFLOWS = ".github/workflows/";

  static Workflow parse(String path, String text) throws IOException {
    return new Workflow(path, text, YAML.readTree(text));
  }

  boolean isTemplate() {
    return path.startsWith(TEMPLATES);
  }

  String name() {
    return root.path("name").asText("");
  }

  JsonNode on() {
    return root.path("on");
  }

  /**
   * The trigger's settings ({@code on: push} and {@code on: [push]} count, with empty settings).
   */
  boolean triggeredBy(String event) {
    JsonNode on = on();
    if (on.isTextual()) {
      return on.asText().equals(event);
    }
    if (on.isArray()) {
      for (JsonNode e : on) {
        if (e.asText().equals(event)) {
          return true;
        }
      }
      return false;
    }
    return on.has(event);
  }

  boolean isReusable() {
    return triggeredBy("workflow_call");
  }

  JsonNode call() {
    return on().path("workflow_call");
  }

  Map<String, JsonNode> jobs() {
    Map<String, JsonNode> jobs = new LinkedHashMap<>();
    root.path("jobs").properties().forEach(e -> jobs.put(e.getKey(), e.getValue()));
    return jobs;
  }

  List<Step> steps(String job) {
    List<Step> steps = new ArrayList<>();
    JsonNode list = root.path("jobs").path(job).path("steps");
    for (int i = 0; i < list.size(); i++) {
      steps.add(new Step(job, i, list.get(i)));
    }
    return steps;
  }

  List<Step> allSteps() {
    List<Step> steps = new ArrayList<>();
    for (String job : jobs().keySet()) {
      steps.addAll(steps(job));
    }
    return steps;
  }

  /** One step of a job. */
  record Step(String job, int index, JsonNode node) {
    String uses() {
      return node.path("uses").asText("");
    }

    /** The {@code run:} script, or null for an action step. */
    String run() {
      return node.has("run") ? node.path("run").asText() : null;
    }

    String with(String key) {
      return node.path("with").path(key).asText("");
    }

    boolean usesAction(String action) {
      return uses().startsWith(action + "@");
    }

    String where() {
      String name = node.path("name").asText("");
      return "job " + job + ", step " + (index + 1) + (name.isEmpty() ? "" : " (" + name + ")");
    }
  }
}
