package dev.gantry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Every secret this run has seen (passwords, identity tokens, registry tokens, Basic header values), and the
 * one function that blanks them out of text. The CLI runs all of its output through {@link #redact}, so even a
 * registry that echoes our Authorization header in its error body cannot make us print it.
 */
public final class Secrets {
  private static final int MIN_LENGTH = 4;
  private static final Pattern HEADER_VALUE = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{6,}");
  private final Set<String> values = ConcurrentHashMap.newKeySet();

  public void add(String secret) {
    if (secret != null && secret.length() >= MIN_LENGTH) {
      values.add(secret);
    }
  }

  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : values) {
      if (out.contains(secret)) {
        out = out.replace(secret, "***");
      }
    }
    return HEADER_VALUE.matcher(out).replaceAll("$1 ***");
  }
}
