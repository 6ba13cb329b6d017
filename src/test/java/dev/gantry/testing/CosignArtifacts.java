package dev.gantry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Attachments written by test code, because the tools that write them cannot run here (no cosign
 * binary is installable, and Debian's skopeo has sigstore signing disabled). Each follows the
 * published specification:
 *
 * <ul>
 *   <li>cosign's signature format (sigstore/cosign specs/SIGNATURE_SPEC.md): a manifest tagged
 *       {@code sha256-<hex>.sig} whose layers are simple-signing payloads ({@code
 *       application/vnd.dev.cosign.simplesigning.v1+json}, {@code
 *       critical.image.docker-manifest-digest}, {@code critical.type = cosign container image
 *       signature}) with the base64 ASN.1 ECDSA-P256/SHA-256 signature over the payload bytes in
 *       the {@code dev.cosignproject.cosign/signature} annotation, and a key pair as {@code cosign
 *       generate-key-pair} makes it (ECDSA P-256; the public key a PEM "PUBLIC KEY");
 *   <li>an OCI referrer on a registry without the referrers API (OCI distribution spec 1.1,
 *       "referrers tag schema"): a manifest with a {@code subject}, PUT by digest, and its
 *       descriptor (with artifactType and annotations) added to the image index tagged {@code
 *       sha256-<hex>}.
 * </ul>
 */
public final class CosignArtifacts {
  public static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CosignArtifacts() {}

  /** A fresh ECDSA P-256 key pair, the kind cosign generates. */
  public static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key as cosign writes cosign.pub: PEM of the SubjectPublicKeyInfo. */
  public static String publicPem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /**
   * cosign's simple-signing payload for {@code digest} (as cosign writes it: compact JSON, optional
   * null).
   */
  public static byte[] payload(String dockerReference, String digest) {
    return ("{\"critical\":{\"identity\":{\"docker-reference\":\""
            + dockerReference
            + "\"},\"image\":"
            + "{\"docker-manifest-digest\":\""
            + digest
            + "\"},\"type\":\"cosign container image signature\"},"
            + "\"optional\":null}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** base64 of the ASN.1 DER ECDSA signature over the bytes with SHA-256, as in the annotation. */
  public static String sign(PrivateKey key, byte[] payload) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key);
      s.update(payload);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One layer of a .sig manifest: a payload and the signature its annotation carries. */
  public record Layer(byte[] payload, String signature) {}

  /**
   * Pushes the .sig manifest for {@code subject} ({@code sha256:…}) with these layers; returns the
   * tag.
   */
  public static String pushSignature(
      RawRegistry registry, String repo, String subject, List<Layer> layers) {
    ArrayNode layerNodes = JSON.createArrayNode();
    ArrayNode diffIds = JSON.createArrayNode();
    for (Layer layer : layers) {
      String digest = registry.blob(repo, layer.payload());
      ObjectNode d =
          layerNodes
              .addObject()
              .put("mediaType", SIMPLE_SIGNING)
              .put("size", layer.payload().length)
              .put("digest", digest);
      d.putObject("annotations").put(SIGNATURE_ANNOTATION, layer.signature());
      diffIds.add(digest);
    }
    ObjectNode config =
        JSON.createObjectNode()
            .put("architecture", "")
            .put("created", "0001-01-01T00:00:00Z")
            .put("os", "");
    config.putArray("history").addObject().put("created", "0001-01-01T00:00:00Z");
    config.putObject("rootfs").put("type", "layers").set("diff_ids", diffIds);
    config.putObject("config");
    byte[] configBytes = bytes(config);
    ObjectNode manifest =
        JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
    manifest
        .putObject("config")
        .put("mediaType", "application/vnd.oci.image.config.v1+json")
        .put("size", configBytes.length)
        .put("digest", registry.blob(repo, configBytes));
    manifest.set("layers", layerNodes);
    String tag = subject.replace(':', '-') + ".sig";
    registry.manifest(repo, tag, OCI_MANIFEST, bytes(manifest));
    return tag;
  }

  /**
   * Attaches an artifact of {@code artifactType} to {@code subject} (descriptor of the image
   * manifest or index) the way the OCI 1.1 spec asks of a client when the registry has no referrers
   * API; returns the referrer's digest.
   */
  public static String pushReferrer(
      RawRegistry registry,
      String repo,
      ObjectNode subject,
      String artifactType,
      Map<String, String> annotations,
      byte[] content) {
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    ObjectNode manifest =
        JSON.createObjectNode()
            .put("schemaVersion", 2)
            .put("mediaType", OCI_MANIFEST)
            .put("artifactType", artifactType);
    manifest
        .putObject("config")
        .put("mediaType", "application/vnd.oci.empty.v1+json")
        .put("size", empty.length)
        .put("digest", registry.blob(repo, empty));
    manifest
        .putArray("layers")
        .addObject()
        .put("mediaType", artifactType)
        .put("size", content.length)
        .put("digest", registry.blob(repo, content));
    manifest.set("subject", subject);
    if (!annotations.isEmpty()) {
      ObjectNode a = manifest.putObject("annotations");
      annotations.forEach(a::put);
    }
    byte[] bytes = bytes(manifest);
    String digest = registry.manifest(repo, Skopeo.sha256(bytes), OCI_MANIFEST, bytes);

    String fallback = subject.path("digest").asText().replace(':', '-');
    ObjectNode index;
    try {
      index =
          registry.manifest(repo, fallback).isPresent()
              ? (ObjectNode) JSON.readTree(registry.manifest(repo, fallback).get())
              : JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_INDEX);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ArrayNode entries =
        index.has("manifests") ? (ArrayNode) index.get("manifests") : index.putArray("manifests");
    ObjectNode entry =
        entries
            .addObject()
            .put("mediaType", OCI_MANIFEST)
            .put("digest", digest)
            .put("size", bytes.length)
            .put("artifactType", artifactType);
    if (!annotations.isEmpty()) {
      ObjectNode a = entry.putObject("annotations");
      annotations.forEach(a::put);
    }
    registry.manifest(repo, fallback, OCI_INDEX, bytes(index));
    return digest;
  }

  /** The descriptor of a manifest in {@code repo}, as a referrer's subject names it. */
  public static ObjectNode descriptor(String mediaType, String digest, long size) {
    return JSON.createObjectNode()
        .put("mediaType", mediaType)
        .put("digest", digest)
        .put("size", size);
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
