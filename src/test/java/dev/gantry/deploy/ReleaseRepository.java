package dev.gantry.deploy;

import dev.gantry.testing.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real git origin as a server's deploy checkout sees it: {@code origin.git} holds one commit per
 * release, each tagged with its version and changing compose.yaml (services {@code api} and {@code
 * web}); {@code app} is a clone left detached at the first release, as its deploy would have left
 * it.
 */
public final class ReleaseRepository {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Map<String, String> IDENTITY =
      Map.of(
          "GIT_AUTHOR_NAME",
          "Release",
          "GIT_AUTHOR_EMAIL",
          "release@example.com",
          "GIT_COMMITTER_NAME",
          "Release",
          "GIT_COMMITTER_EMAIL",
          "release@example.com",
          "GIT_CONFIG_NOSYSTEM",
          "1");

  private ReleaseRepository() {}

  /**
   * Creates {@code dir/origin.git} with the tagged {@code versions} and the clone {@code app};
   * returns the clone.
   */
  public static Path create(Path dir, List<String> versions) {
    Path seed = dir.resolve("seed");
    Path origin = dir.resolve("origin.git");
    Path app = dir.resolve("app");
    git(dir, "init", "--quiet", "--bare", origin.toString());
    git(dir, "init", "--quiet", seed.toString());
    for (String version : versions) {
      write(
          seed.resolve("compose.yaml"),
          "# release "
              + version
              + "\nservices:\n  api:\n    image: ghcr.io/acme/api:${IMAGE_TAG}\n"
              + "  web:\n    image: ghcr.io/acme/web:${IMAGE_TAG}\n");
      git(seed, "add", "compose.yaml");
      git(seed, "commit", "--quiet", "-m", "release " + version);
      git(seed, "tag", "-a", "-m", version, version);
    }
    git(seed, "push", "--quiet", origin.toString(), "HEAD:refs/heads/main", "--tags");
    git(dir, "clone", "--quiet", origin.toString(), app.toString());
    git(app, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", versions.get(0));
    return app;
  }

  /**
   * Releases {@code version} in the origin that {@link #create} made in {@code dir}: one more
   * commit whose compose.yaml is {@code compose}, tagged {@code version} and pushed.
   */
  public static void release(Path dir, String version, String compose) {
    Path seed = dir.resolve("seed");
    write(seed.resolve("compose.yaml"), compose);
    git(seed, "add", "compose.yaml");
    git(seed, "commit", "--quiet", "-m", "release " + version);
    git(seed, "tag", "-a", "-m", version, version);
    git(
        seed,
        "push",
        "--quiet",
        dir.resolve("origin.git").toString(),
        "HEAD:refs/heads/main",
        "--tags");
  }

  /** The commit a tag (or any revision) names in {@code repo}. */
  public static String commit(Path repo, String revision) {
    return git(repo, "rev-parse", "--verify", revision + "^{commit}").strip();
  }

  /** The commit checked out in {@code repo}, and whether HEAD is detached. */
  public static String head(Path repo) {
    return commit(repo, "HEAD");
  }

  public static boolean detached(Path repo) {
    return ProcessRunner.run(
                List.of("git", "-C", repo.toString(), "symbolic-ref", "-q", "HEAD"),
                TIMEOUT,
                IDENTITY,
                null)
            .exitCode()
        != 0;
  }

  private static String git(Path cwd, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", cwd.toString()));
    command.addAll(List.of(args));
    return ProcessRunner.check(command, TIMEOUT, IDENTITY, null).stdoutText();
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
