package dev.gantry.check;

import org.jspecify.annotations.Nullable;

/**
 * One check's answer: its name (branch, tested-by, not-behind), whether it passed, the line saying
 * why.
 */
public record Check(String name, boolean ok, String detail, @Nullable String rollbackFrom) {
  static Check ok(String name, String detail) {
    return new Check(name, true, detail, null);
  }

  static Check refused(String name, String detail) {
    return new Check(name, false, detail, null);
  }

  /** Allowed, but backwards: {@code from} is the commit deployed now. */
  static Check rollback(String name, String detail, String from) {
    return new Check(name, true, detail, from);
  }
}
