package dev.gantry.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.action.ActionStep.Result;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import dev.gantry.testing.TokenServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The action's secrets on a real registry behind htpasswd Basic auth: the registry-password and
 * github-token inputs are masked with {@code ::add-mask::} before anything else is printed and
 * appear nowhere else (log, outputs, summary); credentials also come from a Docker config, as after
 * {@code docker/login-action}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActionSecretsIT {
  private static final AtomicLong SEED = new AtomicLong(800);
  private RegistryServer registry;
  private Skopeo skopeo;

  @BeforeAll
  void start() {
    registry = RegistryServer.basicAuth();
    skopeo = Skopeo.isolated();
  }

  @AfterAll
  void stop() {
    skopeo.close();
    registry.close();
  }

  @Test
  void registryPasswordIsMaskedFirstAndPrintedNowhere() {
    String sha = EventPayloads.sha();
    String digest = pushAt("password", sha);
    ActionStep step =
        push(sha)
            .input("images", image("password"))
            .input("registry-username", registry.username())
            .input("registry-password", registry.password());

    Result r = step.run();

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(digest, skopeo.digest(image("password") + ":latest", registry));
    assertMaskedFirst(r, registry.password());
    assertTrue(r.stdoutLines().contains("::add-mask::" + step.githubToken), r.all());
    assertNowhere(r, registry.password());
    assertNowhere(r, step.githubToken);
    assertEquals(
        EventPayloads.JSON.createObjectNode().put(image("password"), digest).toString(),
        r.outputs().get("digests"));
  }

  @Test
  void wrongPasswordIsAnAuthenticationFailureThatLeaksNothing() {
    String sha = EventPayloads.sha();
    pushAt("wrong-password", sha);
    String wrong = "wrong-" + EventPayloads.sha().substring(0, 24);
    ActionStep step =
        push(sha)
            .input("images", image("wrong-password"))
            .input("registry-username", registry.username())
            .input("registry-password", wrong);

    Result r = step.run();

    assertEquals(3, r.exitCode(), r.all());
    assertMaskedFirst(r, wrong);
    assertEquals(1, r.errors().size(), r.all());
    String error = r.errors().get(0);
    assertTrue(error.startsWith("::error title=gantry promote failed::"), error);
    assertTrue(error.contains(registry.hostPort()), "names the registry: " + error);
    assertTrue(error.contains("401") || error.contains("UNAUTHORIZED"), "says why: " + error);
    assertNowhere(r, wrong);
    assertNowhere(r, step.githubToken);
    assertEquals("", r.outputFile());
    assertFalse(skopeo.exists(image("wrong-password") + ":latest", registry));
  }

  @Test
  void passwordWithoutUsernameIsBadInputButStillMasked() {
    String sha = EventPayloads.sha();
    String password = "orphan-" + EventPayloads.sha().substring(0, 24);

    Result r =
        push(sha).input("images", image("no-username")).input("registry-password", password).run();

    assertEquals(2, r.exitCode(), r.all());
    assertMaskedFirst(r, password);
    assertTrue(r.errors().size() == 1 && r.errors().get(0).contains("registry-username"), r.all());
    assertNowhere(r, password);
  }

  /**
   * Regression test (fixed; the bug was in src/main/java/dev/gantry/cli/ActionCommand.java, call(),
   * line 43 before line 45): ActionInputs.read validates every input (command, dry-run, draft,
   * prerelease) before any secret is masked, and a failure there prints {@code ::error} (line 49)
   * and exits without masking at all. The contract is to mask every secret input before anything
   * else is printed; the secrets should be collected (and masked) first, whatever else is wrong
   * with the inputs.
   */
  @Test
  void secretsAreMaskedEvenWhenAnotherInputIsInvalid() {
    String sha = EventPayloads.sha();
    ActionStep step =
        push(sha)
            .input("images", image("invalid-input"))
            .input("dry-run", "yes")
            .input("registry-username", registry.username())
            .input("registry-password", registry.password());

    Result r = step.run();

    assertEquals(2, r.exitCode(), r.all());
    assertNowhere(r, registry.password());
    assertMaskedFirst(r, registry.password());
    assertTrue(r.stdoutLines().contains("::add-mask::" + step.githubToken), r.all());
  }

  @Test
  void dockerConfigCredentialsWithoutAPasswordInput() throws IOException {
    String sha = EventPayloads.sha();
    String digest = pushAt("docker-config", sha);
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (registry.username() + ":" + registry.password()).getBytes(StandardCharsets.UTF_8));
    Path config = TempDirs.create("gantry-docker-config-");
    Files.writeString(
        config.resolve("config.json"),
        "{\"auths\":{\"" + registry.hostPort() + "\":{\"auth\":\"" + auth + "\"}}}");

    try {
      // Without the config the registry refuses: the credentials below come from it and from
      // nowhere else.
      Result anonymous = push(sha).input("images", image("docker-config")).run();
      assertEquals(3, anonymous.exitCode(), anonymous.all());

      Result r =
          push(sha)
              .input("images", image("docker-config"))
              .env("DOCKER_CONFIG", config.toString())
              .run();

      assertEquals(0, r.exitCode(), r.all());
      assertEquals(digest, skopeo.digest(image("docker-config") + ":latest", registry));
      assertNowhere(r, registry.password());
      assertNowhere(r, auth);
    } finally {
      TempDirs.delete(config);
    }
  }

  @Test
  void registryCredentialsGoToTheDestinationOnlyNeverToThePublicSource() {
    try (RegistryServer source = RegistryServer.tokenAuth()) {
      String digest =
          TestImages.push(
              TestImages.singlePlatform(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
              source,
              "public/app",
              "v1");
      int before = source.tokenServer().requestCount();
      String sha = EventPayloads.sha();
      Result r =
          push(sha)
              .input("command", "copy")
              .input("from", source.hostPort() + "/public/app:v1")
              .input("to", image("copied") + ":v1")
              .input("registry-username", registry.username())
              .input("registry-password", registry.password())
              .run();

      assertEquals(0, r.exitCode(), r.all());
      assertEquals(digest, skopeo.digest(image("copied") + ":v1", registry));
      List<TokenServer.TokenRequest> seen =
          source.tokenServer().requests().subList(before, source.tokenServer().requestCount());
      assertFalse(seen.isEmpty());
      assertTrue(
          seen.stream().noneMatch(TokenServer.TokenRequest::withCredentials),
          "the source's token endpoint was offered the destination's password: " + seen);
      assertNowhere(r, registry.password());
    }
  }

  @Test
  void registryInputNamesTheRegistryTheCredentialsAreFor() {
    String sha = EventPayloads.sha();
    pushAt("registry-input", sha);

    Result elsewhere =
        push(sha)
            .input("images", image("registry-input"))
            .input("registry", "elsewhere.example")
            .input("registry-username", registry.username())
            .input("registry-password", registry.password())
            .run();
    assertEquals(2, elsewhere.exitCode(), elsewhere.all());
    assertTrue(elsewhere.all().contains("elsewhere.example"), elsewhere.all());

    Result named =
        push(sha)
            .input("images", image("registry-input"))
            .input("registry", registry.hostPort())
            .input("registry-username", registry.username())
            .input("registry-password", registry.password())
            .run();
    assertEquals(0, named.exitCode(), named.all());
    assertNowhere(named, registry.password());
  }

  /**
   * The first line of the log masks {@code secret}; failure messages say so without printing it.
   */
  private static void assertMaskedFirst(Result r, String secret) {
    String first = r.stdoutLines().isEmpty() ? "" : r.stdoutLines().get(0);
    assertEquals(
        "::add-mask::<SECRET>",
        first.replace(secret, "<SECRET>"),
        "first line of the log\n" + r.all().replace(secret, "<SECRET>"));
  }

  /**
   * {@code secret} is nowhere in what the step left, except in its own {@code ::add-mask::} line.
   */
  private static void assertNowhere(Result r, String secret) {
    List<String> leaks = new ArrayList<>();
    r.stdoutLines().stream()
        .filter(l -> l.contains(secret) && !l.equals("::add-mask::" + secret))
        .forEach(l -> leaks.add("stdout: " + l));
    r.stderr().lines().filter(l -> l.contains(secret)).forEach(l -> leaks.add("stderr: " + l));
    r.outputFile()
        .lines()
        .filter(l -> l.contains(secret))
        .forEach(l -> leaks.add("$GITHUB_OUTPUT: " + l));
    r.summary()
        .lines()
        .filter(l -> l.contains(secret))
        .forEach(l -> leaks.add("$GITHUB_STEP_SUMMARY: " + l));
    assertEquals(
        List.of(),
        leaks.stream().map(l -> l.replace(secret, "<SECRET>")).toList(),
        "secret leaked");
  }

  private static ActionStep push(String sha) {
    return ActionStep.on("push", EventPayloads.push(EventPayloads.sha(), sha), sha);
  }

  private String pushAt(String name, String sha) {
    return TestImages.push(
        TestImages.singlePlatform(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
        registry,
        "action/" + name,
        "sha-" + sha.substring(0, 7));
  }

  private String image(String name) {
    return registry.hostPort() + "/action/" + name;
  }
}
