package dev.gantry.cli;

import dev.gantry.Secrets;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/** Everything Gantry takes from its surroundings, handed in once so tests never touch globals. */
public record Environment(Map<String, String> env, InputStream stdin, PrintStream stdout, PrintStream stderr, Clock clock,
    Secrets secrets) {
  public Environment {
    env = Map.copyOf(env);
  }

  public Environment(Map<String, String> env, InputStream stdin, PrintStream stdout, PrintStream stderr, Clock clock) {
    this(env, stdin, stdout, stderr, clock, new Secrets());
  }

  public static Environment system() {
    return new Environment(System.getenv(), System.in, System.out, System.err, Clock.systemUTC());
  }

  /** The same environment with standard output and error passed through {@code secrets}' redaction. */
  Environment redacting(Secrets secrets) {
    return new Environment(env, stdin, wrap(stdout, secrets), wrap(stderr, secrets), clock, secrets);
  }

  private static PrintStream wrap(PrintStream out, Secrets secrets) {
    return new PrintStream(new RedactingOutputStream(out, secrets), true, StandardCharsets.UTF_8);
  }

  public String get(String name) {
    return env.get(name);
  }
}
