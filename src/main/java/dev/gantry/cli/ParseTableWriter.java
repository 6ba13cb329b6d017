package dev.gantry.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Build step: writes each command's {@link ParseTable} from picocli's model of it, or no table (the
 * command is then always parsed by picocli) when the command uses something the table does not
 * describe: a converter, a split other than at a comma, semicolon or colon, a negatable or
 * interactive option, an argument group, an option on a method, a type other than String, int,
 * boolean, Path or a list of String, an injected spec, a default with a {@code ${...}} variable.
 */
final class ParseTableWriter {
  private ParseTableWriter() {}

  /**
   * The split regexes a list option may have in a table: each one character that means itself in a
   * regex, so the table splits at it literally.
   */
  private static final List<String> SPLITS = List.of(",", ";", ":");

  static void write(Path classes) throws IOException {
    Path dir =
        classes
            .resolve(ParseTable.class.getPackageName().replace('.', '/'))
            .resolve(ParseTable.DIR);
    UsageTextsWriter.emptyDirectory(dir);
    for (String name : Gantry.COMMANDS) {
      Result table = table(name);
      if (table.text().isPresent()) {
        Files.writeString(dir.resolve(name + ".txt"), table.text().get(), StandardCharsets.UTF_8);
      } else {
        System.out.println(
            "gantry "
                + name
                + ": no parse table, picocli parses it at run time ("
                + table.reason()
                + ")");
      }
    }
  }

  /** The table's text, or why there is none. */
  record Result(Optional<String> text, String reason) {
    static Result refused(String reason) {
      return new Result(Optional.empty(), reason);
    }
  }

  static CommandSpec spec(String name) {
    Environment env =
        new Environment(
            Map.of(),
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
            Clock.systemUTC());
    return new CommandLine(Gantry.command(name, env, s -> {})).getCommandSpec();
  }

  static Result table(String name) {
    CommandSpec spec = spec(name);
    Class<?> commandClass = spec.userObject().getClass();
    if (!spec.argGroups().isEmpty()
        || !spec.unmatchedArgsBindings().isEmpty()
        || !spec.subcommands().isEmpty()
        || spec.defaultValueProvider() != null) {
      return Result.refused(
          "argument groups, unmatched arguments, subcommands or a default provider");
    }
    StringBuilder out = new StringBuilder();
    Map<Class<?>, String> holders = new HashMap<>();
    List<Field> fields = new ArrayList<>();
    // The command's own fields and those it inherits (a registry command's mixin is declared in
    // RegistryCommand).
    for (Class<?> c = commandClass; c != Object.class; c = c.getSuperclass()) {
      holders.put(c, "-");
      fields.addAll(List.of(c.getDeclaredFields()));
    }
    for (Field f : fields) {
      if (f.isAnnotationPresent(CommandLine.Spec.class)
          || f.isAnnotationPresent(CommandLine.ParentCommand.class)
          || f.isAnnotationPresent(CommandLine.Unmatched.class)
          || f.isAnnotationPresent(CommandLine.ArgGroup.class)) {
        return Result.refused("field " + f.getName() + " is injected by picocli");
      }
      if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
        if (holders.put(f.getType(), f.getName()) != null) {
          return Result.refused("two mixins of type " + f.getType().getName());
        }
        out.append("mixin\t")
            .append(f.getName())
            .append('\t')
            .append(f.getType().getName())
            .append('\n');
      }
    }
    for (OptionSpec o : spec.options()) {
      if (o.usageHelp() || o.versionHelp()) {
        out.append("option\t")
            .append(String.join("|", o.names()))
            .append("\tHELP\t-\t-\tfalse\t\t\n");
        continue;
      }
      Optional<String> refused = refused(o, holders);
      if (refused.isPresent()) {
        return Result.refused(String.join("|", o.names()) + ": " + refused.get());
      }
      Field field = (Field) o.userObject();
      String dflt = o.defaultValue() == null ? "" : o.defaultValue();
      out.append("option\t")
          .append(String.join("|", o.names()))
          .append('\t')
          .append(kind(o).orElseThrow())
          .append('\t')
          .append(holders.get(field.getDeclaringClass()))
          .append('\t')
          .append(field.getName())
          .append('\t')
          .append(o.required())
          .append('\t')
          .append(dflt)
          .append('\t')
          .append(o.splitRegex())
          .append('\n');
    }
    int index = 0;
    for (PositionalParamSpec p : spec.positionalParameters()) {
      Optional<String> refused = refused(p, holders);
      // One parameter per index, in order; only the last may take any number (it is given what is
      // left).
      boolean last = index == spec.positionalParameters().size() - 1;
      boolean rest =
          p.index().max() == Integer.MAX_VALUE
              && last
              && kind(p).equals(Optional.of(ParseTable.Kind.LIST));
      if (refused.isEmpty()
          && !(p.index().min() == index
              && (p.index().max() == index && p.arity().max() == 1 || rest))) {
        refused = Optional.of("index " + p.index() + ", arity " + p.arity());
      }
      if (refused.isPresent()) {
        return Result.refused(p.paramLabel() + ": " + refused.get());
      }
      Field field = (Field) p.userObject();
      int max = p.arity().max();
      out.append("positional\t")
          .append(kind(p).orElseThrow())
          .append('\t')
          .append(holders.get(field.getDeclaringClass()))
          .append('\t')
          .append(field.getName())
          .append('\t')
          .append(p.arity().min())
          .append('\t')
          .append(max == Integer.MAX_VALUE ? "*" : Integer.toString(max))
          .append('\n');
      index++;
    }
    return new Result(Optional.of(out.toString()), "");
  }

  /** Why the table cannot describe this option or parameter, if it cannot. */
  private static Optional<String> refused(ArgSpec a, Map<Class<?>, String> holders) {
    if (!(a.userObject() instanceof Field field)) {
      return Optional.of("not a field");
    }
    if (!holders.containsKey(field.getDeclaringClass())) {
      return Optional.of(
          "declared in "
              + field.getDeclaringClass().getName()
              + ", neither the command nor a mixin field");
    }
    if (kind(a).isEmpty()) {
      return Optional.of("type " + a.type().getName() + " with arity " + a.arity());
    }
    if (!a.splitRegex().isEmpty()
        && !(a.isOption()
            && kind(a).equals(Optional.of(ParseTable.Kind.LIST))
            && SPLITS.contains(a.splitRegex()))) {
      return Optional.of("split at '" + a.splitRegex() + "'");
    }
    if (a.converters().length > 0
        || a.interactive()
        || a.parameterConsumer() != null
        || a.preprocessor() != null
            && !a.preprocessor().getClass().getName().startsWith("picocli.")) {
      return Optional.of("a converter, split, interactive input, consumer or preprocessor");
    }
    if (a instanceof OptionSpec o && (o.negatable() || o.names().length == 0)) {
      return Optional.of("negatable");
    }
    if (a.defaultValue() != null
        && (a.defaultValue().contains("${")
            || a.defaultValue().contains("\t")
            || a.defaultValue().contains("\n")
            || a.defaultValue().isEmpty())) {
      return Optional.of("default value '" + a.defaultValue() + "'");
    }
    return Optional.empty();
  }

  private static Optional<ParseTable.Kind> kind(ArgSpec a) {
    Class<?> t = a.type();
    boolean single = a.arity().min() == 1 && a.arity().max() == 1;
    if (t == String.class && single) {
      return Optional.of(ParseTable.Kind.STRING);
    }
    if (t == int.class && single) {
      return Optional.of(ParseTable.Kind.INT);
    }
    if (t == Path.class && single) {
      return Optional.of(ParseTable.Kind.PATH);
    }
    if (t == boolean.class && a.arity().min() == 0 && a.arity().max() == 0) {
      return Optional.of(ParseTable.Kind.BOOLEAN);
    }
    if (t == List.class
        && a.auxiliaryTypes().length == 1
        && a.auxiliaryTypes()[0] == String.class
        && (a.isOption() ? single : a.arity().max() == Integer.MAX_VALUE || a.arity().max() > 1)) {
      return Optional.of(ParseTable.Kind.LIST);
    }
    return Optional.empty();
  }
}
