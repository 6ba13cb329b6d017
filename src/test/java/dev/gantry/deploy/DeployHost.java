package dev.gantry.deploy;

import dev.gantry.testing.TempDirs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The server side of one deploy: a deploy directory, and recording stand-ins for {@code docker} and {@code git}
 * ({@code src/test/resources/deploy/standin.sh}) in a bin directory that goes first on the script's PATH. The
 * stand-ins log every call to state/ and fail on request ({@link #failOn(String)}).
 */
final class DeployHost implements AutoCloseable {

  /** The file under DEPLOY_DIR where the script records the last healthy tag. */
  static final String TAG_FILE = ".gantry-deployed-tag";

  /** What the script may need besides the stand-ins, on the PATH of {@link #withoutCurl()}. */
  private static final List<String> NARROW_TOOLS = List.of("bash", "sleep", "timeout", "wget", "mv");

  /** One stand-in call: wall-clock time (epoch seconds), tool, working directory, IMAGE_TAG, arguments, stdin. */
  record Call(double at, String tool, String cwd, String imageTag, String args, String stdin) {
    String command() {
      return tool + " " + args;
    }

    @Override
    public String toString() {
      return command() + " (IMAGE_TAG=" + imageTag + ")";
    }
  }

  private final Path dir;
  private final String path;

  private DeployHost(Path dir, String path) {
    this.dir = dir;
    this.path = path;
  }

  /** Stand-ins first on the server's PATH, everything else (curl included) as installed. */
  static DeployHost create() {
    Path dir = TempDirs.create("gantry-deploy-host-");
    DeployHost host = new DeployHost(dir, RemoteDeploy.quote(dir.resolve("bin").toString()) + ":\"$PATH\"");
    host.install();
    return host;
  }

  /** A PATH of the stand-ins and {@link #NARROW_TOOLS} only: a server with wget and no curl. */
  static DeployHost withoutCurl() {
    Path dir = TempDirs.create("gantry-deploy-host-");
    Path tools = dir.resolve("tools");
    DeployHost host = new DeployHost(dir, RemoteDeploy.quote(dir.resolve("bin") + ":" + tools));
    host.install();
    try {
      Files.createDirectories(tools);
      for (String tool : NARROW_TOOLS) {
        Files.createSymbolicLink(tools.resolve(tool), which(tool));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return host;
  }

  /** DEPLOY_DIR: where the compose file would be. */
  Path deployDir() {
    return dir.resolve("app");
  }

  /** The value of PATH on the remote command line, already shell-quoted. */
  String remotePath() {
    return path;
  }

  /** Makes every stand-in call whose "TOOL ARGS IMAGE_TAG=TAG" matches the bash pattern fail with exit 1. */
  void failOn(String pattern) {
    append(dir.resolve("state/fail-on"), pattern + "\n");
  }

  /** Writes the tag file as a previous healthy deploy would have. */
  void recordHealthyTag(String tag) {
    append(deployDir().resolve(TAG_FILE), tag + "\n");
  }

  /** The tag the script recorded, or null when there is no tag file. */
  String recordedTag() {
    Path file = deployDir().resolve(TAG_FILE);
    return Files.exists(file) ? read(file).strip() : null;
  }

  List<Call> calls() {
    Path log = dir.resolve("state/calls.log");
    if (!Files.exists(log)) {
      return List.of();
    }
    return read(log).lines().map(line -> line.split("\t", -1)).map(f -> new Call(Double.parseDouble(f[0]), f[1],
        f[2], f[3], f[4], f[5].replace("\\n", "\n"))).toList();
  }

  /** The stand-ins' calls as "TOOL ARGS (IMAGE_TAG=TAG)", oldest first. */
  List<String> commands() {
    return calls().stream().map(Call::toString).toList();
  }

  /** The raw call log, to search for what must not be there. */
  String callLog() {
    return readIfExists(dir.resolve("state/calls.log"));
  }

  /** The exported environment every stand-in call saw. */
  String environments() {
    return readIfExists(dir.resolve("state/env.log"));
  }

  /** At every stand-in call: the command line of every process, and the environment of the stand-in's ancestors. */
  String processes() {
    return readIfExists(dir.resolve("state/procs.log"));
  }

  private void install() {
    try {
      Files.createDirectories(dir.resolve("bin"));
      Files.createDirectories(dir.resolve("state"));
      Files.createDirectories(deployDir());
      byte[] standIn;
      try (InputStream in = DeployHost.class.getResourceAsStream("/deploy/standin.sh")) {
        if (in == null) {
          throw new IllegalStateException("test resource /deploy/standin.sh is missing");
        }
        standIn = in.readAllBytes();
      }
      for (String tool : List.of("docker", "git")) {
        Path file = Files.write(dir.resolve("bin").resolve(tool), standIn);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path which(String tool) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(entry, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(tool + " is not on PATH; the wget test needs it");
  }

  private static void append(Path file, String text) {
    try {
      Files.writeString(file, readIfExists(file) + text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readIfExists(Path file) {
    return Files.exists(file) ? read(file) : "";
  }

  /** Lenient: process command lines need not be UTF-8. */
  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    TempDirs.delete(dir);
  }
}
