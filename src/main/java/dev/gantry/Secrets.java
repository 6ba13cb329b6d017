package dev.gantry;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Every secret this run has seen (passwords, identity tokens, registry tokens, Basic header
 * values), and the one function that blanks them out of text. It is applied twice: to a server's
 * error body as it arrives (before anything parses, collapses, cuts or escapes it), and to every
 * line the CLI prints. Each secret is matched in every form it can take in output: as is,
 * JSON-escaped, URL-encoded, Base64 (with or without padding), and with its whitespace collapsed or
 * removed.
 */
public final class Secrets {
  /**
   * Fewer non-blank characters than this cannot be blanked out without blanking ordinary words:
   * refuse at input.
   */
  public static final int MIN_LENGTH = 4;

  /**
   * Compiled on first need: most runs print no line that names a scheme, and a pattern compiled in
   * a static initialiser is start-up work for every command.
   */
  private static final class HeaderValue {
    static final Pattern PATTERN =
        Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{6,}");
  }

  // A run of whitespace in a secret, as output may show it: collapsed, removed, or JSON-escaped.
  private static final String BLANKS = "(?:\\s|\\\\[tnrfb])*";
  private final Map<String, Pattern> values = new ConcurrentHashMap<>();

  /** Whether a secret is too short to keep out of output (callers refuse it as bad input). */
  public static boolean tooShort(@Nullable String secret) {
    return secret != null
        && !secret.isEmpty()
        && secret.replaceAll("\\s", "").length() < MIN_LENGTH;
  }

  /**
   * @throws IllegalArgumentException for a secret {@link #tooShort}: it must have been refused at
   *     input
   */
  public void add(@Nullable String secret) {
    if (secret == null || secret.isEmpty()) {
      return;
    }
    if (tooShort(secret)) {
      throw new IllegalArgumentException(
          "a secret under " + MIN_LENGTH + " characters reached redaction");
    }
    values.computeIfAbsent(secret, Secrets::pattern);
  }

  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (Pattern p : values.values()) {
      out = p.matcher(out).replaceAll("***");
    }
    return namesScheme(out) ? HeaderValue.PATTERN.matcher(out).replaceAll("$1 ***") : out;
  }

  /**
   * Whether {@code text} holds "bearer" or "basic" in any case: where it does not, the header-value
   * pattern cannot match, and need not be compiled or run.
   */
  private static boolean namesScheme(String text) {
    for (int i = 0; i + 5 <= text.length(); i++) {
      char c = text.charAt(i);
      if ((c == 'b' || c == 'B')
          && (text.regionMatches(true, i, "bearer", 0, 6)
              || text.regionMatches(true, i, "basic", 0, 5))) {
        return true;
      }
    }
    return false;
  }

  private static Pattern pattern(String secret) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(secret);
    forms.add(secret.replaceAll("=+$", ""));
    forms.add(jsonEscaped(secret));
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    forms.add(Base64.getEncoder().encodeToString(bytes));
    forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
    forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    List<String> alternatives = new ArrayList<>();
    forms.stream()
        .filter(f -> f.replaceAll("\\s", "").length() >= MIN_LENGTH)
        .sorted(Comparator.comparingInt(String::length).reversed())
        .forEach(f -> alternatives.add(flexible(f)));
    String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    alternatives.add("(?i:" + Pattern.quote(url) + ")");
    alternatives.add("(?i:" + Pattern.quote(url.replace("+", "%20")) + ")");
    return Pattern.compile(String.join("|", alternatives));
  }

  /**
   * The form quoted literally, except that each run of whitespace (or of JSON whitespace escapes)
   * matches any such run.
   */
  private static String flexible(String form) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < form.length()) {
      int blank = blankAt(form, i);
      if (blank == 0) {
        literal.append(form.charAt(i++));
        continue;
      }
      while (blank > 0) {
        i += blank;
        blank = blankAt(form, i);
      }
      if (!literal.isEmpty()) {
        regex.append(Pattern.quote(literal.toString()));
        literal.setLength(0);
      }
      regex.append(BLANKS);
    }
    if (!literal.isEmpty()) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return regex.toString();
  }

  /**
   * The length of the whitespace (one character, or a two-character JSON escape such as \t) at
   * {@code i}, else 0.
   */
  private static int blankAt(String s, int i) {
    if (i >= s.length()) {
      return 0;
    }
    if (Character.isWhitespace(s.charAt(i))) {
      return 1;
    }
    return s.charAt(i) == '\\' && i + 1 < s.length() && "tnrfb".indexOf(s.charAt(i + 1)) >= 0
        ? 2
        : 0;
  }

  /**
   * The secret as a JSON string body shows it (Jackson's escaping: quote, backslash, control
   * characters).
   */
  static String jsonEscaped(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04X", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
