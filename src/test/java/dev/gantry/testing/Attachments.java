package dev.gantry.testing;

import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Artifact manifests written by test code, with the blobs they name: OCI 1.1 referrers (an {@code
 * artifactType}, the empty config {@code {}} and one layer, a {@code subject}) as the image-spec's
 * artifact guidance describes them, and cosign's legacy signature manifest as cosign's published
 * SIGNATURE_SPEC describes it (simple-signing layers with a {@code
 * dev.cosignproject.cosign/signature} annotation, stored under the tag {@code sha256-<hex>.sig}).
 * No cosign binary is installable here, so these are written by this code and say so.
 */
public final class Attachments {
  public static final String EMPTY_CONFIG_TYPE = "application/vnd.oci.empty.v1+json";
  public static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);
  public static final String SBOM_TYPE = "application/spdx+json";
  public static final String SIGNATURE_TYPE = "application/vnd.example.signature.v1+json";
  public static final String COSIGN_SIMPLE_SIGNING =
      "application/vnd.dev.cosign.simplesigning.v1+json";

  /** A manifest and the blobs it names (config first, then layers), to push blobs-first. */
  public record Artifact(Manifest manifest, Map<Digest, byte[]> blobs) {}

  private Attachments() {}

  /**
   * An OCI artifact of {@code artifactType} whose one layer is {@code content}, referring to {@code
   * subject}.
   */
  public static Artifact referrer(
      Digest subject,
      long subjectSize,
      String subjectMediaType,
      String artifactType,
      String content) {
    byte[] layer = content.getBytes(StandardCharsets.UTF_8);
    Digest layerDigest = Digest.sha256(layer);
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST
            + "\",\"artifactType\":\""
            + artifactType
            + "\",\"config\":{\"mediaType\":\""
            + EMPTY_CONFIG_TYPE
            + "\",\"digest\":\""
            + Digest.sha256(EMPTY_CONFIG)
            + "\",\"size\":2},\"layers\":[{\"mediaType\":\""
            + artifactType
            + "\",\"digest\":\""
            + layerDigest
            + "\",\"size\":"
            + layer.length
            + "}],\"subject\":{\"mediaType\":\""
            + subjectMediaType
            + "\",\"digest\":\""
            + subject
            + "\",\"size\":"
            + subjectSize
            + "},\"annotations\":{\"org.opencontainers.image.created\":\"2026-11-30T00:00:00Z\"}}";
    return new Artifact(
        Manifest.of(json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST),
        Map.of(Digest.sha256(EMPTY_CONFIG), EMPTY_CONFIG, layerDigest, layer));
  }

  public static Artifact referrer(Manifest subject, String artifactType, String content) {
    return referrer(subject.digest(), subject.size(), subject.mediaType(), artifactType, content);
  }

  /**
   * cosign's legacy signature manifest for {@code image} (SIGNATURE_SPEC: an OCI image manifest
   * whose layers are simple-signing payloads naming the image digest, each with the base64
   * signature as an annotation); pushed under {@code sha256-<hex>.sig}. The signature value is not
   * a real signature: nothing here verifies it.
   */
  public static Artifact cosignSignature(Digest image, String repository) {
    byte[] payload =
        ("{\"critical\":{\"identity\":{\"docker-reference\":\""
                + repository
                + "\"},\"image\":"
                + "{\"docker-manifest-digest\":\""
                + image
                + "\"},\"type\":\"cosign container image signature\"},"
                + "\"optional\":null}")
            .getBytes(StandardCharsets.UTF_8);
    Digest payloadDigest = Digest.sha256(payload);
    byte[] config =
        ("{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{\"created\":"
                + "\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + payloadDigest
                + "\"]},\"config\":{}}")
            .getBytes(StandardCharsets.UTF_8);
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.OCI_MANIFEST
            + "\",\"config\":{\"mediaType\":"
            + "\"application/vnd.oci.image.config.v1+json\",\"size\":"
            + config.length
            + ",\"digest\":\""
            + Digest.sha256(config)
            + "\"},\"layers\":[{\"mediaType\":\""
            + COSIGN_SIMPLE_SIGNING
            + "\",\"size\":"
            + payload.length
            + ",\"digest\":\""
            + payloadDigest
            + "\",\"annotations\":{"
            + "\"dev.cosignproject.cosign/signature\":\"MEUCIQDtest-signature-written-by-gantry-tests\"}}]}";
    return new Artifact(
        Manifest.of(json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST),
        Map.of(Digest.sha256(config), config, payloadDigest, payload));
  }

  /**
   * cosign's tag for an attachment of {@code image}: {@code sha256-<hex>.sig}, {@code .att} or
   * {@code .sbom}.
   */
  public static String cosignTag(Digest image, String suffix) {
    return image.algorithm() + "-" + image.hex() + "." + suffix;
  }
}
