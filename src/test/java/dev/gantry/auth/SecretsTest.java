package dev.gantry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gantry.GantryException;
import dev.gantry.image.Ref;
import dev.gantry.registry.MockRegistry;
import dev.gantry.registry.Repository;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Passwords, tokens and Authorization values never reach a message, toString or stack trace. */
class SecretsTest {
  private static final String PASSWORD = "s3cr3t-PASSWORD";
  private static final String TOKEN = "tok-SECRET";
  private static final CredentialSource USER =
      r -> Optional.of(Credentials.basic("ci-bot", PASSWORD));

  private final MockRegistry registry = new MockRegistry();
  private final Repository repo = registry.repository("demo/api");

  @AfterEach
  void close() {
    registry.close();
  }

  private MockResponse bearerChallenge() {
    return new MockResponse.Builder()
        .code(401)
        .addHeader(
            "WWW-Authenticate",
            "Bearer realm=\""
                + registry.realm()
                + "\",service=\"reg\",scope=\"repository:demo/api:pull\"")
        .body("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")
        .build();
  }

  private static void assertNoSecret(Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    String basic =
        Base64.getEncoder().encodeToString(("ci-bot:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (String text : List.of(String.valueOf(t.getMessage()), t.toString())) {
        assertFalse(text.contains(PASSWORD), text);
        assertFalse(text.contains(TOKEN), text);
        assertFalse(text.contains(basic), text);
      }
    }
    assertFalse(trace.toString().contains(PASSWORD));
    assertFalse(trace.toString().contains(TOKEN));
    assertFalse(trace.toString().contains(basic));
  }

  @Test
  void tokenRejectedByTheRegistry() {
    registry.server.enqueue(bearerChallenge());
    registry.server.enqueue(
        new MockResponse.Builder().code(200).body("{\"token\":\"" + TOKEN + "\"}").build());
    registry.server.enqueue(
        MockRegistry.error(403, "DENIED", "requested access to the resource is denied"));

    GantryException e =
        assertThrows(
            GantryException.class,
            () -> registry.client(USER).forPush(repo).getManifest(Ref.tag("latest")));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
    assertNoSecret(e);
  }

  @Test
  void credentialsRejectedByTheTokenEndpoint() {
    registry.server.enqueue(bearerChallenge());
    registry.server.enqueue(MockRegistry.error(401, "UNAUTHORIZED", "bad password"));

    GantryException e =
        assertThrows(
            GantryException.class,
            () -> registry.client(USER).forPull(repo).getManifest(Ref.tag("latest")));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
    assertNoSecret(e);
  }

  @Test
  void basicCredentialsRejectedByTheRegistry() {
    MockResponse basic =
        new MockResponse.Builder()
            .code(401)
            .addHeader("WWW-Authenticate", "Basic realm=\"r\"")
            .build();
    registry.server.enqueue(basic);
    registry.server.enqueue(basic);

    GantryException e =
        assertThrows(
            GantryException.class,
            () -> registry.client(USER).forPull(repo).getManifest(Ref.tag("latest")));

    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
    assertNoSecret(e);
  }
}
