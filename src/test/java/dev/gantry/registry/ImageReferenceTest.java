package dev.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.image.Digest;
import dev.gantry.image.Ref;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
  private static final String DIGEST =
      "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ghcr.io/acme/api:sha-abc1234",
        "ghcr.io/acme/team/api",
        "docker.io/library/nginx:1.27",
        "docker.io/acme/api",
        "localhost:5000/a/b",
        "localhost/a",
        "127.0.0.1:5000/x@" + DIGEST,
        "[::1]:5000/x",
        "[::1]/x:v1",
        "registry.example.com:443/a/b:v1.2.3@" + DIGEST,
        "ghcr.io/acme/api:v1@" + DIGEST,
      })
  void toStringReadsBackAsTheSameReference(String value) {
    ImageReference ref = ImageReference.parse(value);
    assertEquals(value, ref.toString());
    assertEquals(ref, ImageReference.parse(ref.toString()));
  }

  @Test
  void splitsRegistryPathTagAndDigest() {
    ImageReference ref = ImageReference.parse("ghcr.io/acme/api:v1@" + DIGEST);
    assertEquals("ghcr.io", ref.repository().registry());
    assertEquals("acme/api", ref.repository().path());
    assertEquals("v1", ref.tag());
    assertEquals(Digest.parse(DIGEST), ref.digest());
    assertEquals(
        Ref.of(Digest.parse(DIGEST)),
        ref.manifestReference(),
        "a digest wins over the tag when reading");
    assertEquals(ref.manifestReference(), ref.namedReference());
  }

  @Test
  void portIsPartOfTheRegistryNotATag() {
    ImageReference ref = ImageReference.parse("localhost:5000/a/b");
    assertEquals("localhost:5000", ref.repository().registry());
    assertEquals("a/b", ref.repository().path());
    assertNull(ref.tag());
    assertEquals(Ref.tag("latest"), ref.manifestReference());
    assertNull(ref.namedReference(), "a destination named so keeps the source's tag");
  }

  @Test
  void aTagAloneIsTheReference() {
    ImageReference ref = ImageReference.parse("ghcr.io/acme/api:v1");
    assertEquals(Ref.tag("v1"), ref.manifestReference());
    assertEquals(Ref.tag("v1"), ref.namedReference());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost:0/a",
        "localhost:65536/a",
        "localhost:99999/a",
        "localhost:00080/a",
        "127.0.0.1:0080/a",
        "[::1]:70000/a",
        "ghcr.io:0/acme/api:v1"
      })
  void portOutOfRangeOrWithLeadingZerosIsBadInputNamingIt(String value) {
    GantryException e = assertThrows(GantryException.class, () -> ImageReference.parse(value));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    String registry = value.substring(0, value.indexOf('/'));
    assertTrue(e.getMessage().contains("'" + registry + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("port"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost:1/a", "localhost:65535/a", "localhost:80/a"})
  void portsFromOneTo65535AreAccepted(String value) {
    assertEquals(value, ImageReference.parse(value).toString());
  }

  @Test
  void ipv6LiteralWithPortIsARegistry() {
    ImageReference ref = ImageReference.parse("[::1]:5000/x");
    assertEquals("[::1]:5000", ref.repository().registry());
    assertEquals("x", ref.repository().path());
    assertNull(ref.tag());
  }

  @Test
  void ipv4WithPortAndDigest() {
    ImageReference ref = ImageReference.parse("127.0.0.1:5000/x@" + DIGEST);
    assertEquals("127.0.0.1:5000", ref.repository().registry());
    assertEquals("x", ref.repository().path());
    assertNull(ref.tag());
    assertEquals(Digest.parse(DIGEST), ref.digest());
  }

  @ParameterizedTest
  @CsvSource({
    "nginx,                              docker.io/library/nginx",
    "nginx:1.27,                         docker.io/library/nginx:1.27",
    "acme/api,                           docker.io/acme/api",
    "docker.io/nginx,                    docker.io/library/nginx",
    "index.docker.io/nginx,              docker.io/library/nginx",
    "index.docker.io/library/nginx:1,    docker.io/library/nginx:1",
    "registry-1.docker.io/acme/api,      docker.io/acme/api",
  })
  void dockerHubNamesAreNormalized(String value, String expected) {
    ImageReference ref = ImageReference.parse(value);
    assertEquals(expected, ref.toString());
    assertEquals(Repository.DOCKER_HUB, ref.repository().registry());
  }

  @Test
  void firstComponentWithoutDotColonOrLocalhostIsAPathComponent() {
    assertEquals("docker.io/acme/api", ImageReference.parse("acme/api").toString());
    assertEquals("localhost", ImageReference.parse("localhost/a").repository().registry());
  }

  @Test
  void withTagDropsTheDigest() {
    ImageReference ref = ImageReference.parse("ghcr.io/acme/api:v1@" + DIGEST).withTag("latest");
    assertEquals("ghcr.io/acme/api:latest", ref.toString());
  }

  @Test
  void tagOf128CharactersIsAccepted() {
    String tag = "t" + "1".repeat(127);
    assertEquals(tag, ImageReference.parse("ghcr.io/acme/api:" + tag).tag());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ghcr.io/Acme/api        | Acme/api",
        "ghcr.io/acme/API:v1     | acme/API",
        "ghcr.io/acme/api:bad!tag | bad!tag",
        "ghcr.io/acme/api:.hidden | .hidden",
        "ghcr.io/acme/api:        | ghcr.io/acme/api:",
        "ghcr.io/acme/api@sha256:abc | sha256:abc",
        "ghcr.io/acme/api@md5:" + "0123456789abcdef0123456789abcdef | md5:",
        "ghcr.io/acme/api@sha256:"
            + "A"
            + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | sha256:A",
        "ghcr.io/acme//api       | acme//api",
        "ghcr.io/acme/api/       | acme/api/",
        "ghcr.io/-acme/api       | -acme/api",
        "bad host/acme/api       | bad host/acme/api",
      })
  void invalidReferencesAreBadInputNamingTheBadValue(String value, String named) {
    GantryException e =
        assertThrows(GantryException.class, () -> ImageReference.parse(value.strip()));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains(named.strip()), e.getMessage());
  }

  @Test
  void tagOf129CharactersIsRejected() {
    String tag = "t".repeat(129);
    GantryException e =
        assertThrows(GantryException.class, () -> ImageReference.parse("ghcr.io/acme/api:" + tag));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains(tag), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", "\t", " ghcr.io/acme/api", "ghcr.io/acme/api ", "ghcr.io/acme/api\n"})
  void emptyOrPaddedReferencesAreBadInput(String value) {
    GantryException e = assertThrows(GantryException.class, () -> ImageReference.parse(value));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains("'" + value + "'"), e.getMessage());
  }

  @Test
  void nullReferenceIsBadInput() {
    GantryException e = assertThrows(GantryException.class, () -> ImageReference.parse(null));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
  }

  @Test
  void whitespaceInsideTheNameIsBadInput() {
    GantryException e =
        assertThrows(GantryException.class, () -> ImageReference.parse("ghcr.io/acme/my api"));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains("ghcr.io/acme/my api"), e.getMessage());
  }

  @Test
  void checkTagNamesTheTagAndTheAllowedForm() {
    GantryException e = assertThrows(GantryException.class, () -> ImageReference.checkTag("v1/2"));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains("'v1/2'"), e.getMessage());
  }
}
