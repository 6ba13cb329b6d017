package dev.gantry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.registry.ReferrersApiRegistry;
import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.SigstoreNpm;
import dev.gantry.testing.SigstoreNpm.Attestation;
import dev.gantry.testing.SigstoreNpm.Verification;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Sigstore attestation crosses between the two forms a registry can keep referrers in.
 * {@code @sigstore/oci} attaches it through the OCI 1.1 referrers API where the registry has one
 * (here {@link ReferrersApiRegistry}, an in-memory registry written from the distribution spec, on
 * a MockWebServer) and as the fallback tag on the Debian registry (distribution 2.8); {@code gantry
 * copy} converts to the destination's form, and {@code @sigstore/verify} verifies the copied bundle
 * where it landed.
 */
class AttestationFormsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ReferrersApiRegistry api = new ReferrersApiRegistry();
  private final MockWebServer apiServer = new MockWebServer();
  private RegistryServer legacy;
  private Skopeo skopeo;

  @BeforeEach
  void start() throws IOException {
    apiServer.setDispatcher(api);
    apiServer.start(InetAddress.getByName("127.0.0.1"), 0);
    legacy = RegistryServer.open();
    skopeo = Skopeo.isolated();
  }

  @AfterEach
  void stop() throws IOException {
    skopeo.close();
    legacy.close();
    apiServer.close();
  }

  private String apiHost() {
    return "127.0.0.1:" + apiServer.getPort();
  }

  @Test
  void fromTheReferrersApiToTheFallbackTag() throws IOException {
    TestImages.Layout layout = TestImages.singlePlatform(TempDirs.create("gantry-layout-"), 1661);
    String digest = seed(layout, "src/app");

    Attestation provenance =
        SigstoreNpm.attest(apiHost(), "src/app", digest, SigstoreNpm.PROVENANCE);

    // @sigstore/oci found the API (its probe answered 200, the PUT answered OCI-Subject) and wrote
    // no fallback tag.
    List<String> requests = requestLines();
    assertTrue(
        requests.contains("GET /v2/src/app/referrers/sha256:" + "0".repeat(64)),
        requests::toString);
    assertTrue(
        requests.contains("PUT /v2/src/app/manifests/" + provenance.manifestDigest()),
        requests::toString);
    assertTrue(
        requests.stream().noneMatch(l -> l.contains("/manifests/sha256-")), requests::toString);
    assertFalse(api.hasManifest("src/app", digest.replace(':', '-')));
    assertTrue(
        SigstoreNpm.verify(
                apiHost(), "src/app", digest, List.of(provenance.trustedRoot()), Optional.empty())
            .verified(),
        "at the source, through the referrers API");

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                apiHost() + "/src/app:v1",
                legacy.hostPort() + "/mirror/app:v1");

    assertEquals(0, r.exitCode(), r.all());
    JsonNode index =
        JSON.readTree(skopeo.inspectRaw("mirror/app:" + digest.replace(':', '-'), legacy));
    assertEquals(
        provenance.manifestDigest(),
        index.path("manifests").get(0).path("digest").asText(),
        index::toString);
    assertEquals(
        SigstoreNpm.BUNDLE_TYPE,
        index.path("manifests").get(0).path("artifactType").asText(),
        index::toString);
    Verification copied =
        SigstoreNpm.verify(
            legacy, "mirror/app", digest, List.of(provenance.trustedRoot()), Optional.empty());
    assertTrue(copied.verified(), copied::toString);
    assertEquals(List.of(provenance.manifestDigest()), copied.verifiedManifests());
  }

  @Test
  void fromTheFallbackTagToTheReferrersApi() throws IOException {
    String digest =
        TestImages.push(
            TestImages.singlePlatform(TempDirs.create("gantry-layout-"), 1662),
            legacy,
            "src/app",
            "v1");
    Attestation sbom = SigstoreNpm.attest(legacy, "src/app", digest, SigstoreNpm.SPDX);
    drain();

    Result r =
        new GantryRunner()
            .run(
                "copy",
                "--no-record",
                legacy.hostPort() + "/src/app:v1",
                apiHost() + "/mirror/app:v1");

    assertEquals(0, r.exitCode(), r.all());
    // Written in the API's form: the bundle manifest PUT by digest, no fallback tag.
    List<String> requests = requestLines();
    assertTrue(
        requests.contains("PUT /v2/mirror/app/manifests/" + sbom.manifestDigest()),
        requests::toString);
    assertTrue(
        requests.stream().noneMatch(l -> l.startsWith("PUT") && l.contains("/manifests/sha256-")),
        requests::toString);
    Verification copied =
        SigstoreNpm.verify(
            apiHost(), "mirror/app", digest, List.of(sbom.trustedRoot()), Optional.empty());
    assertTrue(copied.verified(), copied::toString);
    assertEquals(List.of(sbom.manifestDigest()), copied.verifiedManifests());
  }

  /**
   * Puts a layout's blobs and its image manifest (tag v1) straight into the API registry's memory.
   */
  private String seed(TestImages.Layout layout, String repo) {
    try (Stream<Path> blobs = Files.list(layout.dir().resolve("blobs/sha256"))) {
      blobs.forEach(b -> api.putBlob(repo, read(b)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return api.putManifest(repo, "v1", layout.manifest(), layout.mediaType()).toString();
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "METHOD path" of every request the API registry received since the last call. */
  private List<String> requestLines() {
    List<String> lines = new ArrayList<>();
    RecordedRequest q;
    while ((q = poll()) != null) {
      lines.add(q.getMethod() + " " + q.getUrl().encodedPath());
    }
    return lines;
  }

  private void drain() {
    requestLines();
  }

  private RecordedRequest poll() {
    try {
      return apiServer.takeRequest(0, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
