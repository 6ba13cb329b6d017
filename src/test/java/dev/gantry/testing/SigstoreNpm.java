package dev.gantry.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The npm Sigstore toolchain that real pipelines use (pinned in .ci/lint/package-lock.json), run as
 * node scripts: .ci/lint/sigstore/attest.mjs signs an in-toto statement about an image digest with
 * {@code @sigstore/sign} against {@code @sigstore/mock}'s Fulcio and Rekor on loopback and attaches
 * the bundle with {@code @sigstore/oci}'s {@code attachArtifactToImage} (what
 * actions/attest-build-provenance calls); .ci/lint/sigstore/verify.mjs fetches the bundles that
 * refer to a digest and verifies them with {@code @sigstore/verify} against the trusted roots that
 * attest.mjs wrote. Neither script is Gantry code: they are the independent maker and checker.
 */
public final class SigstoreNpm {

  /** The artifact type @sigstore/oci gives the bundle manifest (the bundle's own media type). */
  public static final String BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";

  public static final String PROVENANCE = "https://slsa.dev/provenance/v1";
  public static final String SPDX = "https://spdx.dev/Document";
  public static final String VSA = "https://slsa.dev/verification_summary/v1";

  private static final Path SCRIPTS = Path.of("").toAbsolutePath().resolve(".ci/lint/sigstore");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What attest.mjs attached: the bundle manifest's digest, and the trusted root that certifies its
   * signer.
   */
  public record Attestation(String manifestDigest, Path trustedRoot) {}

  /**
   * What verify.mjs said: exit 0 only when at least one bundle was found and every one verified.
   */
  public record Verification(int exitCode, List<String> lines, String stderr) {
    public boolean verified() {
      return exitCode == 0;
    }

    public List<String> verifiedManifests() {
      return lines.stream()
          .filter(l -> l.startsWith("verified "))
          .map(l -> l.substring("verified ".length()))
          .toList();
    }

    @Override
    public String toString() {
      return "exit "
          + exitCode
          + ": "
          + String.join(" | ", lines)
          + (stderr.isBlank() ? "" : " stderr: " + stderr.strip());
    }
  }

  private SigstoreNpm() {}

  /**
   * Signs a statement about {@code digest} (subject {@code registry/repo}) and attaches it to that
   * image.
   */
  public static Attestation attest(
      RegistryServer registry, String repo, String digest, String predicateType) {
    return attest(registry.hostPort(), repo, digest, predicateType);
  }

  /**
   * As {@link #attest(RegistryServer, String, String, String)} for any loopback registry {@code
   * hostPort}.
   */
  public static Attestation attest(
      String hostPort, String repo, String digest, String predicateType) {
    Path root = TempDirs.create("gantry-sigstore-").resolve("trusted_root.json");
    ProcessRunner.Result r =
        node(
            "attest.mjs",
            List.of(
                "--image",
                hostPort + "/" + repo,
                "--digest",
                digest,
                "--trusted-root",
                root.toString(),
                "--predicate-type",
                predicateType));
    if (r.exitCode() != 0) {
      throw new IllegalStateException(
          "attest.mjs exited " + r.exitCode() + ": " + r.stderr().strip());
    }
    try {
      JsonNode descriptor = JSON.readTree(r.stdoutText());
      return new Attestation(descriptor.path("digest").asText(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Verifies every Sigstore bundle that refers to {@code digest} in {@code registry/repo}; {@code
   * save} keeps a copy of each bundle fetched (named sha256-HEX.json after its manifest), for tests
   * that tamper with one.
   */
  public static Verification verify(
      RegistryServer registry,
      String repo,
      String digest,
      List<Path> trustedRoots,
      Optional<Path> save) {
    return verify(registry.hostPort(), repo, digest, trustedRoots, save);
  }

  /**
   * As {@link #verify(RegistryServer, String, String, List, Optional)} for any loopback registry
   * {@code hostPort}.
   */
  public static Verification verify(
      String hostPort, String repo, String digest, List<Path> trustedRoots, Optional<Path> save) {
    List<String> args =
        new ArrayList<>(List.of("--image", hostPort + "/" + repo, "--digest", digest));
    save.ifPresent(dir -> args.addAll(List.of("--save", dir.toString())));
    return verification(args, trustedRoots);
  }

  /** Verifies one bundle file as a statement about {@code digest}. */
  public static Verification verifyFile(Path bundle, String digest, List<Path> trustedRoots) {
    return verification(
        new ArrayList<>(List.of("--bundle", bundle.toString(), "--digest", digest)), trustedRoots);
  }

  /**
   * The bundle JSON with one byte of its DSSE payload (the signed in-toto statement) flipped; all
   * else kept.
   */
  public static String flipPayloadByte(String bundleJson) {
    try {
      ObjectNode bundle = (ObjectNode) JSON.readTree(bundleJson);
      ObjectNode envelope = (ObjectNode) bundle.path("dsseEnvelope");
      byte[] payload = Base64.getDecoder().decode(envelope.path("payload").asText());
      payload[payload.length / 2] ^= 0x01;
      envelope.put("payload", Base64.getEncoder().encodeToString(payload));
      return JSON.writeValueAsString(bundle);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Verification verification(List<String> args, List<Path> trustedRoots) {
    trustedRoots.forEach(root -> args.addAll(List.of("--trusted-root", root.toString())));
    ProcessRunner.Result r = node("verify.mjs", args);
    if (r.exitCode() > 1) {
      throw new IllegalStateException(
          "verify.mjs exited " + r.exitCode() + ": " + r.stderr().strip());
    }
    return new Verification(r.exitCode(), r.stdoutText().lines().toList(), r.stderr());
  }

  private static ProcessRunner.Result node(String script, List<String> args) {
    if (!Files.isDirectory(SCRIPTS.resolveSibling("node_modules/@sigstore/oci"))) {
      fail(
          ".ci/lint/node_modules/@sigstore/oci is missing: run `npm ci --prefix .ci/lint --no-audit --no-fund`");
    }
    List<String> command = new ArrayList<>(List.of("node", SCRIPTS.resolve(script).toString()));
    command.addAll(args);
    // No proxy variables: every address these scripts reach is on loopback.
    return ProcessRunner.run(command, TIMEOUT, Map.of("NO_PROXY", "*", "no_proxy", "*"), null);
  }
}
