package dev.gantry.check;

import java.util.Locale;
import java.util.Optional;

/** GitHub's compare {@code status} of {@code base...head}: where head stands relative to base. */
public enum Comparison {
  /** head has commits base lacks, and base none head lacks. */
  AHEAD,
  /** head is in base's history. */
  BEHIND,
  /** each has commits the other lacks. */
  DIVERGED,
  IDENTICAL;

  static Optional<Comparison> parse(String status) {
    for (Comparison c : values()) {
      if (c.name().toLowerCase(Locale.ROOT).equals(status)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
