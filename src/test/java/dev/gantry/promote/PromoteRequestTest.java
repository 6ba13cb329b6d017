package dev.gantry.promote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.image.Digest;
import dev.gantry.image.Ref;
import dev.gantry.layout.LayoutReference;
import dev.gantry.registry.Repository;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class PromoteRequestTest {
  private static final String DIGEST = "sha256:" + "b".repeat(64);

  private static void badInput(Executable parse, String named) {
    GantryException e = assertThrows(GantryException.class, parse);
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains(named), () -> "'" + named + "' not in: " + e.getMessage());
  }

  @Test
  void tagSourceAndTargets() {
    PromoteRequest r =
        PromoteRequest.parse(
            List.of("ghcr.io/acme/api", "nginx"), "sha-abc1234", List.of("latest", "1.0"));
    assertEquals(
        List.of(
            new PromoteRequest.Image(new Repository("ghcr.io", "acme/api"), null),
            new PromoteRequest.Image(new Repository("docker.io", "library/nginx"), null)),
        r.images());
    assertEquals(Ref.tag("sha-abc1234"), r.from());
    assertEquals("sha-abc1234", r.fromTag());
    assertEquals("sha-abc1234", r.source().toString());
    assertEquals("sha-abc1234", r.fromLabel());
    assertEquals(List.of("latest", "1.0"), r.to());
  }

  @Test
  void fromDigestWithAt() {
    PromoteRequest r =
        PromoteRequest.parse(List.of("ghcr.io/acme/api"), "@" + DIGEST, List.of("latest"));
    assertNull(r.fromTag());
    assertEquals(Ref.of(Digest.parse(DIGEST)), r.from());
    assertEquals(DIGEST, r.source().toString());
    assertEquals("@" + DIGEST, r.fromLabel());
  }

  @Test
  void fromDigestWithoutAt() {
    PromoteRequest r = PromoteRequest.parse(List.of("ghcr.io/acme/api"), DIGEST, List.of("latest"));
    assertEquals(Ref.of(Digest.parse(DIGEST)), r.from());
    assertEquals("@" + DIGEST, r.fromLabel());
  }

  /** After an {@code @} only a digest will do, even where the rest would make a valid tag. */
  @Test
  void atBeforeATagIsABadDigest() {
    badInput(
        () -> PromoteRequest.parse(List.of("ghcr.io/acme/api"), "@latest", List.of("stable")),
        "invalid digest 'latest'");
  }

  @Test
  void aLayoutImageIsALayoutLocation() {
    PromoteRequest.Image image = PromoteRequest.Image.parse("oci:build/app@" + DIGEST);
    assertEquals(new Location.Layout(LayoutReference.parse("oci:build/app")), image.location());
    assertEquals(Digest.parse(DIGEST), image.pinned());
    assertEquals(Optional.empty(), image.repository());
    assertEquals("oci:build/app", image.toString());
  }

  @Test
  void aRegistryImageIsARegistryLocation() {
    PromoteRequest.Image image = PromoteRequest.Image.parse("ghcr.io/acme/api");
    Repository repo = new Repository("ghcr.io", "acme/api");
    assertEquals(new Location.Registry(repo), image.location());
    assertEquals(Optional.of(repo), image.repository());
    assertEquals("ghcr.io/acme/api", image.toString());
  }

  @Test
  void imagePinnedByDigest() {
    PromoteRequest r =
        PromoteRequest.parse(List.of("ghcr.io/acme/api@" + DIGEST), "sha-1", List.of("latest"));
    assertEquals(Digest.parse(DIGEST), r.images().get(0).pinned());
    assertEquals("ghcr.io/acme/api", r.images().get(0).toString());
  }

  @Test
  void repeatedTargetTagIsWrittenOnce() {
    PromoteRequest r =
        PromoteRequest.parse(
            List.of("ghcr.io/acme/api"), "sha-1", List.of("latest", "1.0", "latest"));
    assertEquals(List.of("latest", "1.0"), r.to());
  }

  @Test
  void missingTo() {
    badInput(() -> PromoteRequest.parse(List.of("ghcr.io/acme/api"), "sha-1", List.of()), "--to");
    badInput(() -> PromoteRequest.parse(List.of("ghcr.io/acme/api"), "sha-1", null), "--to");
  }

  @Test
  void missingFrom() {
    badInput(
        () -> PromoteRequest.parse(List.of("ghcr.io/acme/api"), "", List.of("latest")), "--from");
    badInput(
        () -> PromoteRequest.parse(List.of("ghcr.io/acme/api"), null, List.of("latest")), "--from");
  }

  @Test
  void noImage() {
    badInput(() -> PromoteRequest.parse(List.of(), "sha-1", List.of("latest")), "no image");
    badInput(() -> PromoteRequest.parse(null, "sha-1", List.of("latest")), "no image");
  }

  @Test
  void targetSameAsSource() {
    badInput(
        () ->
            PromoteRequest.parse(
                List.of("ghcr.io/acme/api"), "latest", List.of("stable", "latest")),
        "latest");
  }

  @Test
  void imageWithTagIsRejectedNamingTheImage() {
    badInput(
        () -> PromoteRequest.parse(List.of("ghcr.io/acme/api:sha-1"), "sha-1", List.of("latest")),
        "ghcr.io/acme/api:sha-1");
  }

  @Test
  void sameRepositoryNamedTwiceIsRejected() {
    badInput(
        () ->
            PromoteRequest.parse(
                List.of("ghcr.io/acme/api", "ghcr.io/acme/api"), "sha-1", List.of("latest")),
        "ghcr.io/acme/api");
    badInput(
        () ->
            PromoteRequest.parse(
                List.of("nginx", "docker.io/library/nginx"), "sha-1", List.of("latest")),
        "docker.io/library/nginx");
    badInput(
        () ->
            PromoteRequest.parse(
                List.of("ghcr.io/acme/api", "ghcr.io/acme/api@" + DIGEST),
                "sha-1",
                List.of("latest")),
        "ghcr.io/acme/api@" + DIGEST);
  }

  @Test
  void badTags() {
    badInput(
        () -> PromoteRequest.parse(List.of("ghcr.io/acme/api"), "sha-1", List.of("bad tag")),
        "bad tag");
    badInput(
        () -> PromoteRequest.parse(List.of("ghcr.io/acme/api"), "sha-1", List.of("x".repeat(129))),
        "x".repeat(129));
    badInput(
        () -> PromoteRequest.parse(List.of("ghcr.io/acme/api"), "-dash", List.of("latest")),
        "-dash");
  }

  @Test
  void badDigests() {
    badInput(
        () -> PromoteRequest.parse(List.of("ghcr.io/acme/api"), "@sha256:abc", List.of("latest")),
        "sha256:abc");
    badInput(() -> PromoteRequest.parse(List.of("ghcr.io/acme/api"), "@", List.of("latest")), "''");
    badInput(
        () ->
            PromoteRequest.parse(
                List.of("ghcr.io/acme/api@sha256:abc"), "sha-1", List.of("latest")),
        "sha256:abc");
  }

  @Test
  void badImage() {
    badInput(
        () -> PromoteRequest.parse(List.of("ghcr.io/Acme/api"), "sha-1", List.of("latest")),
        "ghcr.io/Acme/api");
  }
}
