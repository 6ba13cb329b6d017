package dev.gantry.cli;

import dev.gantry.Secrets;
import dev.gantry.session.Surroundings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything Gantry takes from its surroundings, handed in once so tests never touch globals.
 * {@code terminal}: whether standard error is a terminal (progress is then redrawn in place).
 */
public record Environment(
    Map<String, String> env,
    InputStream stdin,
    PrintStream stdout,
    PrintStream stderr,
    Clock clock,
    Secrets secrets,
    boolean terminal) {
  public Environment {
    env = Map.copyOf(env);
  }

  public Environment(
      Map<String, String> env,
      InputStream stdin,
      PrintStream stdout,
      PrintStream stderr,
      Clock clock,
      Secrets secrets) {
    this(env, stdin, stdout, stderr, clock, secrets, false);
  }

  public Environment(
      Map<String, String> env,
      InputStream stdin,
      PrintStream stdout,
      PrintStream stderr,
      Clock clock) {
    this(env, stdin, stdout, stderr, clock, new Secrets());
  }

  public static Environment system() {
    return new Environment(
        System.getenv(),
        System.in,
        System.out,
        System.err,
        Clock.systemUTC(),
        new Secrets(),
        stderrIsTerminal());
  }

  /**
   * The same environment with standard output and error passed through {@code secrets}' redaction.
   */
  Environment redacting(Secrets secrets) {
    return new Environment(
        env, stdin, wrap(stdout, secrets), wrap(stderr, secrets), clock, secrets, terminal);
  }

  private static PrintStream wrap(PrintStream out, Secrets secrets) {
    return new PrintStream(new RedactingOutputStream(out, secrets), true, StandardCharsets.UTF_8);
  }

  /** What the session takes of it: the variables, standard input, the clock and the secrets. */
  public Surroundings surroundings() {
    return new Surroundings(env, stdin, clock, secrets);
  }

  public @Nullable String get(String name) {
    return env.get(name);
  }

  /**
   * Linux says where file descriptor 2 goes; elsewhere {@code System.console()} (which on Java 17
   * asks about standard input and output) is the best guess.
   */
  private static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      @SuppressWarnings(
          "SystemConsoleNull") // JDK 17 (the action image's runtime): null when not a terminal
      boolean console = System.console() != null;
      return console;
    }
  }
}
