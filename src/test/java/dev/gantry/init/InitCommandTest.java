package dev.gantry.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.ProcessRunner;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code gantry init} as a user runs it, on a real directory: what it writes, what it refuses, what
 * it leaves alone.
 */
class InitCommandTest {
  private static final String STACK = ".github/workflows/stack-tests.yml";
  private static final List<String> FILES =
      List.of(
          ".github/gantry.yml",
          STACK,
          ".github/workflows/docker-scan-and-promote.yml",
          ".github/workflows/release-and-deploy.yml",
          ".github/workflows/sbom-and-supply-chain.yml");

  private final GantryRunner gantry = new GantryRunner();

  /** {@code gantry init --dir DIR}, calling acme/gantry unless the arguments name a Gantry. */
  private Result init(Path dir, String... args) {
    List<String> all = new ArrayList<>(List.of("init", "--dir", dir.toString()));
    if (!List.of(args).contains("--gantry")) {
      all.addAll(List.of("--gantry", "acme/gantry"));
    }
    all.addAll(List.of(args));
    return gantry.run(all.toArray(String[]::new));
  }

  @Test
  void writesTheCallersWithTheBranchAndTheOneImageListFilledIn(@TempDir Path dir)
      throws IOException {
    Result r = init(dir, "--images", "base,backend,frontend", "--default-branch", "main");
    assertEquals(0, r.exitCode(), r::all);
    for (String file : FILES) {
      assertTrue(r.stdout().contains("wrote " + file), r::stdout);
      assertFalse(Files.readString(dir.resolve(file)).contains("$default-branch"), file);
    }
    assertTrue(
        text(dir, STACK)
            .contains(
                "      images: >-\n"
                    + "        [{\"name\": \"base\", \"context\": \"base\"},\n"
                    + "         {\"name\": \"backend\", \"context\": \"backend\"},\n"
                    + "         {\"name\": \"frontend\", \"context\": \"frontend\"}]\n\n"),
        () -> text(dir, STACK));
    assertTrue(
        text(dir, ".github/workflows/docker-scan-and-promote.yml")
            .contains("      images: base, backend, frontend\n"));
    assertTrue(
        text(dir, ".github/workflows/release-and-deploy.yml")
            .contains("      images: base, backend, frontend\n"));
    assertTrue(
        text(dir, ".github/workflows/sbom-and-supply-chain.yml")
            .contains("        image: [base, backend, frontend]\n"));
    assertTrue(
        text(dir, ".github/workflows/release-and-deploy.yml").contains("    branches: [main]\n"));
    assertFalse(
        text(dir, ".github/workflows/release-and-deploy.yml").contains("skip-deploy: true"));
  }

  /**
   * Every call names the Gantry asked for, at the templates' release ref unless a ref is named; the
   * templates' OWNER placeholder is left nowhere. Another ref is another file: --force moves it.
   */
  @Test
  void theCallersCallTheNamedGantry(@TempDir Path dir) throws IOException {
    Result r = init(dir, "--images", "api", "--default-branch", "main", "--gantry", "Acme/gantry");
    assertEquals(0, r.exitCode(), r::all);
    Map<String, String> calls =
        Map.of(
            STACK,
            "build-images.yml",
            ".github/workflows/docker-scan-and-promote.yml",
            "scan-and-promote.yml",
            ".github/workflows/release-and-deploy.yml",
            "release-and-deploy.yml",
            ".github/workflows/sbom-and-supply-chain.yml",
            "sbom.yml");
    calls.forEach(
        (file, callee) ->
            assertTrue(
                text(dir, file)
                    .contains("    uses: Acme/gantry/.github/workflows/" + callee + "@v1\n"),
                () -> text(dir, file)));
    for (String file : FILES) {
      assertFalse(text(dir, file).contains("OWNER"), file);
    }
    Result again =
        init(dir, "--images", "api", "--default-branch", "main", "--gantry", "Acme/gantry");
    assertEquals(5, again.stdout().lines().filter(l -> l.startsWith("unchanged ")).count());

    Map<String, byte[]> before = snapshot(dir);
    Result otherRef = init(dir, "--gantry", "acme/gantry-fork@release/2026.11");
    assertEquals(2, otherRef.exitCode(), otherRef::all);
    assertTrue(otherRef.stderr().startsWith("gantry: " + STACK + " exists and differs"));
    assertBytesEqual(before, snapshot(dir));
    Result check = init(dir, "--check", "--gantry", "acme/gantry-fork@release/2026.11");
    assertEquals(1, check.exitCode(), check::all);
    assertEquals(
        0, init(dir, "--force", "--gantry", "acme/gantry-fork@release/2026.11").exitCode());
    assertTrue(
        text(dir, STACK)
            .contains(
                "    uses: acme/gantry-fork/.github/workflows/build-images.yml@release/2026.11\n"));
    assertEquals(
        0, init(dir, "--check", "--gantry", "acme/gantry-fork@release/2026.11").exitCode());
  }

  /**
   * A development build (the tests run one: no -Dgantry.repository) knows no published Gantry:
   * without --gantry, init writes nothing and prints nothing but the one line that asks for it.
   */
  @ParameterizedTest
  @CsvSource({"--force", "--dry-run", "--check"})
  void aDevelopmentBuildNeedsTheGantryOption(String mode, @TempDir Path dir) throws IOException {
    assertEquals(null, dev.gantry.Version.repository(), "the tests run a development build");
    Result r =
        gantry.run(
            "init", "--dir", dir.toString(), "--images", "api", "--default-branch", "main", mode);
    assertEquals(2, r.exitCode(), r::all);
    assertEquals(
        "gantry: this build of Gantry does not say where it is published: name it with --gantry"
            + " OWNER/REPO[@REF] (e.g. --gantry acme/gantry@v1)",
        r.stderr().strip());
    assertEquals("", r.stdout());
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void aSecondRunChangesNothing(@TempDir Path dir) throws IOException {
    assertEquals(0, init(dir, "--images", "api,web", "--default-branch", "main").exitCode());
    Map<String, byte[]> before = snapshot(dir);
    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    for (String file : FILES) {
      Files.setLastModifiedTime(dir.resolve(file), old);
    }
    Result again = init(dir, "--images", "api,web", "--default-branch", "main");
    assertEquals(0, again.exitCode(), again::all);
    Result fromFile = init(dir);
    assertEquals(0, fromFile.exitCode(), fromFile::all);
    for (String file : FILES) {
      assertTrue(again.stdout().contains("unchanged " + file), again::stdout);
      assertEquals(old, Files.getLastModifiedTime(dir.resolve(file)), file + " was written again");
    }
    assertEquals(
        4,
        fromFile.stdout().lines().filter(l -> l.startsWith("unchanged ")).count(),
        fromFile::stdout);
    assertBytesEqual(before, snapshot(dir));
  }

  @Test
  void refusesToOverwriteAChangedFileWithoutForce(@TempDir Path dir) throws IOException {
    assertEquals(0, init(dir, "--images", "api,web", "--default-branch", "main").exitCode());
    Files.writeString(
        dir.resolve(STACK),
        text(dir, STACK).replace("no linter configured yet", "ruff check our-own-code"));
    Map<String, byte[]> before = snapshot(dir);
    Result refused = init(dir, "--images", "api,web,worker", "--default-branch", "main");
    assertEquals(2, refused.exitCode(), refused::all);
    assertEquals(
        "gantry: .github/gantry.yml exists and differs from what gantry init renders; --force overwrites it",
        refused.stderr().strip());
    assertBytesEqual(before, snapshot(dir)); // nothing written, not even the files that were fine

    Result stale = init(dir);
    assertEquals(2, stale.exitCode(), stale::all);
    assertEquals(
        "gantry: "
            + STACK
            + " exists and differs from what gantry init renders; --force overwrites it",
        stale.stderr().strip());

    Result forced = init(dir, "--force");
    assertEquals(0, forced.exitCode(), forced::all);
    assertTrue(forced.stdout().contains("wrote " + STACK), forced::stdout);
    assertFalse(text(dir, STACK).contains("ruff check our-own-code"));
  }

  @Test
  void dryRunPrintsTheFilesAndWritesNothing(@TempDir Path dir) throws IOException {
    Result r = init(dir, "--images", "api", "--default-branch", "trunk", "--dry-run");
    assertEquals(0, r.exitCode(), r::all);
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.toList());
    }
    for (String file : FILES) {
      assertTrue(r.stdout().contains("==> " + file + " (new) <=="), r::stdout);
    }
    assertTrue(r.stdout().contains("    branches: [trunk]\n"), r::stdout);
    assertTrue(r.stdout().contains("name: Release & Deploy\n"), r::stdout);
  }

  @Test
  void checkFindsDrift(@TempDir Path dir) throws IOException {
    assertEquals(0, init(dir, "--images", "api,web", "--default-branch", "main").exitCode());
    Result clean = init(dir, "--check");
    assertEquals(0, clean.exitCode(), clean::all);
    // Your own steps are not drift: --check looks for the lines that carry a setting.
    Files.writeString(
        dir.resolve(STACK),
        text(dir, STACK)
            .replace(
                "run: echo \"::notice title=Stack Tests::no unit tests "
                    + "configured yet; replace the Unit tests step\"",
                "run: ./mvnw -B test"));
    assertTrue(text(dir, STACK).contains("run: ./mvnw -B test"));
    Result ownSteps = init(dir, "--check");
    assertEquals(0, ownSteps.exitCode(), ownSteps::all);
    // A caller's image list edited by hand is.
    Path scan = dir.resolve(".github/workflows/docker-scan-and-promote.yml");
    Files.writeString(
        scan,
        text(dir, ".github/workflows/docker-scan-and-promote.yml")
            .replace("images: api, web", "images: api"));
    Result edited = init(dir, "--check");
    assertEquals(1, edited.exitCode(), edited::all);
    assertTrue(
        edited.stderr().contains("docker-scan-and-promote.yml does not match"), edited::stderr);
    assertEquals(0, init(dir, "--force").exitCode());

    // The image list edited in gantry.yml only: every caller now lags behind it.
    Files.writeString(
        dir.resolve(".github/gantry.yml"),
        text(dir, ".github/gantry.yml") + "  - name: \"worker\"\n");
    Map<String, byte[]> before = snapshot(dir);
    Result drift = init(dir, "--check");
    assertEquals(1, drift.exitCode(), drift::all);
    assertEquals(
        "gantry: init --check: " + STACK + " does not match .github/gantry.yml; run gantry init",
        drift.stderr().strip());
    assertBytesEqual(before, snapshot(dir));

    assertEquals(0, init(dir, "--force").exitCode());
    assertEquals(0, init(dir, "--check").exitCode());
    // Deploy turned off in gantry.yml: the release caller still deploys.
    Files.writeString(
        dir.resolve(".github/gantry.yml"),
        text(dir, ".github/gantry.yml").replace("deploy: true", "deploy: false"));
    Result deploy = init(dir, "--check");
    assertEquals(1, deploy.exitCode(), deploy::all);
    assertTrue(deploy.stderr().contains("release-and-deploy.yml does not match"), deploy::stderr);
    assertEquals(0, init(dir, "--force").exitCode());
    assertEquals(0, init(dir, "--check").exitCode());
    Files.delete(dir.resolve(".github/workflows/sbom-and-supply-chain.yml"));
    Result missing = init(dir, "--check");
    assertEquals(1, missing.exitCode(), missing::all);
    assertTrue(
        missing.stderr().contains(".github/workflows/sbom-and-supply-chain.yml is missing"),
        missing::stderr);
  }

  /**
   * A build stamped with where it is published (the release's -Dgantry.repository): its callers
   * call that repository with no option. The stamp is put ahead of the build's own on the class
   * path of a real JVM, as the pom's filtering writes it. A stamp of the placeholder is no stamp.
   */
  @ParameterizedTest
  @CsvSource({"acme/gantry,0", "OWNER/gantry,2", "'',2"})
  void aStampedBuildCallsWhereItIsPublished(
      String stamped, int exit, @TempDir Path classes, @TempDir Path dir) throws IOException {
    Files.createDirectories(classes.resolve("dev/gantry"));
    Files.writeString(
        classes.resolve("dev/gantry/build.properties"), "# stamped\nrepository=" + stamped + "\n");
    ProcessRunner.Result r =
        ProcessRunner.run(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classes + File.pathSeparator + System.getProperty("java.class.path"),
                "dev.gantry.Main",
                "init",
                "--dir",
                dir.toString(),
                "--images",
                "api",
                "--default-branch",
                "main"),
            Duration.ofSeconds(120),
            Map.of(),
            null);
    assertEquals(exit, r.exitCode(), () -> r.stdoutText() + r.stderr());
    if (exit == 0) {
      assertTrue(
          text(dir, STACK)
              .contains("    uses: acme/gantry/.github/workflows/build-images.yml@v1\n"),
          () -> text(dir, STACK));
    } else {
      assertTrue(r.stderr().startsWith("gantry: this build of Gantry does not say"), r::stderr);
      try (Stream<Path> left = Files.list(dir)) {
        assertEquals(List.of(), left.toList());
      }
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--images,API|--default-branch,main|image name 'API' is not a lower-case repository name",
        "--images,api,,web|--default-branch,main|--images 'api,,web' has an empty name",
        "--images,api,web,api|--default-branch,main|image api is listed twice",
        "--images,api|--default-branch,-main|default branch '-main' is not a plain branch name",
        "--images,api|--default-branch,a..b|default branch 'a..b' is not a plain branch name",
        "--images,api|--default-branch,main --registry,Not_A_Host|registry 'Not A Host' is not a registry host",
        "--images,api|--registry,ghcr.io|--images needs --default-branch",
        "--default-branch,main|--force|--default-branch needs --images",
        "--dry-run|--force|no ",
        "--images,api|--gantry,acme|--gantry 'acme' is not OWNER/REPO[@REF], e.g. acme/gantry@v1",
        "--images,api|--gantry,acme/gantry/x|--gantry 'acme/gantry/x' is not OWNER/REPO[@REF]",
        "--images,api|--gantry,-acme/gantry|--gantry '-acme/gantry' is not OWNER/REPO[@REF]",
        "--images,api|--gantry,acme/gantry@|--gantry 'acme/gantry@' has a REF that is not",
        "--images,api|--gantry,acme/gantry@v1..2|--gantry 'acme/gantry@v1..2' has a REF that is not",
        "--images,api|--gantry,acme/gantry@-v1|--gantry 'acme/gantry@-v1' has a REF that is not",
        "--images,api|--gantry,OWNER/gantry@v1|--gantry 'OWNER/gantry@v1' is the templates' placeholder",
      })
  void badOptionsExitTwoAndWriteNothing(
      String first, String second, String message, @TempDir Path dir) throws IOException {
    List<String> args = new java.util.ArrayList<>();
    for (String group : List.of(first, second)) {
      for (String pair : group.split(" ")) {
        int comma = pair.indexOf(',');
        args.add(comma < 0 ? pair : pair.substring(0, comma));
        if (comma >= 0) {
          args.add(pair.substring(comma + 1).replace('_', ' '));
        }
      }
    }
    Result r = init(dir, args.toArray(String[]::new));
    assertEquals(2, r.exitCode(), r::all);
    assertEquals(1, r.stderr().lines().count(), r::stderr);
    assertTrue(r.stderr().startsWith("gantry: " + message), r::stderr);
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void badSettingsFileExitsTwoNamingTheKey(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve(".github"));
    Files.writeString(
        dir.resolve(".github/gantry.yml"),
        "default-branch: main\nimages:\n  - name: api\n    contxt: api\n");
    Result r = init(dir);
    assertEquals(2, r.exitCode(), r::all);
    assertTrue(
        r.stderr().startsWith("gantry: .github/gantry.yml image api: unknown key 'contxt'"),
        r::stderr);
    Files.writeString(
        dir.resolve(".github/gantry.yml"),
        "default-branch: main\nimages:\n  - name: api\n"
            + "    build-args:\n      VERSION: \"${{ github.token }}\"\n");
    Result expression = init(dir);
    assertEquals(2, expression.exitCode(), expression::all);
    assertTrue(expression.stderr().contains("build-arg VERSION value"), expression::stderr);
    assertFalse(Files.exists(dir.resolve(".github/workflows")));
  }

  /**
   * options -> gantry.yml -> callers: the file says what the options said, and rendering it gives
   * the same callers.
   */
  @Test
  void roundTripOptionsToSettingsFileToCallers(@TempDir Path options, @TempDir Path fromFile)
      throws IOException {
    assertEquals(
        0,
        init(
                options,
                "--images",
                "base,backend,team/frontend",
                "--default-branch",
                "release/2026",
                "--registry",
                "registry.example.com:5000",
                "--no-deploy")
            .exitCode());
    InitSettings read = GantryFile.parse(text(options, ".github/gantry.yml"));
    assertEquals(
        new InitSettings(
            "release/2026",
            "registry.example.com:5000",
            false,
            List.of(
                ImageSpec.named("base"),
                ImageSpec.named("backend"),
                ImageSpec.named("team/frontend"))),
        read);
    Files.createDirectories(fromFile.resolve(".github"));
    Files.copy(options.resolve(".github/gantry.yml"), fromFile.resolve(".github/gantry.yml"));
    Result r = init(fromFile);
    assertEquals(0, r.exitCode(), r::all);
    assertBytesEqual(snapshot(options), snapshot(fromFile));
    String release = text(fromFile, ".github/workflows/release-and-deploy.yml");
    assertTrue(release.contains("      skip-deploy: true\n"), release);
    assertTrue(release.contains("      registry: registry.example.com:5000\n"), release);
    assertTrue(
        release.contains("      REGISTRY_PASSWORD: ${{ secrets.REGISTRY_PASSWORD }}\n"), release);
    assertTrue(
        text(fromFile, STACK).contains("[{\"name\": \"base\", \"context\": \"base\"},"),
        () -> text(fromFile, STACK));
    assertTrue(
        text(fromFile, STACK)
            .contains(" {\"name\": \"team/frontend\", \"context\": \"frontend\"}]"));
  }

  /** Every build-images field of gantry.yml reaches the JSON, in the template's spacing. */
  @Test
  void passesBuildSettingsThroughToBuildImages(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve(".github"));
    Files.writeString(
        dir.resolve(".github/gantry.yml"),
        """
        default-branch: main
        images:
          - name: base
            context: backend
            dockerfile: backend/Dockerfile.base
          - name: backend
            context: backend
            after: [base]
            build-args: {BASE: "base image", PYTHON: "3.12"}
            target: runtime
            platforms: linux/amd64,linux/arm64
        """);
    Result r = init(dir);
    assertEquals(0, r.exitCode(), r::all);
    assertTrue(
        text(dir, STACK)
            .contains(
                "        [{\"name\": \"base\", \"context\": \"backend\", \"dockerfile\": \"backend/Dockerfile.base\"},\n"
                    + "         {\"name\": \"backend\", \"context\": \"backend\", \"after\": [\"base\"], \"build-args\": "
                    + "{\"BASE\": \"base image\", \"PYTHON\": \"3.12\"}, \"target\": \"runtime\", "
                    + "\"platforms\": \"linux/amd64,linux/arm64\"}]\n"),
        () -> text(dir, STACK));
    assertFalse(Files.exists(dir.resolve(".github/gantry.yml.tmp")));
  }

  private static String text(Path dir, String file) {
    try {
      return Files.readString(dir.resolve(file));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<String, byte[]> snapshot(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(f).toString(), Files.readAllBytes(f));
      }
    }
    return out;
  }

  private static void assertBytesEqual(Map<String, byte[]> expected, Map<String, byte[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach(
        (k, v) -> assertTrue(java.util.Arrays.equals(v, actual.get(k)), k + " changed"));
  }
}
