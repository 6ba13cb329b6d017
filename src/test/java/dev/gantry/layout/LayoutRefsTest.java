package dev.gantry.layout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.GantryException;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.registry.TestManifests;
import dev.gantry.testing.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A layout's two kinds of reference, read straight from index.json: a tag is an entry's ref.name; a
 * digest is a blob, and an image named by digest is an entry without a name.
 */
class LayoutRefsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir = TempDirs.create("gantry-layout-refs-").resolve("layout");
  private final OciLayout layout = OciLayout.openOrCreate(dir, "oci:build");
  private final Manifest m = TestManifests.dockerImage("refs");

  @AfterEach
  void clean() {
    TempDirs.delete(dir.getParent());
  }

  /** index.json's entries as (ref.name or "-", digest). */
  private List<String> entries() throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode e :
        JSON.readTree(Files.readAllBytes(dir.resolve("index.json"))).path("manifests")) {
      out.add(
          e.path("annotations").path(OciLayout.REF_NAME).asText("-")
              + " "
              + e.path("digest").asText());
    }
    return out;
  }

  @Test
  void aTagIsAnIndexEntryByName() throws Exception {
    layout.putManifest(Ref.tag("v1"), m);

    assertEquals(List.of("v1 " + m.digest()), entries());
    assertEquals(Optional.of(m.digest()), layout.headManifest(Ref.tag("v1")));
    assertEquals(Optional.of(m.digest()), layout.headImage(Ref.tag("v1")));
    assertArrayEquals(m.bytes(), layout.getManifest(Ref.tag("v1")).bytes());
    assertEquals(Optional.empty(), layout.headManifest(Ref.tag("v2")));
  }

  @Test
  void aManifestByDigestIsABlobThatNoEntryLists() throws Exception {
    layout.putManifest(Ref.of(m.digest()), m);

    assertEquals(List.of(), entries());
    assertEquals(Optional.of(m.digest()), layout.headManifest(Ref.of(m.digest())));
    assertEquals(Optional.empty(), layout.headImage(Ref.of(m.digest())), "stored, not listed");
    assertEquals(m.mediaType(), layout.getManifest(Ref.of(m.digest())).mediaType());
  }

  @Test
  void anImageByDigestIsListedOnceWithoutAName() throws Exception {
    layout.putImage(Ref.of(m.digest()), m);
    layout.putImage(Ref.of(m.digest()), m);

    assertEquals(List.of("- " + m.digest()), entries());
    assertEquals(Optional.of(m.digest()), layout.headImage(Ref.of(m.digest())));
    assertEquals(Ref.of(m.digest()), layout.onlyImage(), "an untagged only image is its digest");
  }

  /** A ref.name another tool wrote as a full image name is not a tag: the digest stands in. */
  @Test
  void theOnlyImageUnderAFullNameIsItsDigest() throws Exception {
    layout.putManifest(Ref.tag("docker.io/library/app"), m);

    assertEquals(Ref.of(m.digest()), layout.onlyImage());
  }

  /** The layout parses index.json once while it is unchanged, but sees every other writer. */
  @Test
  void aTagAnotherWriterMovedIsSeenByAnOpenLayout() throws Exception {
    Manifest other = TestManifests.dockerImage("other");
    layout.putManifest(Ref.tag("v1"), m);
    assertEquals(Optional.of(m.digest()), layout.headManifest(Ref.tag("v1")));

    OciLayout.open(dir, "oci:build", false).putManifest(Ref.tag("v1"), other);

    assertEquals(Optional.of(other.digest()), layout.headManifest(Ref.tag("v1")));
    layout.putManifest(Ref.tag("v2"), m);
    assertEquals(List.of("v1 " + other.digest(), "v2 " + m.digest()), entries());
  }

  @Test
  void aMissingTagIsNotFoundNamingIt() {
    GantryException e =
        assertThrows(GantryException.class, () -> layout.getManifest(Ref.tag("nope")));

    assertEquals(GantryException.Kind.NOT_FOUND, e.kind());
    assertEquals("get manifest oci:build:nope: no such tag in index.json", e.getMessage());
  }
}
