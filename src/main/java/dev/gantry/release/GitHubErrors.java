package dev.gantry.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.GantryException;
import dev.gantry.GantryException.Kind;
import dev.gantry.Json;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Maps a failed GitHub call to one line and an exit code, once. */
final class GitHubErrors {
  private static final Pattern MESSAGE =
      Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private GitHubErrors() {}

  static GantryException of(
      String operation, int status, @Nullable String body, @Nullable Throwable cause) {
    String message = messageOf(body);
    if (status <= 0) {
      return new GantryException(
          Kind.FAILED,
          operation
              + ": GitHub unreachable ("
              + (cause == null ? "no answer" : cause.getClass().getSimpleName())
              + ")",
          cause);
    }
    String reason = "HTTP " + status + (message.isEmpty() ? "" : " " + message);
    return switch (status) {
      case 401 ->
          new GantryException(
              Kind.AUTHENTICATION,
              operation + ": GitHub rejected the token (" + reason + ")",
              cause);
      case 403 ->
          new GantryException(
              Kind.AUTHENTICATION,
              operation
                  + ": "
                  + reason
                  + (message.contains("not accessible by integration")
                      ? ": the token lacks the contents: write permission (give the job `permissions: contents: write`)"
                      : ""),
              cause);
      case 404 ->
          new GantryException(
              Kind.NOT_FOUND,
              operation + ": " + reason + " (check --repository and that the token can see it)",
              cause);
      default -> new GantryException(Kind.FAILED, operation + ": " + reason, cause);
    };
  }

  /**
   * Whether a 422 body is GitHub's validation error saying {@code resource} with this {@code field}
   * already exists: {@code {"message":"Validation
   * Failed","errors":[{"resource":"Release","code":"already_exists","field":"tag_name"}]}}.
   */
  static boolean isAlreadyExists(String body, String resource, String field) {
    try {
      for (JsonNode e : Json.mapper().readTree(body).path("errors")) {
        if ("already_exists".equals(e.path("code").asText())
            && resource.equals(e.path("resource").asText())
            && field.equals(e.path("field").asText())) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** GitHub's {@code "message"} field, or a short form of whatever the body was. */
  static String messageOf(@Nullable String body) {
    if (body == null) {
      return "";
    }
    Matcher m = MESSAGE.matcher(body);
    if (m.find()) {
      return m.group(1).replace("\\\"", "\"");
    }
    String text = body.replaceAll("\\s+", " ").strip();
    return text.length() > 160 ? text.substring(0, 160) + "…" : text;
  }
}
