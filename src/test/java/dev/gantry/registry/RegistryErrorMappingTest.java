package dev.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.auth.CredentialSource;
import dev.gantry.image.Digest;
import dev.gantry.image.Ref;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every non-success answer becomes one typed, one-line error: "<operation> <image>: <reason>". */
class RegistryErrorMappingTest {
  private final MockRegistry registry = new MockRegistry();
  private final RemoteRepository remote =
      registry.client(CredentialSource.none()).forPush(registry.repository("demo/api"));

  @AfterEach
  void close() {
    registry.close();
  }

  private String image(String tag) {
    return registry.registry() + "/demo/api:" + tag;
  }

  @Test
  void manifestUnknownIsNotFoundNamingOperationImageAndCode() {
    registry.server.enqueue(MockRegistry.error(404, "MANIFEST_UNKNOWN", "manifest unknown"));

    RegistryException e =
        assertThrows(RegistryException.class, () -> remote.getManifest(Ref.tag("sha-abc1234")));

    assertEquals(GantryException.Kind.NOT_FOUND, e.kind());
    assertEquals(404, e.status());
    assertTrue(e.errors().has("MANIFEST_UNKNOWN"));
    assertEquals(
        "get manifest " + image("sha-abc1234") + ": HTTP 404 MANIFEST_UNKNOWN: manifest unknown",
        e.getMessage());
  }

  @Test
  void nameUnknownIsNotFound() {
    registry.server.enqueue(
        MockRegistry.error(404, "NAME_UNKNOWN", "repository name not known to registry"));

    GantryException e =
        assertThrows(GantryException.class, () -> remote.getManifest(Ref.tag("sha-1")));

    assertEquals(GantryException.Kind.NOT_FOUND, e.kind());
    assertTrue(e.getMessage().contains("NAME_UNKNOWN"), e.getMessage());
  }

  @Test
  void unauthorizedWithoutAChallengeIsAuthentication() {
    registry.server.enqueue(MockRegistry.error(401, "UNAUTHORIZED", "authentication required"));

    GantryException e =
        assertThrows(GantryException.class, () -> remote.getManifest(Ref.tag("sha-1")));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
    assertEquals(
        "get manifest " + image("sha-1") + ": HTTP 401 UNAUTHORIZED: authentication required",
        e.getMessage());
  }

  @Test
  void emptyUnauthorizedSaysAuthenticationRequired() {
    registry.server.enqueue(MockRegistry.status(401));

    GantryException e =
        assertThrows(GantryException.class, () -> remote.getManifest(Ref.tag("sha-1")));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
    assertEquals(
        "get manifest " + image("sha-1") + ": HTTP 401 authentication required", e.getMessage());
  }

  @Test
  void deniedIsAuthentication() {
    registry.server.enqueue(
        MockRegistry.error(403, "DENIED", "requested access to the resource is denied"));

    GantryException e =
        assertThrows(
            GantryException.class,
            () -> remote.putManifest(Ref.tag("latest"), TestManifests.index("m")));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
    assertEquals(
        "put manifest "
            + image("latest")
            + ": HTTP 403 DENIED: requested access to the resource is denied",
        e.getMessage());
  }

  @Test
  void deniedCodeWinsOverTheStatus() {
    // Some registries answer a refused write with 400 or 404 and a DENIED code.
    registry.server.enqueue(MockRegistry.error(404, "DENIED", "no write access"));

    GantryException e =
        assertThrows(
            GantryException.class,
            () -> remote.putManifest(Ref.tag("latest"), TestManifests.index("m")));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
  }

  @Test
  void htmlErrorPageIsAFailureWithAShortOneLineReason() {
    String page =
        "<!DOCTYPE html>\n<html>\n<head><title>500 Internal Server Error</title></head>\n<body>\n"
            + "<center><h1>500 Internal Server Error</h1></center>\n"
            + "<p>filler</p>\n".repeat(200)
            + "</body>\n</html>\n";
    for (int i = 0; i < MockRegistry.FAST_RETRIES.maxAttempts(); i++) {
      registry.server.enqueue(
          new MockResponse.Builder()
              .code(500)
              .addHeader("Content-Type", "text/html")
              .body(page)
              .build());
    }

    GantryException e =
        assertThrows(GantryException.class, () -> remote.getManifest(Ref.tag("sha-1")));

    assertEquals(GantryException.Kind.FAILED, e.kind());
    assertTrue(
        e.getMessage()
            .startsWith("get manifest " + image("sha-1") + ": HTTP 500 <!DOCTYPE html> <html>"),
        e.getMessage());
    assertTrue(e.getMessage().contains("500 Internal Server Error"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertTrue(e.getMessage().length() < 300, () -> e.getMessage().length() + " chars");
  }

  @Test
  void multipleErrorsAreAllNamed() {
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(400)
            .addHeader("Content-Type", "application/json")
            .body(
                "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"manifest invalid\"},"
                    + "{\"code\":\"MANIFEST_BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"}]}")
            .build());

    GantryException e =
        assertThrows(
            GantryException.class,
            () -> remote.putManifest(Ref.tag("latest"), TestManifests.index("m")));

    assertEquals(GantryException.Kind.FAILED, e.kind());
    assertEquals(
        "put manifest "
            + image("latest")
            + ": HTTP 400 MANIFEST_INVALID: manifest invalid; MANIFEST_BLOB_UNKNOWN: blob unknown to registry",
        e.getMessage());
  }

  @Test
  void digestReferencesAreNamedWithAt() {
    Digest d = TestManifests.index("m").digest();
    registry.server.enqueue(MockRegistry.error(404, "MANIFEST_UNKNOWN", "manifest unknown"));

    GantryException e = assertThrows(GantryException.class, () -> remote.getManifest(Ref.of(d)));

    assertTrue(
        e.getMessage().startsWith("get manifest " + registry.registry() + "/demo/api@" + d + ": "),
        e.getMessage());
  }
}
