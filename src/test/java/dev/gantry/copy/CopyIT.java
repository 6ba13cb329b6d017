package dev.gantry.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.LoggedRequest;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code gantry copy} between repositories and between two real registries; results read back with
 * skopeo.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CopyIT {
  private static final AtomicLong SEED = new AtomicLong(500);
  private RegistryServer one;
  private RegistryServer two;
  private Skopeo skopeo;

  @BeforeAll
  void start() {
    one = RegistryServer.open();
    two = RegistryServer.open();
    skopeo = Skopeo.isolated();
  }

  @AfterAll
  void stop() {
    skopeo.close();
    one.close();
    two.close();
  }

  private String pushIndex(RegistryServer registry, String repo, String tag, int layerBytes) {
    Path dir = TempDirs.create("gantry-layout-");
    TestImages.Layout layout =
        TestImages.multiArch(
            dir,
            SEED.incrementAndGet(),
            TestImages.Format.OCI,
            List.of(TestImages.Platform.LINUX_AMD64, TestImages.Platform.LINUX_ARM64),
            3,
            layerBytes);
    return TestImages.push(layout, registry, repo, tag);
  }

  @Test
  void acrossRepositoriesMountsEveryBlobAndKeepsTheDigest() {
    String digest = pushIndex(one, "src/app", "v1", 4096);
    int mark = one.mark();

    Result r =
        new GantryRunner()
            .run("copy", one.hostPort() + "/src/app:v1", one.hostPort() + "/dst/app:v1");

    assertEquals(0, r.exitCode(), r.all());
    assertArrayEquals(skopeo.inspectRaw("src/app:v1", one), skopeo.inspectRaw("dst/app:v1", one));
    assertEquals(digest, skopeo.digest("dst/app:v1", one));
    List<LoggedRequest> requests =
        one.requestLogSince(mark).stream()
            .filter(q -> q.userAgent().startsWith("gantry/"))
            .toList();
    assertTrue(requests.stream().anyMatch(q -> q.uri().contains("mount=")), requests.toString());
    assertTrue(
        requests.stream().noneMatch(q -> q.method().equals("PATCH")),
        "no blob bytes uploaded: " + requests);
    assertTrue(r.stdout().contains("6 mounted") || r.stdout().contains("mounted"), r.stdout());
    // Every platform is complete at the destination: skopeo can read each child manifest by digest
    // there.
    pullAll("dst/app:v1", one);
  }

  @Test
  void acrossRegistriesStreamsBlobsAndKeepsTheDigest() {
    String digest = pushIndex(one, "src/web", "sha-abc1234", 64 * 1024);

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--json",
                one.hostPort() + "/src/web:sha-abc1234",
                two.hostPort() + "/mirror/web");

    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().contains("\"outcome\":\"copied\""), r.stdout());
    assertEquals(digest, skopeo.digest("mirror/web:sha-abc1234", two));
    assertArrayEquals(
        skopeo.inspectRaw("src/web:sha-abc1234", one),
        skopeo.inspectRaw("mirror/web:sha-abc1234", two));
    pullAll("mirror/web:sha-abc1234", two);

    Result again =
        new GantryRunner()
            .run("copy", one.hostPort() + "/src/web:sha-abc1234", two.hostPort() + "/mirror/web");
    assertEquals(0, again.exitCode(), again.all());
    assertTrue(again.stdout().startsWith("unchanged"), again.stdout());
  }

  @Test
  void corruptSourceBlobIsRefusedAndNothingIsTagged() throws IOException {
    pushIndex(one, "src/corrupt", "v1", 8192);
    corruptOneLayer(one, "src/corrupt");

    Result r =
        new GantryRunner()
            .run("copy", one.hostPort() + "/src/corrupt:v1", two.hostPort() + "/mirror/corrupt:v1");

    assertEquals(1, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("hash to"), r.stderr());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertFalse(skopeo.exists(two.hostPort() + "/mirror/corrupt:v1", two));
  }

  @Test
  void largeLayerCopiesAcrossRegistriesInASmallHeap() {
    // 3 layers of 48 MiB random data per platform: far more than the 32 MiB heap the jar is given.
    String digest = pushIndex(one, "src/big", "v1", 48 * 1024 * 1024);

    Result r =
        new GantryRunner()
            .runJar(
                List.of("-Xmx32m"),
                "copy",
                one.hostPort() + "/src/big:v1",
                two.hostPort() + "/mirror/big:v1");

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(digest, skopeo.digest("mirror/big:v1", two));
  }

  /**
   * skopeo copies the whole image out of the registry: fails if any child manifest or blob is
   * missing.
   */
  private void pullAll(String ref, RegistryServer registry) {
    Path out = TempDirs.create("gantry-pull-");
    skopeo.run(
        List.of(
            "copy",
            "--all",
            "--quiet",
            "--src-tls-verify=false",
            "docker://" + Skopeo.qualify(ref, registry),
            "oci:" + out + ":check"));
  }

  /**
   * Flips a byte in the first layer of the first platform of repo:v1, in the registry's own
   * storage.
   */
  private void corruptOneLayer(RegistryServer registry, String repo) throws IOException {
    JsonNode index = new ObjectMapper().readTree(skopeo.inspectRaw(repo + ":v1", registry));
    String child = index.path("manifests").get(0).path("digest").asText();
    JsonNode manifest =
        new ObjectMapper().readTree(skopeo.inspectRaw(repo + "@" + child, registry));
    String hex =
        manifest.path("layers").get(0).path("digest").asText().substring("sha256:".length());
    Path data =
        registry
            .storageDir()
            .resolve(
                "docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(data, bytes);
  }
}
