package dev.gantry.cli;

import dev.gantry.GantryException;
import dev.gantry.Version;
import dev.gantry.http.HttpClients;
import dev.gantry.progress.Summary;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gantry} command: wires subcommands, and maps every failure to one line and an exit code, once. */
@Command(name = "gantry", mixinStandardHelpOptions = true, versionProvider = Gantry.VersionProvider.class,
    description = "Promote, copy and release container images at the registry level.",
    subcommands = {PromoteCommand.class, CopyCommand.class, ReleaseCommand.class, ActionCommand.class,
        ResolveCommand.class, CheckCommitCommand.class})
public final class Gantry implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: promote, copy, release, resolve or check-commit");
  }

  public static int run(String[] args, Environment raw) {
    return run(args, raw, summary -> {});
  }

  /** Runs a command; {@code summaries} receives what a copy or promote moved (the action puts it in the step summary). */
  public static int run(String[] args, Environment raw, Consumer<Summary> summaries) {
    HttpClients.warmUp();
    Environment env = raw.redacting(raw.secrets());
    CommandLine cli = new CommandLine(new Gantry(), new Factory(env, summaries));
    cli.setOut(new java.io.PrintWriter(env.stdout(), true));
    cli.setErr(new java.io.PrintWriter(env.stderr(), true));
    cli.setParameterExceptionHandler((e, a) -> {
      if (JsonOutput.requested(a)) {
        env.stdout().println(JsonOutput.errorDocument(ExitCode.BAD_INPUT, firstLine(e.getMessage())));
      }
      env.stderr().println("gantry: " + firstLine(e.getMessage()));
      return ExitCode.BAD_INPUT;
    });
    cli.setExecutionExceptionHandler((e, c, parsed) -> {
      if (e instanceof GantryException g) {
        int code = ExitCode.of(g.kind());
        if (!(g instanceof ReportedFailure) && wantsJson(c)) {
          env.stdout().println(JsonOutput.errorDocument(code, firstLine(g.getMessage())));
        }
        env.stderr().println("gantry: " + firstLine(g.getMessage()));
        return code;
      }
      String internal = "internal error: " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()));
      if (wantsJson(c)) {
        env.stdout().println(JsonOutput.errorDocument(ExitCode.FAILED, internal));
      }
      env.stderr().println("gantry: " + internal);
      if (env.get("GANTRY_STACKTRACE") != null) {
        e.printStackTrace(env.stderr());
      }
      return ExitCode.FAILED;
    });
    try {
      return cli.execute(args);
    } finally {
      env.stdout().flush();
      env.stderr().flush();
    }
  }

  private static boolean wantsJson(CommandLine c) {
    return c.getCommand() instanceof JsonOutput j && j.json();
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }

  /** Hands the environment to every command picocli creates. */
  private record Factory(Environment env, Consumer<Summary> summaries) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == PromoteCommand.class) {
        return cls.cast(new PromoteCommand(env, summaries));
      }
      if (cls == CopyCommand.class) {
        return cls.cast(new CopyCommand(env, summaries));
      }
      if (cls == ActionCommand.class) {
        return cls.cast(new ActionCommand(env));
      }
      if (cls == ReleaseCommand.class) {
        return cls.cast(new ReleaseCommand(env));
      }
      if (cls == ResolveCommand.class) {
        return cls.cast(new ResolveCommand(env));
      }
      if (cls == CheckCommitCommand.class) {
        return cls.cast(new CheckCommitCommand(env));
      }
      if (cls == RegistryOptions.class) {
        return cls.cast(new RegistryOptions(env.secrets()));
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"gantry " + Version.get()};
    }
  }
}
