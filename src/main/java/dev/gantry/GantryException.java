package dev.gantry;

import org.jspecify.annotations.Nullable;

/**
 * Every failure Gantry reports on purpose. The {@link Kind} decides the exit code (mapped once, in
 * the CLI); the message is the one line the user reads, so it names the operation, the image and
 * the reason, and never carries a credential.
 */
public class GantryException extends RuntimeException {
  public enum Kind {
    BAD_INPUT,
    FAILED,
    AUTHENTICATION,
    NOT_FOUND,
    SOURCE_MOVED,
    ROLLED_BACK,
    ROLLBACK_INCOMPLETE,
    /** A gate said no (the ledger's soak time): an answer, with nothing written. */
    REFUSED,
    /**
     * A referrer that --require-referrer names is not attached to the source; checked before any
     * write.
     */
    REFERRER_MISSING,
    /**
     * --verify-signature found no cosign signature of the source that verifies with the key; before
     * any write.
     */
    SIGNATURE_REFUSED
  }

  private final Kind kind;

  public GantryException(Kind kind, String message) {
    this(kind, message, null);
  }

  public GantryException(Kind kind, @Nullable String message, @Nullable Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Whether repeating the whole operation could succeed: a blob transfer restarts on such a
   * failure, since a streamed body cannot be replayed by the HTTP layer. Only a registry's
   * temporary answers say yes.
   */
  public boolean restartable() {
    return false;
  }

  public static GantryException badInput(String message) {
    return new GantryException(Kind.BAD_INPUT, message);
  }
}
