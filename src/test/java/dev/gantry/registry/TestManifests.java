package dev.gantry.registry;

import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.MediaTypes;
import java.nio.charset.StandardCharsets;

/**
 * Small, distinct manifests as opaque bytes (deliberately not canonical JSON: the bytes must
 * survive as-is).
 */
public final class TestManifests {
  private TestManifests() {}

  /** An OCI index whose bytes (and so digest) depend on {@code seed}. */
  public static Manifest index(String seed) {
    String json =
        "{\n  \"schemaVersion\": 2,\n  \"mediaType\": \""
            + MediaTypes.OCI_INDEX
            + "\",\n"
            + "  \"manifests\": [ { \"mediaType\": \""
            + MediaTypes.OCI_MANIFEST
            + "\", \"size\": 7, \"digest\": \""
            + Digest.sha256(seed.getBytes(StandardCharsets.UTF_8))
            + "\" } ]\n}";
    return Manifest.of(json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX);
  }

  /** A Docker v2 image manifest whose bytes depend on {@code seed}. */
  public static Manifest dockerImage(String seed) {
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaTypes.DOCKER_MANIFEST
            + "\",\"config\":{\"mediaType\":"
            + "\"application/vnd.docker.container.image.v1+json\",\"size\":2,\"digest\":\""
            + Digest.sha256(seed.getBytes(StandardCharsets.UTF_8))
            + "\"},\"layers\":[]}";
    return Manifest.of(json.getBytes(StandardCharsets.UTF_8), MediaTypes.DOCKER_MANIFEST);
  }
}
