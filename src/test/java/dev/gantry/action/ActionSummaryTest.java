package dev.gantry.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gantry.Json;
import org.junit.jupiter.api.Test;

/**
 * The step summaries' images tables and pull blocks, byte for byte (promote and release share their
 * renderer).
 */
class ActionSummaryTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);

  @Test
  void promoteTableHasARowPerTagAndPullsOnlyRegistryImages() throws Exception {
    String result =
        "{\"from\":\"sha-1\",\"images\":["
            + "{\"image\":\"ghcr.io/acme/api\",\"digest\":\""
            + A
            + "\",\"tags\":[{\"tag\":\"latest\",\"outcome\":\"promoted\"},"
            + "{\"tag\":\"prod\",\"outcome\":\"unchanged\"}]},"
            + "{\"image\":\"oci:/tmp/web\",\"digest\":\""
            + B
            + "\",\"tags\":[{\"tag\":\"latest\",\"outcome\":\"promoted\"}]}]}";
    assertEquals(
        "### Gantry promote `sha-1`\n\n| image | source digest | tag | result |\n| --- | --- | --- | --- |\n"
            + "| `ghcr.io/acme/api` | `"
            + A
            + "` | `latest` | promoted |\n"
            + "| `ghcr.io/acme/api` | `"
            + A
            + "` | `prod` | unchanged |\n"
            + "| `oci:/tmp/web` | `"
            + B
            + "` | `latest` | promoted |\n"
            + "\n```\ndocker pull ghcr.io/acme/api:latest\ndocker pull ghcr.io/acme/api:prod\n```\n",
        ActionResults.summary("promote", Json.mapper().readTree(result)));
  }

  @Test
  void promoteOfLayoutsOnlyHasNoPullBlock() throws Exception {
    String result =
        "{\"from\":\"sha-1\",\"dryRun\":true,\"images\":[{\"image\":\"oci:/tmp/web\",\"digest\":\""
            + B
            + "\",\"tags\":[{\"tag\":\"latest\",\"outcome\":\"promoted\"}]}]}";
    assertEquals(
        "### Gantry promote `sha-1` (dry run)\n\n| image | source digest | tag | result |\n| --- | --- | --- | --- |\n"
            + "| `oci:/tmp/web` | `"
            + B
            + "` | `latest` | promoted |\n",
        ActionResults.summary("promote", Json.mapper().readTree(result)));
  }

  @Test
  void releaseTableAndPullBlock() throws Exception {
    String result =
        "{\"version\":\"2026.11.0\",\"sha\":\"abcdef1\",\"previousTag\":null,\"images\":["
            + "{\"image\":\"ghcr.io/acme/api\",\"digest\":\""
            + A
            + "\",\"outcome\":\"promoted\"},"
            + "{\"image\":\"ghcr.io/acme/web\",\"digest\":\""
            + B
            + "\",\"outcome\":\"unchanged\"}]}";
    assertEquals(
        "### Gantry release `2026.11.0`\n\nCommit `abcdef1`, previous tag none.\n\n"
            + "| image | digest | result |\n| --- | --- | --- |\n"
            + "| `ghcr.io/acme/api:2026.11.0` | `"
            + A
            + "` | promoted |\n"
            + "| `ghcr.io/acme/web:2026.11.0` | `"
            + B
            + "` | unchanged |\n"
            + "\n```\ndocker pull ghcr.io/acme/api:2026.11.0\ndocker pull ghcr.io/acme/web:2026.11.0\n```\n",
        ActionResults.summary("release", Json.mapper().readTree(result)));
  }

  @Test
  void promoteSummaryEndsWithTheLedgerLineAndEachTagsLastMoves() throws Exception {
    String result =
        "{\"from\":\"sha-1\",\"images\":[{\"image\":\"ghcr.io/acme/api\",\"digest\":\""
            + A
            + "\",\"tags\":[{\"tag\":\"latest\",\"outcome\":\"promoted\"}]}],"
            + "\"ledger\":{\"records\":0,\"warnings\":[\"ledger: the record of ghcr.io/acme/api:latest -> "
            + A
            + " was not written: 403\"]},"
            + "\"history\":[{\"image\":\"ghcr.io/acme/api\",\"tag\":\"latest\",\"current\":\""
            + A
            + "\",\"records\":["
            + "{\"digest\":\""
            + A
            + "\",\"previous\":\""
            + B
            + "\",\"time\":\"2026-11-30T08:05:00Z\",\"commit\":\"abc\",\"actor\":\"octocat\","
            + "\"run\":\"https://github.com/acme/app/actions/runs/7\",\"kind\":\"promote\"},"
            + "{\"digest\":\""
            + B
            + "\",\"previous\":null,\"time\":null,\"commit\":null,\"actor\":null,\"run\":null,\"kind\":\"unrecorded\"}]}]}";
    String summary = ActionResults.summary("promote", Json.mapper().readTree(result));
    assertEquals(
        "\n**Ledger:** 0 record(s) written, **1 not written**:\n\n"
            + "- ledger: the record of ghcr.io/acme/api:latest -> "
            + A
            + " was not written: 403\n"
            + "\n#### Last moves of `ghcr.io/acme/api:latest`\n\n"
            + "| time | kind | digest | previous | commit | actor | run |\n| --- | --- | --- | --- | --- | --- | --- |\n"
            + "| 2026-11-30T08:05:00Z | promote | `"
            + A
            + "` | `"
            + B
            + "` | `abc` | octocat | [run](https://github.com/acme/app/actions/runs/7) |\n"
            + "| - | unrecorded | `"
            + B
            + "` | - | - | - | - |\n",
        summary.substring(summary.indexOf("\n**Ledger:**")));
  }
}
