package dev.gantry.workflows;

import dev.gantry.testing.ProcessRunner;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a script of scripts/ with skopeo configured as on a runner after {@code skopeo login}: an
 * auth file holding the test registry's credentials, a registries.conf that lets it speak plain
 * HTTP to that loopback registry, and a user policy, all in a HOME of its own.
 */
final class ImageScripts implements AutoCloseable {
  private final Path home;
  private final Map<String, String> env;

  ImageScripts(RegistryServer registry) {
    home = TempDirs.create("gantry-image-scripts-");
    try {
      Path config = Files.createDirectories(home.resolve(".config/containers"));
      Files.writeString(
          config.resolve("policy.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
      // containers/image reads the user's registries.conf (skopeo 1.9 ignores
      // CONTAINERS_REGISTRIES_CONF).
      Path conf =
          Files.writeString(
              config.resolve("registries.conf"),
              "[[registry]]\nlocation = \"" + registry.hostPort() + "\"\ninsecure = true\n");
      String auth =
          registry.login() == null
              ? "{\"auths\":{}}"
              : "{\"auths\":{\""
                  + registry.hostPort()
                  + "\":{\"auth\":\""
                  + Base64.getEncoder()
                      .encodeToString(registry.login().colonPair().getBytes(StandardCharsets.UTF_8))
                  + "\"}}}";
      Path authFile = Files.writeString(home.resolve("auth.json"), auth);
      env =
          Map.of(
              "HOME",
              home.toString(),
              "REGISTRY_AUTH_FILE",
              authFile.toString(),
              "CONTAINERS_REGISTRIES_CONF",
              conf.toString(),
              "XDG_CONFIG_HOME",
              home.resolve(".config").toString(),
              "XDG_RUNTIME_DIR",
              home.toString(),
              "DOCKER_CONFIG",
              home.toString());
    } catch (IOException e) {
      TempDirs.delete(home);
      throw new UncheckedIOException(e);
    }
  }

  ProcessRunner.Result run(String script, String stdin, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of("bash", WorkflowPolicyTest.ROOT.resolve("scripts").resolve(script).toString()));
    command.addAll(List.of(args));
    return ProcessRunner.run(
        command,
        Duration.ofSeconds(60),
        env,
        stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Runs a script that takes its settings from the environment (a workflow step's env), with these
   * added.
   */
  ProcessRunner.Result runWithEnv(String script, Map<String, String> stepEnv) {
    Map<String, String> all = new HashMap<>(env);
    all.putAll(stepEnv);
    return ProcessRunner.run(
        List.of("bash", WorkflowPolicyTest.ROOT.resolve("scripts").resolve(script).toString()),
        Duration.ofSeconds(60),
        all,
        null);
  }

  @Override
  public void close() {
    TempDirs.delete(home);
  }
}
