package dev.gantry.cli;

import dev.gantry.session.GitHubSettings;
import picocli.CommandLine.Option;

/** The options of the commands that call GitHub (release, check-commit). */
final class GitHubOptions {
  @Option(
      names = "--repository",
      paramLabel = "OWNER/NAME",
      required = true,
      description = "The GitHub repository.")
  String repository;

  @Option(
      names = "--github-token-stdin",
      description = "Read the GitHub token from standard input instead of GITHUB_TOKEN.")
  boolean tokenStdin;

  /**
   * The token's source, and the API base from GITHUB_API_URL (GitHub Enterprise Server: {@code
   * https://HOST/api/v3}).
   */
  GitHubSettings settings(Environment env) {
    return new GitHubSettings(
        tokenStdin, env.env().getOrDefault("GITHUB_API_URL", "https://api.github.com"));
  }
}
