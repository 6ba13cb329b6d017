package dev.gantry.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Build step (pom.xml, phase process-classes): renders {@code gantry --help} and every command's
 * {@code --help} with picocli, through {@link Gantry#run} itself, into {@code
 * OUTPUT_DIR/dev/gantry/cli/usage/NAME.txt}, and writes each command's {@link ParseTable}. Run on
 * every build from the compiled classes, so the texts and tables always follow the commands and
 * options of that build.
 */
public final class UsageTextsWriter {
  private UsageTextsWriter() {}

  /**
   * Writes the help texts and the parse tables ({@link ParseTableWriter}) under the classes
   * directory.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException(
          "usage: UsageTextsWriter OUTPUT_DIR (the classes directory)");
    }
    Path classes = Path.of(args[0]);
    // The tables first: rendering runs the commands, which read them (a previous build's would be
    // stale).
    ParseTableWriter.write(classes);
    Path dir =
        classes
            .resolve(UsageTexts.class.getPackageName().replace('.', '/'))
            .resolve(UsageTexts.DIR);
    emptyDirectory(dir);
    for (String name : names()) {
      Files.write(dir.resolve(name + ".txt"), render(name));
    }
  }

  /**
   * Creates the directory, or empties it: a command removed since the last build leaves nothing
   * behind.
   */
  static void emptyDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> old = Files.list(dir)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
  }

  /** "gantry" (the top level) and every command. */
  static List<String> names() {
    List<String> names = new ArrayList<>();
    names.add("gantry");
    names.addAll(Gantry.COMMANDS);
    return names;
  }

  /** What {@code gantry [NAME] --help} prints when picocli renders it without colour. */
  static byte[] render(String name) {
    String previous = System.getProperty("picocli.ansi");
    System.setProperty(
        "picocli.ansi", "false"); // a build run from a terminal must not store colour codes
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Environment env =
          new Environment(
              Map.of(),
              new ByteArrayInputStream(new byte[0]),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              Clock.systemUTC());
      String[] args =
          name.equals("gantry") ? new String[] {"--help"} : new String[] {name, "--help"};
      int code = Gantry.run(args, env);
      if (code != ExitCode.OK || out.size() == 0 || err.size() != 0) {
        throw new IllegalStateException(
            "gantry "
                + String.join(" ", args)
                + " exited "
                + code
                + ": "
                + err.toString(StandardCharsets.UTF_8));
      }
      return out.toByteArray();
    } finally {
      if (previous == null) {
        System.clearProperty("picocli.ansi");
      } else {
        System.setProperty("picocli.ansi", previous);
      }
    }
  }
}
