package dev.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.testing.ProcessRunner;
import dev.gantry.testing.ProcessRunner.Result;
import dev.gantry.testing.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * bin/gantry, the launcher of the README's first command: whatever it does with its AppCDS archive,
 * a run prints exactly what {@code java -jar target/gantry.jar} prints and exits with its code.
 * Every launcher run goes through a JAVA_HOME whose bin/java writes its arguments to a file and
 * execs the real java, so each test sees which of the three ways the launcher took (dump the
 * archive, use it, plain java -jar); that the archive itself loads is checked with -Xshare:on,
 * which fails instead of running without it.
 */
class LauncherIT {
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path LAUNCHER = ROOT.resolve("bin/gantry");
  private static final Path BUILD_ARCHIVE = ROOT.resolve("scripts/launcher-archive.sh");
  private static final Path JAR =
      Path.of(System.getProperty("gantry.jar", "target/gantry.jar")).toAbsolutePath();
  private static final Path REAL_JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  private static final List<String> PROMOTE =
      List.of("promote", "--from", "sha-abc1234", "--to", "latest");

  private Path dir;
  private Path cache;
  private Path javaHome;
  private Path layout;

  @BeforeEach
  void setUp() throws IOException {
    dir = TempDirs.create("gantry-launcher-");
    cache = dir.resolve("cache");
    layout = dir.resolve("demo");
    javaHome = dir.resolve("jdk");
    Files.createDirectories(javaHome.resolve("bin"));
    Files.createDirectories(javaHome.resolve("lib/server"));
    // The launcher dumps only when the JDK has its base archive: the real one, through a link.
    Files.createSymbolicLink(
        javaHome.resolve("lib/server/classes.jsa"),
        REAL_JAVA.getParent().getParent().resolve("lib/server/classes.jsa"));
    Path java = javaHome.resolve("bin/java");
    Files.writeString(
        java,
        "#!/bin/sh\nprintf '%s\\n' \"$*\" >>'"
            + dir.resolve("java-args")
            + "'\nexec '"
            + REAL_JAVA
            + "' \"$@\"\n");
    assertTrue(java.toFile().setExecutable(true));
  }

  @AfterEach
  void tearDown() {
    TempDirs.delete(dir);
  }

  @Test
  void theFirstRunMakesTheArchiveTheSecondUsesItBothPrintWhatJavaJarPrints() throws IOException {
    Result plain = plainPromote();
    assertEquals(0, plain.exitCode(), plain.stderr());
    assertTrue(plain.stdoutText().contains("(new tag)"), plain.stdoutText());

    Result first = launcherPromote(Map.of());
    assertSameAs(plain, first);
    Path archive = onlyArchive();
    assertTrue(lastJavaArgs().contains("-XX:ArchiveClassesAtExit="), lastJavaArgs());
    FileTime made = Files.getLastModifiedTime(archive);
    Object fileKey = Files.readAttributes(archive, "unix:ino").get("ino");

    Result second = launcherPromote(Map.of());
    assertSameAs(plain, second);
    assertEquals(archive, onlyArchive(), "the same archive, no second one");
    assertEquals(made, Files.getLastModifiedTime(archive), "not written again");
    assertEquals(fileKey, Files.readAttributes(archive, "unix:ino").get("ino"));
    assertTrue(
        lastJavaArgs().contains("-XX:SharedArchiveFile=" + archive + " -Xshare:auto"),
        lastJavaArgs());

    assertLoads(archive);
  }

  @Test
  void firstRunsAtTheSameTimeLeaveOneWholeArchive() throws Exception {
    List<Process> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      layout = dir.resolve("demo" + i);
      freshLayout();
      ProcessBuilder builder = new ProcessBuilder(launcherCommand(promoteArgs()));
      builder.environment().putAll(launcherEnv(Map.of()));
      builder.redirectOutput(dir.resolve("out" + i).toFile());
      builder.redirectError(dir.resolve("err" + i).toFile());
      runs.add(builder.start());
    }
    for (int i = 0; i < runs.size(); i++) {
      assertTrue(runs.get(i).waitFor(2, TimeUnit.MINUTES));
      assertEquals(0, runs.get(i).exitValue(), Files.readString(dir.resolve("err" + i)));
      assertTrue(Files.readString(dir.resolve("out" + i)).contains("(new tag)"));
    }
    assertLoads(onlyArchive());
  }

  /**
   * The race above, made certain: the java below dumps, as another first run begun at the same time
   * would, an archive of another size (the classes of --version only) and puts it in place before
   * this run's own JVM starts. Both names are whole archives; one is left, it loads, and the next
   * run uses it.
   */
  @Test
  void anotherFirstRunsArchiveOfAnotherSizeIsNotLeftBesideThisOne() throws IOException {
    Path java = javaHome.resolve("bin/java");
    Files.writeString(
        java,
        String.join(
            "\n",
            "#!/bin/sh",
            "printf '%s\\n' \"$*\" >>'" + dir.resolve("java-args") + "'",
            "for a; do",
            "  case $a in -XX:ArchiveClassesAtExit=*) tmp=${a#*=} ;; esac",
            "done",
            "if [ -n \"${tmp:-}\" ]; then",
            "  other=${tmp%.jsa}.other.jsa key=${tmp##*/.gantry-} key=${key%.*.jsa}",
            "  '" + REAL_JAVA + "' -XX:ArchiveClassesAtExit=\"$other\" -Xlog:cds=off \\",
            "    -Xlog:cds+dynamic=off -jar '" + JAR + "' --version >/dev/null || exit 99",
            "  mv \"$other\" \"${tmp%/*}/gantry-$key-$(stat -c %s \"$other\").jsa\"",
            "fi",
            "exec '" + REAL_JAVA + "' \"$@\"",
            ""));
    Result plain = plainPromote();

    assertSameAs(plain, launcherPromote(Map.of()));
    assertTrue(lastJavaArgs().contains("-XX:ArchiveClassesAtExit="), lastJavaArgs());
    Path archive = onlyArchive();
    assertLoads(archive);
    assertSameAs(plain, launcherPromote(Map.of()));
    assertTrue(
        lastJavaArgs().contains("-XX:SharedArchiveFile=" + archive + " -Xshare:auto"),
        lastJavaArgs());
    assertEquals(List.of(archive), archives());
  }

  @Test
  void anUnwritableCacheDirectoryRunsPlainJavaJar() throws IOException {
    Result plain = plainPromote();
    // A file where the cache directory would be: nothing can be created below it, not even by root.
    Path notADirectory = dir.resolve("cache-file");
    Files.writeString(notADirectory, "");
    Result run = launcherPromote(Map.of("XDG_CACHE_HOME", notADirectory.toString()));
    assertSameAs(plain, run);
    assertEquals(0, run.exitCode());
    assertFalse(lastJavaArgs().contains("-XX:"), lastJavaArgs());
    assertEquals(List.of("cache-file", "demo", "java-args", "jdk"), names(dir));
  }

  @Test
  void aCorruptArchiveIsNeverAProblem() throws IOException {
    Result plain = plainPromote();
    launcherPromote(Map.of());
    Path archive = onlyArchive();
    long size = Files.size(archive);

    // Garbage of the right size: the JVM refuses it, silently, and runs without it.
    assertTrue(archive.toFile().setWritable(true));
    Files.write(archive, new byte[(int) size]);
    assertSameAs(plain, launcherPromote(Map.of()));
    assertTrue(lastJavaArgs().contains("-XX:SharedArchiveFile="), lastJavaArgs());

    // Cut short: JDK 17 would crash mapping it, so the launcher never passes it on and makes a new
    // one.
    Files.write(archive, new byte[4096]);
    assertSameAs(plain, launcherPromote(Map.of()));
    assertTrue(lastJavaArgs().contains("-XX:ArchiveClassesAtExit="), lastJavaArgs());
    // A whole new one: dumps differ by a page or two from run to run, so its size is its own.
    Path remade = onlyArchive();
    assertTrue(
        remade.getFileName().toString().endsWith("-" + Files.size(remade) + ".jsa"),
        remade.toString());
    assertLoads(remade);
    assertSameAs(plain, launcherPromote(Map.of()));
    assertTrue(lastJavaArgs().contains("-XX:SharedArchiveFile=" + remade), lastJavaArgs());
  }

  @Test
  void aRebuiltJarGetsItsOwnArchive() throws IOException {
    Path jar = dir.resolve("gantry.jar");
    Files.copy(JAR, jar);
    Map<String, String> env = Map.of("GANTRY_JAR", jar.toString());
    Result plain = plainPromote();
    assertSameAs(plain, launcherPromote(env));
    Path before = onlyArchive();

    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
    assertSameAs(plain, launcherPromote(env));
    assertTrue(lastJavaArgs().contains("-XX:ArchiveClassesAtExit="), lastJavaArgs());
    Path after = onlyArchive();
    assertNotEquals(before, after, "the earlier build's archive is replaced, not reused");
    assertSameAs(plain, launcherPromote(env));
    assertTrue(lastJavaArgs().contains("-XX:SharedArchiveFile=" + after), lastJavaArgs());
  }

  @Test
  void badInputAndFailuresKeepTheirExitCodeAndLinesAndLeaveNoArchive() throws IOException {
    Files.createDirectories(layout);
    List<List<String>> commands =
        List.of(
            List.of("promote", "--from", "x y", "--to", "latest", "oci:" + layout),
            List.of(
                "promote", "--from", "sha-abc1234", "--to", "latest", "oci:" + dir.resolve("none")),
            List.of("no-such-command"));
    for (List<String> args : commands) {
      Result plain = ProcessRunner.run(plainCommand(args), TIMEOUT, Map.of(), null);
      assertNotEquals(0, plain.exitCode(), args.toString());
      Result run = ProcessRunner.run(launcherCommand(args), TIMEOUT, launcherEnv(Map.of()), null);
      assertSameAs(plain, run);
      assertTrue(lastJavaArgs().contains("-XX:ArchiveClassesAtExit="), lastJavaArgs());
      assertEquals(List.of(), archives(), "an archive is kept only after exit 0");
    }
    Result bad =
        ProcessRunner.run(launcherCommand(commands.get(0)), TIMEOUT, launcherEnv(Map.of()), null);
    assertEquals(2, bad.exitCode());
    assertEquals("", bad.stdoutText());
    assertEquals(1, bad.stderr().lines().count(), bad.stderr());
    assertTrue(bad.stderr().contains("'x y'"), bad.stderr());
  }

  @Test
  void standardInputReachesTheJvmWithAndWithoutTheArchive() throws IOException {
    List<String> args =
        List.of(
            "promote",
            "--username",
            "u",
            "--password-stdin",
            "--from",
            "sha-abc1234",
            "--to",
            "latest",
            "127.0.0.1:9/stdin/image");
    // What java answers depends on what it read: nothing, a short password, two lines.
    for (String input : List.of("", "abc", "abcdef\nghijkl\n")) {
      byte[] stdin = input.getBytes(StandardCharsets.UTF_8);
      Result plain = ProcessRunner.run(plainCommand(args), TIMEOUT, Map.of(), stdin);
      assertEquals(2, plain.exitCode(), plain.stderr());
      Result dumping =
          ProcessRunner.run(launcherCommand(args), TIMEOUT, launcherEnv(Map.of()), stdin);
      assertSameAs(plain, dumping);
      assertTrue(lastJavaArgs().contains("-XX:ArchiveClassesAtExit="), lastJavaArgs());
    }
    launcherPromote(Map.of());
    Result plain =
        ProcessRunner.run(
            plainCommand(args), TIMEOUT, Map.of(), "abc".getBytes(StandardCharsets.UTF_8));
    Result mapped =
        ProcessRunner.run(
            launcherCommand(args),
            TIMEOUT,
            launcherEnv(Map.of()),
            "abc".getBytes(StandardCharsets.UTF_8));
    assertSameAs(plain, mapped);
    assertTrue(lastJavaArgs().contains("-XX:SharedArchiveFile="), lastJavaArgs());
    assertTrue(mapped.stderr().contains("too short"), mapped.stderr());
  }

  @Test
  void gantryCdsZeroRunsPlainJavaJar() throws IOException {
    Result plain = plainPromote();
    assertSameAs(plain, launcherPromote(Map.of("GANTRY_CDS", "0")));
    assertFalse(lastJavaArgs().contains("-XX:"), lastJavaArgs());
    assertFalse(Files.exists(cache));
  }

  @Test
  void sigtermDuringTheDumpingRunReachesTheJvm() throws Exception {
    // A registry that accepts the connection and never answers: the promote waits until stopped.
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      List<String> args = new ArrayList<>(PROMOTE);
      args.add("127.0.0.1:" + silent.getLocalPort() + "/silent/image");
      ProcessBuilder builder = new ProcessBuilder(launcherCommand(args));
      builder.environment().putAll(launcherEnv(Map.of()));
      builder.redirectOutput(dir.resolve("out").toFile());
      builder.redirectError(dir.resolve("err").toFile());
      Process launcher = builder.start();
      try {
        ProcessHandle jvm = waitForJvm(launcher);
        launcher.destroy(); // SIGTERM to the launcher only
        assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher ended");
        assertEquals(143, launcher.exitValue(), "the JVM's exit code for SIGTERM");
        assertTrue(jvm.onExit().get(30, TimeUnit.SECONDS) != null);
        assertFalse(jvm.isAlive());
        assertEquals(List.of(), archives());
      } finally {
        ProcessRunner.stop(launcher);
      }
    }
  }

  @Test
  void theBuildsArchiveBesideTheJarIsUsedFirstAndNeverWrittenOrDeleted() throws IOException {
    Path build = dir.resolve("build");
    Files.createDirectories(build);
    Path jar = build.resolve("gantry.jar");
    Files.copy(JAR, jar);
    Map<String, String> env = Map.of("GANTRY_JAR", jar.toString());
    Result plain = plainPromote();

    // What `./mvnw package` runs after the shade: silent when it works.
    Result made = buildArchive(jar, build.resolve("cds"));
    assertEquals(0, made.exitCode(), made.stderr());
    assertEquals("", made.stdoutText() + made.stderr());
    assertTrue(lastJavaArgs().contains("-XX:ArchiveClassesAtExit="), lastJavaArgs());
    Path built = only(build.resolve("cds"));
    assertLoads(built, jar);

    Result run = launcherPromote(env);
    assertSameAs(plain, run);
    assertTrue(
        lastJavaArgs().contains("-XX:SharedArchiveFile=" + built + " -Xshare:auto"),
        lastJavaArgs());
    assertFalse(Files.exists(cache), "nothing made in the user's cache");

    // The jar rebuilt without a new archive: the build's no longer matches; the launcher makes its
    // own in the cache and leaves the build's directory alone.
    FileTime madeAt = Files.getLastModifiedTime(built);
    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
    assertSameAs(plain, launcherPromote(env));
    assertTrue(lastJavaArgs().contains("-XX:ArchiveClassesAtExit="), lastJavaArgs());
    Path own = onlyArchive();
    assertEquals(List.of(built), files(build.resolve("cds")), "the build's archive is kept");
    assertEquals(madeAt, Files.getLastModifiedTime(built));
    assertSameAs(plain, launcherPromote(env));
    assertTrue(lastJavaArgs().contains("-XX:SharedArchiveFile=" + own), lastJavaArgs());
  }

  @Test
  void theBuildStepFailsWithTheRunsOutputWhenTheJarCannotPromote() throws IOException {
    Path jar = dir.resolve("broken.jar");
    Files.write(
        jar, new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    Result made = buildArchive(jar, dir.resolve("cds"));
    assertEquals(1, made.exitCode(), made.stderr());
    assertTrue(
        made.stderr().contains("the promote on a copy of examples/hello failed"), made.stderr());
    assertTrue(made.stderr().contains("broken.jar"), "the JVM's own reason: " + made.stderr());
    assertEquals(List.of(), files(dir.resolve("cds")));

    Result usage = ProcessRunner.run(List.of(BUILD_ARCHIVE.toString()), TIMEOUT, Map.of(), null);
    assertEquals(2, usage.exitCode());
    assertEquals("usage: launcher-archive.sh JAR DIR\n", usage.stderr());
  }

  /**
   * The build of this very checkout made the archive for target/gantry.jar: its name carries the
   * jar's size, mtime and inode, and the JVM maps it (-Xshare:on fails otherwise).
   */
  @Test
  void thePackagedJarHasItsArchiveFromTheBuild() throws IOException {
    Path built = only(JAR.getParent().resolve("cds"));
    var attributes = Files.readAttributes(JAR, "unix:size,lastModifiedTime,ino");
    String jarKey =
        "-"
            + attributes.get("size")
            + "."
            + ((FileTime) attributes.get("lastModifiedTime")).toMillis() / 1000
            + "."
            + attributes.get("ino")
            + "-";
    assertTrue(built.getFileName().toString().contains(jarKey), built + " for " + jarKey);
    assertLoads(built, JAR);
  }

  /**
   * The README's first command, after its build step, run as written at the repository root: it
   * prints the promotion, and bin/gantry takes the build's archive (with nothing that turns the
   * archive off in the environment, a run without a matching one would make one in the cache).
   */
  @Test
  void theReadmesFirstCommandRunsOnTheBuildsArchive() throws IOException {
    String build = "./mvnw -B -q package -DskipTests && ";
    String line =
        Files.readAllLines(ROOT.resolve("README.md")).stream()
            .filter(l -> l.startsWith(build))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no first command in README.md"));
    String run = line.substring(build.length());
    assertTrue(run.contains("bin/gantry promote "), run);
    Result result =
        ProcessRunner.run(
            List.of(
                "env",
                "-u",
                "JAVA_TOOL_OPTIONS",
                "-u",
                "JDK_JAVA_OPTIONS",
                "-u",
                "_JAVA_OPTIONS",
                "-u",
                "GANTRY_CDS",
                "-u",
                "GANTRY_CDS_DIR",
                "-u",
                "GANTRY_JAR",
                "bash",
                "-c",
                "cd \"$1\" && " + run,
                "readme",
                ROOT.toString()),
            TIMEOUT,
            Map.of("XDG_CACHE_HOME", cache.toString()),
            null);
    assertEquals(0, result.exitCode(), result.stderr());
    assertTrue(
        result
            .stdoutText()
            .matches(
                "(?s)promoted +oci:target/demo:latest +sha256:f412c5dc[0-9a-f]{56} +\\(new tag\\)\n.*"),
        result.stdoutText());
    assertFalse(Files.exists(cache), "bin/gantry made an archive: the build's did not match");
  }

  private Result buildArchive(Path jar, Path into) {
    return ProcessRunner.run(
        List.of(BUILD_ARCHIVE.toString(), jar.toString(), into.toString()),
        TIMEOUT,
        launcherEnv(Map.of()),
        null);
  }

  private static Path only(Path directory) throws IOException {
    List<Path> found = files(directory);
    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).getFileName().toString().endsWith(".jsa"), found.toString());
    return found.get(0);
  }

  private static List<Path> files(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.sorted().toList();
    }
  }

  private static ProcessHandle waitForJvm(Process launcher) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      var jvm =
          launcher
              .descendants()
              .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
              .findFirst();
      if (jvm.isPresent()) {
        Thread.sleep(1500); // let it get as far as the connection
        return jvm.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no java process below the launcher");
  }

  private Result plainPromote() throws IOException {
    freshLayout();
    return ProcessRunner.run(plainCommand(promoteArgs()), TIMEOUT, Map.of(), null);
  }

  private Result launcherPromote(Map<String, String> env) throws IOException {
    freshLayout();
    return ProcessRunner.run(launcherCommand(promoteArgs()), TIMEOUT, launcherEnv(env), null);
  }

  private List<String> promoteArgs() {
    List<String> args = new ArrayList<>(PROMOTE);
    args.add("oci:" + layout);
    return args;
  }

  private static List<String> plainCommand(List<String> args) {
    List<String> command = new ArrayList<>(List.of(REAL_JAVA.toString(), "-jar", JAR.toString()));
    command.addAll(args);
    return command;
  }

  private static List<String> launcherCommand(List<String> args) {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(args);
    return command;
  }

  private Map<String, String> launcherEnv(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("XDG_CACHE_HOME", cache.toString());
    env.put("JAVA_HOME", javaHome.toString());
    env.putAll(extra);
    return env;
  }

  /** A new copy of examples/hello at the same path, so every promote moves the tag. */
  private void freshLayout() throws IOException {
    TempDirs.delete(layout);
    Path source = ROOT.resolve("examples/hello");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : files.toList()) {
        Path target = layout.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /** Same exit code, same stdout, same stderr but for the time the promote took. */
  private static void assertSameAs(Result plain, Result run) {
    assertEquals(plain.exitCode(), run.exitCode(), run.stderr());
    assertEquals(plain.stdoutText(), run.stdoutText());
    assertEquals(withoutTimes(plain.stderr()), withoutTimes(run.stderr()));
  }

  private static String withoutTimes(String text) {
    return text.replaceAll("\\d+ ms", "N ms");
  }

  /** The archive matches this jar and JVM: with -Xshare:on the JVM refuses to run without it. */
  private static void assertLoads(Path archive) {
    assertLoads(archive, JAR);
  }

  private static void assertLoads(Path archive, Path jar) {
    Result on =
        ProcessRunner.run(
            List.of(
                REAL_JAVA.toString(),
                "-XX:SharedArchiveFile=" + archive,
                "-Xshare:on",
                "-jar",
                jar.toString(),
                "--version"),
            TIMEOUT,
            Map.of(),
            null);
    assertEquals(0, on.exitCode(), on.stdoutText() + on.stderr());
  }

  private String lastJavaArgs() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("java-args"), StandardCharsets.UTF_8);
      return lines.get(lines.size() - 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Path> archives() throws IOException {
    return files(cache.resolve("gantry"));
  }

  private Path onlyArchive() throws IOException {
    return only(cache.resolve("gantry"));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
