package dev.gantry.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.GantryException;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.MediaTypes;
import dev.gantry.image.Ref;
import dev.gantry.image.Referrer;
import dev.gantry.testing.Attachments;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Referrers in an OCI image layout: written by Gantry (index.json entries without a name, as ORAS
 * keeps them) and read back with Jackson straight from index.json; and layouts a test writes by
 * hand in both forms (an untagged entry whose manifest has a subject, and a fallback-tag index
 * {@code sha256-<hex>}), read by Gantry.
 */
class LayoutReferrersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir = TempDirs.create("gantry-layout-referrers-").resolve("layout");
  private final TestImages.Layout image = TestImages.singlePlatform(dir, 4242);
  private final Manifest subject = Manifest.of(image.manifest(), image.mediaType());
  private final OciLayout layout = OciLayout.open(dir, "oci:" + dir, false);

  @AfterEach
  void clean() {
    TempDirs.delete(dir.getParent());
  }

  private Manifest store(Attachments.Artifact a) {
    a.blobs()
        .forEach(
            (d, bytes) ->
                layout.writeBlob(
                    new Descriptor("application/octet-stream", d, bytes.length),
                    new ByteArrayInputStream(bytes)));
    return a.manifest();
  }

  @Test
  void putReferrerAddsOneUnnamedIndexEntryWithItsArtifactType() throws Exception {
    Manifest sbom = store(Attachments.referrer(subject, Attachments.SBOM_TYPE, "sbom"));

    layout.putReferrer(sbom);
    layout.putReferrer(sbom);

    JsonNode manifests = JSON.readTree(dir.resolve("index.json").toFile()).path("manifests");
    assertEquals(2, manifests.size(), manifests.toString());
    JsonNode entry = manifests.get(1);
    assertEquals(sbom.digest().toString(), entry.path("digest").asText());
    assertEquals(Attachments.SBOM_TYPE, entry.path("artifactType").asText());
    assertEquals(sbom.size(), entry.path("size").asLong());
    assertEquals(false, entry.path("annotations").has(OciLayout.REF_NAME));
    assertEquals(
        Digest.sha256(Files.readAllBytes(dir.resolve("blobs/sha256/" + sbom.digest().hex()))),
        sbom.digest());
    assertEquals(List.of(Referrer.of(sbom)), layout.referrers(subject.digest(), Optional.empty()));
  }

  @Test
  void listsOnlyReferrersOfTheSubjectFilteredByType() {
    Manifest sbom = store(Attachments.referrer(subject, Attachments.SBOM_TYPE, "sbom"));
    Manifest sig = store(Attachments.referrer(subject, Attachments.SIGNATURE_TYPE, "sig"));
    Manifest sigOfSbom =
        store(Attachments.referrer(sbom, Attachments.SIGNATURE_TYPE, "sig of sbom"));
    layout.putReferrer(sbom);
    layout.putReferrer(sig);
    layout.putReferrer(sigOfSbom);

    assertEquals(
        List.of(sbom.digest(), sig.digest()),
        layout.referrers(subject.digest(), Optional.empty()).stream()
            .map(Referrer::digest)
            .toList());
    assertEquals(
        List.of(sig.digest()),
        layout.referrers(subject.digest(), Optional.of(Attachments.SIGNATURE_TYPE)).stream()
            .map(Referrer::digest)
            .toList());
    assertEquals(
        List.of(sigOfSbom.digest()),
        layout.referrers(sbom.digest(), Optional.empty()).stream().map(Referrer::digest).toList());
    assertEquals(List.of(), layout.referrers(sig.digest(), Optional.empty()));
  }

  @Test
  void theOnlyImageIsStillTheImageWhenReferrersAreListed() {
    layout.putReferrer(store(Attachments.referrer(subject, Attachments.SBOM_TYPE, "sbom")));

    assertEquals(Ref.tag(TestImages.LAYOUT_TAG), layout.onlyImage());
  }

  @Test
  void readsReferrersALayoutWriterStoredInBothForms() throws Exception {
    // Written by this test, not by Gantry: one untagged entry whose manifest has a subject (ORAS's
    // form) and a
    // fallback-tag index sha256-<hex> listing another (a layout copied from a registry without the
    // API).
    Manifest oras = store(Attachments.referrer(subject, Attachments.SBOM_TYPE, "oras"));
    Manifest tagged = store(Attachments.referrer(subject, Attachments.SIGNATURE_TYPE, "tagged"));
    String fallbackIndex =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_INDEX
            + "\",\"manifests\":[{"
            + "\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST
            + "\",\"digest\":\""
            + tagged.digest()
            + "\",\"size\":"
            + tagged.size()
            + ",\"artifactType\":\""
            + Attachments.SIGNATURE_TYPE
            + "\"}]}";
    Digest fallbackDigest = writeRaw(fallbackIndex.getBytes());
    writeRaw(oras.bytes());
    writeRaw(tagged.bytes());
    ObjectNode index = (ObjectNode) JSON.readTree(dir.resolve("index.json").toFile());
    index
        .withArray("manifests")
        .addObject()
        .put("mediaType", MediaTypes.OCI_MANIFEST)
        .put("digest", oras.digest().toString())
        .put("size", oras.size());
    index
        .withArray("manifests")
        .addObject()
        .put("mediaType", MediaTypes.OCI_INDEX)
        .put("digest", fallbackDigest.toString())
        .put("size", fallbackIndex.length())
        .putObject("annotations")
        .put(OciLayout.REF_NAME, "sha256-" + subject.digest().hex());
    Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));

    List<Referrer> found = layout.referrers(subject.digest(), Optional.empty());

    assertEquals(
        List.of(oras.digest(), tagged.digest()), found.stream().map(Referrer::digest).toList());
    assertEquals(
        List.of(Attachments.SBOM_TYPE, Attachments.SIGNATURE_TYPE),
        found.stream().map(Referrer::artifactType).toList());
    assertEquals(
        Map.of("org.opencontainers.image.created", "2026-11-30T00:00:00Z"),
        found.get(0).annotations());
    assertEquals(Ref.tag(TestImages.LAYOUT_TAG), layout.onlyImage());
  }

  @Test
  void aReadOnlyLayoutRefusesAReferrer() {
    OciLayout readOnly = OciLayout.open(dir, "oci:" + dir, true);
    Manifest sbom = Attachments.referrer(subject, Attachments.SBOM_TYPE, "sbom").manifest();

    GantryException e = assertThrows(GantryException.class, () -> readOnly.putReferrer(sbom));

    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
  }

  private Digest writeRaw(byte[] bytes) throws Exception {
    Digest d = Digest.sha256(bytes);
    Files.write(dir.resolve("blobs/sha256/" + d.hex()), bytes);
    return d;
  }
}
