package dev.gantry.session;

import dev.gantry.GantryException;
import dev.gantry.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The GitHub token: GITHUB_TOKEN, or standard input with {@code --github-token-stdin}; known to
 * redaction at once.
 */
final class GitHubToken {
  private GitHubToken() {}

  static String read(Surroundings edge, boolean fromStdin) {
    String token;
    if (fromStdin) {
      try {
        token = new String(edge.stdin().readAllBytes(), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw GantryException.badInput("--github-token-stdin: standard input could not be read");
      }
    } else {
      token = edge.env().get("GITHUB_TOKEN");
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
    edge.secrets().add(token.strip());
    return token.strip();
  }
}
