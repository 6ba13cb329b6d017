package dev.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.Secrets;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** No secret reaches output, even when a registry echoes our Authorization header back in its error body. */
class RedactionTest {
  private static final String PASSWORD = "s3cr3t-PASSWORD-9f2c";

  @Test
  void registryEchoingTheAuthorizationHeaderCannotMakeUsPrintIt() throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          String auth = request.getHeaders().get("Authorization");
          if (auth == null) {
            return new MockResponse.Builder().code(401).addHeader("WWW-Authenticate", "Basic realm=\"r\"").build();
          }
          String body = "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"denied for header " + auth + " and password "
              + PASSWORD + "\"}]}";
          return new MockResponse.Builder().code(403).addHeader("Content-Type", "application/json").body(body).build();
        }
      });
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Environment env = new Environment(Map.of("HOME", "/nonexistent"), new ByteArrayInputStream(PASSWORD.getBytes(StandardCharsets.UTF_8)),
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC());

      int code = Gantry.run(new String[] {"promote", "--json", "--jobs", "1", "--username", "ci", "--password-stdin", "--from", "sha-abc1234",
          "--to", "latest", "127.0.0.1:" + server.getPort() + "/demo/api"}, env);

      String all = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
      assertEquals(ExitCode.AUTHENTICATION, code, all);
      assertTrue(all.contains("DENIED"), all);
      assertFalse(all.contains(PASSWORD), all);
      String basic = Base64.getEncoder().encodeToString(("ci:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      assertFalse(all.contains(basic), all);
    }
  }

  @Test
  void redactsKnownSecretsAndHeaderValues() {
    Secrets secrets = new Secrets();
    secrets.add("tok-SECRET-123");
    secrets.add("abc"); // too short to be a secret worth blanking everywhere
    assertEquals("token *** seen", secrets.redact("token tok-SECRET-123 seen"));
    assertEquals("Authorization: Bearer ***", secrets.redact("Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig"));
    assertEquals("abc stays", secrets.redact("abc stays"));
  }

  @Test
  void outputStreamRedactsSecretsAddedAfterItWasCreated() {
    Secrets secrets = new Secrets();
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(new RedactingOutputStream(sink, secrets), true, StandardCharsets.UTF_8);
    secrets.add("late-token-42");
    out.println("got late-token-42 from the realm");
    out.print("partial late-token-42");
    out.flush();
    assertEquals("got *** from the realm\npartial ***", sink.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
  }
}
