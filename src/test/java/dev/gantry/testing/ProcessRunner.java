package dev.gantry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external tool (skopeo, openssl, htpasswd) to completion with a hard timeout. Failures
 * throw with the command line (secrets redacted) and stderr, so a red test explains itself.
 */
public final class ProcessRunner {

  /** What a finished command produced. */
  public record Result(int exitCode, byte[] stdout, String stderr) {
    public String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  // Blocking pipe reads get their own daemon threads rather than the shared ForkJoin pool.
  private static final ExecutorService PIPES =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "process-pipe");
            thread.setDaemon(true);
            return thread;
          });

  private ProcessRunner() {}

  /** Runs the command and throws unless it exits 0. */
  public static Result check(
      List<String> command, Duration timeout, Map<String, String> env, byte[] stdin) {
    Result result = run(command, timeout, env, stdin);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          describe(command) + " exited " + result.exitCode() + ": " + result.stderr().strip());
    }
    return result;
  }

  /**
   * Runs the command and returns whatever it produced; throws only on timeout or when it cannot
   * start.
   */
  public static Result run(
      List<String> command, Duration timeout, Map<String, String> env, byte[] stdin) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start " + command.get(0) + " (is it installed and on PATH?)", e);
    }
    // Drain both pipes concurrently: a tool that fills one pipe while we read the other would hang.
    CompletableFuture<byte[]> out =
        CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()), PIPES);
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()), PIPES);
    try (var in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    } catch (IOException ignored) {
      // The tool may exit without reading its input; its exit code tells the story.
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        stop(process);
        throw new IllegalStateException(describe(command) + " timed out after " + timeout);
      }
      return new Result(
          process.exitValue(),
          out.get(5, TimeUnit.SECONDS),
          new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      stop(process);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + describe(command), e);
    } catch (Exception e) {
      stop(process);
      throw e instanceof RuntimeException r ? r : new IllegalStateException(describe(command), e);
    }
  }

  /** Ends a child politely, then for sure; used by every harness piece that owns a process. */
  public static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(3, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The command line for messages, with the value after any "--*creds" flag hidden. */
  public static String describe(List<String> command) {
    List<String> shown = new ArrayList<>();
    boolean hideNext = false;
    for (String arg : command) {
      shown.add(
          hideNext
              ? "***"
              : arg.matches("--[a-z-]*creds=.*") ? arg.replaceAll("=.*", "=***") : arg);
      hideNext = arg.matches("--[a-z-]*creds");
    }
    return String.join(" ", shown);
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
