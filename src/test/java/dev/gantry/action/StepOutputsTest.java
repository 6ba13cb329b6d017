package dev.gantry.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The strict $GITHUB_OUTPUT reader the action ITs rely on: it must refuse what the contract
 * forbids.
 */
class StepOutputsTest {
  private static final String D1 = "ghadelimiter_0b6c1f0e-1111-4a4a-8b8b-0123456789ab";
  private static final String D2 = "ghadelimiter_9f2e3d4c-2222-4b4b-9c9c-ba9876543210";

  @Test
  void readsDelimiterEntriesMultiLineAndEmptyValuesIncluded() {
    String file =
        "digests<<"
            + D1
            + "\n{\"a\":\"sha256:1\"}\n"
            + D1
            + "\n"
            + "notes<<"
            + D2
            + "\nline one\n\nline three\n"
            + D2
            + "\n"
            + "version<<ghadelimiter_00000000-3333-4c4c-8d8d-000000000000\nghadelimiter_00000000-3333-4c4c-8d8d-000000000000\n";

    assertEquals(
        Map.of("digests", "{\"a\":\"sha256:1\"}", "notes", "line one\n\nline three", "version", ""),
        StepOutputs.parse(file));
  }

  @Test
  void refusesWhatTheContractRulesOut() {
    assertThrows(
        IllegalArgumentException.class, () -> StepOutputs.parse("digests={}\n"), "name=value form");
    assertThrows(
        IllegalArgumentException.class,
        () -> StepOutputs.parse("digests<<EOF\n{}\nEOF\n"),
        "a guessable delimiter");
    assertThrows(
        IllegalArgumentException.class,
        () -> StepOutputs.parse("digests<<" + D1 + "\n{}\n"),
        "not closed");
    assertThrows(
        IllegalArgumentException.class,
        () -> StepOutputs.parse("a<<" + D1 + "\n1\n" + D1 + "\nb<<" + D1 + "\n2\n" + D1 + "\n"),
        "a delimiter reused");
    assertThrows(
        IllegalArgumentException.class,
        () -> StepOutputs.parse("a<<" + D1 + "\nx " + D1 + " y\n" + D1 + "\n"),
        "the delimiter inside its value");
    assertThrows(
        IllegalArgumentException.class,
        () -> StepOutputs.parse("a<<" + D1 + "\n1\n" + D1 + "\na<<" + D2 + "\n2\n" + D2 + "\n"),
        "an output twice");
  }
}
