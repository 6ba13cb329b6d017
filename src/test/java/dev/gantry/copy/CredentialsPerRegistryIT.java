package dev.gantry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import dev.gantry.testing.TokenServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code --username}/{@code --password-stdin} belong to one registry (the destination, or the one
 * {@code --creds-for} names): copying from a public registry A to a private registry B with B's
 * login never offers B's password to A, whose token endpoint (which rejects a login it does not
 * know, as real ones do) sees only anonymous requests.
 */
class CredentialsPerRegistryIT {
  private static final AtomicLong SEED = new AtomicLong(1400);

  private static String push(RegistryServer registry, String repo, String tag) {
    return TestImages.push(
        TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
        registry,
        repo,
        tag);
  }

  @Test
  void destinationCredentialsAreNeverOfferedToThePublicSource() {
    try (RegistryServer a = RegistryServer.tokenAuth();
        RegistryServer b = RegistryServer.basicAuth();
        Skopeo skopeo = Skopeo.isolated()) {
      String digest = push(a, "public/app", "v1");
      TokenServer tokensA = a.tokenServer();
      int before = tokensA.requestCount();

      Result r =
          new GantryRunner()
              .runWithStdin(
                  b.password() + "\n",
                  "copy",
                  "--username",
                  b.username(),
                  "--password-stdin",
                  a.hostPort() + "/public/app:v1",
                  b.hostPort() + "/private/app:v1");

      assertEquals(0, r.exitCode(), r.all());
      assertEquals(digest, skopeo.digest("private/app:v1", b));
      List<TokenServer.TokenRequest> seenByA =
          tokensA.requests().subList(before, tokensA.requestCount());
      assertFalse(seenByA.isEmpty(), "A asked for a token");
      assertTrue(
          seenByA.stream().noneMatch(TokenServer.TokenRequest::withCredentials),
          "A saw credentials: " + seenByA);
      assertFalse(r.all().contains(b.password()));
    }
  }

  @Test
  void credsForNamesTheSourceWhenOnlyTheSourceIsPrivate() {
    try (RegistryServer a = RegistryServer.tokenAuth();
        RegistryServer b = RegistryServer.open();
        Skopeo skopeo = Skopeo.isolated()) {
      a.tokenServer().anonymousPull(false);
      String digest = push(a, "private/src", "v1");

      Result r =
          new GantryRunner()
              .runWithStdin(
                  a.password(),
                  "copy",
                  "--creds-for",
                  a.hostPort(),
                  "--username",
                  a.username(),
                  "--password-stdin",
                  a.hostPort() + "/private/src:v1",
                  b.hostPort() + "/mirror/src:v1");

      assertEquals(0, r.exitCode(), r.all());
      assertEquals(digest, skopeo.digest("mirror/src:v1", b));
      assertTrue(
          a.tokenServer().requests().stream().anyMatch(TokenServer.TokenRequest::withCredentials));

      Result withoutCredsFor =
          new GantryRunner()
              .runWithStdin(
                  a.password(),
                  "copy",
                  "--username",
                  a.username(),
                  "--password-stdin",
                  a.hostPort() + "/private/src:v1",
                  b.hostPort() + "/mirror/src:v2");
      assertEquals(
          3,
          withoutCredsFor.exitCode(),
          "the login belongs to the destination, so A is read anonymously: "
              + withoutCredsFor.all());
    }
  }
}
