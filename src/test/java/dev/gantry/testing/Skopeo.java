package dev.gantry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * skopeo as the independent witness of what is in a registry. Each instance owns an empty config
 * home (auth file, registries.conf, HOME) so neither the machine's logins nor its mirrors can leak
 * into a test. Credentials go as --creds only when given; null means an anonymous request.
 */
public final class Skopeo implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Path home;
  private final Path authFile;
  private final Map<String, String> env;

  private Skopeo(Path home) throws IOException {
    this.home = home;
    this.authFile = Files.writeString(home.resolve("auth.json"), "{\"auths\":{}}");
    Path registriesConf = Files.writeString(home.resolve("registries.conf"), "");
    // containers/image also falls back to $XDG_CONFIG_HOME, $DOCKER_CONFIG and ~/.dockercfg: point
    // all here.
    this.env =
        Map.of(
            "REGISTRY_AUTH_FILE",
            authFile.toString(),
            "DOCKER_CONFIG",
            home.toString(),
            "XDG_CONFIG_HOME",
            home.toString(),
            "XDG_RUNTIME_DIR",
            home.toString(),
            "HOME",
            home.toString(),
            "CONTAINERS_REGISTRIES_CONF",
            registriesConf.toString());
  }

  /** A skopeo with its own empty config; close it to delete that config. */
  public static Skopeo isolated() {
    Path home = TempDirs.create("gantry-skopeo-");
    try {
      return new Skopeo(home);
    } catch (IOException e) {
      TempDirs.delete(home);
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The manifest bytes exactly as served; {@code ref} is "repo:tag", "repo@sha256:..." or
   * "host:port/repo:tag".
   */
  public byte[] inspectRaw(String ref, RegistryServer registry) {
    return inspectRaw(qualify(ref, registry), registry.login());
  }

  /**
   * Like {@link #inspectRaw(String, RegistryServer)} for a fully qualified ref; null login =
   * anonymous.
   */
  public byte[] inspectRaw(String ref, Login login) {
    return run(inspectArgs(ref, login)).stdout();
  }

  /** "sha256:..." of the manifest bytes, computed here rather than trusted from a header. */
  public String digest(String ref, RegistryServer registry) {
    return sha256(inspectRaw(ref, registry));
  }

  /**
   * The digest, or null while the registry cannot answer: for a poll racing a write of the same
   * tag, which distribution's filesystem storage may answer with 500 mid-write.
   */
  public String digestOrNull(String ref, RegistryServer registry) {
    try {
      return digest(ref, registry);
    } catch (IllegalStateException busy) {
      return null;
    }
  }

  /** Whether the manifest exists; any failure other than "not found" still throws. */
  public boolean exists(String ref, RegistryServer registry) {
    ProcessRunner.Result result =
        ProcessRunner.run(
            command(inspectArgs(qualify(ref, registry), registry.login())), TIMEOUT, env, null);
    if (result.exitCode() == 0) {
      return true;
    }
    String stderr = result.stderr();
    if (stderr.contains("manifest unknown")
        || stderr.contains("name unknown")
        || stderr.contains("not found")) {
      return false;
    }
    throw new IllegalStateException(
        "skopeo inspect " + ref + " failed: " + result.stderr().strip());
  }

  /**
   * Copies every image of an OCI layout's tagged image (null tag: the layout's only image) to
   * {@code destRef}, keeping bytes and digests; returns the digest skopeo itself reports for what
   * it pushed.
   */
  public String pushLayout(Path layout, String layoutTag, String destRef, Login login) {
    Path digestFile = home.resolve("digest-" + System.nanoTime());
    List<String> args =
        new ArrayList<>(
            List.of(
                "copy",
                "--all",
                "--preserve-digests",
                "--quiet",
                "--retry-times",
                "0",
                "--dest-tls-verify=false",
                "--digestfile",
                digestFile.toString()));
    if (login != null) {
      args.addAll(List.of("--dest-creds", login.colonPair()));
    }
    String source = layoutTag == null ? "oci:" + layout : "oci:" + layout + ":" + layoutTag;
    args.addAll(List.of(source, "docker://" + stripScheme(destRef)));
    run(args);
    try {
      return Files.readString(digestFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code skopeo ARGS} in the isolated config; throws with stderr unless it exits 0. */
  public ProcessRunner.Result run(List<String> args) {
    return ProcessRunner.check(command(args), TIMEOUT, env, null);
  }

  /**
   * Fully qualifies a ref the way Docker does: a first part with '.' or ':' is a host, else it is
   * the registry's.
   */
  public static String qualify(String ref, RegistryServer registry) {
    String bare = stripScheme(ref);
    int slash = bare.indexOf('/');
    String first = slash < 0 ? "" : bare.substring(0, slash);
    boolean hasHost = first.contains(".") || first.contains(":") || first.equals("localhost");
    return hasHost ? bare : registry.hostPort() + "/" + bare;
  }

  public static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> inspectArgs(String ref, Login login) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "inspect",
                "--raw",
                "--retry-times",
                "0",
                "--tls-verify=false",
                "--authfile",
                authFile.toString()));
    args.addAll(login == null ? List.of("--no-creds") : List.of("--creds", login.colonPair()));
    args.add("docker://" + stripScheme(ref));
    return args;
  }

  private List<String> command(List<String> args) {
    // --insecure-policy: the machine's policy.json is not ours to depend on; signatures are not
    // under test.
    List<String> command =
        new ArrayList<>(
            List.of("skopeo", "--insecure-policy", "--command-timeout", TIMEOUT.toSeconds() + "s"));
    command.addAll(args);
    return command;
  }

  private static String stripScheme(String ref) {
    return ref.startsWith("docker://") ? ref.substring("docker://".length()) : ref;
  }

  @Override
  public void close() {
    TempDirs.delete(home);
  }
}
