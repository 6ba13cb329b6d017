package dev.gantry.trust;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.GantryException;
import dev.gantry.Json;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.store.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads cosign's signatures of a digest from its store: the manifest tagged {@code
 * sha256-<hex>.sig}, one signature per layer (the payload blob, and the signature in the layer's
 * {@code dev.cosignproject.cosign/signature} annotation). Payloads are small JSON documents: a
 * layer claiming more than 64 KiB is not read, and only the first {@value #MAX_LAYERS} layers are
 * (cosign writes one per signature), so a hostile manifest cannot make Gantry fetch without end.
 */
final class SignatureReader {
  static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  static final long MAX_PAYLOAD = 64 * 1024;
  static final int MAX_LAYERS = 32;

  private SignatureReader() {}

  /** The signatures found; empty when there is no {@code .sig} tag. */
  static List<SignedPayload> read(ImageStore store, Digest subject) {
    String tag = new Requirement.CosignTag("sig").tagFor(subject);
    Optional<Manifest> tagged = store.findManifest(Ref.tag(tag));
    if (tagged.isEmpty()) {
      return List.of();
    }
    Manifest sig = tagged.get();
    JsonNode root;
    try {
      root = Json.readTree(sig.bytes());
    } catch (IOException e) {
      return List.of(SignedPayload.unreadable("the .sig manifest is not JSON"));
    }
    List<SignedPayload> found = new ArrayList<>();
    for (JsonNode layer : root.path("layers")) {
      if (found.size() == MAX_LAYERS) {
        break;
      }
      found.add(layer(store, layer));
    }
    return found;
  }

  private static SignedPayload layer(ImageStore store, JsonNode layer) {
    String signature = layer.path("annotations").path(SIGNATURE_ANNOTATION).asText("");
    if (signature.isEmpty()) {
      return SignedPayload.unreadable(
          "a .sig layer has no " + SIGNATURE_ANNOTATION + " annotation");
    }
    long size = layer.path("size").asLong(-1);
    Digest digest;
    try {
      digest = Digest.parse(layer.path("digest").asText(""));
    } catch (GantryException e) {
      return SignedPayload.unreadable("a .sig layer has no valid digest");
    }
    if (size < 0 || size > MAX_PAYLOAD) {
      return SignedPayload.unreadable(
          "a .sig payload claims " + size + " bytes (at most " + MAX_PAYLOAD + ")");
    }
    byte[] payload;
    try (InputStream in = store.openBlob(digest)) {
      payload = in.readNBytes((int) MAX_PAYLOAD + 1);
    } catch (IOException e) {
      throw new GantryException(
          GantryException.Kind.FAILED,
          "get blob " + store.name() + "@" + digest + ": " + e.getMessage(),
          e);
    }
    // The bytes verified are the bytes the manifest names, whatever the store served.
    if (payload.length != size || !digest.matches(payload)) {
      return SignedPayload.unreadable(
          "a .sig payload does not match its digest " + digest.shortForm());
    }
    return SignedPayload.of(payload, signature);
  }
}
