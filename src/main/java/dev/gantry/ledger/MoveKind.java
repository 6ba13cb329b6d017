package dev.gantry.ledger;

import java.util.Locale;
import java.util.Optional;

/** What moved a tag; written into each record as its lower-case name. */
public enum MoveKind {
  PROMOTE,
  RELEASE,
  ROLLBACK,
  COPY;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind a record names, or empty for one this version does not know. */
  public static Optional<MoveKind> parse(String label) {
    for (MoveKind k : values()) {
      if (k.label().equals(label)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
