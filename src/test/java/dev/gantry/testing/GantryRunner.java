package dev.gantry.testing;

import dev.gantry.cli.Environment;
import dev.gantry.cli.Gantry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Gantry the way a user does: in-process through {@link Gantry#run}, or as {@code java -jar
 * target/gantry.jar}.
 */
public final class GantryRunner {
  public record Result(int exitCode, String stdout, String stderr) {
    public String all() {
      return stdout + stderr;
    }
  }

  private final Map<String, String> env = new HashMap<>();
  private Clock clock = Clock.systemUTC();

  /** An environment with an empty HOME, so no Docker config of the machine leaks in. */
  public GantryRunner() {
    env.put("HOME", TempDirs.create("gantry-home-").toString());
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
  }

  public GantryRunner env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** The clock the in-process runs read (the ledger's record times and soak gates). */
  public GantryRunner clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  public Path home() {
    return Path.of(env.get("HOME"));
  }

  public Result run(String... args) {
    return runWithStdin("", args);
  }

  public Result runWithStdin(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Environment environment =
        new Environment(
            env,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            clock);
    int code = Gantry.run(args, environment);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * A child process still running: its output so far, and a way to wait for the end; closing it
   * kills a child a failed test left running.
   */
  public record Running(Process process, Path out, Path err) implements AutoCloseable {
    public String stderrSoFar() {
      try {
        return Files.readString(err);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * Returns once stderr holds {@code text}; throws if the process ends or time runs out first.
     */
    public void awaitStderr(String text, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!stderrSoFar().contains(text)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "no '" + text + "' on gantry's stderr within " + timeout + ": " + stderrSoFar());
        }
        Thread.sleep(20);
      }
    }

    public Result await() {
      try {
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new IllegalStateException("gantry did not finish in 5 minutes");
        }
        Result r = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        ProcessRunner.stop(process);
      }
    }
  }

  /**
   * Starts {@code java -jar target/gantry.jar ARGS} as a child process of {@code launcher} (a
   * command that ends by running its arguments, such as a shell that first ignores a signal; empty
   * for none) and returns at once. Gantry gets SIGINT and SIGTERM at their defaults, as in a
   * terminal: a script starts a background job ({@code ./mvnw verify &}) with SIGINT ignored,
   * children inherit that, and a JVM leaves an ignored signal ignored, so Gantry would never see a
   * SIGINT a test sends.
   */
  public Running startJarFrom(List<String> launcher, String... args) {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(List.of("/usr/bin/env", "--default-signal=INT,TERM"));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(System.getProperty("gantry.jar", "target/gantry.jar"));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("gantry-out", ".txt");
      Path err = Files.createTempFile("gantry-err", ".txt");
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().clear();
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      return new Running(p, out, err);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code java JVM_OPTIONS -jar target/gantry.jar ARGS} as a child process (the jar the build just
   * made).
   */
  public Result runJar(List<String> jvmOptions, String... args) {
    return runJar(jvmOptions, false, args);
  }

  /**
   * The same with standard error written into standard output as it comes, as a CI log interleaves
   * them.
   */
  public Result runJarMerged(List<String> jvmOptions, String... args) {
    return runJar(jvmOptions, true, args);
  }

  private Result runJar(List<String> jvmOptions, boolean merged, String... args) {
    String jar = System.getProperty("gantry.jar", "target/gantry.jar");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar);
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("gantry-out", ".txt");
      Path err = Files.createTempFile("gantry-err", ".txt");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectErrorStream(merged);
      pb.environment().clear();
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "gantry did not finish in 5 minutes: " + String.join(" ", args));
      }
      Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return r;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
