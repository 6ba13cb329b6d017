package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.testing.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * This repository's action.yml, .github/, workflows-templates/ and scripts/ as they are in the work
 * tree (tracked and untracked but not ignored, modes kept), committed in a new git repository: the
 * tree a release job checks out.
 */
final class RepositoryCopy {
  private static final Path ROOT = WorkflowPolicyTest.ROOT;

  /** Who commits in the copies (no global git identity is assumed). */
  static final Map<String, String> GIT_ID =
      Map.of(
          "GIT_AUTHOR_NAME", "Test",
          "GIT_AUTHOR_EMAIL", "test@example.com",
          "GIT_COMMITTER_NAME", "Test",
          "GIT_COMMITTER_EMAIL", "test@example.com");

  private RepositoryCopy() {}

  /** The copy in {@code into}, committed with {@code message}. */
  static Path committed(Path into, String message) {
    return committed(into, message, null, "", "");
  }

  /**
   * The same with {@code from} replaced by {@code to} in {@code file} (which must contain it; no
   * file changes when {@code file} is null).
   */
  static Path committed(Path into, String message, @Nullable String file, String from, String to) {
    List<String> files =
        git(
                ROOT,
                "ls-files",
                "-co",
                "--exclude-standard",
                "--",
                "action.yml",
                ".github",
                "workflows-templates",
                "scripts")
            .lines()
            .toList();
    try {
      for (String f : files) {
        Path target = into.resolve(f);
        Files.createDirectories(target.getParent());
        Files.copy(
            ROOT.resolve(f),
            target,
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.COPY_ATTRIBUTES);
        if (f.equals(file)) {
          String text = Files.readString(target);
          assertTrue(text.contains(from), f + " no longer contains " + from);
          Files.writeString(target, text.replace(from, to));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git(into, "init", "-q");
    git(into, "add", "-A");
    git(into, "commit", "-q", "-m", message);
    return into;
  }

  /** git in {@code dir} with the test identity; its standard output. */
  static String git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    return ProcessRunner.check(command, Duration.ofSeconds(60), GIT_ID, null).stdoutText();
  }
}
