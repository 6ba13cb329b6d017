package dev.gantry.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.GantryException;
import dev.gantry.auth.CredentialSource;
import dev.gantry.copy.ImageCopier.Endpoint;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.MediaTypes;
import dev.gantry.image.Ref;
import dev.gantry.layout.OciLayout;
import dev.gantry.progress.TransferListener;
import dev.gantry.referrers.Selection;
import dev.gantry.registry.MockRegistry;
import dev.gantry.registry.ReferrersApiRegistry;
import dev.gantry.registry.RegistryClient;
import dev.gantry.registry.Repository;
import dev.gantry.testing.Attachments;
import dev.gantry.testing.TempDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Carrying attachments to and from a registry that has the OCI 1.1 referrers API ({@link
 * ReferrersApiRegistry} on a MockWebServer): referrers are written in its form (PUT by digest,
 * answered with OCI-Subject, no fallback tag), and read through its endpoint; the exact requests
 * are asserted. Cosign's {@code .sig} manifest is written by test code following cosign's
 * SIGNATURE_SPEC.
 */
class CarryApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MockRegistry mock = new MockRegistry();
  private final ReferrersApiRegistry api = new ReferrersApiRegistry();
  private final RegistryClient client;
  private final Path temp = TempDirs.create("gantry-carry-api-");

  CarryApiTest() {
    mock.server.setDispatcher(api);
    client = mock.client(CredentialSource.none());
  }

  @AfterEach
  void close() {
    mock.close();
    TempDirs.delete(temp);
  }

  /**
   * A one-layer image in {@code repo:v1} with an SBOM, a signature of the SBOM and a cosign .sig.
   */
  private record Source(Manifest image, Manifest sbom, Manifest sigOfSbom, Manifest cosign) {}

  private Source source(String repo) {
    byte[] config =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
            .getBytes(StandardCharsets.UTF_8);
    byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
    api.putBlob(repo, config);
    api.putBlob(repo, layer);
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST
            + "\",\"config\":{\"mediaType\":"
            + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
            + Digest.sha256(config)
            + "\",\"size\":"
            + config.length
            + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
            + Digest.sha256(layer)
            + "\",\"size\":"
            + layer.length
            + "}]}";
    Manifest image = Manifest.of(json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
    api.putManifest(repo, "v1", image.bytes(), image.mediaType());
    Manifest sbom = store(repo, Attachments.referrer(image, Attachments.SBOM_TYPE, "sbom"), null);
    Manifest sig = store(repo, Attachments.referrer(sbom, Attachments.SIGNATURE_TYPE, "sig"), null);
    Manifest cosign =
        store(
            repo,
            Attachments.cosignSignature(image.digest(), repo),
            Attachments.cosignTag(image.digest(), "sig"));
    return new Source(image, sbom, sig, cosign);
  }

  private Manifest store(String repo, Attachments.Artifact a, String tag) {
    a.blobs().values().forEach(b -> api.putBlob(repo, b));
    Manifest m = a.manifest();
    api.putManifest(repo, tag == null ? m.digest().toString() : tag, m.bytes(), m.mediaType());
    return m;
  }

  private Endpoint registry(String repo, String ref, boolean push, Repository... mountFrom) {
    Repository r = mock.repository(repo);
    return new Endpoint(push ? client.forPush(r, mountFrom) : client.forPull(r), Ref.tag(ref));
  }

  @Test
  void intoARegistryWithTheApiReferrersArePutByDigestAndNoFallbackTagIsWritten() {
    Source src = source("src/app");
    mock.requests();

    CopyReport report =
        ImageCopier.copy(
            registry("src/app", "v1", false),
            registry("dst/app", "v1", true, mock.repository("src/app")),
            false,
            1,
            TransferListener.NONE,
            Selection.ALL);

    List<String> lines = mock.requestLines();
    String hex = src.image().digest().hex();
    List<String> manifestsAndReferrers =
        lines.stream().filter(l -> l.contains("/manifests/") || l.contains("/referrers/")).toList();
    assertEquals(
        List.of(
            "GET /v2/src/app/manifests/v1",
            "HEAD /v2/dst/app/manifests/v1",
            "GET /v2/dst/app/manifests/v1",
            "GET /v2/src/app/referrers/" + src.image().digest(),
            "GET /v2/src/app/manifests/sha256-" + hex + ".sig",
            "GET /v2/src/app/manifests/sha256-" + hex + ".att",
            "GET /v2/src/app/manifests/sha256-" + hex + ".sbom",
            // Each attachment: its OCI referrers and cosign's .sig of it (a signature of an
            // attestation), none here.
            "GET /v2/src/app/referrers/" + src.sbom().digest(),
            "GET /v2/src/app/manifests/sha256-" + src.sbom().digest().hex() + ".sig",
            "GET /v2/src/app/referrers/" + src.cosign().digest(),
            "GET /v2/src/app/manifests/sha256-" + src.cosign().digest().hex() + ".sig",
            "GET /v2/src/app/referrers/" + src.sigOfSbom().digest(),
            "GET /v2/src/app/manifests/sha256-" + src.sigOfSbom().digest().hex() + ".sig",
            "GET /v2/dst/app/referrers/" + src.image().digest(),
            "GET /v2/dst/app/referrers/" + src.sbom().digest(),
            "GET /v2/dst/app/manifests/sha256-" + hex + ".sig",
            "GET /v2/src/app/manifests/" + src.sbom().digest(),
            "GET /v2/src/app/manifests/" + src.sigOfSbom().digest(),
            "PUT /v2/dst/app/manifests/" + src.image().digest(),
            "PUT /v2/dst/app/manifests/" + src.sbom().digest(),
            "PUT /v2/dst/app/manifests/sha256-" + hex + ".sig",
            "PUT /v2/dst/app/manifests/" + src.sigOfSbom().digest(),
            "PUT /v2/dst/app/manifests/v1"),
        manifestsAndReferrers);
    assertTrue(
        lines.stream().noneMatch(l -> l.startsWith("PUT") && l.contains("/blobs/uploads/")),
        "all mounted: " + lines);
    assertEquals(CopyReport.Outcome.COPIED, report.outcome());
    assertEquals(
        List.of(
            ReferrerResult.Outcome.COPIED,
            ReferrerResult.Outcome.COPIED,
            ReferrerResult.Outcome.COPIED),
        report.referrers().stream().map(ReferrerResult::outcome).toList());
    assertArrayEquals(
        src.sigOfSbom().bytes(), api.manifest("dst/app", src.sigOfSbom().digest().toString()));
    ImageCopier.copy(
        registry("src/app", "v1", false),
        registry("dst/bare", "v1", true, mock.repository("src/app")),
        false,
        1,
        TransferListener.NONE,
        Selection.NONE);
    System.out.println(
        "REQUEST COUNTS API registry, across repositories: with .sig, SBOM and a signature of the SBOM "
            + lines.size()
            + ", --referrers=none "
            + mock.requestLines().size());
  }

  @Test
  void fromAFallbackTagLayoutIntoTheApiAndBackIntoALayout() throws Exception {
    Source src = source("src/round");
    Path first = temp.resolve("first");
    Path second = temp.resolve("second");

    CopyReport toLayout =
        ImageCopier.copy(
            registry("src/round", "v1", false),
            new Endpoint(OciLayout.openOrCreate(first, "oci:" + first), Ref.tag("v1")),
            false,
            2,
            TransferListener.NONE,
            Selection.ALL);
    mock.requests();
    CopyReport toApi =
        ImageCopier.copy(
            new Endpoint(OciLayout.open(first, "oci:" + first, true), Ref.tag("v1")),
            registry("dst/round", "v1", true),
            false,
            1,
            TransferListener.NONE,
            Selection.ALL);
    List<String> lines = mock.requestLines();
    CopyReport back =
        ImageCopier.copy(
            registry("dst/round", "v1", false),
            new Endpoint(OciLayout.openOrCreate(second, "oci:" + second), Ref.tag("v1")),
            false,
            2,
            TransferListener.NONE,
            Selection.ALL);

    assertEquals(CopyReport.Outcome.COPIED, toLayout.outcome());
    assertEquals(CopyReport.Outcome.COPIED, toApi.outcome());
    assertEquals(CopyReport.Outcome.COPIED, back.outcome());
    assertTrue(
        lines.stream()
            .noneMatch(
                l ->
                    l.contains("/manifests/sha256-" + src.image().digest().hex() + " ")
                        || l.endsWith("/manifests/sha256-" + src.image().digest().hex())),
        "no fallback tag at an API registry: " + lines);
    assertTrue(api.hasManifest("dst/round", src.sigOfSbom().digest().toString()));
    List<String> entries = new ArrayList<>();
    JSON.readTree(Files.readAllBytes(second.resolve("index.json")))
        .path("manifests")
        .forEach(
            e ->
                entries.add(
                    e.path("digest").asText()
                        + " "
                        + e.path("artifactType").asText("")
                        + " "
                        + e.path("annotations")
                            .path("org.opencontainers.image.ref.name")
                            .asText("")));
    assertTrue(
        entries.contains(src.sbom().digest() + " " + Attachments.SBOM_TYPE + " "),
        entries.toString());
    assertTrue(
        entries.contains(src.sigOfSbom().digest() + " " + Attachments.SIGNATURE_TYPE + " "),
        entries.toString());
    assertTrue(
        entries.contains(src.cosign().digest() + "  sha256-" + src.image().digest().hex() + ".sig"),
        entries.toString());
    JsonNode sbomAtEnd =
        JSON.readTree(
            Files.readAllBytes(second.resolve("blobs/sha256/" + src.sbom().digest().hex())));
    assertEquals(
        src.image().digest().toString(), sbomAtEnd.path("subject").path("digest").asText());
  }

  @Test
  void aReferrerListedAtTheSourceButGoneFromItFailsBeforeAnyWrite() {
    Source src = source("src/gone");
    String danglingJson =
        new String(
            Attachments.referrer(src.image(), Attachments.SBOM_TYPE, "deleted").manifest().bytes(),
            StandardCharsets.UTF_8);
    // Listed for its subject, but the manifest itself is gone (deleted after it was listed).
    Digest dangling = Digest.sha256(danglingJson.getBytes(StandardCharsets.UTF_8));
    api.putManifest(
        "src/gone",
        dangling.toString(),
        danglingJson.getBytes(StandardCharsets.UTF_8),
        MediaTypes.OCI_MANIFEST);
    api.forget("src/gone", dangling.toString());
    mock.requests();

    GantryException e =
        assertThrows(
            GantryException.class,
            () ->
                ImageCopier.copy(
                    registry("src/gone", "v1", false),
                    registry("dst/gone", "v1", true),
                    false,
                    1,
                    TransferListener.NONE,
                    Selection.ALL));

    assertEquals(GantryException.Kind.NOT_FOUND, e.kind());
    assertTrue(
        e.getMessage().startsWith("get manifest " + mock.registry() + "/src/gone@" + dangling),
        e.getMessage());
    assertEquals(
        List.of(),
        mock.requestLines().stream()
            .filter(l -> !l.startsWith("GET") && !l.startsWith("HEAD"))
            .toList());
  }

  @Test
  void aDryRunReadsButWritesNothing() {
    source("src/dry");
    mock.requests();

    CopyReport report =
        ImageCopier.copy(
            registry("src/dry", "v1", false),
            registry("dst/dry", "v1", false),
            true,
            1,
            TransferListener.NONE,
            Selection.ALL);

    assertEquals(CopyReport.Outcome.WOULD_COPY, report.outcome());
    assertEquals(
        List.of(
            ReferrerResult.Outcome.WOULD_COPY,
            ReferrerResult.Outcome.WOULD_COPY,
            ReferrerResult.Outcome.WOULD_COPY),
        report.referrers().stream().map(ReferrerResult::outcome).toList());
    assertTrue(
        mock.requestLines().stream().allMatch(l -> l.startsWith("GET") || l.startsWith("HEAD")),
        mock.requestLines().toString());
  }
}
