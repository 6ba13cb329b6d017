package dev.gantry.cli;

import dev.gantry.GantryException;

/**
 * The exit codes, documented in the README's table; the only mapping from failure kinds to numbers.
 */
public final class ExitCode {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int BAD_INPUT = 2;
  public static final int AUTHENTICATION = 3;
  public static final int NOT_FOUND = 4;
  public static final int SOURCE_MOVED = 5;
  public static final int ROLLED_BACK = 6;
  public static final int ROLLBACK_INCOMPLETE = 7;

  /**
   * A gate refused: check-commit (the commit may not move forward) or promote --soak (not long
   * enough at --from).
   */
  public static final int REFUSED = 8;

  /**
   * promote/copy: a referrer --require-referrer names is missing from the source; nothing was
   * written.
   */
  public static final int REFERRER_MISSING = 9;

  /**
   * promote/copy: no cosign signature of the source verifies with --verify-key; nothing was
   * written.
   */
  public static final int SIGNATURE_REFUSED = 10;

  private ExitCode() {}

  public static int of(GantryException.Kind kind) {
    return switch (kind) {
      case BAD_INPUT -> BAD_INPUT;
      case FAILED -> FAILED;
      case AUTHENTICATION -> AUTHENTICATION;
      case NOT_FOUND -> NOT_FOUND;
      case SOURCE_MOVED -> SOURCE_MOVED;
      case ROLLED_BACK -> ROLLED_BACK;
      case ROLLBACK_INCOMPLETE -> ROLLBACK_INCOMPLETE;
      case REFUSED -> REFUSED;
      case REFERRER_MISSING -> REFERRER_MISSING;
      case SIGNATURE_REFUSED -> SIGNATURE_REFUSED;
    };
  }
}
