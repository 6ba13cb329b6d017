package dev.gantry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What names a commit (a revision label, --sha) and a full commit SHA (check-commit's --sha): loops
 * that must answer as their expressions.
 */
class CommitShaTest {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{7,40}");
  private static final Pattern FULL = Pattern.compile("[0-9a-fA-F]{40}");

  @Test
  void answersAsTheCommitExpression() {
    List<String> values =
        new ArrayList<>(
            List.of(
                "",
                "abc123",
                "abc1234",
                "ABCDEF0",
                "a".repeat(39),
                "a".repeat(40),
                "aB3".repeat(13) + "f",
                "a".repeat(39) + "g",
                "a".repeat(41)));
    Random random = new Random(13);
    String alphabet = "0123456789abcdefABCDEFgG-: ";
    for (int n = 0; n < 5000; n++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(45);
      for (int i = 0; i < length; i++) {
        b.append(
            random.nextInt(30) == 0
                ? alphabet.charAt(random.nextInt(alphabet.length()))
                : alphabet.charAt(random.nextInt(22)));
      }
      values.add(b.toString());
    }
    for (String v : values) {
      assertEquals(COMMIT.matcher(v).matches(), CommitSha.isValid(v), v);
      assertEquals(FULL.matcher(v).matches(), CommitSha.isFull(v), v);
    }
  }
}
