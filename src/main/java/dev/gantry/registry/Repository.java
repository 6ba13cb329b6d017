package dev.gantry.registry;

import dev.gantry.GantryException;

/**
 * A repository on a registry: {@code ghcr.io} + {@code acme/api}. The registry is kept as the user
 * wrote it (normalized for Docker Hub); where to connect is {@link Endpoints}' business.
 */
public record Repository(String registry, String path) {
  public static final String DOCKER_HUB = "docker.io";

  // equals and hashCode written out: a record's generated ones link java.lang.invoke call sites on
  // first use, some
  // 60 ms of a CLI run (StartupClassesIT holds a promote to none).
  @Override
  public boolean equals(Object o) {
    return o instanceof Repository r && registry.equals(r.registry) && path.equals(r.path);
  }

  @Override
  public int hashCode() {
    return 31 * registry.hashCode() + path.hashCode();
  }

  public Repository {
    checkRegistry(registry);
    if (path == null || path.isEmpty() || path.length() > 255) {
      throw GantryException.badInput("invalid repository name '" + path + "'");
    }
    for (String component : path.split("/", -1)) {
      if (!isComponent(component)) {
        throw GantryException.badInput(
            "invalid repository name '"
                + path
                + "' (lower-case letters, digits and . _ - separators only)");
      }
    }
  }

  /**
   * Throws the one-line bad-input error unless {@code registry} is {@code HOST[:PORT]} with a port
   * from 1 to 65535 written without leading zeros (a URL library would read {@code :00080} as 80,
   * or fail later on {@code :0}).
   */
  public static String checkRegistry(String registry) {
    if (registry == null || !isRegistry(registry)) {
      throw GantryException.badInput("invalid registry '" + registry + "'");
    }
    int colon = registry.lastIndexOf(':');
    if (colon > registry.lastIndexOf(']')) {
      String port = registry.substring(colon + 1);
      if (port.startsWith("0") || Integer.parseInt(port) > 65535) {
        throw GantryException.badInput(
            "invalid registry '"
                + registry
                + "': port "
                + port
                + " is not 1 to 65535 without leading zeros");
      }
    }
    return registry;
  }

  // The grammars below are loops, not regular expressions: a promote builds a Repository for every
  // image on its way to the first request, and compiling the patterns was some 5 ms of its start
  // (StartupClassesIT holds a registry promote to no java.util.regex). RepositoryGrammarTest checks
  // both
  // against the patterns they replace.

  /**
   * The distribution spec's path component, {@code [a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*}: runs of
   * lower-case letters and digits, joined by one {@code .}, one {@code _}, {@code __}, or dashes.
   */
  static boolean isComponent(String s) {
    int n = s.length();
    int i = 0;
    while (true) {
      int run = i;
      while (i < n && isLowerAlnum(s.charAt(i))) {
        i++;
      }
      if (i == run) {
        return false; // empty, or a separator first, last or doubled
      }
      if (i == n) {
        return true;
      }
      int sep = i;
      while (i < n && !isLowerAlnum(s.charAt(i))) {
        i++;
      }
      if (!isSeparator(s, sep, i)) {
        return false;
      }
    }
  }

  private static boolean isSeparator(String s, int from, int to) {
    char c = s.charAt(from);
    if (to - from == 1 && (c == '.' || c == '_')) {
      return true;
    }
    if (to - from == 2 && c == '_' && s.charAt(from + 1) == '_') {
      return true;
    }
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '-') {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code HOST[:PORT]}: a host name of dot-separated labels (letters, digits and inner dashes) or
   * a bracketed IPv6 address ({@code [0-9a-fA-F:.]+}), then at most 5 digits of port.
   */
  static boolean isRegistry(String s) {
    int hostEnd;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 2) {
        return false;
      }
      for (int i = 1; i < close; i++) {
        char c = s.charAt(i);
        if (!(isDigit(c)
            || (c >= 'a' && c <= 'f')
            || (c >= 'A' && c <= 'F')
            || c == ':'
            || c == '.')) {
          return false;
        }
      }
      hostEnd = close + 1;
    } else {
      int colon = s.indexOf(':');
      hostEnd = colon < 0 ? s.length() : colon;
      if (!isHostName(s, hostEnd)) {
        return false;
      }
    }
    if (hostEnd == s.length()) {
      return true;
    }
    int digits = s.length() - hostEnd - 1;
    if (s.charAt(hostEnd) != ':' || digits < 1 || digits > 5) {
      return false;
    }
    for (int i = hostEnd + 1; i < s.length(); i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Labels of letters, digits and dashes (not first or last) joined by single dots, up to {@code
   * end}.
   */
  private static boolean isHostName(String s, int end) {
    int labelStart = 0;
    for (int i = 0; i <= end; i++) {
      if (i == end || s.charAt(i) == '.') {
        if (i == labelStart || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
          return false;
        }
        labelStart = i + 1;
      } else if (!(isAsciiLetter(s.charAt(i)) || isDigit(s.charAt(i)) || s.charAt(i) == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || isDigit(c);
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** {@code registry/path}, which {@link ImageReference#parse} reads back to this repository. */
  @Override
  public String toString() {
    return registry + "/" + path;
  }
}
