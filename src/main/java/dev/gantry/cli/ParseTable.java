package dev.gantry.cli;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command's options and parameters as picocli's model had them at build time ({@link
 * ParseTableWriter}, into the jar as {@code args/NAME.txt}), so an ordinary command line is bound
 * to the command's fields without building the picocli model at run time (half of a layout
 * promote's time). It binds only lines picocli would bind without a word: every argument a known
 * option (as {@code --name value} or {@code --name=value}; a flag bare) or a positional parameter,
 * each single option at most once, every required one given, nothing that starts with {@code @}
 * (picocli's argument files) and no {@code --}. Anything else, a help or version option included,
 * is left to picocli ({@link #bind} answers empty), which then parses, explains or refuses exactly
 * as before. {@code ParseTableTest} binds the same command lines both ways, for every option of
 * every command in the table, and compares the fields.
 *
 * <p>Table lines (tab-separated): {@code mixin FIELD CLASS}; {@code option NAMES KIND HOLDER FIELD
 * REQUIRED DEFAULT SPLIT} (NAMES joined by {@code |}, SPLIT empty or the one character a list
 * option's values are split at, KIND {@code string|int|boolean|list|help}, HOLDER {@code -} for the
 * command or a mixin FIELD); {@code positional KIND HOLDER FIELD MIN MAX} in index order (MAX
 * {@code *} for any number).
 */
final class ParseTable {
  static final String DIR = "args/";

  enum Kind {
    STRING,
    INT,
    BOOLEAN,
    LIST,
    PATH,
    HELP
  }

  record Mixin(String field, String className) {}

  /**
   * {@code defaultValue} empty: none (the writer refuses an empty default); {@code split} empty:
   * none, else the one character a list option's values are split at.
   */
  record Option(
      List<String> names,
      Kind kind,
      String holder,
      String field,
      boolean required,
      String defaultValue,
      String split) {}

  record Positional(Kind kind, String holder, String field, int min, int max) {}

  private final List<Mixin> mixins;
  private final List<Option> options;
  private final Map<String, Option> byName = new HashMap<>();
  private final List<Positional> positionals;

  ParseTable(List<Mixin> mixins, List<Option> options, List<Positional> positionals) {
    this.mixins = List.copyOf(mixins);
    this.options = List.copyOf(options);
    for (Option o : options) {
      for (String n : o.names()) {
        byName.put(n, o);
      }
    }
    this.positionals = List.copyOf(positionals);
  }

  /**
   * The command's table, or empty when none was written (the command is not bound without picocli,
   * or no build step ran).
   */
  static Optional<ParseTable> of(String command) {
    try {
      byte[] text = BuildTimeResources.read(ParseTable.class, DIR + command + ".txt");
      return text == null
          ? Optional.empty()
          : Optional.of(parse(new String(text, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static ParseTable parse(String text) {
    List<Mixin> mixins = new ArrayList<>();
    List<Option> options = new ArrayList<>();
    List<Positional> positionals = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.split("\t", -1);
      switch (f[0]) {
        case "mixin" -> mixins.add(new Mixin(f[1], f[2]));
        case "option" ->
            options.add(
                new Option(
                    List.of(f[1].split("\\|")),
                    Kind.valueOf(f[2]),
                    f[3],
                    f[4],
                    Boolean.parseBoolean(f[5]),
                    f[6],
                    f[7]));
        case "positional" ->
            positionals.add(
                new Positional(
                    Kind.valueOf(f[1]),
                    f[2],
                    f[3],
                    Integer.parseInt(f[4]),
                    f[5].equals("*") ? Integer.MAX_VALUE : Integer.parseInt(f[5])));
        default -> throw new IllegalArgumentException("parse table: unknown line '" + line + "'");
      }
    }
    return new ParseTable(mixins, options, positionals);
  }

  /**
   * Binds {@code args} to {@code command} (and the mixins {@code newMixin} makes for it) as picocli
   * would; false, with the command left for picocli to bind, when the line is not one this table
   * binds without picocli.
   */
  boolean bind(Object command, List<String> args, MixinFactory newMixin)
      throws ReflectiveOperationException {
    // Identity maps and plain loops: a record's hashCode and a lambda each link a call site on
    // first use.
    Map<Option, List<String>> given = new IdentityHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("@")) {
        return false; // picocli reads an argument file of that name, if there is one
      }
      if (!arg.startsWith("-")) {
        positional.add(arg);
        continue;
      }
      int eq = arg.indexOf('=');
      Option o = byName.get(eq < 0 ? arg : arg.substring(0, eq));
      if (o == null || o.kind() == Kind.HELP) {
        return false;
      }
      String value;
      if (o.kind() == Kind.BOOLEAN) {
        if (eq >= 0) {
          return false;
        }
        value = "true";
      } else if (eq >= 0 && eq + 1 < arg.length()) {
        value = arg.substring(eq + 1);
      } else if (eq >= 0) {
        return false;
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        return false; // picocli: missing parameter
      }
      if (value.startsWith("-") || value.startsWith("@")) {
        return false; // picocli may read it as an option or an argument file
      }
      List<String> values = given.get(o);
      if (values == null) {
        values = new ArrayList<>();
        given.put(o, values);
      } else if (o.kind() != Kind.LIST) {
        return false; // picocli: specified more than once
      }
      if (o.split().isEmpty()) {
        values.add(value);
      } else if (!split(value, o.split().charAt(0), values)) {
        return false;
      }
    }
    Optional<List<List<String>>> byParameter = positionals(positional);
    if (byParameter.isEmpty()) {
      return false;
    }
    List<List<String>> bound = byParameter.get();
    for (Option o : options) {
      if (o.required() && !given.containsKey(o)) {
        return false;
      }
    }
    // Every value converted before the first field is set: a value picocli would refuse leaves the
    // command untouched.
    Map<Option, Object> values = new IdentityHashMap<>();
    List<Optional<Object>> positionalValues = new ArrayList<>();
    try {
      for (Option o : options) {
        if (given.containsKey(o)) {
          values.put(o, convert(o.kind(), given.get(o)));
        } else if (!o.defaultValue().isEmpty()) {
          values.put(o, convert(o.kind(), List.of(o.defaultValue())));
        }
      }
      for (int p = 0; p < positionals.size(); p++) {
        positionalValues.add(
            bound.get(p).isEmpty()
                ? Optional.empty()
                : Optional.of(convert(positionals.get(p).kind(), bound.get(p))));
      }
    } catch (NumberFormatException | InvalidPathException e) {
      return false;
    }
    Map<String, Object> holders = new HashMap<>();
    holders.put("-", command);
    for (Mixin m : mixins) {
      Object mixin = newMixin.create(Class.forName(m.className()));
      set(command, m.field(), mixin);
      holders.put(m.field(), mixin);
    }
    for (Map.Entry<Option, Object> e : values.entrySet()) {
      set(holder(holders, e.getKey().holder()), e.getKey().field(), e.getValue());
    }
    for (int p = 0; p < positionals.size(); p++) {
      if (positionalValues.get(p).isPresent()) {
        set(
            holder(holders, positionals.get(p).holder()),
            positionals.get(p).field(),
            positionalValues.get(p).get());
      }
    }
    return true;
  }

  /**
   * Adds the parts of {@code value} between the delimiters; false for a value whose splitting
   * picocli treats specially (quotes) or that has an empty part (picocli's answer to those is left
   * to picocli).
   */
  private static boolean split(String value, char delimiter, List<String> out) {
    if (value.indexOf('"') >= 0) {
      return false;
    }
    int start = 0;
    for (int i = 0; i <= value.length(); i++) {
      if (i == value.length() || value.charAt(i) == delimiter) {
        if (i == start) {
          return false;
        }
        out.add(value.substring(start, i));
        start = i + 1;
      }
    }
    return true;
  }

  /** The positional values per parameter, or empty when picocli would refuse their number. */
  private Optional<List<List<String>>> positionals(List<String> values) {
    List<List<String>> bound = new ArrayList<>();
    int next = 0;
    for (Positional p : positionals) {
      int take = Math.min(p.max(), values.size() - next);
      if (take < p.min()) {
        return Optional.empty();
      }
      bound.add(values.subList(next, next + take));
      next += take;
    }
    return next == values.size() ? Optional.of(bound) : Optional.empty();
  }

  private static Object convert(Kind kind, List<String> values) {
    return switch (kind) {
      case STRING -> values.get(0);
      case INT ->
          Integer.valueOf(
              values.get(
                  0)); // picocli's own conversion; a bad number is caught and left to picocli
      case BOOLEAN -> Boolean.valueOf(values.get(0));
      case LIST -> new ArrayList<>(values);
      case PATH ->
          Path.of(
              values.get(
                  0)); // picocli's own conversion (Paths.get); an invalid path is left to picocli
      case HELP -> throw new IllegalStateException("help options are never bound here");
    };
  }

  private static Object holder(Map<String, Object> holders, String name) {
    Object holder = holders.get(name);
    if (holder == null) {
      throw new IllegalStateException(
          "parse table: no mixin field '" + name + "' (the table does not match its classes)");
    }
    return holder;
  }

  private static void set(Object holder, String name, Object value)
      throws ReflectiveOperationException {
    Field field = declared(holder.getClass(), name);
    field.setAccessible(true);
    field.set(holder, value);
  }

  /** The field {@code name} of {@code cls} or of a class it extends. */
  private static Field declared(Class<?> cls, String name) throws NoSuchFieldException {
    for (Class<?> c = cls; c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getName().equals(name)) {
          return f;
        }
      }
    }
    throw new NoSuchFieldException(cls.getName() + "." + name);
  }

  /** Makes a mixin instance, as the picocli factory would. */
  interface MixinFactory {
    Object create(Class<?> cls) throws ReflectiveOperationException;
  }
}
