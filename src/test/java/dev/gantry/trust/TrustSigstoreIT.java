package dev.gantry.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.testing.GantryRunner;
import dev.gantry.testing.GantryRunner.Result;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.SigstoreNpm;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code --require-referrer} against attestations made by the tools real pipelines use:
 * {@code @sigstore/sign} against {@code @sigstore/mock}'s Fulcio/Rekor, attached by
 * {@code @sigstore/oci}'s {@code attachArtifactToImage} (what actions/attest-build-provenance
 * calls) to the real registry (distribution 2.8: the fallback tag). The refusal writes nothing;
 * once the provenance is attached the promotion goes through, and a copy that requires it lands a
 * bundle {@code @sigstore/verify} verifies at the destination.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrustSigstoreIT {
  private RegistryServer registry;
  private Skopeo skopeo;

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

  private String name(String repo) {
    return registry.hostPort() + "/" + repo;
  }

  private long writes(int mark) {
    return registry.requestLogSince(mark).stream()
        .filter(
            q ->
                q.userAgent().startsWith("gantry/") && !List.of("GET", "HEAD").contains(q.method()))
        .count();
  }

  @Test
  void provenanceAttachedByTheSigstoreToolsIsRequiredBeforeLatestMoves() {
    String repo = "trust-sigstore/api";
    String digest =
        TestImages.push(
            TestImages.multiArch(TempDirs.create("gantry-layout-"), 16_001),
            registry,
            repo,
            "sha-1234567");
    String old =
        TestImages.push(
            TestImages.multiArch(TempDirs.create("gantry-layout-"), 16_002),
            registry,
            repo,
            "latest");
    SigstoreNpm.Attestation sbom =
        SigstoreNpm.attest(registry, repo, digest, SigstoreNpm.SPDX); // a bundle, not provenance

    int mark = registry.mark();
    Result refused =
        new GantryRunner()
            .run(
                "promote",
                "--from",
                "sha-1234567",
                "--to",
                "latest",
                "--require-referrer",
                SigstoreNpm.PROVENANCE,
                name(repo));
    assertEquals(9, refused.exitCode(), refused.all());
    assertTrue(
        refused
            .stderr()
            .contains(
                "require referrer " + name(repo) + "@" + digest + ": no " + SigstoreNpm.PROVENANCE),
        refused.stderr());
    assertEquals(0, writes(mark));
    assertEquals(old, skopeo.digest(name(repo) + ":latest", registry));

    SigstoreNpm.Attestation provenance =
        SigstoreNpm.attest(registry, repo, digest, SigstoreNpm.PROVENANCE);
    Result ok =
        new GantryRunner()
            .run(
                "promote",
                "--from",
                "sha-1234567",
                "--to",
                "latest",
                "--require-referrer",
                SigstoreNpm.PROVENANCE,
                "--require-referrer",
                SigstoreNpm.BUNDLE_TYPE,
                name(repo));
    assertEquals(0, ok.exitCode(), ok.all());
    assertEquals(digest, skopeo.digest(name(repo) + ":latest", registry));

    Result copied =
        new GantryRunner()
            .run(
                "copy",
                "--require-referrer",
                SigstoreNpm.PROVENANCE,
                name(repo) + ":latest",
                name("trust-sigstore/mirror") + ":v1");
    assertEquals(0, copied.exitCode(), copied.all());
    SigstoreNpm.Verification v =
        SigstoreNpm.verify(
            registry,
            "trust-sigstore/mirror",
            digest,
            List.of(sbom.trustedRoot(), provenance.trustedRoot()),
            Optional.empty());
    assertTrue(v.verified(), v.toString());
    assertEquals(2, v.verifiedManifests().size(), v.toString());
  }
}
