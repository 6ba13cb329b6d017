package dev.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.Secrets;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No secret reaches output, even when a registry echoes our Authorization header back in its error
 * body.
 */
class RedactionTest {
  private static final String PASSWORD = "s3cr3t-PASSWORD-9f2c";

  @Test
  void registryEchoingTheAuthorizationHeaderCannotMakeUsPrintIt() throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              String auth = request.getHeaders().get("Authorization");
              if (auth == null) {
                return new MockResponse.Builder()
                    .code(401)
                    .addHeader("WWW-Authenticate", "Basic realm=\"r\"")
                    .build();
              }
              String body =
                  "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"denied for header "
                      + auth
                      + " and password "
                      + PASSWORD
                      + "\"}]}";
              return new MockResponse.Builder()
                  .code(403)
                  .addHeader("Content-Type", "application/json")
                  .body(body)
                  .build();
            }
          });
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Environment env =
          new Environment(
              Map.of("HOME", "/nonexistent"),
              new ByteArrayInputStream(PASSWORD.getBytes(StandardCharsets.UTF_8)),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              Clock.systemUTC());

      int code =
          Gantry.run(
              new String[] {
                "promote",
                "--json",
                "--jobs",
                "1",
                "--username",
                "ci",
                "--password-stdin",
                "--from",
                "sha-abc1234",
                "--to",
                "latest",
                "127.0.0.1:" + server.getPort() + "/demo/api"
              },
              env);

      String all = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
      assertEquals(ExitCode.AUTHENTICATION, code, all);
      assertTrue(all.contains("DENIED"), all);
      assertFalse(all.contains(PASSWORD), all);
      String basic =
          Base64.getEncoder().encodeToString(("ci:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      assertFalse(all.contains(basic), all);
    }
  }

  /** How a registry echoes the password back, and the password that form needs. */
  enum Echo {
    JSON_ESCAPED("pa\"ss\\word-Qx7z", true),
    WHITESPACE_COLLAPSED("my  secret\tpass-Qx7z", false),
    CUT_AT_200_CHARACTERS("Qx7z-TRUNCATED-secret-value", false),
    URL_ENCODED("p@ss word/+=&Qx7z", true),
    BASE64_BASIC_UNPADDED("Qx7z-basic-pw", true);

    final String password;
    final boolean json;

    Echo(String password, boolean json) {
      this.password = password;
      this.json = json;
    }

    String body(String authorization) {
      return switch (this) {
        case JSON_ESCAPED -> jsonError("denied for password " + password);
        case WHITESPACE_COLLAPSED -> "denied:\n  password " + password + " is not allowed here";
        case CUT_AT_200_CHARACTERS -> "denied: " + "x".repeat(180) + " " + password + " and more";
        case URL_ENCODED ->
            jsonError(
                "denied GET /login?password="
                    + URLEncoder.encode(password, StandardCharsets.UTF_8)
                    + " and /login?p="
                    + URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20"));
        case BASE64_BASIC_UNPADDED ->
            jsonError("denied auth=" + authorization.substring("Basic ".length()).replace("=", ""));
      };
    }

    private static String jsonError(String message) {
      return "{\"errors\":[{\"code\":\"DENIED\",\"message\":"
          + dev.gantry.Json.mapper().valueToTree(message)
          + "}]}";
    }
  }

  /** Every form the password could take in our output, none of which may appear. */
  private static List<String> forbidden(String password) {
    String basic =
        Base64.getEncoder().encodeToString(("ci:" + password).getBytes(StandardCharsets.UTF_8));
    String escaped = dev.gantry.Json.mapper().valueToTree(password).toString();
    return List.of(
        password,
        escaped.substring(1, escaped.length() - 1),
        password.replaceAll("\\s+", " "),
        URLEncoder.encode(password, StandardCharsets.UTF_8),
        URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20"),
        basic,
        basic.replace("=", ""),
        password.substring(0, 8));
  }

  @ParameterizedTest(name = "{0}, json={1}")
  @CsvSource({
    "JSON_ESCAPED,false",
    "JSON_ESCAPED,true",
    "WHITESPACE_COLLAPSED,false",
    "WHITESPACE_COLLAPSED,true",
    "CUT_AT_200_CHARACTERS,false",
    "CUT_AT_200_CHARACTERS,true",
    "URL_ENCODED,false",
    "URL_ENCODED,true",
    "BASE64_BASIC_UNPADDED,false",
    "BASE64_BASIC_UNPADDED,true"
  })
  void aPasswordEchoedInAnyFormNeverReachesOutput(Echo echo, boolean json) throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              String auth = request.getHeaders().get("Authorization");
              if (auth == null) {
                return new MockResponse.Builder()
                    .code(401)
                    .addHeader("WWW-Authenticate", "Basic realm=\"r\"")
                    .build();
              }
              return new MockResponse.Builder()
                  .code(403)
                  .addHeader("Content-Type", echo.json ? "application/json" : "text/plain")
                  .body(echo.body(auth))
                  .build();
            }
          });
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Environment env =
          new Environment(
              Map.of(),
              new ByteArrayInputStream((echo.password + "\n").getBytes(StandardCharsets.UTF_8)),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              Clock.systemUTC());
      List<String> args =
          new ArrayList<>(
              List.of(
                  "promote",
                  "--jobs",
                  "1",
                  "--username",
                  "ci",
                  "--password-stdin",
                  "--from",
                  "sha-abc1234",
                  "--to",
                  "latest",
                  "127.0.0.1:" + server.getPort() + "/demo/api"));
      if (json) {
        args.add(1, "--json");
      }

      int code = Gantry.run(args.toArray(String[]::new), env);

      String stdout = out.toString(StandardCharsets.UTF_8);
      String stderr = err.toString(StandardCharsets.UTF_8);
      assertEquals(ExitCode.AUTHENTICATION, code, stdout + stderr);
      assertTrue(stderr.contains("HTTP 403"), stderr);
      for (String form : forbidden(echo.password)) {
        assertFalse(stdout.contains(form), () -> "'" + form + "' on stdout: " + stdout);
        assertFalse(stderr.contains(form), () -> "'" + form + "' on stderr: " + stderr);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "ab", "abc", "abc\n"})
  void aPasswordTooShortToRedactIsRefusedBeforeAnyRequest(String password) throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return new MockResponse.Builder()
                  .code(401)
                  .addHeader("WWW-Authenticate", "Basic realm=\"r\"")
                  .build();
            }
          });
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Environment env =
          new Environment(
              Map.of(),
              new ByteArrayInputStream(password.getBytes(StandardCharsets.UTF_8)),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              Clock.systemUTC());

      int code =
          Gantry.run(
              new String[] {
                "promote",
                "--username",
                "ci",
                "--password-stdin",
                "--from",
                "sha-abc1234",
                "--to",
                "latest",
                "127.0.0.1:" + server.getPort() + "/demo/api"
              },
              env);

      assertEquals(ExitCode.BAD_INPUT, code);
      assertEquals(
          "gantry: --password-stdin: password too short to keep out of logs (at least 4 characters)\n",
          err.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
      assertEquals(0, server.getRequestCount());
    }
  }

  @Test
  void aDockerConfigPasswordTooShortToRedactIsRefusedBeforeItIsSent() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return request.getHeaders().get("Authorization") != null
                  ? new MockResponse.Builder().code(500).build()
                  : new MockResponse.Builder()
                      .code(401)
                      .addHeader("WWW-Authenticate", "Basic realm=\"r\"")
                      .build();
            }
          });
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      java.nio.file.Path config = java.nio.file.Files.createTempDirectory("gantry-docker-config-");
      String auth = Base64.getEncoder().encodeToString("ci:pw".getBytes(StandardCharsets.UTF_8));
      java.nio.file.Files.writeString(
          config.resolve("config.json"),
          "{\"auths\":{\"127.0.0.1:" + server.getPort() + "\":{\"auth\":\"" + auth + "\"}}}");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Environment env =
          new Environment(
              Map.of("DOCKER_CONFIG", config.toString()),
              new ByteArrayInputStream(new byte[0]),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              Clock.systemUTC());

      int code =
          Gantry.run(
              new String[] {
                "promote",
                "--from",
                "sha-abc1234",
                "--to",
                "latest",
                "127.0.0.1:" + server.getPort() + "/demo/api"
              },
              env);

      assertEquals(ExitCode.BAD_INPUT, code, err.toString(StandardCharsets.UTF_8));
      assertTrue(
          err.toString(StandardCharsets.UTF_8).contains("too short to keep out of logs"),
          err.toString(StandardCharsets.UTF_8));
      for (int i = 0; i < server.getRequestCount(); i++) {
        assertEquals(
            null,
            server.takeRequest().getHeaders().get("Authorization"),
            "the short password was sent");
      }
    }
  }

  @Test
  void redactsKnownSecretsAndHeaderValues() {
    Secrets secrets = new Secrets();
    secrets.add("tok-SECRET-123");
    assertEquals("token *** seen", secrets.redact("token tok-SECRET-123 seen"));
    assertEquals(
        "Authorization: Bearer ***",
        secrets.redact("Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig"));
    // Too short to blank out without blanking words: every input refuses it first, and redaction
    // will not take it.
    assertThrows(IllegalArgumentException.class, () -> secrets.add("abc"));
  }

  @Test
  void outputStreamRedactsSecretsAddedAfterItWasCreated() {
    Secrets secrets = new Secrets();
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream out =
        new PrintStream(new RedactingOutputStream(sink, secrets), true, StandardCharsets.UTF_8);
    secrets.add("late-token-42");
    out.println("got late-token-42 from the realm");
    out.print("partial late-token-42");
    out.flush();
    assertEquals(
        "got *** from the realm\npartial ***",
        sink.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
  }

  @Test
  void outputStreamRedactsWholeLinesWhateverTheWritesCut() throws IOException {
    Secrets secrets = new Secrets();
    secrets.add("split-token-77");
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    RedactingOutputStream out = new RedactingOutputStream(sink, secrets);
    byte[] text =
        "one split-token-77\ntwo split-token-77 and split-token-77\nthree split-token-77"
            .getBytes(StandardCharsets.UTF_8);
    // Several lines in one write, a secret cut across two writes, a last line without its end.
    out.write(text, 0, 30);
    out.write(text, 30, 1);
    out.write(text, 31, text.length - 31);
    assertEquals("one ***\ntwo *** and ***\n", sink.toString(StandardCharsets.UTF_8));
    out.flush();
    assertEquals("one ***\ntwo *** and ***\nthree ***", sink.toString(StandardCharsets.UTF_8));
  }
}
