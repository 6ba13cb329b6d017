package dev.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A credential helper is a process: it runs once per registry, not once per request. */
class CredentialHelperOnceTest {
  private static final byte[] MANIFEST =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{},\"layers\":[]}"
          .getBytes(StandardCharsets.UTF_8);
  private static final String BASIC =
      "Basic "
          + Base64.getEncoder().encodeToString("ci:helper-secret".getBytes(StandardCharsets.UTF_8));

  @TempDir Path dir;

  @Test
  void aPromoteOfTwoTagsAsksTheHelperOnce() throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              if (!BASIC.equals(request.getHeaders().get("Authorization"))) {
                return new MockResponse.Builder()
                    .code(401)
                    .addHeader("WWW-Authenticate", "Basic realm=\"r\"")
                    .build();
              }
              String path = request.getUrl().encodedPath();
              if (path.endsWith("/manifests/sha-abc1234")) {
                return new MockResponse.Builder()
                    .code(200)
                    .addHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                    .body(new okio.Buffer().write(MANIFEST))
                    .build();
              }
              if ("PUT".equals(request.getMethod())) {
                return new MockResponse.Builder().code(201).build();
              }
              return new MockResponse.Builder().code(404).build();
            }
          });
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      String registry = "127.0.0.1:" + server.getPort();

      Path calls = dir.resolve("calls.log");
      Path bin = Files.createDirectories(dir.resolve("bin"));
      Path helper = bin.resolve("docker-credential-count");
      Files.writeString(
          helper,
          "#!/bin/sh\ncat >/dev/null\necho called >> '"
              + calls
              + "'\n"
              + "printf '{\"ServerURL\":\"%s\",\"Username\":\"ci\",\"Secret\":\"helper-secret\"}' x\n");
      Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path home = dir.resolve("home");
      Files.createDirectories(home.resolve(".docker"));
      Files.writeString(
          home.resolve(".docker/config.json"),
          "{\"credHelpers\":{\"" + registry + "\":\"count\"}}");

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Environment env =
          new Environment(
              Map.of("HOME", home.toString(), "PATH", bin + ":/usr/bin:/bin"),
              new ByteArrayInputStream(new byte[0]),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              Clock.systemUTC());

      int code =
          Gantry.run(
              new String[] {
                "promote",
                "--from",
                "sha-abc1234",
                "--to",
                "latest",
                "--to",
                "stable",
                registry + "/demo/api"
              },
              env);

      assertEquals(ExitCode.OK, code, out.toString(StandardCharsets.UTF_8));
      assertEquals(1, Files.readAllLines(calls).size(), "helper calls");
    }
  }
}
