package dev.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.registry.InMemoryRegistry;
import dev.gantry.registry.MockRegistry;
import dev.gantry.registry.TestManifests;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --json}: standard output is exactly one JSON document on every exit code, parsed strictly
 * (the whole of stdout, no trailing data), and the document says the exit code and the one-line
 * error.
 */
class JsonOutputTest {
  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final String IMAGE = "{registry}/demo/api";

  private final MockRegistry registry = new MockRegistry();
  private final InMemoryRegistry store = new InMemoryRegistry();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void close() {
    registry.close();
  }

  private int run(String... args) {
    String[] resolved =
        Arrays.stream(args)
            .map(a -> a.replace("{registry}", registry.registry()))
            .toArray(String[]::new);
    Environment env =
        new Environment(
            Map.of(),
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.systemUTC());
    return Gantry.run(resolved, env);
  }

  /** The whole of stdout as one document; fails on none, two, or anything after the first. */
  private JsonNode document() {
    String stdout = out.toString(StandardCharsets.UTF_8);
    try {
      JsonNode doc = STRICT.readTree(stdout);
      assertTrue(doc != null && doc.isObject(), "stdout is not one JSON object: " + stdout);
      return doc;
    } catch (IOException e) {
      throw new AssertionError(
          "stdout is not exactly one JSON document: " + e.getMessage() + "\n" + stdout, e);
    }
  }

  private List<String> stderrLines() {
    String s = err.toString(StandardCharsets.UTF_8);
    return s.isEmpty() ? List.of() : s.lines().toList();
  }

  private void assertFailureDocument(int code, int expected, String status) {
    JsonNode doc = document();
    assertEquals(expected, code, () -> err.toString(StandardCharsets.UTF_8));
    assertEquals(status, doc.path("status").asText(), doc::toString);
    assertEquals(expected, doc.path("exitCode").asInt(-1), doc::toString);
    // Standard error: the plan printed before the first write (when a write was planned), then the
    // one error line.
    List<String> lines =
        stderrLines().stream().filter(l -> !l.startsWith("gantry: plan: ")).toList();
    assertEquals(1, lines.size(), lines::toString);
    assertEquals(
        lines.get(0),
        "gantry: " + doc.path("error").asText(),
        "the document's error is the stderr line");
  }

  @Test
  void promotedIsOneDocumentWithExitZero() {
    store.put("demo/api", "sha-1", TestManifests.index("src"));
    registry.server.setDispatcher(store);

    int code = run("promote", "--json", "--no-record", "--from", "sha-1", "--to", "latest", IMAGE);

    assertEquals(ExitCode.OK, code, err::toString);
    assertEquals("ok", document().path("status").asText());
    // Standard error holds no JSON: only the plan lines and the summary line.
    for (String line : err.toString(StandardCharsets.UTF_8).split("\n")) {
      assertTrue(line.startsWith("gantry: plan: ") || line.startsWith("promote: "), line);
    }
  }

  @Test
  void copiedIsOneDocumentWithExitZero() {
    store.put("demo/api", "v1", TestManifests.index("src"));
    registry.server.setDispatcher(store);

    int code = run("copy", "--json", "--dry-run", IMAGE + ":v1", "{registry}/demo/web:v1");

    assertEquals(ExitCode.OK, code, err::toString);
    assertEquals("ok", document().path("status").asText());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "unknown option",
        "missing --to",
        "bad tag",
        "bad port",
        "copy missing destination",
        "jobs not a number"
      })
  void badInputIsOneErrorDocumentWithExitTwoAndNoRequest(String what) {
    registry.server.setDispatcher(store);
    String[] args =
        switch (what) {
          case "unknown option" ->
              new String[] {
                "promote", "--json", "--bogus", "--from", "sha-1", "--to", "latest", IMAGE
              };
          case "missing --to" -> new String[] {"promote", "--json", "--from", "sha-1", IMAGE};
          case "bad tag" ->
              new String[] {"promote", "--json", "--from", "sha-1", "--to", "bad!tag", IMAGE};
          case "bad port" ->
              new String[] {
                "promote", "--json", "--from", "sha-1", "--to", "latest", "localhost:0/demo/api"
              };
          case "copy missing destination" -> new String[] {"copy", "--json", IMAGE + ":v1"};
          default ->
              new String[] {
                "release",
                "--json",
                "--jobs",
                "many",
                "--repository",
                "acme/app",
                "--sha",
                "0".repeat(40)
              };
        };

    int code = run(args);

    assertFailureDocument(code, ExitCode.BAD_INPUT, "error");
    assertEquals(0, registry.server.getRequestCount());
  }

  @Test
  void withoutJsonBadInputPrintsNothingOnStdout() {
    int code = run("promote", "--bogus", "--from", "sha-1", "--to", "latest", IMAGE);

    assertEquals(ExitCode.BAD_INPUT, code);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void authenticationRefusedIsExitThree() {
    registry.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            return new MockResponse.Builder()
                .code(401)
                .addHeader("WWW-Authenticate", "Basic realm=\"r\"")
                .build();
          }
        });

    int code = run("promote", "--json", "--from", "sha-1", "--to", "latest", IMAGE);

    assertFailureDocument(code, ExitCode.AUTHENTICATION, "error");
  }

  @Test
  void missingSourceIsExitFour() {
    registry.server.setDispatcher(store);

    int code = run("copy", "--json", IMAGE + ":v1", "{registry}/demo/web:v1");

    assertFailureDocument(code, ExitCode.NOT_FOUND, "error");
  }

  @Test
  void movedSourceIsExitFive() {
    store.put("demo/api", "sha-1", TestManifests.index("src"));
    registry.server.setDispatcher(store);

    int code =
        run(
            "promote",
            "--json",
            "--from",
            "sha-1",
            "--to",
            "latest",
            IMAGE + "@" + TestManifests.index("other").digest());

    assertFailureDocument(code, ExitCode.SOURCE_MOVED, "error");
  }

  @Test
  void failedWriteWithNothingMovedIsOneReportSayingFailedNotRolledBack() {
    store
        .put("demo/api", "sha-1", TestManifests.index("src"))
        .override(
            "PUT /v2/demo/api/manifests/latest",
            MockRegistry.error(400, "MANIFEST_INVALID", "manifest invalid"));
    registry.server.setDispatcher(store);

    int code = run("promote", "--json", "--from", "sha-1", "--to", "latest", IMAGE);

    assertFailureDocument(code, ExitCode.FAILED, "failed");
    JsonNode tag = document().path("images").path(0).path("tags").path(0);
    assertEquals("failed", tag.path("outcome").asText(), document()::toString);
    assertFalse(document().toString().contains("rolled-back"), document()::toString);
  }

  @Test
  void failedWriteAfterAMoveIsOneReportWithExitSix() {
    store
        .put("demo/api", "sha-1", TestManifests.index("src"))
        .put("demo/api", "latest", TestManifests.index("old"))
        .put("demo/web", "sha-1", TestManifests.index("src"))
        .override(
            "PUT /v2/demo/web/manifests/latest",
            MockRegistry.error(400, "MANIFEST_INVALID", "manifest invalid"));
    registry.server.setDispatcher(store);

    int code =
        run(
            "promote",
            "--json",
            "--jobs",
            "1",
            "--from",
            "sha-1",
            "--to",
            "latest",
            IMAGE,
            "{registry}/demo/web");

    assertFailureDocument(code, ExitCode.ROLLED_BACK, "rolled-back");
    assertEquals(2, document().path("images").size());
  }

  @Test
  void failedRollbackIsOneReportWithExitSeven() {
    store
        .put("demo/api", "sha-1", TestManifests.index("src"))
        .put("demo/api", "latest", TestManifests.index("old"))
        .put("demo/web", "sha-1", TestManifests.index("src"))
        .override(
            "PUT /v2/demo/web/manifests/latest",
            MockRegistry.error(400, "MANIFEST_INVALID", "manifest invalid"));
    AtomicInteger apiPuts = new AtomicInteger();
    registry.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            boolean apiPut =
                r.getMethod().equals("PUT")
                    && r.getUrl().encodedPath().equals("/v2/demo/api/manifests/latest");
            if (apiPut && apiPuts.incrementAndGet() > 1) {
              return MockRegistry.error(400, "MANIFEST_INVALID", "restore refused");
            }
            return store.dispatch(r);
          }
        });

    int code =
        run(
            "promote",
            "--json",
            "--jobs",
            "1",
            "--from",
            "sha-1",
            "--to",
            "latest",
            IMAGE,
            "{registry}/demo/web");

    assertFailureDocument(code, ExitCode.ROLLBACK_INCOMPLETE, "rollback-incomplete");
  }
}
