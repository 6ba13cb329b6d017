package dev.gantry.action;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One step {@code uses: gantry} as the GitHub runner runs it, with {@code java -jar
 * target/gantry.jar action} in the container's place: every input declared in action.yml arrives as
 * {@code INPUT_<NAME>} (upper-cased, hyphens kept), set to its default unless the step says
 * otherwise ("" for no default, {@code ${{ github.token }}} evaluated); the event payload is a file
 * at GITHUB_EVENT_PATH; the file commands (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, ...) are fresh empty
 * files, as the runner creates them before the step.
 */
final class ActionStep {
  /** The token the runner would hand out as {@code github.token}; fake, but shaped like one. */
  final String githubToken = "ghs_" + UUID.randomUUID().toString().replace("-", "") + "Zq9k";

  private final Path dir = TempDirs.create("gantry-step-");
  private final Map<String, String> inputs = new LinkedHashMap<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Path output;
  private final Path summary;

  private ActionStep(String event, JsonNode payload, String githubSha) {
    declaredInputs()
        .forEach(
            (name, value) -> inputs.put(name, value.replace("${{ github.token }}", githubToken)));
    try {
      Path eventFile = dir.resolve("_github_workflow/event.json");
      Files.createDirectories(eventFile.getParent());
      Files.writeString(
          eventFile,
          EventPayloads.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(payload));
      Path commands = Files.createDirectories(dir.resolve("_runner_file_commands"));
      String id = UUID.randomUUID().toString();
      output = Files.createFile(commands.resolve("set_output_" + id));
      summary = Files.createFile(commands.resolve("step_summary_" + id));
      env.put("GITHUB_OUTPUT", output.toString());
      env.put("GITHUB_STEP_SUMMARY", summary.toString());
      env.put("GITHUB_ENV", Files.createFile(commands.resolve("set_env_" + id)).toString());
      env.put("GITHUB_PATH", Files.createFile(commands.resolve("add_path_" + id)).toString());
      env.put("GITHUB_STATE", Files.createFile(commands.resolve("save_state_" + id)).toString());
      env.put("GITHUB_EVENT_PATH", eventFile.toString());
      env.put("GITHUB_WORKSPACE", Files.createDirectories(dir.resolve("workspace")).toString());
      env.put("RUNNER_TEMP", Files.createDirectories(dir.resolve("_temp")).toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("CI", "true");
    env.put("GITHUB_ACTIONS", "true");
    env.put("GITHUB_EVENT_NAME", event);
    env.put("GITHUB_SHA", githubSha);
    env.put("GITHUB_REF", payload.path("ref").asText("refs/heads/" + EventPayloads.DEFAULT_BRANCH));
    env.put("GITHUB_REF_NAME", EventPayloads.DEFAULT_BRANCH);
    env.put("GITHUB_REPOSITORY", EventPayloads.REPOSITORY);
    env.put("GITHUB_REPOSITORY_OWNER", EventPayloads.OWNER);
    env.put("GITHUB_ACTOR", "mona");
    env.put("GITHUB_WORKFLOW", "Promote");
    env.put("GITHUB_JOB", "promote");
    env.put("GITHUB_ACTION", "gantry");
    env.put("GITHUB_RUN_ID", "9876543999");
    env.put("GITHUB_RUN_NUMBER", "87");
    env.put("GITHUB_RUN_ATTEMPT", "1");
    env.put("GITHUB_SERVER_URL", "https://github.com");
    // A dead loopback port: promote and copy must never call GitHub, and if they did the test fails
    // fast, offline.
    env.put("GITHUB_API_URL", "http://127.0.0.1:9");
    env.put("RUNNER_OS", "Linux");
    env.put("RUNNER_ARCH", "X64");
    env.put("RUNNER_NAME", "GitHub Actions 7");
    env.put("RUNNER_ENVIRONMENT", "github-hosted");
  }

  static ActionStep on(String event, JsonNode payload, String githubSha) {
    return new ActionStep(event, payload, githubSha);
  }

  /**
   * Sets input {@code name} as written in action.yml ({@code registry-password}); "" is how the
   * runner unsets.
   */
  ActionStep input(String name, String value) {
    if (!inputs.containsKey(name)) {
      throw new IllegalArgumentException(
          "action.yml declares no input " + name + ": " + inputs.keySet());
    }
    inputs.put(name, value);
    return this;
  }

  ActionStep env(String name, String value) {
    env.put(name, value);
    return this;
  }

  String envValue(String name) {
    return env.get(name);
  }

  /**
   * Runs the step: {@code java -jar target/gantry.jar action} in a child process with exactly this
   * environment.
   */
  Result run() {
    return run(false);
  }

  /**
   * The same, with stderr interleaved into stdout as the step's log shows them ({@code stderr} is
   * then empty).
   */
  Result runMerged() {
    return run(true);
  }

  private Result run(boolean merged) {
    GantryRunner gantry = new GantryRunner();
    env.forEach(gantry::env);
    inputs.forEach((name, value) -> gantry.env(inputVariable(name), value));
    GantryRunner.Result r =
        merged ? gantry.runJarMerged(List.of(), "action") : gantry.runJar(List.of(), "action");
    try {
      return new Result(
          r.exitCode(),
          r.stdout(),
          r.stderr(),
          Files.readString(output, StandardCharsets.UTF_8),
          Files.readString(summary, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      TempDirs.delete(dir);
      TempDirs.delete(gantry.home());
    }
  }

  /**
   * The runner's name for an input's variable: {@code INPUT_} + the name upper-cased, spaces to
   * underscores.
   */
  static String inputVariable(String name) {
    return "INPUT_" + name.replace(' ', '_').toUpperCase(Locale.ROOT);
  }

  /** What a finished step left: exit code, its log (stdout, stderr) and the two file commands. */
  record Result(int exitCode, String stdout, String stderr, String outputFile, String summary) {
    /** The outputs, strictly parsed (see {@link StepOutputs}). */
    Map<String, String> outputs() {
      return StepOutputs.parse(outputFile);
    }

    List<String> stdoutLines() {
      return stdout.lines().toList();
    }

    /** The {@code ::error ...::} lines. */
    List<String> errors() {
      return stdout.lines().filter(l -> l.startsWith("::error ")).toList();
    }

    /** Everything the step left, for assertion messages. */
    String all() {
      return "exit "
          + exitCode
          + "\n--- stdout\n"
          + stdout
          + "--- stderr\n"
          + stderr
          + "--- $GITHUB_OUTPUT\n"
          + outputFile
          + "--- $GITHUB_STEP_SUMMARY\n"
          + summary;
    }
  }

  /** The inputs action.yml declares, each with its default ("" when it has none). */
  static Map<String, String> declaredInputs() {
    Map<String, String> inputs = new LinkedHashMap<>();
    String current = null;
    for (String line : section("inputs")) {
      Matcher name = Pattern.compile("^  ([A-Za-z0-9_ -]+):\\s*$").matcher(line);
      Matcher value = Pattern.compile("^    default:\\s*(.*?)\\s*$").matcher(line);
      if (name.matches()) {
        current = name.group(1);
        inputs.put(current, "");
      } else if (current != null && value.matches()) {
        inputs.put(current, unquote(value.group(1)));
      }
    }
    return inputs;
  }

  /** The output names action.yml declares. */
  static List<String> declaredOutputs() {
    List<String> outputs = new ArrayList<>();
    for (String line : section("outputs")) {
      Matcher name = Pattern.compile("^  ([A-Za-z0-9_-]+):\\s*$").matcher(line);
      if (name.matches()) {
        outputs.add(name.group(1));
      }
    }
    return outputs;
  }

  /** The lines of a top-level block of action.yml, e.g. everything under {@code inputs:}. */
  private static List<String> section(String key) {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("action.yml"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int start = lines.indexOf(key + ":");
    if (start < 0) {
      throw new IllegalStateException("action.yml has no " + key + ":");
    }
    List<String> block = new ArrayList<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (!line.isEmpty() && !line.startsWith(" ")) {
        break;
      }
      block.add(line);
    }
    return block;
  }

  private static String unquote(String v) {
    boolean quoted =
        v.length() >= 2
            && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"));
    return quoted ? v.substring(1, v.length() - 1) : v;
  }
}
