package dev.gantry.promote;

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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Promote against real registries behind htpasswd Basic auth and behind Bearer tokens. */
class PromoteAuthIT {
  private static final AtomicLong SEED = new AtomicLong(300);

  private static String push(RegistryServer registry, String repo, String tag) {
    return TestImages.push(
        TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
        registry,
        repo,
        tag);
  }

  @Test
  void basicAuthWithPasswordOnStdin() {
    try (RegistryServer registry = RegistryServer.basicAuth();
        Skopeo skopeo = Skopeo.isolated()) {
      String digest = push(registry, "auth/basic", "sha-abc1234");
      String image = registry.hostPort() + "/auth/basic";

      Result ok =
          new GantryRunner()
              .runWithStdin(
                  registry.password() + "\n",
                  "promote",
                  "--username",
                  registry.username(),
                  "--password-stdin",
                  "--from",
                  "sha-abc1234",
                  "--to",
                  "latest",
                  image);
      assertEquals(0, ok.exitCode(), ok.all());
      assertEquals(digest, skopeo.digest(image + ":latest", registry));
      assertFalse(ok.all().contains(registry.password()));

      String wrong = "not-the-password-" + registry.password();
      Result bad =
          new GantryRunner()
              .runWithStdin(
                  wrong,
                  "promote",
                  "--username",
                  registry.username(),
                  "--password-stdin",
                  "--from",
                  "sha-abc1234",
                  "--to",
                  "stable",
                  image);
      assertEquals(3, bad.exitCode(), bad.all());
      assertEquals(1, bad.stderr().lines().count(), bad.stderr());
      assertFalse(bad.all().contains(wrong), "the password never reaches output");
      assertFalse(skopeo.exists(image + ":stable", registry));

      Result anonymous =
          new GantryRunner().run("promote", "--from", "sha-abc1234", "--to", "stable", image);
      assertEquals(3, anonymous.exitCode(), anonymous.all());
    }
  }

  @Test
  void bearerTokensOnePerScopeSetFromADockerConfig() throws IOException {
    try (RegistryServer registry = RegistryServer.tokenAuth();
        Skopeo skopeo = Skopeo.isolated()) {
      String a = registry.hostPort() + "/auth/token-a";
      String b = registry.hostPort() + "/auth/token-b";
      String digestA = push(registry, "auth/token-a", "sha-abc1234");
      String digestB = push(registry, "auth/token-b", "sha-abc1234");
      TokenServer tokens = registry.tokenServer();
      int before = tokens.requestCount();

      GantryRunner gantry = new GantryRunner();
      writeDockerConfig(
          gantry.home(), registry.hostPort(), registry.username(), registry.password());
      Result r =
          gantry.run("promote", "--from", "sha-abc1234", "--to", "latest", "--to", "stable", a, b);
      List<TokenServer.TokenRequest> ours =
          List.copyOf(tokens.requests().subList(before, tokens.requestCount()));

      assertEquals(0, r.exitCode(), r.all());
      assertEquals(digestA, skopeo.digest(a + ":latest", registry));
      assertEquals(digestA, skopeo.digest(a + ":stable", registry));
      assertEquals(digestB, skopeo.digest(b + ":latest", registry));
      assertEquals(2, ours.size(), "one token per repository (scope set): " + ours);
      assertTrue(
          ours.stream()
              .allMatch(
                  t ->
                      t.withCredentials()
                          && t.scopes().size() == 1
                          && t.scopes().get(0).endsWith(":pull,push")),
          ours.toString());
      assertFalse(r.all().contains(registry.password()));
    }
  }

  @Test
  void anonymousTokenReadsButCannotWrite() {
    try (RegistryServer registry = RegistryServer.tokenAuth();
        Skopeo skopeo = Skopeo.isolated()) {
      push(registry, "auth/public", "sha-abc1234");
      String image = registry.hostPort() + "/auth/public";

      Result dryRun =
          new GantryRunner()
              .run("promote", "--dry-run", "--from", "sha-abc1234", "--to", "latest", image);
      assertEquals(0, dryRun.exitCode(), dryRun.all());
      assertTrue(dryRun.stdout().contains("would-promote"), dryRun.stdout());

      Result write =
          new GantryRunner().run("promote", "--from", "sha-abc1234", "--to", "latest", image);
      assertEquals(3, write.exitCode(), write.all());
      assertFalse(skopeo.exists(image + ":latest", registry));
    }
  }

  private static void writeDockerConfig(Path home, String registry, String user, String password)
      throws IOException {
    Path dir = Files.createDirectories(home.resolve(".docker"));
    String auth =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        dir.resolve("config.json"),
        "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + auth + "\"}}}");
  }
}
