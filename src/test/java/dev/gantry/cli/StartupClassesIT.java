package dev.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Start-up loads only what the command uses. The jar runs with the JVM's own class-loading log
 * ({@code -Xlog:class+load}) and the log is checked for whole libraries that have no business in
 * the run: the TLS implementation for plain-HTTP registries and layouts, Jackson's ObjectMapper
 * (trees go through the streaming API), the GitHub client outside {@code release}, and picocli for
 * {@code --version} and {@code --help}. Not timed: which classes load does not depend on how busy
 * the machine is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartupClassesIT {
  private static final Pattern LOADED = Pattern.compile("\\] (\\S+) source: ");

  /** Never in a run that opens no TLS connection and does not release. */
  private static final List<String> NEVER =
      List.of(
          "sun.security.ssl.",
          "javax.net.ssl.SSLContext",
          "java.security.KeyStore",
          "org.kohsuke.",
          "com.fasterxml.jackson.databind.ObjectMapper",
          "com.fasterxml.jackson.databind.ser.",
          "com.fasterxml.jackson.databind.deser.",
          // gantry init's YAML and templates load only for init.
          "org.yaml.snakeyaml.",
          "com.fasterxml.jackson.dataformat.yaml.",
          "dev.gantry.init.");

  /**
   * A record's generated equals, hashCode or toString, first used: its call site is linked through
   * java.lang.invoke, some 60 ms of a CLI run. Records used as map keys or compared on the promote
   * path write theirs out (Digest, Repository, LayoutReference, PromoteRequest.Image); run with
   * -Djava.lang.invoke.MethodHandle.TRACE_METHOD_LINKAGE=true to see which record linked one.
   */
  private static final String RECORD_METHODS = "java.lang.runtime.ObjectMethods";

  /**
   * java.time's formatter: some 40 classes and 15 ms on first use; a record's time is written
   * without it (PromotionRecord.iso).
   */
  private static final String TIME_FORMATTER = "java.time.format.DateTimeFormatter";

  /**
   * A regular expression compiled on the way (a static pattern of a class the run sets up): its
   * classes and the lambdas java.util.regex links, milliseconds of a layout promote. Tags, digests
   * and commits are checked by loops (Ref.Tag, Digest, ImageRevision, OciLayout.isAttachmentTag),
   * and Secrets compiles its header pattern only for a line that names a scheme.
   */
  private static final String REGEX = "java.util.regex.";

  /**
   * A jar: URL connection: the class loader's way to a resource, about 4.5 ms of a cold start. The
   * parse tables and usage texts are read from the jar file itself (BuildTimeResources).
   */
  private static final String JAR_URL = "sun.net.www.protocol.jar.JarURLConnection";

  private RegistryServer registry;
  private final List<Path> temps = new ArrayList<>();

  @BeforeAll
  void start() {
    registry = RegistryServer.open();
  }

  @AfterAll
  void stop() {
    registry.close();
    temps.forEach(TempDirs::delete);
  }

  private Path temp(String prefix) {
    Path dir = TempDirs.create(prefix);
    temps.add(dir);
    return dir;
  }

  /** Runs the jar with the class-loading log; returns the classes loaded, in order. */
  private List<String> loadedBy(Result[] result, String... args) {
    Path log = temp("gantry-classes-").resolve("classes.log");
    result[0] = new GantryRunner().runJar(List.of("-Xlog:class+load:file=" + log), args);
    try {
      List<String> classes = new ArrayList<>();
      for (String line : Files.readAllLines(log)) {
        Matcher m = LOADED.matcher(line);
        if (m.find()) {
          classes.add(m.group(1));
        }
      }
      assertTrue(classes.size() > 100, "the log names the classes loaded: " + classes.size());
      return classes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void assertNone(List<String> classes, List<String> prefixes) {
    List<String> found = new ArrayList<>();
    for (int i = 0; i < classes.size(); i++) {
      String c = classes.get(i);
      // OkHttp picks its platform by listing the JDK's security providers, which creates each
      // provider's
      // registration object, SunJSSE's too; no TLS code is loaded with it.
      if (prefixes.stream().anyMatch(c::startsWith) && !c.startsWith("sun.security.ssl.SunJSSE")) {
        found.add(c + (i > 0 ? " (after " + classes.get(i - 1) + ")" : ""));
      }
    }
    assertEquals(List.of(), found, "loaded although the command does not use them");
  }

  private static void assertSome(List<String> classes, String prefix) {
    assertTrue(
        classes.stream().anyMatch(c -> c.startsWith(prefix)),
        "expected " + prefix + "* to be loaded");
  }

  @Test
  void aLayoutPromoteSetsUpNoHttpClientNoTlsAndNoObjectMapper() throws IOException {
    Path layout = temp("gantry-startup-layout-").resolve("hello");
    copyTree(Path.of("examples/hello"), layout);
    Result[] r = new Result[1];

    List<String> classes =
        loadedBy(r, "promote", "--from", "sha-abc1234", "--to", "latest", "oci:" + layout);

    assertEquals(0, r[0].exitCode(), r[0].all());
    assertTrue(r[0].stdout().startsWith("promoted"), r[0].stdout());
    assertNone(classes, NEVER);
    assertNone(classes, List.of("javax.net.ssl.", "okhttp3.internal.", "kotlin."));
    assertSome(
        classes,
        "com.fasterxml.jackson.core."); // index.json is read and written, through the streaming API
    // The command line is bound through the build-time parse table: no picocli model, parser or
    // help.
    assertNone(
        classes,
        List.of(
            "picocli.CommandLine$Model",
            "picocli.CommandLine$Interpreter",
            "picocli.CommandLine$Help",
            "picocli.CommandLine$ParseResult"));
    assertNone(classes, List.of(RECORD_METHODS, TIME_FORMATTER, REGEX, JAR_URL));
    assertEquals(List.of(), gantryLambdas(classes), "lambdas linked by a layout promote");
    // Jackson and SHA-256 are set up on a background thread while the command line is bound.
    assertSome(classes, "dev.gantry.cli.Warmup");
  }

  @Test
  void aPlainHttpRegistryPromoteLoadsNoTlsAndNoObjectMapper() {
    String image = registry.hostPort() + "/startup/api";
    TestImages.push(
        TestImages.multiArch(temp("gantry-startup-image-"), 4242),
        registry,
        "startup/api",
        "sha-abc1234");
    Result[] r = new Result[1];

    List<String> classes = loadedBy(r, "promote", "--from", "sha-abc1234", "--to", "latest", image);

    assertEquals(0, r[0].exitCode(), r[0].all());
    assertTrue(r[0].stdout().startsWith("promoted"), r[0].stdout());
    assertNone(classes, NEVER);
    assertNone(
        classes,
        List.of(
            "picocli.CommandLine$Model",
            "picocli.CommandLine$Interpreter",
            RECORD_METHODS,
            TIME_FORMATTER));
    // Each manifest is read for its own mediaType (the type it is PUT back with), through the
    // streaming parser.
    assertSome(classes, "com.fasterxml.jackson.core.");
    assertSome(classes, "okhttp3.internal.");
    // OkHttp and the JDK link lambdas and compile regular expressions of their own on this path;
    // Gantry's part of it (credentials, client, reads in parallel, manifest requests) links none.
    assertEquals(List.of(), gantryLambdas(classes), "lambdas linked by a registry promote");
  }

  /**
   * Gantry's own lambdas and method references linked in the run (each links a call site,
   * generating a class, on first use): their proxy classes are named dev.gantry.X$$Lambda$N.
   */
  private static List<String> gantryLambdas(List<String> classes) {
    List<String> lambdas = new ArrayList<>();
    for (String c : classes) {
      if (c.startsWith("dev.gantry.") && c.contains("$$Lambda$")) {
        lambdas.add(c);
      }
    }
    return lambdas;
  }

  @Test
  void initIsBoundThroughItsParseTableToo() {
    Path dir = temp("gantry-startup-init-");
    Result[] r = new Result[1];

    List<String> classes =
        loadedBy(
            r,
            "init",
            "--images",
            "api,web",
            "--default-branch",
            "main",
            "--dir",
            dir.toString(),
            "--gantry",
            "acme/gantry",
            "--dry-run");

    assertEquals(0, r[0].exitCode(), r[0].all());
    assertTrue(r[0].stdout().contains("api"), r[0].stdout());
    assertTrue(r[0].stdout().contains("web"), r[0].stdout());
    assertNone(
        classes,
        List.of(
            "picocli.CommandLine$Model",
            "picocli.CommandLine$Interpreter",
            "okhttp3.",
            "sun.security.ssl."));
  }

  @Test
  void versionIsAnsweredBeforePicocliAndHttpAreLoaded() {
    Result[] r = new Result[1];

    List<String> classes = loadedBy(r, "--version");

    assertEquals(0, r[0].exitCode(), r[0].all());
    assertTrue(r[0].stdout().startsWith("gantry "), r[0].stdout());
    assertNone(classes, NEVER);
    assertNone(
        classes,
        List.of(
            "picocli.CommandLine$Model",
            "picocli.CommandLine$Interpreter",
            "okhttp3.",
            "com.fasterxml.jackson."));
  }

  @Test
  void helpIsPrintedFromTheBuildTimeTextWithoutPicocli() {
    for (List<String> args :
        List.of(List.of("promote", "--help"), List.of("copy", "-h"), List.of("--help"))) {
      Result[] r = new Result[1];

      List<String> classes = loadedBy(r, args.toArray(String[]::new));

      assertEquals(0, r[0].exitCode(), r[0].all());
      assertTrue(r[0].stdout().startsWith("Usage: gantry"), r[0].stdout());
      assertTrue(r[0].stdout().contains("--help"), r[0].stdout());
      assertNone(classes, NEVER);
      assertNone(
          classes,
          List.of(
              "picocli.", "okhttp3.", "com.fasterxml.jackson.", "dev.gantry.cli.Gantry", JAR_URL));
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }
}
