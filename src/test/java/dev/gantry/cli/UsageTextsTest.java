package dev.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The help texts rendered at build time are picocli's own, for every command that exists, and are
 * used only when plain.
 */
class UsageTextsTest {
  static List<String> names() {
    return UsageTextsWriter.names();
  }

  private static byte[] stored(String name) throws IOException {
    try (InputStream in = UsageTexts.class.getResourceAsStream(UsageTexts.DIR + name + ".txt")) {
      assertNotNull(
          in,
          "no stored help for '"
              + name
              + "': the build step (UsageTextsWriter, process-classes) did not run");
      return in.readAllBytes();
    }
  }

  /** What picocli prints now, through the same entry point the jar uses when no text is stored. */
  private static byte[] live(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Environment env =
        new Environment(
            Map.of(),
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.systemUTC());
    assertEquals(ExitCode.OK, Gantry.run(args, env), err.toString(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static String[] helpArgs(String name, String flag) {
    return name.equals("gantry") ? new String[] {flag} : new String[] {name, flag};
  }

  @ParameterizedTest
  @MethodSource("names")
  void theStoredHelpIsPicocliLiveRendering(String name) throws IOException {
    byte[] stored = stored(name);
    assertTrue(
        new String(stored, StandardCharsets.UTF_8).startsWith("Usage: gantry"),
        new String(stored, StandardCharsets.UTF_8));
    assertArrayEquals(live(helpArgs(name, "--help")), stored, "gantry " + name + " --help");
    assertArrayEquals(live(helpArgs(name, "-h")), stored, "gantry " + name + " -h");
  }

  @ParameterizedTest
  @MethodSource("names")
  void theFastPathPrintsTheStoredTextForBothFlags(String name) throws IOException {
    for (String flag : List.of("--help", "-h")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertTrue(
          UsageTexts.printIfRequested(
              helpArgs(name, flag),
              Map.of(),
              false,
              new PrintStream(out, true, StandardCharsets.UTF_8)));
      assertArrayEquals(stored(name), out.toByteArray());
    }
  }

  @Test
  void aTextIsStoredForEveryCommandAndNoOther() throws IOException, URISyntaxException {
    URL dir = UsageTexts.class.getResource(UsageTexts.DIR);
    assertNotNull(dir, "no usage texts on the class path");
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      List<String> found =
          files.map(p -> p.getFileName().toString().replaceFirst("\\.txt$", "")).sorted().toList();
      assertEquals(names().stream().sorted().toList(), found);
    }
  }

  @Test
  void picocliAnswersWhenItWouldColourOrWhenMoreThanHelpIsAsked() {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    String[] help = {"promote", "--help"};
    assertFalse(
        UsageTexts.printIfRequested(help, Map.of(), true, sink),
        "a console: picocli colours its help");
    assertFalse(
        UsageTexts.printIfRequested(help, Map.of("CLICOLOR_FORCE", "1"), false, sink),
        "colour forced");
    assertTrue(UsageTexts.printIfRequested(help, Map.of("CLICOLOR_FORCE", "0"), false, sink));
    assertTrue(
        UsageTexts.printIfRequested(help, Map.of("NO_COLOR", ""), true, sink),
        "NO_COLOR wins over a console");
    assertFalse(
        UsageTexts.printIfRequested(
            new String[] {"promote", "--from", "x", "--help"}, Map.of(), false, sink));
    assertFalse(
        UsageTexts.printIfRequested(
            new String[] {"promote", "--help", "x"}, Map.of(), false, sink));
    assertFalse(
        UsageTexts.printIfRequested(new String[] {"bogus", "--help"}, Map.of(), false, sink),
        "no such command");
    assertFalse(
        UsageTexts.printIfRequested(
            new String[] {"../usage/promote", "--help"}, Map.of(), false, sink));
    assertFalse(UsageTexts.printIfRequested(new String[] {"Promote", "-h"}, Map.of(), false, sink));
    assertFalse(UsageTexts.printIfRequested(new String[] {}, Map.of(), false, sink));
  }
}
