package dev.gantry.auth;

import java.time.Instant;

/** A Bearer token and when to stop using it. {@link #toString()} never shows the token. */
record Token(String value, Instant refreshAfter) {
  boolean isFresh(Instant now) {
    return now.isBefore(refreshAfter);
  }

  @Override
  public String toString() {
    return "Token[***, refreshAfter=" + refreshAfter + "]";
  }
}
