package dev.gantry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.GantryException;
import dev.gantry.Json;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@code docker-credential-<name> get} with the server URL on standard input, as Docker does.
 * The helper is looked up on the PATH handed in, so tests and the action control which helpers
 * exist.
 */
public final class CredentialHelper {
  private static final long TIMEOUT_SECONDS = 30;
  private final String path;

  public CredentialHelper(Map<String, String> env) {
    this.path = env.getOrDefault("PATH", "");
  }

  public Optional<Credentials> get(String name, String serverUrl) {
    String program = "docker-credential-" + name;
    Path exe = find(program);
    if (exe == null) {
      throw new GantryException(
          GantryException.Kind.AUTHENTICATION,
          "get credentials for "
              + serverUrl
              + ": credential helper "
              + program
              + " not found on PATH");
    }
    try {
      // The answer goes to a file, so a helper that hangs cannot block us past the timeout.
      Path answer = Files.createTempFile("gantry-credential-", ".json");
      byte[] out;
      try {
        Process p =
            new ProcessBuilder(exe.toString(), "get")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(answer.toFile())
                .start();
        try (OutputStream in = p.getOutputStream()) {
          in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw helperFailed(program, serverUrl, "timed out after " + TIMEOUT_SECONDS + " s");
        }
        if (p.exitValue() != 0) {
          // "credentials not found" is how helpers say they have nothing: fall back to anonymous.
          return Optional.empty();
        }
        out = Files.readAllBytes(answer);
      } finally {
        Files.deleteIfExists(answer);
      }
      JsonNode json = Json.readTree(out);
      String user = json.path("Username").asText("");
      String secret = json.path("Secret").asText("");
      if (secret.isEmpty()) {
        return Optional.empty();
      }
      // Docker's convention: the user name "<token>" marks an identity (refresh) token.
      return Optional.of(
          "<token>".equals(user)
              ? new Credentials(user, null, secret)
              : Credentials.basic(user, secret));
    } catch (IOException e) {
      throw helperFailed(program, serverUrl, "unreadable answer");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw helperFailed(program, serverUrl, "interrupted");
    }
  }

  private static GantryException helperFailed(String program, String serverUrl, String why) {
    return new GantryException(
        GantryException.Kind.AUTHENTICATION,
        "get credentials for " + serverUrl + ": " + program + " " + why);
  }

  private @Nullable Path find(String program) {
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, program);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }
}
