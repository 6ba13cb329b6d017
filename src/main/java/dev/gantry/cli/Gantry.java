package dev.gantry.cli;

import dev.gantry.GantryException;
import dev.gantry.Version;
import dev.gantry.progress.Summary;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gantry} command: wires subcommands, and maps every failure to one line and an exit
 * code, once.
 *
 * <p>Start-up is most of a run (a promote's network part is a few round trips), so nothing is set
 * up that the command line does not ask for: {@code --version} is answered before picocli is
 * loaded, and a named subcommand gets its picocli model alone (reflecting all of them, and the top
 * level, cost a third of {@code promote --help}).
 */
@Command(
    name = "gantry",
    mixinStandardHelpOptions = true,
    versionProvider = Gantry.VersionProvider.class,
    description = "Promote, copy and release container images at the registry level.")
public final class Gantry implements Runnable {
  /**
   * The subcommands, in the order usage help lists them; each built only when named (or for the
   * top-level help).
   */
  static final List<String> COMMANDS =
      List.of(
          "promote",
          "copy",
          "release",
          "action",
          "resolve",
          "check-commit",
          "init",
          "history",
          "rollback");

  /**
   * The commands that read and write images: each parses manifests and hashes them, so Jackson and
   * SHA-256 are set up in the background while the command line is bound (Warmup).
   */
  private static final List<String> IMAGE_COMMANDS = List.of("promote", "copy", "rollback");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "missing command: promote, copy, release, resolve, check-commit, init, history or rollback");
  }

  public static int run(String[] args, Environment raw) {
    return run(args, raw, NO_SUMMARIES);
  }

  /**
   * Summaries nobody asked for. Classes, not lambdas, on the way to a command: each lambda links a
   * call site on first use, and the first sets up java.lang.invoke's machinery for the run.
   */
  private static final Consumer<Summary> NO_SUMMARIES =
      new Consumer<>() {
        @Override
        public void accept(Summary summary) {}
      };

  /** {@link #newMixin} as the parse table takes it. */
  private static final ParseTable.MixinFactory NEW_MIXIN =
      new ParseTable.MixinFactory() {
        @Override
        public Object create(Class<?> cls) throws ReflectiveOperationException {
          return newMixin(cls);
        }
      };

  /**
   * Runs a command; {@code summaries} receives what a copy or promote moved (the action puts it in
   * the step summary).
   */
  public static int run(String[] args, Environment raw, Consumer<Summary> summaries) {
    if (Version.requested(args)) {
      raw.stdout().println(Version.line());
      raw.stdout().flush();
      return ExitCode.OK;
    }
    Environment env = raw.redacting(raw.secrets());
    CommandLine cli;
    if (args.length > 0 && COMMANDS.contains(args[0])) {
      if (IMAGE_COMMANDS.contains(args[0])) {
        Warmup.start(args[0], List.of(Warmup.Task.JSON, Warmup.Task.DIGEST));
      }
      // The named command alone, under its full name: the top-level model would only be walked
      // past.
      Object command = command(args[0], env, summaries);
      String[] rest = Arrays.copyOfRange(args, 1, args.length);
      if (bindWithoutPicocli(args[0], command, rest)) {
        return execute(command, rest, env);
      }
      cli = new CommandLine(command).setCommandName("gantry " + args[0]);
      args = rest;
    } else {
      cli = new CommandLine(new Gantry());
      for (String name : COMMANDS) {
        cli.addSubcommand(name, command(name, env, summaries));
      }
    }
    // UTF-8 as the streams themselves: JDK 17's default charset follows the locale (ASCII in a bare
    // container).
    cli.setOut(new PrintWriter(new OutputStreamWriter(env.stdout(), StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new OutputStreamWriter(env.stderr(), StandardCharsets.UTF_8), true));
    cli.setParameterExceptionHandler((e, a) -> badInput(e, a, env));
    cli.setExecutionExceptionHandler((e, c, parsed) -> failed(e, c.getCommand(), env));
    try {
      return cli.execute(args);
    } finally {
      env.stdout().flush();
      env.stderr().flush();
    }
  }

  /**
   * Binds an ordinary command line through the command's {@link ParseTable} (picocli's model,
   * written at build time), which spares building the model now; false when there is no table or
   * the line is one picocli must parse.
   */
  private static boolean bindWithoutPicocli(String name, Object command, String[] args) {
    Optional<ParseTable> table = ParseTable.of(name);
    try {
      return table.isPresent() && table.get().bind(command, Arrays.asList(args), NEW_MIXIN);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "the parse table of " + name + " does not match its classes (rebuild)", e);
    }
  }

  /**
   * What picocli's execute does with a bound command: call it, and map a failure to its exit code.
   */
  private static int execute(Object command, String[] args, Environment env) {
    try {
      Object result;
      if (command instanceof Callable<?> callable) {
        result = callable.call();
      } else {
        ((Runnable) command).run();
        result = null;
      }
      return result instanceof Integer code ? code : ExitCode.OK;
    } catch (CommandLine.ParameterException e) {
      return badInput(e, args, env); // as picocli's execute routes one thrown by a command
    } catch (Exception e) {
      return failed(e, command, env);
    } finally {
      env.stdout().flush();
      env.stderr().flush();
    }
  }

  /**
   * Bad input on the command line: one line on stderr (and the JSON error document when asked for),
   * exit 2.
   */
  private static int badInput(CommandLine.ParameterException e, String[] args, Environment env) {
    if (JsonOutput.requested(args)) {
      env.stdout().println(JsonOutput.errorDocument(ExitCode.BAD_INPUT, firstLine(e.getMessage())));
    }
    env.stderr().println("gantry: " + firstLine(e.getMessage()));
    return ExitCode.BAD_INPUT;
  }

  /**
   * A command's failure: one line on stderr (and the JSON error document when asked for), and its
   * exit code.
   */
  private static int failed(Exception e, Object command, Environment env) {
    boolean json = command instanceof JsonOutput j && j.json();
    if (e instanceof GantryException g) {
      int code = ExitCode.of(g.kind());
      if (!(g instanceof ReportedFailure) && json) {
        env.stdout().println(JsonOutput.errorDocument(code, firstLine(g.getMessage())));
      }
      env.stderr().println("gantry: " + firstLine(g.getMessage()));
      return code;
    }
    String internal =
        "internal error: "
            + e.getClass().getName()
            + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()));
    if (json) {
      env.stdout().println(JsonOutput.errorDocument(ExitCode.FAILED, internal));
    }
    env.stderr().println("gantry: " + internal);
    if (env.get("GANTRY_STACKTRACE") != null) {
      e.printStackTrace(env.stderr());
    }
    return ExitCode.FAILED;
  }

  static Object command(String name, Environment env, Consumer<Summary> summaries) {
    return switch (name) {
      case "promote" -> new PromoteCommand(env, summaries);
      case "copy" -> new CopyCommand(env, summaries);
      case "release" -> new ReleaseCommand(env);
      case "action" -> new ActionCommand(env);
      case "resolve" -> new ResolveCommand(env);
      case "init" -> new InitCommand(env);
      case "history" -> new HistoryCommand(env);
      case "rollback" -> new RollbackCommand(env);
      default -> new CheckCommitCommand(env);
    };
  }

  static String firstLine(@Nullable String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }

  /**
   * A mixin for a command, as picocli's default factory makes it: by its no-argument constructor.
   */
  static Object newMixin(Class<?> cls) throws ReflectiveOperationException {
    Constructor<?> constructor = cls.getDeclaredConstructor();
    constructor.setAccessible(true);
    return constructor.newInstance();
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {Version.line()};
    }
  }
}
