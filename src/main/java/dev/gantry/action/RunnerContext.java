package dev.gantry.action;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.CommitSha;
import dev.gantry.GantryException;
import dev.gantry.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What the runner tells about the run: which commit, which repository, from GITHUB_* and the event
 * payload.
 */
public final class RunnerContext {

  private RunnerContext() {}

  /**
   * The commit to act on: the {@code sha} input; else, for {@code workflow_run}, the run's {@code
   * head_sha} (never GITHUB_SHA there: it is the default branch's head); else a {@code
   * workflow_dispatch} {@code sha} input; else GITHUB_SHA.
   */
  public static String commit(ActionInputs in, Map<String, String> env) {
    String sha = in.sha();
    String source = "input sha";
    String event = env.getOrDefault("GITHUB_EVENT_NAME", "");
    if (sha.isEmpty() && event.equals("workflow_run")) {
      sha = payload(env).path("workflow_run").path("head_sha").asText("");
      source = "workflow_run.head_sha";
      if (sha.isEmpty()) {
        // Never GITHUB_SHA here: on workflow_run it is the default branch's head, not the commit
        // that was tested.
        throw GantryException.badInput(
            "workflow_run event without workflow_run.head_sha in GITHUB_EVENT_PATH '"
                + env.getOrDefault("GITHUB_EVENT_PATH", "")
                + "': set the sha input");
      }
    }
    if (sha.isEmpty() && event.equals("workflow_dispatch")) {
      sha = payload(env).path("inputs").path("sha").asText("").strip();
      source = "workflow_dispatch input sha";
    }
    if (sha.isEmpty()) {
      sha = env.getOrDefault("GITHUB_SHA", "");
      source = "GITHUB_SHA";
    }
    if (!CommitSha.isValid(sha)) {
      throw GantryException.badInput(
          "invalid commit '"
              + sha
              + "' from "
              + source
              + " (expected 7 to 40 hexadecimal characters)");
    }
    return sha.toLowerCase(Locale.ROOT);
  }

  public static String repository(ActionInputs in, Map<String, String> env) {
    return in.repository().isEmpty() ? env.getOrDefault("GITHUB_REPOSITORY", "") : in.repository();
  }

  private static JsonNode payload(Map<String, String> env) {
    String path = env.get("GITHUB_EVENT_PATH");
    if (path == null || path.isEmpty() || !Files.isRegularFile(Path.of(path))) {
      return Json.object();
    }
    try {
      return Json.readTree(Path.of(path));
    } catch (IOException e) {
      throw GantryException.badInput(
          "invalid event payload at GITHUB_EVENT_PATH " + path + ": not valid JSON");
    }
  }
}
