package dev.gantry.release;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.cli.Environment;
import dev.gantry.cli.Gantry;
import dev.gantry.testing.TempDirs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code gantry release} in-process against a {@link FakeGitHub}, on a fixed clock, with an
 * empty HOME, and checks on every run that the token never reaches standard output or error.
 */
final class ReleaseRunner {
  static final Instant NOV_23 = Instant.parse("2026-11-23T10:00:00Z");

  record Result(int exitCode, String stdout, String stderr) {
    List<String> stderrLines() {
      return stderr.isEmpty() ? List.of() : stderr.lines().toList();
    }

    /** Standard output as the one JSON document --json promises (trailing content fails). */
    JsonNode json() {
      try {
        return FakeGitHub.JSON
            .readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .readValue(stdout);
      } catch (java.io.IOException e) {
        throw new AssertionError(
            "stdout is not one JSON document: " + e.getMessage() + "\n" + all(), e);
      }
    }

    String all() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  private final Map<String, String> env = new HashMap<>();
  private Clock clock = Clock.fixed(NOV_23, ZoneOffset.UTC);
  private String stdin = "";
  private final List<String> secrets = new ArrayList<>(List.of(FakeGitHub.TOKEN));

  ReleaseRunner(FakeGitHub github) {
    Path home = TempDirs.create("gantry-home-");
    home.toFile().deleteOnExit();
    env.put("HOME", home.toString());
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("GITHUB_TOKEN", FakeGitHub.TOKEN);
    env.put("GITHUB_API_URL", github.apiUrl());
  }

  ReleaseRunner at(String instant) {
    return at(Instant.parse(instant), ZoneOffset.UTC);
  }

  ReleaseRunner at(Instant instant, ZoneId zone) {
    clock = Clock.fixed(instant, zone);
    return this;
  }

  ReleaseRunner env(String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return this;
  }

  ReleaseRunner stdin(String text) {
    stdin = text;
    return this;
  }

  /** Another value that must never be printed (a password given on stdin, say). */
  ReleaseRunner secret(String value) {
    secrets.add(value);
    return this;
  }

  /** {@code gantry release --repository acme/api --sha SHA} + {@code extra}. */
  Result release(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "release",
                "--repository",
                FakeGitHub.OWNER + "/" + FakeGitHub.REPO,
                "--sha",
                FakeGitHub.SHA));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Environment environment =
        new Environment(
            env,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            clock);
    int code = Gantry.run(args, environment);
    Result r =
        new Result(
            code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    for (String secret : secrets) {
      assertFalse(r.all().contains(secret), () -> "a secret was printed:\n" + r.all());
    }
    return r;
  }
}
