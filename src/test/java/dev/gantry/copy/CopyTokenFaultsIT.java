package dev.gantry.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.testing.FaultProxy;
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

/**
 * Copy against a real registry behind Bearer tokens, when tokens expire mid-upload or scopes are
 * granted in part.
 */
class CopyTokenFaultsIT {
  private static final AtomicLong SEED = new AtomicLong(1400);

  @Test
  void tokenExpiringDuringAStreamedUploadRestartsTheBlobWithAFreshToken() throws IOException {
    try (RegistryServer registry = RegistryServer.tokenAuth();
        FaultProxy proxy = FaultProxy.inFrontOf(registry);
        Skopeo skopeo = Skopeo.isolated()) {
      TestImages.Layout layout =
          TestImages.singlePlatform(TempDirs.create("gantry-layout-"), SEED.incrementAndGet());
      TokenServer tokens = registry.tokenServer();
      // The registry refuses the token on the first blob PUT, as it does once a token expires
      // mid-stream.
      proxy.challengeOnce(
          "PUT",
          "/v2/expiry/app/blobs/uploads/.*",
          "Bearer realm=\""
              + tokens.realm()
              + "\",service=\""
              + RegistryServer.SERVICE
              + "\",scope=\"repository:expiry/app:pull,push\",error=\"invalid_token\"");
      GantryRunner gantry = new GantryRunner();
      writeDockerConfig(gantry.home(), proxy.hostPort(), registry.username(), registry.password());
      int before = tokens.requestCount();

      // The copy's own uploads (a ledger record would add the 2-byte empty blob).
      Result r =
          gantry.run(
              "copy",
              "--no-record",
              "--jobs",
              "1",
              "oci:" + layout.dir() + ":" + layout.tag(),
              proxy.hostPort() + "/expiry/app:v1");

      assertEquals(0, r.exitCode(), r.all());
      assertEquals(
          layout.digest(), skopeo.digest(registry.hostPort() + "/expiry/app:v1", registry));
      List<FaultProxy.ProxiedRequest> puts =
          proxy.requests().stream()
              .filter(q -> q.method().equals("PUT") && q.url().contains("/blobs/uploads/"))
              .toList();
      assertEquals(1, puts.stream().filter(q -> q.status() == 401).count(), puts.toString());
      assertEquals(
          4,
          puts.stream().filter(q -> q.status() == 201).count(),
          "config and three layers: " + puts);
      assertTrue(tokens.requestCount() - before >= 2, "a fresh token after the 401");
    }
  }

  @Test
  void tokenServerGrantingOnlyTheFirstScopeStillCopiesAcrossRepositories() throws IOException {
    try (RegistryServer registry = RegistryServer.tokenAuth();
        Skopeo skopeo = Skopeo.isolated()) {
      TestImages.Layout layout =
          TestImages.singlePlatform(TempDirs.create("gantry-layout-"), SEED.incrementAndGet());
      // "a/src" sorts before "z/dst": the push scope must still be the one sent first.
      String digest = TestImages.push(layout, registry, "a/src", "v1");
      TokenServer tokens = registry.tokenServer();
      tokens.grantFirstScopeOnly(true);
      GantryRunner gantry = new GantryRunner();
      writeDockerConfig(
          gantry.home(), registry.hostPort(), registry.username(), registry.password());
      int before = tokens.requestCount();

      Result r =
          gantry.run("copy", registry.hostPort() + "/a/src:v1", registry.hostPort() + "/z/dst:v1");

      assertEquals(0, r.exitCode(), r.all());
      assertEquals(digest, skopeo.digest(registry.hostPort() + "/z/dst:v1", registry));
      List<TokenServer.TokenRequest> ours =
          tokens.requests().subList(before, tokens.requestCount());
      assertTrue(
          ours.stream()
              .filter(t -> t.scopes().size() > 1)
              .allMatch(
                  t ->
                      t.scopes()
                          .equals(List.of("repository:z/dst:pull,push", "repository:a/src:pull"))),
          ours.toString());
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
