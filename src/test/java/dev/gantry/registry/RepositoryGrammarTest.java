package dev.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loops that check a repository's path components, its registry and a loopback host say exactly
 * what the regular expressions they replaced said: every string up to a few characters over an
 * alphabet of the characters that matter, and longer random ones, are judged by both.
 */
class RepositoryGrammarTest {
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern REGISTRY =
      Pattern.compile(
          "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
              + "|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?");
  private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.\\d{1,3}){3}");

  /** Every string of length 0 to {@code max} over {@code alphabet}. */
  private static List<String> allUpTo(String alphabet, int max) {
    List<String> out = new ArrayList<>();
    out.add("");
    int from = 0;
    for (int len = 1; len <= max; len++) {
      int to = out.size();
      for (int i = from; i < to; i++) {
        for (char c : alphabet.toCharArray()) {
          out.add(out.get(i) + c);
        }
      }
      from = to;
    }
    return out;
  }

  private static List<String> random(String alphabet, int count, int maxLength, long seed) {
    Random r = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder b = new StringBuilder();
      int len = r.nextInt(maxLength + 1);
      for (int j = 0; j < len; j++) {
        b.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      out.add(b.toString());
    }
    return out;
  }

  private static void sameAnswers(Pattern pattern, Predicate<String> loop, List<String> inputs) {
    int matched = 0;
    for (String s : inputs) {
      boolean expected = pattern.matcher(s).matches();
      assertEquals(expected, loop.test(s), () -> "'" + s + "'");
      matched += expected ? 1 : 0;
    }
    // Both answers occur: a corpus of only rejections would prove little.
    assertTrue(matched > 0 && matched < inputs.size(), matched + " of " + inputs.size());
  }

  @Test
  void componentLoopAgreesWithTheSpecPattern() {
    String alphabet = "a0._-A/";
    List<String> inputs = allUpTo(alphabet, 5);
    inputs.addAll(random(alphabet, 20_000, 16, 1));
    sameAnswers(COMPONENT, Repository::isComponent, inputs);
  }

  @Test
  void registryLoopAgreesWithThePattern() {
    String alphabet = "aZ0-.:[]f";
    List<String> inputs = allUpTo(alphabet, 5);
    inputs.addAll(random(alphabet + "9g:", 50_000, 14, 2));
    inputs.addAll(random("0123456789:", 5_000, 9, 3));
    sameAnswers(REGISTRY, Repository::isRegistry, inputs);
  }

  @Test
  void loopbackLoopAgreesWithThePattern() {
    List<String> inputs = allUpTo("127.0", 7);
    inputs.addAll(random("0123456789.", 50_000, 16, 4));
    for (String s : new ArrayList<>(inputs)) {
      inputs.add("127." + s);
    }
    int matched = 0;
    for (String s : inputs) {
      boolean expected = LOOPBACK_V4.matcher(s).matches();
      assertEquals(expected, Endpoints.isLoopbackV4(s), () -> "'" + s + "'");
      matched += expected ? 1 : 0;
    }
    assertTrue(matched > 0, "some inputs are loopback addresses");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ghcr.io", "localhost:5000", "[::1]:5000", "a", "r-1.example.com:65535"})
  void registriesAccepted(String registry) {
    assertTrue(Repository.isRegistry(registry));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "-a", "a-", "a..b", ":5000", "a:", "a:123456", "[]", "[::1", "[g]", "a_b"})
  void registriesRejected(String registry) {
    assertFalse(Repository.isRegistry(registry));
  }
}
