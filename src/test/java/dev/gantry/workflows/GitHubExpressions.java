package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.testing.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * GitHub's own expression evaluator (npm {@code @actions/expressions}, pinned in
 * .ci/lint/package-lock.json), run by .ci/lint/eval-expressions.mjs: many expressions in one node
 * process.
 */
final class GitHubExpressions {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path LINT = WorkflowPolicyTest.ROOT.resolve(".ci/lint");

  /**
   * One expression against contexts; status is what success()/failure() answer (the needed jobs'
   * result).
   */
  record Case(String name, String expression, JsonNode contexts, String status) {}

  /** What the evaluator made of a case: its value as JSON and GitHub's truthiness, or its error. */
  record Outcome(Case c, JsonNode value, boolean truthy, String error) {}

  private GitHubExpressions() {}

  static List<Outcome> evaluate(List<Case> cases) {
    if (!Files.isDirectory(LINT.resolve("node_modules/@actions/expressions"))) {
      fail(
          ".ci/lint/node_modules/@actions/expressions is missing: run `npm ci --prefix .ci/lint --no-audit --no-fund`");
    }
    ObjectNode input = JSON.createObjectNode();
    ArrayNode list = input.putArray("cases");
    for (Case c : cases) {
      ObjectNode node = list.addObject();
      node.put("expression", c.expression());
      node.set("contexts", c.contexts());
      node.put("status", c.status());
    }
    try {
      ProcessRunner.Result r =
          ProcessRunner.check(
              List.of("node", LINT.resolve("eval-expressions.mjs").toString()),
              Duration.ofSeconds(60),
              Map.of(),
              JSON.writeValueAsBytes(input));
      JsonNode results = JSON.readTree(r.stdoutText()).path("results");
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < cases.size(); i++) {
        JsonNode result = results.get(i);
        outcomes.add(
            new Outcome(
                cases.get(i),
                result.path("value"),
                result.path("truthy").asBoolean(),
                result.has("error") ? result.path("error").asText() : null));
      }
      return outcomes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
