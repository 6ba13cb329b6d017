package dev.gantry.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request as the registry's access log recorded it. distribution 2.8 writes one Apache combined
 * line per request (after the handler ran, before the response is flushed, so it is there when the
 * client returns), e.g. {@code 127.0.0.1 - - [23/Nov/2026:11:22:39 +0000] "GET /v2/ HTTP/1.1" 200 2
 * "" "curl/7.88.1"}. Its logrus "response completed" lines are skipped: a request refused with 401
 * gets a warning line instead.
 */
public record LoggedRequest(String method, String uri, int status, String userAgent) {

  // host ident user [time] "METHOD URI PROTO" status size "referer" "user agent"; quotes inside are
  // \"-escaped.
  private static final String QUOTED = "\"((?:[^\"\\\\]|\\\\.)*)\"";
  private static final Pattern ACCESS_LINE =
      Pattern.compile(
          "^\\S+ \\S+ \\S+ \\[[^\\]]+\\] \"(\\S+) (\\S+) [^\"]*\" (\\d{3}) \\S+ "
              + QUOTED
              + " "
              + QUOTED
              + "$");

  /** The URI without its query string, e.g. {@code /v2/app/blobs/uploads/}. */
  public String path() {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  /** Parses the access lines of a whole log; a last line still being written is ignored. */
  static List<LoggedRequest> parseAll(String logText) {
    List<LoggedRequest> requests = new ArrayList<>();
    int end = logText.lastIndexOf('\n');
    if (end < 0) {
      return requests;
    }
    for (String line : logText.substring(0, end).split("\n")) {
      Matcher m = ACCESS_LINE.matcher(line);
      if (m.matches()) {
        requests.add(
            new LoggedRequest(m.group(1), m.group(2), Integer.parseInt(m.group(3)), m.group(5)));
      }
    }
    return requests;
  }

  @Override
  public String toString() {
    return method + " " + uri + " -> " + status;
  }
}
