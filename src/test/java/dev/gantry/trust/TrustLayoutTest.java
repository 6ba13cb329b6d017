package dev.gantry.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.layout.OciLayout;
import dev.gantry.testing.Attachments;
import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --require-referrer} on an OCI layout: the SBOM is a referrer stored in the layout (an
 * untagged {@code index.json} entry, as ORAS keeps them). A refusal leaves {@code index.json} byte
 * for byte as it was.
 */
class TrustLayoutTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir = TempDirs.create("gantry-trust-layout-").resolve("layout");
  private final TestImages.Layout image = TestImages.multiArch(dir, 1616);

  @AfterEach
  void clean() {
    TempDirs.delete(dir.getParent());
  }

  private Result promote(String... extra) {
    String[] args = new String[extra.length + 7];
    System.arraycopy(
        new String[] {"promote", "--json", "--from", image.tag(), "--to", "latest"}, 0, args, 0, 6);
    System.arraycopy(extra, 0, args, 6, extra.length);
    args[args.length - 1] = "oci:" + dir;
    return new GantryRunner().run(args);
  }

  @Test
  void refusedWithoutTheSbomAndIndexJsonUntouched() throws IOException {
    byte[] before = Files.readAllBytes(dir.resolve("index.json"));

    Result r = promote("--require-referrer", Attachments.SBOM_TYPE);

    assertEquals(9, r.exitCode(), r.all());
    assertEquals(9, JSON.readTree(r.stdout()).path("exitCode").asInt(), r.stdout());
    assertTrue(
        r.stderr().contains("require referrer oci:" + dir + "@" + image.digest()), r.stderr());
    assertArrayEquals(
        before, Files.readAllBytes(dir.resolve("index.json")), "index.json unchanged");
  }

  @Test
  void anSbomStoredInTheLayoutLetsItThrough() throws IOException {
    OciLayout layout = OciLayout.open(dir, "oci:" + dir, false);
    Attachments.Artifact sbom =
        Attachments.referrer(
            Manifest.of(image.manifest(), image.mediaType()),
            Attachments.SBOM_TYPE,
            "{\"spdxVersion\":\"SPDX-2.3\"}");
    sbom.blobs()
        .forEach(
            (d, bytes) ->
                layout.writeBlob(
                    new Descriptor("application/octet-stream", d, bytes.length),
                    new ByteArrayInputStream(bytes)));
    layout.putReferrer(sbom.manifest());

    Result r = promote("--require-referrer", Attachments.SBOM_TYPE);

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(
        image.digest(),
        OciLayout.open(dir, "oci:" + dir, true)
            .headImage(Ref.tag("latest"))
            .orElseThrow()
            .toString());
  }
}
