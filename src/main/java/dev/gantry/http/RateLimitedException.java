package dev.gantry.http;

import java.io.IOException;

/**
 * A service's rate limit asks for a wait longer than its policy accepts: the retry loop stops at
 * once. The message is the reason and when to retry ("GitHub API rate limit exhausted: try again
 * after …"); the caller, which knows the operation, prefixes it. An {@link IOException} so it
 * leaves OkHttp's call unwrapped.
 */
public final class RateLimitedException extends IOException {
  public RateLimitedException(String message) {
    super(message);
  }
}
