package dev.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.GantryException;
import dev.gantry.Json;
import dev.gantry.auth.CredentialSource;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.MediaTypes;
import dev.gantry.image.Referrer;
import dev.gantry.image.ReferrersIndex;
import dev.gantry.testing.Attachments;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OCI 1.1 referrers API ({@code GET /v2/<name>/referrers/<digest>}) and the referrers tag
 * schema it falls back to, on a MockWebServer: the exact requests, in order.
 */
class ReferrersApiTest {
  private static final Manifest IMAGE = TestManifests.index("image");
  private static final Manifest SBOM =
      Attachments.referrer(IMAGE, Attachments.SBOM_TYPE, "sbom").manifest();
  private static final Manifest SIG =
      Attachments.referrer(IMAGE, Attachments.SIGNATURE_TYPE, "sig").manifest();
  private static final String PATH = "/v2/demo/api/referrers/" + IMAGE.digest();
  private static final String FALLBACK = "/v2/demo/api/manifests/sha256-" + IMAGE.digest().hex();

  private final MockRegistry registry = new MockRegistry();
  private final RemoteRepository remote =
      registry.client(CredentialSource.none()).forPush(registry.repository("demo/api"));

  @AfterEach
  void close() {
    registry.close();
  }

  private static byte[] index(Manifest... referrers) {
    Optional<Manifest> index = Optional.empty();
    for (Manifest m : referrers) {
      index = Optional.of(ReferrersIndex.withEntry(index, Referrer.of(m), "test").orElseThrow());
    }
    return index
        .map(Manifest::bytes)
        .orElse(
            ("{\"schemaVersion\":2,\"mediaType\":\""
                    + MediaTypes.OCI_INDEX
                    + "\",\"manifests\":[]}")
                .getBytes());
  }

  private static MockResponse page(byte[] body, String... headers) {
    MockResponse.Builder b =
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", MediaTypes.OCI_INDEX)
            .body(new okio.Buffer().write(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.addHeader(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  @Test
  void listsEveryEntryWithItsArtifactTypeAndAnnotations() {
    registry.server.enqueue(page(index(SBOM, SIG)));

    List<Referrer> found = remote.referrers(IMAGE.digest(), Optional.empty());

    RecordedRequest r = registry.requests().get(0);
    assertEquals("GET " + PATH, r.getMethod() + " " + r.getTarget());
    assertEquals(MediaTypes.OCI_INDEX, r.getHeaders().get("Accept"));
    assertEquals(
        List.of(SBOM.digest(), SIG.digest()), found.stream().map(Referrer::digest).toList());
    assertEquals(Attachments.SBOM_TYPE, found.get(0).artifactType());
    assertEquals(
        Map.of("org.opencontainers.image.created", "2026-11-30T00:00:00Z"),
        found.get(0).annotations());
    assertEquals(SBOM.size(), found.get(0).descriptor().size());
  }

  @Test
  void followsLinkPagesToTheEnd() {
    String next = PATH + "?n=1&last=" + SBOM.digest();
    registry.server.enqueue(page(index(SBOM), "Link", "<" + next + ">; rel=\"next\""));
    registry.server.enqueue(page(index(SIG)));

    List<Referrer> found = remote.referrers(IMAGE.digest(), Optional.empty());

    assertEquals(List.of("GET " + PATH, "GET " + next), registry.requestLines());
    assertEquals(
        List.of(SBOM.digest(), SIG.digest()), found.stream().map(Referrer::digest).toList());
  }

  @Test
  void aLinkBackToAPageAlreadyReadIsAFailureNotALoop() {
    registry.server.enqueue(page(index(SBOM), "Link", "<" + PATH + ">; rel=\"next\""));

    GantryException e =
        assertThrows(
            GantryException.class, () -> remote.referrers(IMAGE.digest(), Optional.empty()));

    assertTrue(
        e.getMessage()
            .startsWith("list referrers " + registry.registry() + "/demo/api@" + IMAGE.digest()),
        e.getMessage());
    assertEquals(1, registry.server.getRequestCount());
  }

  @Test
  void filterIsSentAndTrustedWhenTheRegistrySaysItApplied() {
    registry.server.enqueue(page(index(SBOM), "OCI-Filters-Applied", "artifactType"));

    List<Referrer> found = remote.referrers(IMAGE.digest(), Optional.of(Attachments.SBOM_TYPE));

    assertEquals(
        List.of("GET " + PATH + "?artifactType=application%2Fspdx%2Bjson"),
        registry.requestLines());
    assertEquals(List.of(SBOM.digest()), found.stream().map(Referrer::digest).toList());
  }

  @Test
  void filterIsAppliedHereWhenTheRegistryIgnoredIt() {
    registry.server.enqueue(page(index(SBOM, SIG)));

    List<Referrer> found =
        remote.referrers(IMAGE.digest(), Optional.of(Attachments.SIGNATURE_TYPE));

    assertEquals(List.of(SIG.digest()), found.stream().map(Referrer::digest).toList());
  }

  @Test
  void withoutTheApiTheFallbackTagIsReadAndTheEndpointIsNotAskedAgain() {
    registry.server.enqueue(MockRegistry.status(404));
    registry.server.enqueue(
        MockRegistry.manifest(Manifest.of(index(SBOM, SIG), MediaTypes.OCI_INDEX)));
    registry.server.enqueue(
        MockRegistry.manifest(Manifest.of(index(SBOM, SIG), MediaTypes.OCI_INDEX)));

    List<Referrer> first = remote.referrers(IMAGE.digest(), Optional.of(Attachments.SBOM_TYPE));
    List<Referrer> second = remote.referrers(IMAGE.digest(), Optional.empty());

    assertEquals(
        List.of(
            "GET " + PATH + "?artifactType=application%2Fspdx%2Bjson",
            "GET " + FALLBACK,
            "GET " + FALLBACK),
        registry.requestLines());
    assertEquals(List.of(SBOM.digest()), first.stream().map(Referrer::digest).toList());
    assertEquals(2, second.size());
  }

  @ParameterizedTest
  @ValueSource(ints = {405, 501})
  void otherWaysOfSayingTheRouteIsMissingAlsoMeanTheFallbackTag(int status) {
    registry.server.enqueue(MockRegistry.status(status));
    registry.server.enqueue(MockRegistry.manifest(Manifest.of(index(SBOM), MediaTypes.OCI_INDEX)));

    assertEquals(1, remote.referrers(IMAGE.digest(), Optional.empty()).size());
    assertEquals(List.of("GET " + PATH, "GET " + FALLBACK), registry.requestLines());
  }

  @Test
  void neitherApiNorFallbackTagIsAnEmptyList() {
    registry.server.enqueue(MockRegistry.status(404));
    registry.server.enqueue(MockRegistry.error(404, "MANIFEST_UNKNOWN", "manifest unknown"));

    assertEquals(List.of(), remote.referrers(IMAGE.digest(), Optional.empty()));
    assertEquals(List.of("GET " + PATH, "GET " + FALLBACK), registry.requestLines());
  }

  @Test
  void aMissingRepositoryDoesNotMarkTheRegistryAsWithoutTheApi() {
    registry.server.enqueue(
        MockRegistry.error(404, "NAME_UNKNOWN", "repository name not known to registry"));
    registry.server.enqueue(
        MockRegistry.error(404, "NAME_UNKNOWN", "repository name not known to registry"));
    registry.server.enqueue(page(index(SBOM)));

    remote.referrers(IMAGE.digest(), Optional.empty());
    List<Referrer> later = remote.referrers(IMAGE.digest(), Optional.empty());

    assertEquals(List.of("GET " + PATH, "GET " + FALLBACK, "GET " + PATH), registry.requestLines());
    assertEquals(1, later.size());
  }

  @Test
  void otherErrorsOfTheEndpointAreFailuresNamingIt() {
    registry.server.enqueue(MockRegistry.error(403, "DENIED", "no"));

    GantryException e =
        assertThrows(
            GantryException.class, () -> remote.referrers(IMAGE.digest(), Optional.empty()));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
    assertTrue(
        e.getMessage()
            .startsWith(
                "list referrers "
                    + registry.registry()
                    + "/demo/api@"
                    + IMAGE.digest()
                    + ": HTTP 403"),
        e.getMessage());
  }

  private static MockResponse created(Digest d, String... headers) {
    MockResponse.Builder b =
        new MockResponse.Builder().code(201).addHeader("Docker-Content-Digest", d.toString());
    for (int i = 0; i < headers.length; i += 2) {
      b.addHeader(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  @Test
  void putWithOciSubjectAnsweredIsOneRequest() {
    registry.server.enqueue(created(SBOM.digest(), "OCI-Subject", IMAGE.digest().toString()));

    remote.putReferrer(SBOM);

    assertEquals(List.of("PUT /v2/demo/api/manifests/" + SBOM.digest()), registry.requestLines());
  }

  @Test
  void putWithoutOciSubjectAddsTheEntryToTheFallbackIndex() throws Exception {
    Manifest expected = Manifest.of(index(SBOM), MediaTypes.OCI_INDEX);
    registry.server.enqueue(created(SBOM.digest()));
    registry.server.enqueue(MockRegistry.error(404, "MANIFEST_UNKNOWN", "manifest unknown"));
    registry.server.enqueue(created(expected.digest()));
    registry.server.enqueue(MockRegistry.manifestHead(expected));

    remote.putReferrer(SBOM);

    List<RecordedRequest> requests = registry.requests();
    assertEquals(
        List.of(
            "PUT /v2/demo/api/manifests/" + SBOM.digest(),
            "GET " + FALLBACK,
            "PUT " + FALLBACK,
            "HEAD " + FALLBACK),
        requests.stream().map(r -> r.getMethod() + " " + r.getTarget()).toList());
    RecordedRequest put = requests.get(2);
    assertEquals(MediaTypes.OCI_INDEX, put.getHeaders().get("Content-Type"));
    assertEquals(
        "*", put.getHeaders().get("If-None-Match"), "created only if nobody created it meanwhile");
    assertEquals(null, put.getHeaders().get("If-Match"));
    JsonNode entry = Json.readTree(put.getBody().toByteArray()).path("manifests").get(0);
    assertEquals(SBOM.digest().toString(), entry.path("digest").asText());
    assertEquals(Attachments.SBOM_TYPE, entry.path("artifactType").asText());
    assertEquals(SBOM.size(), entry.path("size").asLong());
    assertEquals(MediaTypes.OCI_MANIFEST, entry.path("mediaType").asText());
    assertEquals(
        "2026-11-30T00:00:00Z",
        entry.path("annotations").path("org.opencontainers.image.created").asText());
  }

  @Test
  void putKeepsEntriesAlreadyThereAndAddsNothingTwice() throws Exception {
    Manifest existing = Manifest.of(index(SIG), MediaTypes.OCI_INDEX);
    Manifest both =
        ReferrersIndex.withEntry(Optional.of(existing), Referrer.of(SBOM), "test").orElseThrow();
    registry.server.enqueue(created(SBOM.digest()));
    registry.server.enqueue(MockRegistry.manifest(existing));
    registry.server.enqueue(created(both.digest()));
    registry.server.enqueue(MockRegistry.manifestHead(both));
    registry.server.enqueue(created(SBOM.digest()));
    registry.server.enqueue(MockRegistry.manifest(both));

    remote.putReferrer(SBOM);
    remote.putReferrer(SBOM);

    List<RecordedRequest> requests = registry.requests();
    assertEquals(
        List.of(
            "PUT /v2/demo/api/manifests/" + SBOM.digest(),
            "GET " + FALLBACK,
            "PUT " + FALLBACK,
            "HEAD " + FALLBACK,
            "PUT /v2/demo/api/manifests/" + SBOM.digest(),
            "GET " + FALLBACK),
        requests.stream().map(r -> r.getMethod() + " " + r.getTarget()).toList());
    JsonNode manifests = Json.readTree(requests.get(2).getBody().toByteArray()).path("manifests");
    assertEquals(
        List.of(SIG.digest().toString(), SBOM.digest().toString()),
        List.of(
            manifests.get(0).path("digest").asText(), manifests.get(1).path("digest").asText()));
  }

  @Test
  void anotherWriterReplacingTheIndexMeanwhileIsMergedAgain() throws Exception {
    Manifest mine = Manifest.of(index(SBOM), MediaTypes.OCI_INDEX);
    Manifest theirs = Manifest.of(index(SIG), MediaTypes.OCI_INDEX);
    Manifest merged =
        ReferrersIndex.withEntry(Optional.of(theirs), Referrer.of(SBOM), "test").orElseThrow();
    registry.server.enqueue(created(SBOM.digest()));
    registry.server.enqueue(MockRegistry.status(404));
    registry.server.enqueue(created(mine.digest()));
    registry.server.enqueue(
        MockRegistry.manifestHead(theirs)); // their PUT landed after ours, without our entry
    registry.server.enqueue(MockRegistry.manifest(theirs));
    registry.server.enqueue(created(merged.digest()));
    registry.server.enqueue(MockRegistry.manifestHead(merged));

    remote.putReferrer(SBOM);

    List<RecordedRequest> requests = registry.requests();
    assertEquals(7, requests.size(), requests.toString());
    JsonNode manifests = Json.readTree(requests.get(5).getBody().toByteArray()).path("manifests");
    assertEquals(2, manifests.size());
    assertEquals(SIG.digest().toString(), manifests.get(0).path("digest").asText());
  }

  private static MockResponse withEtag(Manifest m, String etag) {
    return MockRegistry.manifest(m).newBuilder().addHeader("ETag", etag).build();
  }

  @Test
  void theIndexIsPutOnlyOverTheVersionReadWhereTheRegistryHonoursIfMatch() throws Exception {
    Manifest first = Manifest.of(index(SIG), MediaTypes.OCI_INDEX);
    Manifest meanwhile =
        ReferrersIndex.withEntry(
                Optional.of(first),
                Referrer.of(
                    Attachments.referrer(IMAGE, Attachments.SBOM_TYPE, "theirs").manifest()),
                "test")
            .orElseThrow();
    Manifest merged =
        ReferrersIndex.withEntry(Optional.of(meanwhile), Referrer.of(SBOM), "test").orElseThrow();
    registry.server.enqueue(created(SBOM.digest()));
    registry.server.enqueue(withEtag(first, "\"" + first.digest() + "\""));
    registry.server.enqueue(MockRegistry.error(412, "PRECONDITION_FAILED", "changed"));
    registry.server.enqueue(withEtag(meanwhile, "\"" + meanwhile.digest() + "\""));
    registry.server.enqueue(created(merged.digest()));
    registry.server.enqueue(MockRegistry.manifestHead(merged));

    remote.putReferrer(SBOM);

    List<RecordedRequest> requests = registry.requests();
    assertEquals(
        List.of(
            "PUT /v2/demo/api/manifests/" + SBOM.digest(),
            "GET " + FALLBACK,
            "PUT " + FALLBACK,
            "GET " + FALLBACK,
            "PUT " + FALLBACK,
            "HEAD " + FALLBACK),
        requests.stream().map(r -> r.getMethod() + " " + r.getTarget()).toList());
    assertEquals("\"" + first.digest() + "\"", requests.get(2).getHeaders().get("If-Match"));
    assertEquals("\"" + meanwhile.digest() + "\"", requests.get(4).getHeaders().get("If-Match"));
    assertArrayEquals(merged.bytes(), requests.get(4).getBody().toByteArray());
  }

  @Test
  void aWeakEtagIsNotSentAsIfMatch() {
    Manifest existing = Manifest.of(index(SIG), MediaTypes.OCI_INDEX);
    Manifest both =
        ReferrersIndex.withEntry(Optional.of(existing), Referrer.of(SBOM), "test").orElseThrow();
    registry.server.enqueue(created(SBOM.digest()));
    registry.server.enqueue(withEtag(existing, "W/\"weak\""));
    registry.server.enqueue(created(both.digest()));
    registry.server.enqueue(MockRegistry.manifestHead(both));

    remote.putReferrer(SBOM);

    RecordedRequest put = registry.requests().get(2);
    assertEquals("PUT " + FALLBACK, put.getMethod() + " " + put.getTarget());
    assertEquals(null, put.getHeaders().get("If-Match"));
    assertEquals(null, put.getHeaders().get("If-None-Match"));
  }

  @Test
  void aRegistryRefusingEveryPreconditionGetsAPlainLastPut() {
    Manifest existing = Manifest.of(index(SIG), MediaTypes.OCI_INDEX);
    Manifest both =
        ReferrersIndex.withEntry(Optional.of(existing), Referrer.of(SBOM), "test").orElseThrow();
    registry.server.enqueue(created(SBOM.digest()));
    for (int i = 0; i < 2; i++) {
      registry.server.enqueue(withEtag(existing, "\"strong\""));
      registry.server.enqueue(MockRegistry.error(412, "PRECONDITION_FAILED", "no"));
    }
    registry.server.enqueue(withEtag(existing, "\"strong\""));
    registry.server.enqueue(created(both.digest()));
    registry.server.enqueue(MockRegistry.manifestHead(both));

    remote.putReferrer(SBOM);

    List<RecordedRequest> requests = registry.requests();
    assertEquals(8, requests.size(), requests.toString());
    assertEquals("\"strong\"", requests.get(2).getHeaders().get("If-Match"));
    assertEquals("\"strong\"", requests.get(4).getHeaders().get("If-Match"));
    assertEquals(null, requests.get(6).getHeaders().get("If-Match"));
  }

  @Test
  void aManifestWithoutSubjectIsRefusedBeforeAnyRequest() {
    GantryException e = assertThrows(GantryException.class, () -> remote.putReferrer(IMAGE));

    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertEquals(0, registry.server.getRequestCount());
  }
}
