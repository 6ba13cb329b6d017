package dev.gantry.release;

import dev.gantry.GantryException;
import dev.gantry.GantryException.Kind;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kohsuke.github.HttpException;

/** Maps a failed GitHub call to one line and an exit code, once, for the library's calls and ours. */
final class GitHubErrors {
  private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private GitHubErrors() {}

  static GantryException of(String operation, IOException e) {
    int status = e instanceof HttpException h ? h.getResponseCode() : e instanceof java.io.FileNotFoundException ? 404 : -1;
    return of(operation, status, e.getMessage(), e);
  }

  static GantryException of(String operation, int status, String body, Throwable cause) {
    String message = messageOf(body);
    if (status <= 0) {
      return new GantryException(Kind.FAILED, operation + ": GitHub unreachable (" + (cause == null ? "no answer" : cause.getClass().getSimpleName()) + ")", cause);
    }
    String reason = "HTTP " + status + (message.isEmpty() ? "" : " " + message);
    return switch (status) {
      case 401 -> new GantryException(Kind.AUTHENTICATION, operation + ": GitHub rejected the token (" + reason + ")", cause);
      case 403 -> new GantryException(Kind.AUTHENTICATION, operation + ": " + reason
          + (message.contains("not accessible by integration")
              ? ": the token lacks the contents: write permission (give the job `permissions: contents: write`)" : ""), cause);
      case 404 -> new GantryException(Kind.NOT_FOUND, operation + ": " + reason + " (check --repository and that the token can see it)", cause);
      default -> new GantryException(Kind.FAILED, operation + ": " + reason, cause);
    };
  }

  /** GitHub's {@code "message"} field, or a short form of whatever the body was. */
  static String messageOf(String body) {
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
