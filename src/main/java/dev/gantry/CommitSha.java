package dev.gantry;

/**
 * The one check of a commit as Gantry accepts it from a label, an option or the runner: 7 to 40
 * hexadecimal characters, either case ({@code [0-9a-fA-F]{7,40}}). A loop, not a pattern: a
 * promote's record reads the revision label, and a regular expression compiled on the way costs it
 * milliseconds of start-up.
 */
public final class CommitSha {
  private CommitSha() {}

  /** Whether {@code value} names a commit, abbreviated to 7 or more characters or in full. */
  public static boolean isValid(String value) {
    if (value.length() < 7 || value.length() > 40) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code value} is a full commit SHA, 40 hexadecimal characters: what GitHub's filters
   * match exactly.
   */
  public static boolean isFull(String value) {
    return value.length() == 40 && isValid(value);
  }
}
