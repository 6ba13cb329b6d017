package dev.gantry.cli;

import dev.gantry.GantryException;
import dev.gantry.Secrets;
import dev.gantry.http.HttpClients;
import dev.gantry.release.GitHubRest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The GitHub token: GITHUB_TOKEN, or standard input with {@code --github-token-stdin}; known to
 * redaction at once.
 */
final class GitHubToken {
  private GitHubToken() {}

  /**
   * The GitHub REST client of release and check-commit: the token, the API base from GITHUB_API_URL
   * (GitHub Enterprise Server: {@code https://HOST/api/v3}), the shared HTTP client with GitHub's
   * rate limits in its one retry policy.
   */
  static GitHubRest connect(Environment env, RegistryOptions registry, boolean fromStdin) {
    if (fromStdin && registry.passwordStdin) {
      throw GantryException.badInput(
          "--github-token-stdin and --password-stdin both want standard input: pass the registry password in a Docker config");
    }
    String token = read(env, fromStdin);
    String api = env.env().getOrDefault("GITHUB_API_URL", "https://api.github.com");
    if (api.startsWith("https:")) {
      HttpClients.prepareTls(); // on a background thread while the rest is set up
    }
    return new GitHubRest(registry.httpClient(env), api, token, env.clock());
  }

  static String read(Environment env, boolean fromStdin) {
    String token;
    if (fromStdin) {
      try {
        token = new String(env.stdin().readAllBytes(), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw GantryException.badInput("--github-token-stdin: standard input could not be read");
      }
    } else {
      token = env.get("GITHUB_TOKEN");
    }
    if (token == null || token.isBlank()) {
      throw GantryException.badInput(
          "GITHUB_TOKEN is not set (or pass the token on standard input with --github-token-stdin)");
    }
    if (Secrets.tooShort(token.strip())) {
      throw GantryException.badInput(
          "the GitHub token is too short to keep out of logs (at least "
              + Secrets.MIN_LENGTH
              + " characters)");
    }
    env.secrets().add(token.strip());
    return token.strip();
  }
}
