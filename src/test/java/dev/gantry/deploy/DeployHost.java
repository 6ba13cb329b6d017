package dev.gantry.deploy;

import dev.gantry.testing.TempDirs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server side of one deploy: a deploy directory that is a real git clone of a real origin with
 * the release tags ({@link ReleaseRepository}), and a recording stand-in for {@code docker} ({@code
 * src/test/resources/deploy/standin.sh}) in a bin directory that goes first on the script's PATH.
 * The stand-in logs every call to state/, with the compose override it was given, and fails on
 * request ({@link #failOn(String)}).
 */
final class DeployHost implements AutoCloseable {

  /** The file under DEPLOY_DIR where the script records the last healthy deploy. */
  static final String TAG_FILE = ".gantry-deployed-tag";

  /** The releases tagged in the origin, oldest first; the clone starts at the first. */
  static final List<String> RELEASES =
      List.of(DeployFixture.OLD, DeployFixture.NEW, DeployFixture.NEWER);

  /** What the script may need besides the stand-ins, on the PATH of {@link #withoutCurl()}. */
  private static final List<String> NARROW_TOOLS =
      List.of("bash", "sleep", "timeout", "wget", "mv", "rm", "git");

  private static final Pattern IMAGE_LINE =
      Pattern.compile("^  ([a-z0-9._-]+):\\n    image: (\\S+)$", Pattern.MULTILINE);

  /**
   * One stand-in call: wall-clock time (epoch seconds), tool, working directory, IMAGE_TAG,
   * arguments, stdin, and the compose.gantry.yml it was given (empty when none).
   */
  record Call(
      double at,
      String tool,
      String cwd,
      String imageTag,
      String args,
      String stdin,
      String override) {
    String command() {
      return tool + " " + args;
    }

    /** Service -> image of the override this call got, in file order. */
    Map<String, String> pinned() {
      Map<String, String> pinned = new LinkedHashMap<>();
      Matcher m = IMAGE_LINE.matcher(override);
      while (m.find()) {
        pinned.put(m.group(1), m.group(2));
      }
      return pinned;
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
    DeployHost host =
        new DeployHost(dir, RemoteDeploy.quote(dir.resolve("bin").toString()) + ":\"$PATH\"");
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

  /**
   * Makes every stand-in call whose "TOOL ARGS IMAGE_TAG=TAG" matches the bash pattern fail with
   * exit 1.
   */
  void failOn(String pattern) {
    append(dir.resolve("state/fail-on"), pattern + "\n");
  }

  /** Releases {@code version} in the origin with {@code compose} as its compose.yaml. */
  void release(String version, String compose) {
    ReleaseRepository.release(dir, version, compose);
  }

  /** The compose override of DEPLOY_DIR as the script left it, or null when there is none. */
  String override() {
    Path file = deployDir().resolve("compose.gantry.yml");
    return Files.exists(file) ? read(file) : null;
  }

  /** Writes the one-line tag file of earlier versions of the script. */
  void recordHealthyTag(String tag) {
    append(deployDir().resolve(TAG_FILE), tag + "\n");
  }

  /**
   * Writes the state file as a healthy deploy of {@code version} (its tag, its commit, those
   * digests) would have.
   */
  void recordHealthyRelease(String version, List<String> images) {
    StringBuilder state =
        new StringBuilder(
            "version="
                + version
                + "\ntag="
                + version
                + "\ncommit="
                + ReleaseRepository.commit(deployDir(), version)
                + "\n");
    images.forEach(image -> state.append("image=").append(image).append('\n'));
    append(deployDir().resolve(TAG_FILE), state.toString());
  }

  /** The version the script recorded, or null when there is no state file. */
  String recordedTag() {
    String state = state();
    if (state == null) {
      return null;
    }
    return state
        .lines()
        .filter(l -> l.startsWith("version="))
        .map(l -> l.substring(8))
        .findFirst()
        .orElse(state.strip());
  }

  /** The state file as written, or null. */
  String state() {
    Path file = deployDir().resolve(TAG_FILE);
    return Files.exists(file) ? read(file) : null;
  }

  /** The commit checked out in DEPLOY_DIR, detached. */
  String checkout() {
    if (!ReleaseRepository.detached(deployDir())) {
      return "a branch, not detached";
    }
    return ReleaseRepository.head(deployDir());
  }

  /** The commit a release tag names. */
  String commitOf(String tag) {
    return ReleaseRepository.commit(deployDir(), tag);
  }

  List<Call> calls() {
    Path log = dir.resolve("state/calls.log");
    if (!Files.exists(log)) {
      return List.of();
    }
    return read(log)
        .lines()
        .map(line -> line.split("\t", -1))
        .map(
            f ->
                new Call(
                    Double.parseDouble(f[0]),
                    f[1],
                    f[2],
                    f[3],
                    f[4],
                    f[5].replace("\\n", "\n"),
                    f[6].replace("\\n", "\n")))
        .toList();
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

  /**
   * At every {@code docker compose ... up}: "=== IMAGE_TAG=TAG" and the .env it found in
   * DEPLOY_DIR.
   */
  String settingsAtUp() {
    return readIfExists(dir.resolve("state/up-settings.log"));
  }

  /**
   * At every stand-in call: the command line of every process, and the environment of the
   * stand-in's ancestors.
   */
  String processes() {
    return readIfExists(dir.resolve("state/procs.log"));
  }

  private void install() {
    try {
      Files.createDirectories(dir.resolve("bin"));
      Files.createDirectories(dir.resolve("state"));
      ReleaseRepository.create(dir, RELEASES);
      byte[] standIn;
      try (InputStream in = DeployHost.class.getResourceAsStream("/deploy/standin.sh")) {
        if (in == null) {
          throw new IllegalStateException("test resource /deploy/standin.sh is missing");
        }
        standIn = in.readAllBytes();
      }
      Path file = Files.write(dir.resolve("bin").resolve("docker"), standIn);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
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
