package dev.gantry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.GantryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {
  @TempDir Path tmp;

  private Path configDir;
  private Path bin;

  @BeforeEach
  void dirs() throws IOException {
    configDir = Files.createDirectories(tmp.resolve("docker"));
    bin = Files.createDirectories(tmp.resolve("bin"));
    // Answers like a real helper: reads the server URL on stdin, prints its credentials (the URL is
    // echoed into
    // the user name so the test sees what was asked). "nobody.example" has no entry: exit 1, as
    // helpers do.
    helper(
        "test",
        """
        #!/bin/sh
        [ "$1" = get ] || exit 3
        url=$(cat)
        [ "$url" = nobody.example ] && { echo "credentials not found in native keychain"; exit 1; }
        printf '{"ServerURL":"%s","Username":"user@%s","Secret":"helper-secret"}\\n' "$url" "$url"
        """);
    helper(
        "identity",
        """
        #!/bin/sh
        cat >/dev/null
        printf '{"Username":"<token>","Secret":"refresh-me"}'
        """);
    helper(
        "broken",
        """
        #!/bin/sh
        cat >/dev/null
        exit 1
        """);
  }

  private void helper(String name, String script) throws IOException {
    Path p = bin.resolve("docker-credential-" + name);
    Files.writeString(p, script);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private CredentialSource config(String json) throws IOException {
    Files.writeString(configDir.resolve("config.json"), json);
    Map<String, String> env =
        Map.of("DOCKER_CONFIG", configDir.toString(), "PATH", "/nonexistent:" + bin);
    return DockerConfig.load(env, new CredentialHelper(env));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void authsWithBase64Auth() throws IOException {
    CredentialSource c =
        config(
            "{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("octocat:ghp_pass:with:colons") + "\"}}}");
    assertEquals(
        Optional.of(Credentials.basic("octocat", "ghp_pass:with:colons")), c.lookup("ghcr.io"));
  }

  @Test
  void authsWithUsernameAndPasswordFields() throws IOException {
    CredentialSource c =
        config(
            "{\"auths\":{\"registry.example.com:5000\":{\"username\":\"u\",\"password\":\"p\"}}}");
    assertEquals(Optional.of(Credentials.basic("u", "p")), c.lookup("registry.example.com:5000"));
  }

  @Test
  void authsWithIdentityToken() throws IOException {
    CredentialSource c =
        config(
            "{\"auths\":{\"myacr.azurecr.io\":{\"auth\":\""
                + b64("<token>:")
                + "\",\"identitytoken\":\"refresh-123\"}}}");
    Credentials creds = c.lookup("myacr.azurecr.io").orElseThrow();
    assertTrue(creds.hasIdentityToken());
    assertEquals("refresh-123", creds.identityToken());
    assertEquals("<token>", creds.username());
  }

  @Test
  void dockerHubKeyFromDockerLogin() throws IOException {
    CredentialSource c =
        config(
            "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
                + b64("hubuser:hubpass")
                + "\"}}}");
    assertEquals(Optional.of(Credentials.basic("hubuser", "hubpass")), c.lookup("docker.io"));
  }

  @Test
  void keysWithSchemeOrPathMatchTheHost() throws IOException {
    CredentialSource c =
        config(
            "{\"auths\":{"
                + "\"https://ghcr.io\":{\"auth\":\""
                + b64("a:1")
                + "\"},"
                + "\"http://localhost:5000/v2/\":{\"auth\":\""
                + b64("b:2")
                + "\"},"
                + "\"quay.io\":{\"auth\":\""
                + b64("c:3")
                + "\"}}}");
    assertEquals(Optional.of(Credentials.basic("a", "1")), c.lookup("ghcr.io"));
    assertEquals(Optional.of(Credentials.basic("b", "2")), c.lookup("localhost:5000"));
    assertEquals(Optional.of(Credentials.basic("c", "3")), c.lookup("quay.io"));
    assertEquals(Optional.empty(), c.lookup("localhost:5001"));
    assertEquals(Optional.empty(), c.lookup("docker.io"));
  }

  @Test
  void emptyAuthEntryIsAnonymous() throws IOException {
    assertEquals(Optional.empty(), config("{\"auths\":{\"ghcr.io\":{}}}").lookup("ghcr.io"));
  }

  @Test
  void authThatIsNotBase64IsBadInputWithoutTheValue() throws IOException {
    CredentialSource c = config("{\"auths\":{\"ghcr.io\":{\"auth\":\"%%%not-base64%%%\"}}}");
    GantryException e = assertThrows(GantryException.class, () -> c.lookup("ghcr.io"));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains("ghcr.io"), e.getMessage());
    assertFalse(e.getMessage().contains("not-base64"), e.getMessage());
  }

  @Test
  void authWithoutColonIsBadInputWithoutTheValue() throws IOException {
    CredentialSource c =
        config("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("justasecret") + "\"}}}");
    GantryException e = assertThrows(GantryException.class, () -> c.lookup("ghcr.io"));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertFalse(e.getMessage().contains("justasecret"), e.getMessage());
  }

  @Test
  void credHelperGetsTheRegistryOnStdin() throws IOException {
    CredentialSource c =
        config(
            "{\"credHelpers\":{\"ghcr.io\":\"test\"},"
                + "\"auths\":{\"ghcr.io\":{\"auth\":\""
                + b64("inline:ignored")
                + "\"}}}");
    assertEquals(
        Optional.of(Credentials.basic("user@ghcr.io", "helper-secret")), c.lookup("ghcr.io"));
  }

  @Test
  void credHelperForDockerHubGetsTheIndexUrl() throws IOException {
    CredentialSource c = config("{\"credHelpers\":{\"docker.io\":\"test\"}}");
    assertEquals(
        Optional.of(Credentials.basic("user@https://index.docker.io/v1/", "helper-secret")),
        c.lookup("docker.io"));
  }

  @Test
  void credsStoreIsTheFallback() throws IOException {
    CredentialSource c =
        config(
            "{\"credsStore\":\"test\",\"auths\":{\"quay.io\":{\"auth\":\"" + b64("q:1") + "\"}}}");
    assertEquals(
        Optional.of(Credentials.basic("user@registry.example.com", "helper-secret")),
        c.lookup("registry.example.com"));
    assertEquals(Optional.of(Credentials.basic("q", "1")), c.lookup("quay.io"));
  }

  @Test
  void helperThatHasNothingMeansAnonymous() throws IOException {
    assertEquals(Optional.empty(), config("{\"credsStore\":\"test\"}").lookup("nobody.example"));
    assertEquals(
        Optional.empty(), config("{\"credHelpers\":{\"ghcr.io\":\"broken\"}}").lookup("ghcr.io"));
  }

  @Test
  void helperTokenUserMeansIdentityToken() throws IOException {
    Credentials creds =
        config("{\"credsStore\":\"identity\"}").lookup("myacr.azurecr.io").orElseThrow();
    assertTrue(creds.hasIdentityToken());
    assertEquals("refresh-me", creds.identityToken());
  }

  @Test
  void helperMissingFromPathIsAnAuthenticationError() throws IOException {
    CredentialSource c = config("{\"credHelpers\":{\"ghcr.io\":\"absent\"}}");
    GantryException e = assertThrows(GantryException.class, () -> c.lookup("ghcr.io"));
    assertEquals(GantryException.Kind.AUTHENTICATION, e.kind());
    assertTrue(e.getMessage().contains("docker-credential-absent"), e.getMessage());
  }

  @Test
  void missingConfigIsAnonymous() {
    Map<String, String> env = Map.of("DOCKER_CONFIG", tmp.resolve("nowhere").toString());
    assertEquals(
        Optional.empty(), DockerConfig.load(env, new CredentialHelper(env)).lookup("ghcr.io"));
    assertEquals(
        Optional.empty(),
        DockerConfig.load(Map.of(), new CredentialHelper(Map.of())).lookup("ghcr.io"));
  }

  @Test
  void homeDockerConfigWhenDockerConfigIsUnset() throws IOException {
    Path home = tmp.resolve("home");
    Files.createDirectories(home.resolve(".docker"));
    Files.writeString(
        home.resolve(".docker/config.json"),
        "{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("h:1") + "\"}}}");
    Map<String, String> env = Map.of("HOME", home.toString());
    assertEquals(
        Optional.of(Credentials.basic("h", "1")),
        DockerConfig.load(env, new CredentialHelper(env)).lookup("ghcr.io"));
  }

  @Test
  void invalidJsonIsBadInput() throws IOException {
    GantryException e = assertThrows(GantryException.class, () -> config("{\"auths\":"));
    assertEquals(GantryException.Kind.BAD_INPUT, e.kind());
    assertTrue(e.getMessage().contains("config.json"), e.getMessage());
  }
}
