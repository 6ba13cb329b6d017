package dev.gantry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.registry.MockRegistry;
import dev.gantry.registry.Repository;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upload {@code Location} on another host (a storage front end) gets no {@code Authorization}:
 * the registry's Basic credentials or Bearer token are for the host that challenged for them.
 */
class UploadLocationAuthTest {
  private static final byte[] BLOB = "hello, storage".getBytes(StandardCharsets.UTF_8);
  private static final Credentials CREDS = Credentials.basic("ci-bot", "s3cr3t-PASSWORD");

  private final MockRegistry registry = new MockRegistry();
  private final Repository repo = registry.repository("demo/api");
  private final MockWebServer storage = new MockWebServer();

  @AfterEach
  void close() {
    registry.close();
    storage.close();
  }

  private Descriptor blob() throws NoSuchAlgorithmException {
    String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BLOB));
    return new Descriptor("application/octet-stream", Digest.parse("sha256:" + hex), BLOB.length);
  }

  private MockResponse uploadStartedOnStorage() {
    return new MockResponse.Builder()
        .code(202)
        .addHeader("Location", "http://127.0.0.1:" + storage.getPort() + "/upload/1?_state=abc")
        .build();
  }

  @Test
  void basicCredentialsStayWithTheRegistry() throws Exception {
    storage.start(InetAddress.getByName("127.0.0.1"), 0);
    storage.enqueue(new MockResponse.Builder().code(201).build());
    registry.server.enqueue(
        new MockResponse.Builder()
            .code(401)
            .addHeader("WWW-Authenticate", "Basic realm=\"r\"")
            .build());
    registry.server.enqueue(uploadStartedOnStorage());

    registry
        .client(r -> Optional.of(CREDS))
        .forPush(repo)
        .writeBlob(blob(), new ByteArrayInputStream(BLOB));

    registry.server.takeRequest();
    assertEquals(
        CREDS.basicHeader(), registry.server.takeRequest().getHeaders().get("Authorization"));
    RecordedRequest put = storage.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("PUT", put.getMethod());
    assertNull(
        put.getHeaders().get("Authorization"), "the storage host got the registry's credentials");
  }

  @Test
  void bearerTokenStaysWithTheRegistry() throws Exception {
    storage.start(InetAddress.getByName("127.0.0.1"), 0);
    storage.enqueue(new MockResponse.Builder().code(201).build());
    registry.server.enqueue(registry.bearerChallenge("repository:demo/api:pull,push"));
    registry.server.enqueue(MockRegistry.token("tok-REGISTRY-only", 300));
    registry.server.enqueue(uploadStartedOnStorage());

    registry
        .client(r -> Optional.of(CREDS))
        .forPush(repo)
        .writeBlob(blob(), new ByteArrayInputStream(BLOB));

    registry.server.takeRequest();
    registry.server.takeRequest();
    assertEquals(
        "Bearer tok-REGISTRY-only",
        registry.server.takeRequest().getHeaders().get("Authorization"));
    RecordedRequest put = storage.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("PUT", put.getMethod());
    assertNull(put.getHeaders().get("Authorization"), "the storage host got the registry's token");
  }
}
