package dev.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The build-time parse tables bind a command line exactly as picocli does, for every option of
 * every command that has a table (the command lines are made from picocli's own model, so an option
 * added later is covered), and leave to picocli every line it would refuse or treat specially.
 */
class ParseTableTest {
  private static final Environment ENV =
      new Environment(
          Map.of(),
          new ByteArrayInputStream(new byte[0]),
          new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
          new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
          Clock.systemUTC());

  static List<String> tabled() {
    return Gantry.COMMANDS.stream().filter(n -> ParseTable.of(n).isPresent()).toList();
  }

  private static ParseTable table(String name) {
    return ParseTable.of(name).orElseThrow();
  }

  /** The fields picocli binds (options, parameters, and those of each mixin), by name. */
  private static Map<String, Object> bound(Object command) throws IllegalAccessException {
    Map<String, Object> values = new LinkedHashMap<>();
    List<Field> fields = new ArrayList<>();
    for (Class<?> c = command.getClass(); c != Object.class; c = c.getSuperclass()) {
      fields.addAll(List.of(c.getDeclaredFields()));
    }
    for (Field f : fields) {
      f.setAccessible(true);
      if (f.isAnnotationPresent(CommandLine.Option.class)
          || f.isAnnotationPresent(CommandLine.Parameters.class)) {
        values.put(f.getName(), f.get(command));
      } else if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
        Object mixin = f.get(command);
        values.put(f.getName(), mixin == null ? null : bound(mixin));
      }
    }
    return values;
  }

  private static Map<String, Object> viaPicocli(String name, List<String> args)
      throws IllegalAccessException {
    Object command = Gantry.command(name, ENV, s -> {});
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return bound(command);
  }

  private static Optional<Map<String, Object>> viaTable(String name, List<String> args)
      throws Exception {
    Object command = Gantry.command(name, ENV, s -> {});
    Map<String, Object> before = bound(command);
    boolean done = table(name).bind(command, args, Gantry::newMixin);
    if (!done) {
      assertEquals(
          before, bound(command), "a line left to picocli leaves the command as it was: " + args);
    }
    return done ? Optional.of(bound(command)) : Optional.empty();
  }

  /**
   * A value picocli accepts for the option, different per occurrence; two parts for an option split
   * at a delimiter.
   */
  private static String sample(OptionSpec o, int n) {
    if (o.type() == int.class) {
      return Integer.toString(3 + n);
    }
    return o.splitRegex().isEmpty() ? "value-" + n : "value-" + n + o.splitRegex() + "more-" + n;
  }

  /**
   * The required options and the positional parameters with values: the smallest line picocli
   * accepts.
   */
  private static List<String> minimal(CommandSpec spec) {
    List<String> args = new ArrayList<>();
    for (OptionSpec o :
        spec.requiredArgs().stream()
            .filter(a -> a instanceof OptionSpec)
            .map(a -> (OptionSpec) a)
            .toList()) {
      args.add(o.longestName());
      args.add(sample(o, 0));
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      args.add("param-" + p.index().min() + "-a");
      if (p.arity().max() > 1) {
        args.add("param-" + p.index().min() + "-b");
      }
    }
    return args;
  }

  /**
   * Lines picocli binds: the minimal one, then each option in each form, then all of them with
   * parameters first.
   */
  private static List<List<String>> accepted(String name) {
    CommandSpec spec = ParseTableWriter.spec(name);
    List<List<String>> lines = new ArrayList<>();
    List<String> minimal = minimal(spec);
    lines.add(minimal);
    List<String> everything = new ArrayList<>(minimal);
    for (OptionSpec o : spec.options()) {
      if (o.usageHelp() || o.versionHelp() || o.required()) {
        continue;
      }
      for (String n : o.names()) {
        List<String> line = new ArrayList<>(minimal);
        if (o.arity().max() == 0) {
          line.add(0, n);
        } else {
          line.add(n);
          line.add(sample(o, 1));
          line.add(
              0, n + "=" + sample(o, 2)); // before the others; for a single option, instead of them
          if (!o.isMultiValue()) {
            line.remove(line.size() - 1);
            line.remove(line.size() - 1);
          }
        }
        lines.add(line);
      }
      everything.add(o.longestName());
      if (o.arity().max() > 0) {
        everything.add(sample(o, 4));
      }
    }
    lines.add(everything);
    return lines;
  }

  @ParameterizedTest
  @MethodSource("tabled")
  void bindsEveryOptionOfTheCommandAsPicocliDoes(String name) throws Exception {
    for (List<String> args : accepted(name)) {
      Optional<Map<String, Object>> table = viaTable(name, args);
      assertTrue(table.isPresent(), "gantry " + name + " " + args + " was left to picocli");
      assertEquals(viaPicocli(name, args), table.get(), "gantry " + name + " " + args);
    }
  }

  @ParameterizedTest
  @MethodSource("tabled")
  void leavesToPicocliWhatItRefusesOrTreatsSpecially(String name) throws Exception {
    CommandSpec spec = ParseTableWriter.spec(name);
    List<String> minimal = minimal(spec);
    List<List<String>> special = new ArrayList<>();
    special.add(with(minimal, "--bogus"));
    special.add(with(minimal, "-h"));
    special.add(with(minimal, "--help"));
    special.add(with(minimal, "--version"));
    special.add(with(minimal, "--"));
    special.add(with(minimal, "@args.txt"));
    special.add(with(minimal, "-"));
    for (OptionSpec o : spec.options()) {
      if (o.usageHelp() || o.versionHelp()) {
        continue;
      }
      if (o.arity().max() == 0) {
        special.add(with(minimal, o.longestName() + "=true"));
        special.add(with(with(minimal, o.longestName()), o.longestName()));
      } else {
        special.add(with(minimal, o.longestName())); // no value
        special.add(with(with(minimal, o.longestName()), "-x"));
        special.add(with(with(minimal, o.longestName()), "@file"));
        special.add(with(minimal, o.longestName() + "="));
        if (o.type() == int.class) {
          special.add(with(with(minimal, o.longestName()), "many"));
        }
        String d = o.splitRegex();
        if (!d.isEmpty()) {
          // Quotes and empty parts: how picocli splits those is left to picocli.
          for (String value :
              List.of("\"a" + d + "b\"" + d + "c", d + "a", "a" + d, "a" + d + d + "b")) {
            special.add(with(with(minimal, o.longestName()), value));
          }
        }
        if (!o.isMultiValue()) {
          special.add(
              with(
                  with(with(with(minimal, o.longestName()), sample(o, 1)), o.longestName()),
                  sample(o, 2)));
        }
      }
      if (o.required()) {
        List<String> without = new ArrayList<>(minimal);
        int at = without.indexOf(o.longestName());
        without.remove(at + 1);
        without.remove(at);
        special.add(without);
      }
    }
    if (!spec.positionalParameters().isEmpty()) {
      List<String> none = new ArrayList<>(minimal);
      none.removeIf(a -> a.startsWith("param-"));
      special.add(none);
      if (spec.positionalParameters().get(spec.positionalParameters().size() - 1).arity().max()
          < Integer.MAX_VALUE) {
        special.add(with(minimal, "one-too-many"));
      }
    } else {
      special.add(with(minimal, "unexpected"));
    }
    for (List<String> args : special) {
      assertFalse(
          viaTable(name, args).isPresent(),
          "gantry " + name + " " + args + " should be left to picocli");
    }
  }

  private static List<String> with(List<String> args, String more) {
    List<String> line = new ArrayList<>(args);
    line.add(more);
    return line;
  }

  @Test
  void theCommandsWithoutATableAreTheOnesTheWriterRefuses() {
    for (String name : Gantry.COMMANDS) {
      ParseTableWriter.Result written = ParseTableWriter.table(name);
      assertEquals(
          written.text().isPresent(),
          ParseTable.of(name).isPresent(),
          name + ": " + written.reason());
    }
    for (String name : Gantry.COMMANDS) {
      assertTrue(ParseTable.of(name).isPresent(), name + " is bound without picocli");
    }
    assertTrue(
        ParseTableWriter.table("init").text().orElseThrow().contains("\t,\n"),
        "init's --images is split at commas by the table");
  }
}
