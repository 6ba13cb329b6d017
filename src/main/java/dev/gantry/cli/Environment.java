package dev.gantry.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/** Everything Gantry takes from its surroundings, handed in once so tests never touch globals. */
public record Environment(Map<String, String> env, InputStream stdin, PrintStream stdout, PrintStream stderr, Clock clock) {
  public Environment {
    env = Map.copyOf(env);
  }

  public static Environment system() {
    return new Environment(System.getenv(), System.in, System.out, System.err, Clock.systemUTC());
  }

  public String get(String name) {
    return env.get(name);
  }
}
