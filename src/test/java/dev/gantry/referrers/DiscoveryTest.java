package dev.gantry.referrers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.image.CosignTags;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.layout.OciLayout;
import dev.gantry.testing.Attachments;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Discovery over an OCI layout written by the test: referrers of the index and of one platform
 * manifest, a signature of an SBOM (depth 2), and a cosign {@code .sig} tag (cosign's legacy
 * scheme, written here by test code following cosign's SIGNATURE_SPEC: no cosign binary is
 * installable on this machine).
 */
class DiscoveryTest {
  private final Path dir = TempDirs.create("gantry-discovery-").resolve("layout");
  private final TestImages.Layout written = TestImages.multiArch(dir, 77);
  private final Manifest index = Manifest.of(written.manifest(), written.mediaType());
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

  private Manifest platform(int i) throws Exception {
    JsonNode child = new ObjectMapper().readTree(index.bytes()).path("manifests").get(i);
    return layout.getManifest(Ref.parse(child.path("digest").asText()));
  }

  @Test
  void findsReferrersOfTheIndexEveryPlatformAndOfReferrersAndCosignTags() throws Exception {
    Manifest amd64 = platform(0);
    Manifest sbom = store(Attachments.referrer(index, Attachments.SBOM_TYPE, "sbom"));
    Manifest sigOfSbom =
        store(Attachments.referrer(sbom, Attachments.SIGNATURE_TYPE, "sig of sbom"));
    Manifest platformSbom = store(Attachments.referrer(amd64, Attachments.SBOM_TYPE, "amd64 sbom"));
    layout.putReferrer(sbom);
    layout.putReferrer(sigOfSbom);
    layout.putReferrer(platformSbom);
    Manifest cosign = store(Attachments.cosignSignature(index.digest(), "example.com/app"));
    layout.putManifest(Ref.tag(Attachments.cosignTag(index.digest(), "sig")), cosign);

    Discovered found = Discovery.discover(layout, index, 2);

    assertEquals(List.of(amd64.digest(), platform(1).digest()), found.platforms());
    assertEquals(
        Set.of(Attachments.SBOM_TYPE, CosignTags.artifactType("sig")), found.types(index.digest()));
    assertEquals(Set.of(Attachments.SBOM_TYPE), found.types(amd64.digest()));
    assertEquals(Set.of(), found.types(platform(1).digest()));
    assertEquals(
        List.of(sigOfSbom.digest()),
        found.of(sbom.digest()).stream().map(Attachment::digest).toList());
    Attachment sig =
        found.of(index.digest()).stream().filter(Attachment::isCosignTag).findFirst().orElseThrow();
    assertEquals(Optional.of("sha256-" + index.digest().hex() + ".sig"), sig.cosignTag());
    assertEquals(cosign.digest(), sig.digest());
    assertEquals(List.of(1, 1, 1, 2), found.attachments().stream().map(Attachment::depth).toList());
    assertEquals(4, found.attachments().size());
  }

  @Test
  void anImageWithNothingAttachedHasNoAttachments() {
    Discovered found = Discovery.discover(layout, index, 1);

    assertEquals(List.of(), found.attachments());
    assertEquals(3, found.images().size());
  }

  @Test
  void theCosignTagOfAPlatformManifestIsFound() throws Exception {
    Digest arm64 = platform(1).digest();
    Manifest cosign = store(Attachments.cosignSignature(arm64, "example.com/app"));
    layout.putManifest(Ref.tag(Attachments.cosignTag(arm64, "att")), cosign);

    Discovered found = Discovery.discover(layout, index, 1);

    assertEquals(Set.of(CosignTags.artifactType("att")), found.types(arm64));
  }

  @Test
  void cosignsSigOfAnAttachmentIsFoundRecursivelyButOnlyTheSigTag() {
    Manifest sbom = store(Attachments.referrer(index, Attachments.SBOM_TYPE, "sbom"));
    layout.putReferrer(sbom);
    Manifest sigOfSbom = store(Attachments.cosignSignature(sbom.digest(), "example.com/app"));
    layout.putManifest(Ref.tag(Attachments.cosignTag(sbom.digest(), "sig")), sigOfSbom);
    Manifest sigOfSig = store(Attachments.cosignSignature(sigOfSbom.digest(), "example.com/app"));
    layout.putManifest(Ref.tag(Attachments.cosignTag(sigOfSbom.digest(), "sig")), sigOfSig);
    // Cosign writes only .sig for an attachment; an .att of one is not looked up (one request per
    // attachment).
    Manifest attOfSbom = store(Attachments.cosignSignature(sbom.digest(), "example.com/other"));
    layout.putManifest(Ref.tag(Attachments.cosignTag(sbom.digest(), "att")), attOfSbom);

    Discovered found = Discovery.discover(layout, index, 2);

    Attachment sig =
        found.of(sbom.digest()).stream().filter(Attachment::isCosignTag).findFirst().orElseThrow();
    assertEquals(Optional.of("sha256-" + sbom.digest().hex() + ".sig"), sig.cosignTag());
    assertEquals(sigOfSbom.digest(), sig.digest());
    assertEquals(2, sig.depth());
    assertEquals(Set.of(CosignTags.artifactType("sig")), found.types(sbom.digest()));
    assertEquals(
        List.of(sigOfSig.digest()),
        found.of(sigOfSbom.digest()).stream().map(Attachment::digest).toList());
    assertEquals(List.of(1, 2, 3), found.attachments().stream().map(Attachment::depth).toList());
  }
}
