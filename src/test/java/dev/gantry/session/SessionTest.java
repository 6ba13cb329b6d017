package dev.gantry.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import dev.gantry.Secrets;
import dev.gantry.copy.ImageCopier.Endpoint;
import dev.gantry.image.Ref;
import dev.gantry.promote.PromoteRequest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session builds what a run uses and nothing else: a layout-only run never builds the registry
 * client, so the password on standard input is not even read.
 */
class SessionTest {
  @TempDir Path dir;

  /** Standard input that fails the test when read. */
  private static final InputStream UNREAD =
      new InputStream() {
        @Override
        public int read() {
          throw new AssertionError("standard input was read: the registry client was built");
        }
      };

  private static Session session(InputStream stdin, RegistrySettings.Login login) {
    RegistrySettings settings = new RegistrySettings("ci", null, List.of(), 8);
    return Session.open(
        new Surroundings(Map.of(), stdin, Clock.systemUTC(), new Secrets()), settings, login);
  }

  @Test
  void aLayoutIsOpenedWithoutTheRegistryClient() throws Exception {
    Path layout = dir.resolve("app");
    try (Session session = session(UNREAD, new RegistrySettings.Login("ci", "ghcr.io"))) {
      Endpoint created =
          session.destination(
              Locator.parse("oci:" + layout + ":v1"), Locator.parse("ghcr.io/acme/api:v1"), false);
      assertEquals(Ref.tag("v1"), created.reference());
      assertTrue(Files.exists(layout.resolve("index.json")));
      session.store(PromoteRequest.Image.parse("oci:" + layout), false);
    }
  }

  @Test
  void aDryRunIntoAMissingLayoutCreatesNothingThere() {
    Path layout = dir.resolve("not-yet");
    Endpoint standIn;
    try (Session session = session(UNREAD, null)) {
      standIn =
          session.destination(Locator.parse("oci:" + layout), Locator.parse("oci:" + dir), true);
      assertNull(standIn.reference());
    }
    assertTrue(Files.notExists(layout));
  }

  @Test
  void aRegistryStoreBuildsTheClientAndReadsThePasswordOnce() {
    byte[] password = "a-password-long-enough\n".getBytes(StandardCharsets.UTF_8);
    ByteArrayInputStream stdin = new ByteArrayInputStream(password);
    try (Session session = session(stdin, new RegistrySettings.Login("ci", "127.0.0.1:1"))) {
      session.store(PromoteRequest.Image.parse("127.0.0.1:1/acme/api"), false);
      session.store(PromoteRequest.Image.parse("127.0.0.1:1/acme/web"), true);
    }
    assertEquals(0, stdin.available());
  }

  @Test
  void anArchiveDestinationIsBadInputNamingTheValueAsGiven() {
    try (Session session = session(UNREAD, null)) {
      GantryException e =
          assertThrows(
              GantryException.class,
              () ->
                  session.destination(
                      Locator.parse("oci-archive:out//app.tar"),
                      Locator.parse("ghcr.io/acme/api"),
                      false));
      assertEquals(
          "destination 'oci-archive:out//app.tar' is an archive, which is read-only: use oci:PATH",
          e.getMessage());
    }
  }
}
