package dev.gantry.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.action.ActionStep.Result;
import dev.gantry.testing.CosignArtifacts;
import dev.gantry.testing.RawRegistry;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The action inputs require-referrers and verify-key, through {@code java -jar target/gantry.jar
 * action} as the runner runs it: off by default, passed to promote and copy, bad values exit 2 with
 * one {@code ::error} naming the input and no request. The cosign signature is written by test code
 * per cosign's specification (no cosign here).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrustActionIT {
  private static final AtomicLong SEED = new AtomicLong(1660);
  private RegistryServer registry;
  private Skopeo skopeo;
  private final KeyPair signer = CosignArtifacts.keyPair();

  @BeforeAll
  void start() {
    registry = RegistryServer.open();
    skopeo = Skopeo.isolated();
  }

  @AfterAll
  void stop() {
    skopeo.close();
    registry.close();
  }

  private String image(String repo) {
    return registry.hostPort() + "/" + repo;
  }

  /** sha-<7> of a fresh commit pushed to repo; returns the digest. */
  private String push(String repo, String sha) {
    return TestImages.push(
        TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
        registry,
        repo,
        "sha-" + sha.substring(0, 7));
  }

  private ActionStep step(String sha) {
    return ActionStep.on("push", EventPayloads.push(EventPayloads.sha(), sha), sha);
  }

  private long gantryRequests(int mark) {
    return registry.requestLogSince(mark).stream()
        .filter(q -> q.userAgent().startsWith("gantry/"))
        .count();
  }

  private long gantryWrites(int mark) {
    return registry.requestLogSince(mark).stream()
        .filter(
            q ->
                q.userAgent().startsWith("gantry/") && !List.of("GET", "HEAD").contains(q.method()))
        .count();
  }

  @Test
  void offByDefaultAnUnsignedImageWithoutReferrersIsPromoted() {
    String sha = EventPayloads.sha();
    String digest = push("act-trust/default", sha);
    Result r = step(sha).input("images", image("act-trust/default")).run();
    assertEquals(0, r.exitCode(), r.all());
    assertEquals(digest, skopeo.digest(image("act-trust/default") + ":latest", registry));
  }

  @Test
  void aMissingRequiredReferrerIsExit9WithOneErrorAndNothingWritten() {
    String sha = EventPayloads.sha();
    push("act-trust/missing", sha);
    int mark = registry.mark();
    Result r =
        step(sha)
            .input("images", image("act-trust/missing"))
            .input("require-referrers", "application/spdx+json\nhttps://slsa.dev/provenance/v1")
            .run();
    assertEquals(9, r.exitCode(), r.all());
    assertEquals(1, r.errors().size(), r.all());
    assertTrue(r.errors().get(0).contains("no application/spdx+json is attached"), r.all());
    assertEquals(0, gantryWrites(mark));
    assertFalse(skopeo.exists(image("act-trust/missing") + ":latest", registry));
  }

  @Test
  void copyVerifiesWithAnInlinePemKey() {
    String sha = EventPayloads.sha();
    String digest = push("act-trust/signed", sha);
    byte[] payload = CosignArtifacts.payload(image("act-trust/signed"), digest);
    CosignArtifacts.pushSignature(
        new RawRegistry(registry),
        "act-trust/signed",
        digest,
        List.of(
            new CosignArtifacts.Layer(
                payload, CosignArtifacts.sign(signer.getPrivate(), payload))));
    String pem = CosignArtifacts.publicPem(signer.getPublic());

    Result ok =
        step(sha)
            .input("command", "copy")
            .input("from", image("act-trust/signed") + ":sha-" + sha.substring(0, 7))
            .input("to", image("act-trust/copied") + ":v1")
            .input("verify-key", pem)
            .run();
    assertEquals(0, ok.exitCode(), ok.all());
    assertEquals(digest, skopeo.digest(image("act-trust/copied") + ":v1", registry));

    String other = CosignArtifacts.publicPem(CosignArtifacts.keyPair().getPublic());
    Result refused =
        step(sha)
            .input("command", "copy")
            .input("from", image("act-trust/signed") + ":sha-" + sha.substring(0, 7))
            .input("to", image("act-trust/copied") + ":v2")
            .input("verify-key", other)
            .run();
    assertEquals(10, refused.exitCode(), refused.all());
    assertEquals(1, refused.errors().size(), refused.all());
    assertFalse(skopeo.exists(image("act-trust/copied") + ":v2", registry));
  }

  @Test
  void badValuesAreExit2NamingTheInputWithNoRequest() {
    String sha = EventPayloads.sha();
    push("act-trust/bad", sha);
    int mark = registry.mark();
    Result type =
        step(sha).input("images", image("act-trust/bad")).input("require-referrers", "sbom").run();
    assertEquals(2, type.exitCode(), type.all());
    assertEquals(1, type.errors().size(), type.all());
    assertTrue(type.errors().get(0).contains("invalid input require-referrers 'sbom'"), type.all());

    Result key =
        step(sha)
            .input("images", image("act-trust/bad"))
            .input("verify-key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
            .run();
    assertEquals(2, key.exitCode(), key.all());
    assertTrue(
        key.errors().get(0).contains("invalid input verify-key: not an ECDSA P-256 public key"),
        key.all());

    Result resolve =
        step(sha)
            .input("command", "resolve")
            .input("images", image("act-trust/bad"))
            .input("require-referrers", "cosign.sig")
            .run();
    assertEquals(2, resolve.exitCode(), resolve.all());
    assertTrue(
        resolve
            .errors()
            .get(0)
            .contains("input require-referrers is for promote and copy, not resolve"),
        resolve.all());
    assertEquals(0, gantryRequests(mark));
  }
}
