package dev.gantry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers the README's "Development" section draws, read from the sources: a package may name
 * (import, or spell out inline, Javadoc included) only packages on a lower layer. So no two
 * packages depend on each other, by any path, and nothing below reaches up: {@code image} names no
 * other Gantry package but the base, {@code session} (the composition root) by {@code cli} alone,
 * {@code cli} by {@code Main} alone.
 */
class LayersTest {
  /**
   * Bottom up; "base" is {@code dev.gantry} itself (errors, JSON, secrets, jobs), "main" is {@code
   * Main}.
   */
  static final List<Set<String>> LAYERS =
      List.of(
          Set.of("base"),
          Set.of("image", "http"),
          Set.of("auth", "store"),
          Set.of("registry"),
          Set.of("layout", "progress", "referrers", "trust"),
          Set.of("copy", "promote", "action"),
          Set.of("release", "resolve", "init"),
          Set.of("check"),
          Set.of("ledger"),
          // a package not listed here is a command's feature: on this layer, below cli (add it
          // above where it belongs)
          Set.of(),
          // the composition root: builds the clients and opens the stores the commands use
          Set.of("session"),
          Set.of("cli"),
          Set.of("main"));

  private static final int UNLISTED = LAYERS.indexOf(Set.of());

  private static final Path SOURCES = Path.of("src/main/java/dev/gantry");
  private static final Pattern NAMED =
      Pattern.compile("\\bdev\\.gantry\\.(?:([a-z][a-z0-9]*)\\.)?([A-Z*])");

  @Test
  void everyPackageNamesOnlyLowerLayers() throws IOException {
    List<String> violations = violations(SOURCES);
    assertEquals(List.of(), violations, "imports that run up or across the layers");
  }

  @Test
  void theLayersHoldTheWholeSourceTree() throws IOException {
    // The reader sees every package's arrows: one known arrow of each kind, so a broken pattern
    // cannot pass silently.
    Map<String, Set<String>> arrows = arrows(SOURCES);
    assertEquals(true, arrows.get("main").contains("cli"), arrows.toString());
    assertEquals(true, arrows.get("registry").contains("image"), arrows.toString());
    assertEquals(true, arrows.get("store").contains("image"), arrows.toString());
    assertEquals(true, arrows.get("cli").contains("session"), arrows.toString());
    assertEquals(true, arrows.get("session").contains("registry"), arrows.toString());
  }

  static List<String> violations(Path sources) throws IOException {
    List<String> violations = new ArrayList<>();
    arrows(sources)
        .forEach(
            (from, targets) -> {
              for (String to : targets) {
                if (layer(to) >= layer(from)) {
                  violations.add(from + " -> " + to);
                }
              }
            });
    return violations;
  }

  /** Each package (by its short name) and the other Gantry packages its files name. */
  static Map<String, Set<String>> arrows(Path sources) throws IOException {
    Map<String, Set<String>> arrows = new TreeMap<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String from = packageOf(sources.relativize(file));
        Set<String> targets = arrows.computeIfAbsent(from, k -> new TreeSet<>());
        Matcher m = NAMED.matcher(Files.readString(file));
        while (m.find()) {
          String to = m.group(1) == null ? "base" : m.group(1);
          if (!to.equals(from)) {
            targets.add(to);
          }
        }
      }
    }
    return arrows;
  }

  private static String packageOf(Path relative) {
    if (relative.getNameCount() == 1) {
      return relative.toString().equals("Main.java") ? "main" : "base";
    }
    return relative.getName(0).toString();
  }

  private static int layer(String pkg) {
    for (int i = 0; i < LAYERS.size(); i++) {
      if (LAYERS.get(i).contains(pkg)) {
        return i;
      }
    }
    return UNLISTED;
  }
}
