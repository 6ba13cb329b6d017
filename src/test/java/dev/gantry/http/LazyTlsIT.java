package dev.gantry.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.image.Manifest;
import dev.gantry.registry.InMemoryRegistry;
import dev.gantry.registry.TestManifests;
import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.ProcessRunner;
import dev.gantry.testing.TempDirs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TLS is set up on the first HTTPS connection instead of at start-up: a promote against an HTTPS
 * registry still verifies the certificate chain and the host name. The registry is named {@code
 * registry.test} (resolved to 127.0.0.1 through the JDK's hosts-file property, so Gantry picks
 * HTTPS for it) and serves a certificate for that name, made by keytool; the jar runs as a child
 * process trusting exactly that certificate, or nothing extra.
 */
class LazyTlsIT {
  private static final String PASSWORD = "changeit";
  private static final String NAME = "demo/api";
  private static final Manifest SOURCE = TestManifests.index("lazy-tls");

  private final InMemoryRegistry store = new InMemoryRegistry();
  private final MockWebServer server = new MockWebServer();
  private Path dir;
  private Path keystore;
  private Path hosts;

  @BeforeEach
  void start() throws Exception {
    dir = TempDirs.create("gantry-tls-");
    keystore = dir.resolve("registry.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    ProcessRunner.check(
        List.of(
            keytool,
            "-genkeypair",
            "-alias",
            "registry",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=registry.test",
            "-ext",
            "SAN=dns:registry.test",
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-keystore",
            keystore.toString(),
            "-storepass",
            PASSWORD,
            "-keypass",
            PASSWORD),
        Duration.ofMinutes(1),
        Map.of(),
        new byte[0]);
    hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 registry.test\n");

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    server.useHttps(context.getSocketFactory());
    server.setDispatcher(store);
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    store.put(NAME, "sha-1", SOURCE);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    TempDirs.delete(dir);
  }

  private Result promote(List<String> jvmOptions) {
    return new GantryRunner()
        .runJar(
            jvmOptions,
            "promote",
            "--from",
            "sha-1",
            "--to",
            "latest",
            "registry.test:" + server.getPort() + "/" + NAME);
  }

  @Test
  void promotesOverHttpsWithTheCertificateChainAndHostNameChecked() throws InterruptedException {
    Result r =
        promote(
            List.of(
                "-Djdk.net.hosts.file=" + hosts,
                "-Djavax.net.ssl.trustStore=" + keystore,
                "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-Djavax.net.ssl.trustStorePassword=" + PASSWORD));

    assertEquals(0, r.exitCode(), r.all());
    assertTrue(r.stdout().startsWith("promoted"), r.stdout());
    assertArrayEquals(SOURCE.bytes(), store.get(NAME, "latest").bytes());
    RecordedRequest first = server.takeRequest(1, TimeUnit.SECONDS);
    assertNotNull(first);
    assertNotNull(first.getHandshake(), "the request came over TLS");
  }

  @Test
  void aCertificateNobodyTrustsIsRefused() {
    Result r = promote(List.of("-Djdk.net.hosts.file=" + hosts));

    assertNotEquals(0, r.exitCode(), r.all());
    assertTrue(r.stderr().contains("registry.test:" + server.getPort() + "/" + NAME), r.stderr());
    assertTrue(r.stderr().toLowerCase(java.util.Locale.ROOT).contains("certif"), r.stderr());
    assertNull(store.get(NAME, "latest"), "nothing was written");
  }
}
