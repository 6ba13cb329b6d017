package dev.gantry.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseNotesTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  @Test
  void theImagesTableAndPullBlockByteForByte() {
    String a = "sha256:" + "a".repeat(64);
    String b = "sha256:" + "b".repeat(64);
    String body =
        ReleaseNotes.body(
            "2026.11.0",
            SHA,
            List.of(
                new ReleaseNotes.ImageLine("ghcr.io/acme/api", a),
                new ReleaseNotes.ImageLine("ghcr.io/acme/web", b)),
            "notes");
    assertEquals(
        "Release `2026.11.0` of commit `"
            + SHA
            + "`.\n\n| image | digest |\n| --- | --- |\n"
            + "| `ghcr.io/acme/api:2026.11.0` | `"
            + a
            + "` |\n| `ghcr.io/acme/web:2026.11.0` | `"
            + b
            + "` |\n"
            + "\n```\ndocker pull ghcr.io/acme/api:2026.11.0\ndocker pull ghcr.io/acme/web:2026.11.0\n```\n\nnotes\n",
        body);
  }

  @Test
  void headerImagesAndPullLinesThenTheGeneratedNotes() {
    String body =
        ReleaseNotes.body(
            "2026.11.0",
            SHA,
            List.of(new ReleaseNotes.ImageLine("ghcr.io/acme/api", "sha256:" + "a".repeat(64))),
            "## What's Changed\n* fix");
    assertTrue(body.contains(SHA), body);
    assertTrue(
        body.contains("| `ghcr.io/acme/api:2026.11.0` | `sha256:" + "a".repeat(64) + "` |"), body);
    assertTrue(body.contains("docker pull ghcr.io/acme/api:2026.11.0"), body);
    assertTrue(body.indexOf("docker pull") < body.indexOf("## What's Changed"), body);
  }

  @Test
  void hugeGeneratedNotesAreCutToTheLimitWithANote() {
    String generated = "* change\n".repeat(30_000);
    String body = ReleaseNotes.body("2026.11.0", SHA, List.of(), generated);
    assertTrue(body.length() <= ReleaseNotes.MAX_BODY, "length " + body.length());
    assertTrue(body.endsWith(ReleaseNotes.TRUNCATED), body.substring(body.length() - 200));
    assertTrue(body.contains(SHA));
  }

  @Test
  void bodyExactlyAtTheLimitIsKeptWhole() {
    String header = ReleaseNotes.body("2026.11.0", SHA, List.of(), "");
    String generated = "x".repeat(ReleaseNotes.MAX_BODY - header.length() - 2);
    String body = ReleaseNotes.body("2026.11.0", SHA, List.of(), generated);
    assertEquals(ReleaseNotes.MAX_BODY, body.length());
    assertTrue(!body.contains("cut to fit"));
  }
}
