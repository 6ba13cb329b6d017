package dev.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.image.Manifest;
import dev.gantry.registry.InMemoryRegistry;
import dev.gantry.registry.MockRegistry;
import dev.gantry.registry.TestManifests;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line as a user meets it: exit code, one line on stderr, and nothing sent on bad
 * input.
 */
class GantryCliTest {
  private static final Manifest SRC = TestManifests.index("src");
  private static final String IMAGE = "{registry}/demo/api";

  private final MockRegistry registry = new MockRegistry();
  private final InMemoryRegistry store = new InMemoryRegistry();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void close() {
    registry.close();
  }

  private int runWithStdin(String stdin, String... args) {
    String[] resolved =
        Arrays.stream(args)
            .map(a -> a.replace("{registry}", registry.registry()))
            .toArray(String[]::new);
    // No HOME and no DOCKER_CONFIG: the developer's own Docker credentials never take part.
    Environment env =
        new Environment(
            Map.of(),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.systemUTC());
    return Gantry.run(resolved, env);
  }

  private int run(String... args) {
    return runWithStdin("", args);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private List<String> stderrLines() {
    String s = err.toString(StandardCharsets.UTF_8);
    return s.isEmpty() ? List.of() : s.lines().toList();
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        Arguments.of(
            "unknown option",
            List.of("promote", "--bogus", "--from", "sha-1", "--to", "latest", IMAGE),
            "--bogus"),
        Arguments.of("missing --to", List.of("promote", "--from", "sha-1", IMAGE), "--to"),
        Arguments.of("missing --from", List.of("promote", "--to", "latest", IMAGE), "--from"),
        Arguments.of(
            "bad tag", List.of("promote", "--from", "sha-1", "--to", "bad!tag", IMAGE), "bad!tag"),
        Arguments.of(
            "129-char tag",
            List.of("promote", "--from", "sha-1", "--to", "t".repeat(129), IMAGE),
            "t".repeat(129)),
        Arguments.of(
            "bad digest",
            List.of("promote", "--from", "@sha256:abc", "--to", "latest", IMAGE),
            "sha256:abc"),
        Arguments.of(
            "bad pinned digest",
            List.of("promote", "--from", "sha-1", "--to", "latest", IMAGE + "@sha256:xyz"),
            "sha256:xyz"),
        Arguments.of("no image", List.of("promote", "--from", "sha-1", "--to", "latest"), "IMAGE"),
        Arguments.of(
            "image with tag",
            List.of("promote", "--from", "sha-1", "--to", "latest", IMAGE + ":sha-1"),
            "demo/api:sha-1"),
        Arguments.of(
            "upper-case repository",
            List.of("promote", "--from", "sha-1", "--to", "latest", "{registry}/Demo/api"),
            "Demo/api"),
        Arguments.of(
            "same tag", List.of("promote", "--from", "latest", "--to", "latest", IMAGE), "latest"),
        Arguments.of(
            "--jobs 0",
            List.of("promote", "--jobs", "0", "--from", "sha-1", "--to", "latest", IMAGE),
            "--jobs 0"),
        Arguments.of(
            "--jobs 65",
            List.of("promote", "--jobs", "65", "--from", "sha-1", "--to", "latest", IMAGE),
            "--jobs 65"),
        Arguments.of(
            "--jobs not a number",
            List.of("promote", "--jobs", "many", "--from", "sha-1", "--to", "latest", IMAGE),
            "many"),
        Arguments.of(
            "--username without --password-stdin",
            List.of("promote", "--username", "bob", "--from", "sha-1", "--to", "latest", IMAGE),
            "--username"),
        Arguments.of(
            "--password-stdin without --username",
            List.of("promote", "--password-stdin", "--from", "sha-1", "--to", "latest", IMAGE),
            "--password-stdin"),
        Arguments.of(
            "bad --insecure-registry",
            List.of(
                "promote",
                "--insecure-registry",
                "bad host!",
                "--from",
                "sha-1",
                "--to",
                "latest",
                IMAGE),
            "bad host!"),
        Arguments.of(
            "port 0",
            List.of("promote", "--from", "sha-1", "--to", "latest", "localhost:0/demo/api"),
            "localhost:0"),
        Arguments.of(
            "port 65536",
            List.of("promote", "--from", "sha-1", "--to", "latest", "localhost:65536/demo/api"),
            "localhost:65536"),
        Arguments.of(
            "port 99999",
            List.of("copy", "localhost:99999/demo/api:v1", IMAGE + ":v1"),
            "localhost:99999"),
        Arguments.of(
            "port with leading zeros",
            List.of("copy", IMAGE + ":v1", "localhost:00080/demo/api:v1"),
            "localhost:00080"),
        Arguments.of(
            "--insecure-registry port 70000",
            List.of(
                "promote",
                "--insecure-registry",
                "host:70000",
                "--from",
                "sha-1",
                "--to",
                "latest",
                IMAGE),
            "host:70000"),
        Arguments.of(
            "--creds-for a registry the command does not name",
            List.of(
                "copy",
                "--creds-for",
                "other.example:5000",
                "--username",
                "bob",
                "--password-stdin",
                IMAGE + ":v1",
                "{registry}/demo/web:v1"),
            "other.example:5000"),
        Arguments.of(
            "--username for images on two registries without --creds-for",
            List.of(
                "promote",
                "--username",
                "bob",
                "--password-stdin",
                "--from",
                "sha-1",
                "--to",
                "latest",
                IMAGE,
                "localhost:5999/demo/web"),
            "--creds-for"),
        Arguments.of(
            "--creds-for without --username",
            List.of(
                "promote",
                "--creds-for",
                "localhost:5999",
                "--from",
                "sha-1",
                "--to",
                "latest",
                IMAGE),
            "--creds-for"),
        // the ledger (issue 17)
        Arguments.of(
            "bad --soak",
            List.of("promote", "--from", "staging", "--to", "prod", "--soak", "2 hours", IMAGE),
            "2 hours"),
        Arguments.of(
            "--soak with a digest source",
            List.of(
                "promote",
                "--from",
                "@sha256:" + "a".repeat(64),
                "--to",
                "prod",
                "--soak",
                "1h",
                IMAGE),
            "--soak"),
        Arguments.of(
            "bad --sha",
            List.of("promote", "--from", "staging", "--to", "prod", "--sha", "xyz", IMAGE),
            "xyz"),
        Arguments.of(
            "--history 101",
            List.of("promote", "--from", "staging", "--to", "prod", "--history", "101", IMAGE),
            "--history 101"),
        Arguments.of("history --limit 0", List.of("history", "--limit", "0", IMAGE), "--limit 0"),
        Arguments.of(
            "history of a digest",
            List.of("history", IMAGE + "@sha256:" + "a".repeat(64)),
            "digest"),
        Arguments.of("history bad tag", List.of("history", IMAGE + ":bad!tag"), "bad!tag"),
        Arguments.of("rollback without --tag", List.of("rollback", IMAGE), "--tag"),
        Arguments.of(
            "rollback bad --to",
            List.of("rollback", "--tag", "latest", "--to", "yesterday", IMAGE),
            "yesterday"),
        Arguments.of(
            "rollback bad --to digest",
            List.of("rollback", "--tag", "latest", "--to", "sha256:abc", IMAGE),
            "sha256:abc"),
        Arguments.of(
            "rollback of a pinned image",
            List.of("rollback", "--tag", "latest", IMAGE + "@sha256:" + "b".repeat(64)),
            "must not carry a digest"),
        Arguments.of("rollback bad tag", List.of("rollback", "--tag", "bad!tag", IMAGE), "bad!tag"),
        Arguments.of(
            "copy bad --sha",
            List.of("copy", "--sha", "nope", IMAGE + ":v1", "{registry}/demo/web:v1"),
            "nope"),
        Arguments.of("no command", List.of(), "missing command"),
        Arguments.of(
            "unknown command",
            List.of("promot", "--from", "sha-1", "--to", "latest", IMAGE),
            "promot"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInputIsExitTwoWithOneLineAndNoRequest(String what, List<String> args, String named) {
    registry.server.setDispatcher(store);

    int code = run(args.toArray(String[]::new));

    List<String> lines = stderrLines();
    assertEquals(ExitCode.BAD_INPUT, code, () -> String.join("\n", lines));
    assertEquals(1, lines.size(), () -> "stderr: " + lines);
    assertTrue(lines.get(0).startsWith("gantry: "), lines.get(0));
    assertTrue(lines.get(0).contains(named), () -> "'" + named + "' not in: " + lines.get(0));
    assertEquals("", stdout());
    assertEquals(0, registry.server.getRequestCount(), "bad input must not reach the registry");
  }

  @Test
  void validInputDoesReachTheRegistry() {
    store.put("demo/api", "sha-1", SRC);
    registry.server.setDispatcher(store);

    // The promote's own requests; the ledger's are counted in LedgerRequestsTest.
    int code = run("promote", "--no-record", "--from", "sha-1", "--to", "latest", IMAGE);

    assertEquals(ExitCode.OK, code, err::toString);
    assertEquals(
        4, registry.server.getRequestCount(), "GET source, HEAD target (404, checked by GET), PUT");
    assertTrue(stdout().startsWith("promoted "), stdout());
    assertTrue(stdout().contains(registry.registry() + "/demo/api:latest"), stdout());
    // Standard error: the plan before the write, then the summary line (README, "Progress and the
    // summary line").
    List<String> lines = stderrLines();
    assertTrue(lines.size() >= 2, "plan and summary: " + lines);
    assertTrue(
        lines.subList(0, lines.size() - 1).stream().allMatch(l -> l.startsWith("gantry: plan: ")),
        "the plan first: " + lines);
    assertTrue(
        lines
            .get(lines.size() - 1)
            .matches(
                "promote: 0 B moved; blobs: 0 uploaded, 0 mounted, 0 already there; 1 manifest written; [0-9.]+ m?s, 0 B/s"),
        lines::toString);
  }

  @Test
  void missingSourceIsExitFourWithTheReadmeMessage() {
    registry.server.setDispatcher(store);

    int code = run("promote", "--from", "sha-abc1234", "--to", "latest", IMAGE);

    assertEquals(ExitCode.NOT_FOUND, code);
    assertEquals(
        List.of(
            "gantry: get manifest "
                + registry.registry()
                + "/demo/api:sha-abc1234: HTTP 404 MANIFEST_UNKNOWN: manifest unknown"),
        stderrLines());
  }

  @Test
  void failedWriteAfterAMoveIsExitSixWithOneLine() {
    store
        .put("demo/api", "sha-1", SRC)
        .put("demo/api", "latest", TestManifests.index("old"))
        .put("demo/web", "sha-1", SRC)
        .override(
            "PUT /v2/demo/web/manifests/latest",
            MockRegistry.error(400, "MANIFEST_INVALID", "manifest invalid"));
    registry.server.setDispatcher(store);

    int code =
        run(
            "promote",
            "--jobs",
            "1",
            "--from",
            "sha-1",
            "--to",
            "latest",
            IMAGE,
            "{registry}/demo/web");

    assertEquals(ExitCode.ROLLED_BACK, code);
    List<String> lines =
        stderrLines().stream().filter(l -> !l.startsWith("gantry: plan: ")).toList();
    assertEquals(1, lines.size(), lines::toString);
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "gantry: put manifest " + registry.registry() + "/demo/web:latest: HTTP 400"),
        lines.get(0));
    assertTrue(stdout().contains("rolled-back"), stdout());
    assertTrue(stdout().contains("failed"), stdout());
  }

  /**
   * Regression test (fixed; the bug was in PromoteCommand.call: {@code PromoteRequest.parse} and
   * {@code registry.validate()} run before the try block that prints {@code
   * PromoteOutput.errorJson}): with --json, bad input prints nothing on stdout, although the README
   * says --json prints one JSON document "also on failure:
   * {"status":"error","exitCode":N,"error":"…"}". A workflow parsing stdout gets an empty document
   * on exit 2.
   */
  @Test
  void jsonBadInputStillPrintsTheErrorDocument() {
    registry.server.setDispatcher(store);

    int code = run("promote", "--json", "--from", "sha-1", "--to", "bad!tag", IMAGE);

    assertEquals(ExitCode.BAD_INPUT, code);
    assertTrue(
        stdout()
            .startsWith("{\"status\":\"error\",\"exitCode\":2,\"error\":\"invalid tag 'bad!tag'"),
        stdout());
  }

  @Test
  void secretsFromStdinAndTheTokenNeverReachTheOutput() {
    List<RecordedRequest> seen = new ArrayList<>();
    registry.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            seen.add(r);
            if (r.getUrl().encodedPath().equals("/token")) {
              return new MockResponse.Builder()
                  .code(200)
                  .body("{\"token\":\"tok-SECRET\"}")
                  .build();
            }
            if (r.getHeaders().get("Authorization") == null) {
              return new MockResponse.Builder()
                  .code(401)
                  .addHeader(
                      "WWW-Authenticate",
                      "Bearer realm=\""
                          + registry.realm()
                          + "\",service=\"reg\",scope=\"repository:demo/api:pull\"")
                  .build();
            }
            return r.getMethod().equals("HEAD")
                ? MockRegistry.status(403)
                : MockRegistry.error(403, "DENIED", "requested access to the resource is denied");
          }
        });

    int code =
        runWithStdin(
            "s3cr3t-PASSWORD\n",
            "promote",
            "--json",
            "--username",
            "ci-bot",
            "--password-stdin",
            "--from",
            "sha-1",
            "--to",
            "latest",
            IMAGE);

    assertEquals(ExitCode.AUTHENTICATION, code, err::toString);
    String all = stdout() + err.toString(StandardCharsets.UTF_8);
    assertFalse(all.contains("s3cr3t-PASSWORD"), all);
    assertFalse(all.contains("tok-SECRET"), all);
    assertEquals(1, stderrLines().size(), all);
    assertTrue(stdout().contains("\"exitCode\":3"), stdout());
    assertTrue(
        seen.stream()
            .anyMatch(r -> "Bearer tok-SECRET".equals(r.getHeaders().get("Authorization"))),
        "the token was used");
  }
}
