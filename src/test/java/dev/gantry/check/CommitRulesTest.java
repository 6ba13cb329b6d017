package dev.gantry.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The pure rules: every compare status, for the branch and for the deployed commit, with and
 * without rollback.
 */
class CommitRulesTest {
  private static final String SHA = "a".repeat(40);
  private static final String CURRENT = "b".repeat(40);

  @Test
  void onTheBranchMeansIdenticalOrBehind() {
    assertTrue(CommitRules.onBranch("main", SHA, Comparison.IDENTICAL).ok());
    assertTrue(CommitRules.onBranch("main", SHA, Comparison.BEHIND).ok());
    assertFalse(CommitRules.onBranch("main", SHA, Comparison.AHEAD).ok());
    assertFalse(CommitRules.onBranch("main", SHA, Comparison.DIVERGED).ok());
  }

  @Test
  void notBehindAllowsForwardAndTheSameCommit() {
    assertTrue(CommitRules.notBehind("r:latest", CURRENT, SHA, Comparison.AHEAD, false).ok());
    assertTrue(CommitRules.notBehind("r:latest", CURRENT, SHA, Comparison.IDENTICAL, false).ok());
    assertFalse(CommitRules.notBehind("r:latest", CURRENT, SHA, Comparison.DIVERGED, false).ok());
    assertFalse(
        CommitRules.notBehind("r:latest", CURRENT, SHA, Comparison.DIVERGED, true).ok(),
        "a rollback never crosses branches");
  }

  @Test
  void backwardsIsRefusedUnlessARollbackWasAskedFor() {
    Check refused = CommitRules.notBehind("r:latest", CURRENT, SHA, Comparison.BEHIND, false);
    assertFalse(refused.ok());
    assertNull(refused.rollbackFrom());

    Check rollback = CommitRules.notBehind("r:latest", CURRENT, SHA, Comparison.BEHIND, true);
    assertTrue(rollback.ok());
    assertEquals(CURRENT, rollback.rollbackFrom());
    assertEquals("rollback from " + CURRENT + " to " + SHA + " (r:latest)", rollback.detail());
  }

  @Test
  void compareStatusesAreGitHubsWords() {
    for (Comparison c : Comparison.values()) {
      assertEquals(c, Comparison.parse(c.toString()).orElseThrow());
    }
    assertTrue(Comparison.parse("Ahead").isEmpty());
  }
}
