package dev.gantry.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code gantry --help} and {@code gantry COMMAND --help} (or {@code -h}) from texts picocli
 * rendered at build time ({@link UsageTextsWriter}, into the jar as {@code usage/NAME.txt}), so
 * asking for help loads no picocli: rendering it at run time costs five hello-world JVM starts.
 * {@code UsageTextsTest} holds every stored text equal to picocli's live rendering. Only the plain
 * (no colour) rendering is stored: whenever picocli would colour its help, and when no text was
 * stored (classes run without the build step), picocli answers as before.
 */
public final class UsageTexts {
  static final String DIR = "usage/";

  private UsageTexts() {}

  /**
   * Writes the stored help when {@code args} only ask for it and picocli would print it plain;
   * false otherwise.
   */
  public static boolean printIfRequested(
      String[] args, Map<String, String> env, boolean console, PrintStream out) {
    Optional<String> name = requested(args);
    if (name.isEmpty() || colourPossible(env, console)) {
      return false;
    }
    byte[] text;
    try {
      byte[] stored = BuildTimeResources.read(UsageTexts.class, DIR + name.get() + ".txt");
      if (stored == null) {
        return false;
      }
      text = stored;
    } catch (IOException e) {
      return false;
    }
    out.write(
        text, 0, text.length); // the bytes picocli wrote (UTF-8), whatever the platform's encoding
    out.flush();
    return true;
  }

  /**
   * The name of the text asked for: "gantry" for the top level, the command's name; empty if not
   * only help.
   */
  static Optional<String> requested(String[] args) {
    if (args.length == 1 && isHelp(args[0])) {
      return Optional.of("gantry");
    }
    if (args.length == 2 && isHelp(args[1]) && isCommandName(args[0])) {
      return Optional.of(args[0]);
    }
    return Optional.empty();
  }

  private static boolean isCommandName(String arg) {
    if (arg.isEmpty()) {
      return false;
    }
    for (int i = 0; i < arg.length(); i++) {
      char c = arg.charAt(i);
      if (!(c >= 'a' && c <= 'z' || i > 0 && c == '-')) {
        return false; // also keeps the resource name inside usage/
      }
    }
    return true;
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  /**
   * Whether picocli's {@code Ansi.AUTO} could colour the help (4.7): {@code NO_COLOR} turns colour
   * off; a {@code picocli.ansi} property or a non-zero {@code CLICOLOR_FORCE} may turn it on;
   * otherwise colour needs a console (on Java 17, standard input and output both terminals), and
   * Windows has its own rules. A {@code picocli.usage.width} property changes the layout.
   */
  static boolean colourPossible(Map<String, String> env, boolean console) {
    if (System.getProperty("picocli.ansi") != null
        || System.getProperty("picocli.usage.width") != null) {
      return true;
    }
    if (env.containsKey("NO_COLOR")) {
      return false;
    }
    String force = env.get("CLICOLOR_FORCE");
    if (force != null && !force.equals("0")) {
      return true;
    }
    return console || System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("win");
  }
}
