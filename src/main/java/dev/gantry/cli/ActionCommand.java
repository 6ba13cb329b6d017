package dev.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.GantryException;
import dev.gantry.Json;
import dev.gantry.Secrets;
import dev.gantry.action.ActionInputs;
import dev.gantry.action.ActionResults;
import dev.gantry.action.RunnerContext;
import dev.gantry.action.WorkflowCommands;
import dev.gantry.progress.Summary;
import dev.gantry.trust.Requirement;
import dev.gantry.trust.VerifyKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;

/**
 * Gantry as a GitHub Action step: reads the inputs the runner passes ({@code INPUT_*}), masks the
 * secret ones first, runs promote, copy, release, resolve or check-commit exactly as the CLI does
 * (in this process, with {@code --json}), then writes the step outputs, the step summary and, on
 * failure, an {@code ::error::} annotation. The exit code is the CLI's.
 */
@Command(
    name = "action",
    mixinStandardHelpOptions = true,
    description =
        "Run as a GitHub Action step: inputs from INPUT_* variables, outputs to $GITHUB_OUTPUT, a summary to $GITHUB_STEP_SUMMARY.")
final class ActionCommand implements Callable<Integer> {
  private final Environment env;

  ActionCommand(Environment env) {
    this.env = env;
  }

  @Override
  public Integer call() throws IOException {
    WorkflowCommands runner = new WorkflowCommands(env.stdout(), env.env());
    ActionInputs in;
    List<String> args;
    Map<String, String> innerEnv = new HashMap<>(env.env());
    // Masked first, before any input is checked (the runner needs the value itself here), and only
    // then known to
    // our own redaction.
    List<String> secrets = ActionInputs.secrets(env.env());
    secrets.forEach(runner::mask);
    if (secrets.stream().anyMatch(Secrets::tooShort)) {
      runner.error("gantry action: bad input", "a secret input is too short to keep out of logs");
      throw GantryException.badInput(
          "a secret input (registry-password or github-token) is too short to keep out of logs"
              + " (at least "
              + Secrets.MIN_LENGTH
              + " characters)");
    }
    secrets.forEach(env.secrets()::add);
    try {
      in = ActionInputs.read(env.env());
      args = arguments(in, innerEnv);
    } catch (GantryException e) {
      runner.error("gantry action: bad input", Gantry.firstLine(e.getMessage()));
      throw e;
    }

    ByteArrayOutputStream json = new ByteArrayOutputStream();
    Environment inner =
        new Environment(
            innerEnv,
            new ByteArrayInputStream(in.registryPassword().getBytes(StandardCharsets.UTF_8)),
            new PrintStream(json, true, StandardCharsets.UTF_8),
            env.stderr(),
            env.clock(),
            env.secrets());
    runner.group("gantry " + String.join(" ", args));
    AtomicReference<Summary> moved = new AtomicReference<>();
    int code = Gantry.run(args.toArray(String[]::new), inner, moved::set);
    String text = json.toString(StandardCharsets.UTF_8).strip();
    env.stdout().println(text);
    runner.endGroup();

    // --json prints exactly one document: the result (with exitCode and error when it failed), or
    // an error document.
    JsonNode result = text.isEmpty() ? Json.object() : Json.readTree(text);
    if (code == ExitCode.REFUSED && "refused".equals(result.path("status").asText())) {
      // An answer, not a failure: the outputs say it too, for a job that goes on to report it.
      runner.error("gantry check-commit refused", result.path("reason").asText());
      runner.outputs(ActionResults.outputs(in.command(), result));
      runner.summary(ActionResults.summary(in.command(), result));
      return code;
    }
    if (code != ExitCode.OK || "error".equals(result.path("status").asText())) {
      String error = result.path("error").asText("");
      runner.error(
          "gantry " + in.command() + " failed", error.isEmpty() ? "exit code " + code : error);
      if (!"error".equals(result.path("status").asText())) {
        runner.summary(
            ActionResults.summary(in.command(), result) + ActionResults.transfer(moved.get()));
      }
      return code == ExitCode.OK ? ExitCode.FAILED : code;
    }
    runner.outputs(ActionResults.outputs(in.command(), result));
    runner.summary(
        ActionResults.summary(in.command(), result) + ActionResults.transfer(moved.get()));
    return ExitCode.OK;
  }

  /**
   * Inputs require-referrers (each value checked here, so a bad one names the input) and
   * verify-key: the PEM itself (written to a file under RUNNER_TEMP, since a reusable workflow has
   * no checkout of its caller to point into) or a path to it. A public key is no secret.
   */
  private List<String> trustArguments() {
    List<String> a = new ArrayList<>();
    for (String type : ActionInputs.list(ActionInputs.get(env.env(), "require-referrers"))) {
      try {
        Requirement.parse(type);
      } catch (GantryException e) {
        throw GantryException.badInput(
            "invalid input require-referrers '" + type + "' " + Requirement.FORMS);
      }
      a.add("--require-referrer=" + type); // one argument: never read as an option
    }
    String key = ActionInputs.get(env.env(), "verify-key");
    if (key.contains("-----BEGIN")) {
      VerifyKey.parse(
          "input verify-key",
          "verify-key",
          key); // bad input here, naming the input, before the file is written
      try {
        String temp = env.get("RUNNER_TEMP");
        Path dir =
            temp != null && !temp.isEmpty()
                ? Path.of(temp)
                : Path.of(System.getProperty("java.io.tmpdir"));
        Path file = Files.createTempFile(dir, "gantry-verify-key-", ".pub");
        Files.writeString(file, key + "\n", StandardCharsets.US_ASCII);
        file.toFile().deleteOnExit();
        a.add("--verify-key=" + file);
      } catch (IOException e) {
        throw new GantryException(
            GantryException.Kind.FAILED, "write input verify-key to a file: " + e.getMessage(), e);
      }
    } else if (!key.isEmpty()) {
      a.add("--verify-key=" + key);
    }
    return a;
  }

  /**
   * The CLI arguments the inputs mean; the token and password travel in the environment and stdin,
   * never here.
   */
  private List<String> arguments(ActionInputs in, Map<String, String> innerEnv) {
    List<String> a = new ArrayList<>(List.of(in.command(), "--json"));
    if (!in.registryPassword().isEmpty()) {
      if (in.registryUsername().isEmpty()) {
        throw GantryException.badInput("input registry-password needs registry-username");
      }
      a.addAll(List.of("--username", in.registryUsername(), "--password-stdin"));
      // The credentials are for one registry: the one the registry input names, else the one
      // written to.
      if (!in.registry().isEmpty()) {
        a.addAll(List.of("--creds-for", in.registry()));
      }
    } else if (!in.registry().isEmpty()) {
      throw GantryException.badInput(
          "input registry '"
              + in.registry()
              + "' names where registry-password is for, but it is empty");
    }
    if (in.dryRun()) {
      a.add("--dry-run");
    }
    if (!List.of("promote", "copy").contains(in.command())) {
      for (String name : List.of("require-referrers", "verify-key")) {
        if (!ActionInputs.get(env.env(), name).isEmpty()) {
          throw GantryException.badInput(
              "input " + name + " is for promote and copy, not " + in.command());
        }
      }
    }
    // Default true (as action.yml says), also when the runner passes no value; anything but
    // true/false is bad input.
    boolean record =
        ActionInputs.get(env.env(), "record").isEmpty() || ActionInputs.bool(env.env(), "record");
    if (!record && List.of("promote", "release", "copy", "rollback").contains(in.command())) {
      a.add("--no-record");
    }
    switch (in.command()) {
      case "promote" -> {
        String sha = RunnerContext.commit(in, env.env());
        if (in.images().isEmpty()) {
          throw GantryException.badInput("input images is empty: name at least one image");
        }
        a.addAll(List.of("--from", in.from().isEmpty() ? "sha-" + sha.substring(0, 7) : in.from()));
        for (String t : in.to().isEmpty() ? List.of("latest") : in.to()) {
          a.addAll(List.of("--to", t));
        }
        if (in.from().isEmpty() || !in.sha().isEmpty()) {
          a.add(
              "--sha="
                  + sha); // the commit of sha-<7> (or the one named): the records need not read
          // image labels
        }
        String soak = ActionInputs.get(env.env(), "soak");
        if (!soak.isEmpty()) {
          a.add("--soak=" + soak);
        }
        if (record) {
          a.add("--history=5"); // the step summary shows each tag's last five moves
        }
        a.addAll(trustArguments());
        a.add("--"); // whatever an input says, it is never read as an option
        a.addAll(in.images());
      }
      case "copy" -> {
        if (in.from().isEmpty() || in.to().size() != 1) {
          throw GantryException.badInput(
              "copy needs input from (the source reference) and exactly one to (the destination)");
        }
        a.addAll(trustArguments());
        a.add("--");
        a.add(in.from());
        a.add(in.to().get(0));
      }
      case "rollback" -> {
        String tag = ActionInputs.get(env.env(), "tag");
        String to = ActionInputs.get(env.env(), "rollback-to");
        if (in.images().isEmpty()) {
          throw GantryException.badInput("input images is empty: name at least one image");
        }
        a.add("--tag=" + (tag.isEmpty() ? "latest" : tag));
        a.add("--to=" + (to.isEmpty() ? "previous" : to));
        a.add("--");
        a.addAll(in.images());
      }
      case "resolve" -> {
        String tag = ActionInputs.get(env.env(), "tag");
        if (in.images().isEmpty()) {
          throw GantryException.badInput("input images is empty: name at least one image");
        }
        a.add(
            "--tag="
                + (tag.isEmpty()
                    ? "sha-" + RunnerContext.commit(in, env.env()).substring(0, 7)
                    : tag));
        a.add("--");
        a.addAll(in.images());
      }
      case "check-commit" -> {
        a.addAll(
            List.of(
                "--repository",
                RunnerContext.repository(in, env.env()),
                "--sha",
                RunnerContext.commit(in, env.env())));
        for (String name : List.of("branch", "tested-by", "not-behind")) {
          String value = ActionInputs.get(env.env(), name);
          if (!value.isEmpty()) {
            a.add(
                "--" + name + "="
                    + value); // one argument: a value starting with - is never read as an option
          }
        }
        if (ActionInputs.bool(env.env(), "allow-rollback")) {
          a.add("--allow-rollback");
        }
        if (!in.githubToken().isEmpty()) {
          innerEnv.put("GITHUB_TOKEN", in.githubToken());
        }
      }
      default -> {
        String sha = RunnerContext.commit(in, env.env());
        a.addAll(List.of("--repository", RunnerContext.repository(in, env.env()), "--sha", sha));
        for (String image : in.images()) {
          a.addAll(List.of("--image", image));
        }
        if (!in.from().isEmpty()) {
          a.addAll(List.of("--from", in.from()));
        }
        if (!in.format().isEmpty()) {
          a.addAll(List.of("--format", in.format()));
        }
        if (in.draft()) {
          a.add("--draft");
        }
        if (in.prerelease()) {
          a.add("--prerelease");
        }
        for (String value : List.of(in.from(), in.format())) {
          if (value.startsWith("-")) {
            throw GantryException.badInput("invalid input value '" + value + "'");
          }
        }
        if (!in.githubToken().isEmpty()) {
          innerEnv.put("GITHUB_TOKEN", in.githubToken());
        }
      }
    }
    return a;
  }
}
