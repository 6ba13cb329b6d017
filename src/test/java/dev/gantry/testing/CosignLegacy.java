package dev.gantry.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Cosign's legacy signature tag, written by test code following cosign's published specification
 * (sigstore/cosign specs/SIGNATURE_SPEC.md), because no cosign binary can be installed here and
 * Debian's skopeo is built without sigstore signing: for image {@code sha256:HEX} the tag {@code
 * sha256-HEX.sig} holds an OCI image manifest whose layer is a Simple Signing payload ({@code
 * application/vnd.dev.cosign.simplesigning.v1+json}) naming the image digest, with the base64
 * ECDSA-P256/SHA-256 signature over that payload in the layer's {@code
 * dev.cosignproject.cosign/signature} annotation; {@code sha256-HEX.att} likewise holds a
 * DSSE-signed in-toto statement (specs/ATTESTATION_SPEC.md). Pushed with plain registry API calls,
 * as cosign does.
 */
public final class CosignLegacy {

  public static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  public static final String DSSE = "application/vnd.dsse.envelope.v1+json";
  private static final String IN_TOTO = "application/vnd.in-toto+json";
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OkHttpClient HTTP = new OkHttpClient();

  /**
   * What was written: the tag, the manifest's digest and bytes, the layer (payload or envelope) and
   * its signature.
   */
  public record Signed(
      String tag, String manifestDigest, byte[] manifest, byte[] payload, String signature) {}

  private CosignLegacy() {}

  /** A fresh ECDSA P-256 key, cosign's default scheme. */
  public static KeyPair newKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tag cosign derives from a digest: ':' becomes '-', then the suffix (.sig, .att, .sbom). */
  public static String tag(String digest, String suffix) {
    return digest.replace(':', '-') + suffix;
  }

  /**
   * Signs {@code digest} of {@code registry/repo} with {@code key} and pushes the signature to its
   * .sig tag.
   */
  public static Signed sign(RegistryServer registry, String repo, String digest, KeyPair key) {
    ObjectNode payload = JSON.createObjectNode();
    ObjectNode critical = payload.putObject("critical");
    critical.putObject("identity").put("docker-reference", registry.hostPort() + "/" + repo);
    critical.putObject("image").put("docker-manifest-digest", digest);
    critical.put("type", "cosign container image signature");
    payload.putNull("optional");
    byte[] payloadBytes = bytes(payload);
    String signature = Base64.getEncoder().encodeToString(ecdsa(payloadBytes, key));
    return push(
        registry,
        repo,
        tag(digest, ".sig"),
        SIMPLE_SIGNING,
        payloadBytes,
        Map.of(SIGNATURE_ANNOTATION, signature),
        signature);
  }

  /**
   * Attests {@code digest} with {@code key} the way cosign's legacy scheme does
   * (specs/ATTESTATION_SPEC.md): tag {@code sha256-HEX.att}, one layer holding a DSSE envelope
   * ({@code application/vnd.dsse.envelope.v1+json}) of an in-toto statement whose subject is the
   * image digest, signed over DSSE's pre-authentication encoding; the layer also carries the {@code
   * predicateType} annotation cosign writes.
   */
  public static Signed attest(
      RegistryServer registry, String repo, String digest, KeyPair key, String predicateType) {
    ObjectNode statement = JSON.createObjectNode();
    statement.put("_type", "https://in-toto.io/Statement/v1");
    statement
        .putArray("subject")
        .addObject()
        .put("name", registry.hostPort() + "/" + repo)
        .putObject("digest")
        .put("sha256", digest.substring("sha256:".length()));
    statement.put("predicateType", predicateType).putObject("predicate");
    byte[] statementBytes = bytes(statement);
    String signature = Base64.getEncoder().encodeToString(ecdsa(pae(IN_TOTO, statementBytes), key));
    ObjectNode envelope = JSON.createObjectNode();
    envelope
        .put("payloadType", IN_TOTO)
        .put("payload", Base64.getEncoder().encodeToString(statementBytes));
    envelope.putArray("signatures").addObject().put("keyid", "").put("sig", signature);
    return push(
        registry,
        repo,
        tag(digest, ".att"),
        DSSE,
        bytes(envelope),
        Map.of("predicateType", predicateType, SIGNATURE_ANNOTATION, ""),
        signature);
  }

  /**
   * Whether a DSSE envelope (as in an .att layer) carries a valid signature by {@code key} over its
   * payload.
   */
  public static boolean verifiesEnvelope(byte[] envelope, PublicKey key) {
    try {
      var node = JSON.readTree(envelope);
      byte[] payload = Base64.getDecoder().decode(node.path("payload").asText());
      return verifies(
          pae(node.path("payloadType").asText(), payload),
          node.path("signatures").path(0).path("sig").asText(),
          key);
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * One layer in an OCI image manifest, config and layer blobs uploaded, manifest PUT to {@code
   * tag}.
   */
  private static Signed push(
      RegistryServer registry,
      String repo,
      String tag,
      String layerType,
      byte[] layerBytes,
      Map<String, String> annotations,
      String signature) {
    // cosign's config is an image config whose only diff_id is the layer's digest.
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", "").put("os", "").putObject("config");
    config
        .putObject("rootfs")
        .put("type", "layers")
        .putArray("diff_ids")
        .add(Skopeo.sha256(layerBytes));
    byte[] configBytes = bytes(config);

    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
    manifest
        .putObject("config")
        .put("mediaType", OCI_CONFIG)
        .put("size", configBytes.length)
        .put("digest", Skopeo.sha256(configBytes));
    ObjectNode layer = manifest.putArray("layers").addObject();
    layer
        .put("mediaType", layerType)
        .put("size", layerBytes.length)
        .put("digest", Skopeo.sha256(layerBytes));
    ObjectNode layerAnnotations = layer.putObject("annotations");
    annotations.forEach(layerAnnotations::put);
    byte[] manifestBytes = bytes(manifest);

    pushBlob(registry, repo, configBytes);
    pushBlob(registry, repo, layerBytes);
    send(
            registry,
            new Request.Builder()
                .url(registry.url() + "/v2/" + repo + "/manifests/" + tag)
                .put(RequestBody.create(manifestBytes, MediaType.get(OCI_MANIFEST)))
                .build(),
            201)
        .close();
    return new Signed(tag, Skopeo.sha256(manifestBytes), manifestBytes, layerBytes, signature);
  }

  /**
   * DSSE's pre-authentication encoding: "DSSEv1 LEN(type) type LEN(body) body", lengths in ASCII
   * decimal.
   */
  private static byte[] pae(String type, byte[] body) {
    byte[] head =
        ("DSSEv1 "
                + type.getBytes(StandardCharsets.UTF_8).length
                + " "
                + type
                + " "
                + body.length
                + " ")
            .getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + body.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }

  /**
   * Whether {@code signature} (base64 DER ECDSA) signs {@code payload} under {@code key}: cosign
   * verify's core.
   */
  public static boolean verifies(byte[] payload, String signature, PublicKey key) {
    try {
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(key);
      verifier.update(payload);
      return verifier.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** A blob's bytes as the registry serves them (anonymous GET). */
  public static byte[] blob(RegistryServer registry, String repo, String digest) {
    try (Response response =
        HTTP.newCall(
                new Request.Builder()
                    .url(registry.url() + "/v2/" + repo + "/blobs/" + digest)
                    .build())
            .execute()) {
      if (response.code() != 200) {
        throw new IllegalStateException(
            "GET blob " + digest + " in " + repo + ": HTTP " + response.code());
      }
      return Objects.requireNonNull(response.body()).bytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] ecdsa(byte[] data, KeyPair key) {
    try {
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(key.getPrivate());
      signer.update(data);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Monolithic upload: POST for a session, then PUT the bytes with their digest. */
  private static void pushBlob(RegistryServer registry, String repo, byte[] bytes) {
    String location;
    try (Response started =
        send(
            registry,
            new Request.Builder()
                .url(registry.url() + "/v2/" + repo + "/blobs/uploads/")
                .post(RequestBody.create(new byte[0]))
                .build(),
            202)) {
      location = Objects.requireNonNull(started.header("Location"), "upload Location");
    }
    String url =
        (location.startsWith("/") ? registry.url() + location : location)
            + (location.contains("?") ? "&" : "?")
            + "digest="
            + Skopeo.sha256(bytes);
    send(
            registry,
            new Request.Builder()
                .url(url)
                .put(RequestBody.create(bytes, MediaType.get("application/octet-stream")))
                .build(),
            201)
        .close();
  }

  private static Response send(RegistryServer registry, Request request, int expected) {
    try {
      Response response = HTTP.newCall(request).execute();
      if (response.code() != expected) {
        String body =
            response.body() == null ? "" : Objects.requireNonNull(response.body()).string();
        response.close();
        throw new IllegalStateException(
            request.method()
                + " "
                + request.url().encodedPath()
                + " on "
                + registry.hostPort()
                + ": HTTP "
                + response.code()
                + " "
                + body);
      }
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
