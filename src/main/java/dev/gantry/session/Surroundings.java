package dev.gantry.session;

import dev.gantry.Secrets;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;

/**
 * What the session takes from the process's surroundings, handed in by the command line's edge: the
 * environment variables (the Docker config's location, credential helpers), standard input (a
 * password or token), the clock (token expiry) and the secrets redaction knows.
 */
public record Surroundings(
    Map<String, String> env, InputStream stdin, Clock clock, Secrets secrets) {
  public Surroundings {
    env = Map.copyOf(env);
  }
}
