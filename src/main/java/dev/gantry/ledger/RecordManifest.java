package dev.gantry.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.Json;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A record as an OCI 1.1 artifact manifest: {@code artifactType} says what it is, {@code subject}
 * is the digest the tag was moved to, the fields are its annotations, and config and the one layer
 * are the shared empty descriptor ({@code {}}, 2 bytes): one tiny blob per repository, written
 * once, for every record.
 */
public final class RecordManifest {
  public static final String EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
  public static final byte[] EMPTY_BYTES = "{}".getBytes(StandardCharsets.UTF_8);
  public static final Descriptor EMPTY =
      new Descriptor(EMPTY_MEDIA_TYPE, Digest.sha256(EMPTY_BYTES), EMPTY_BYTES.length);

  private RecordManifest() {}

  /**
   * The manifest for {@code record}, whose subject is {@code subject} (the manifest the tag now
   * holds).
   */
  public static Manifest of(PromotionRecord record, Descriptor subject) {
    ObjectNode root = Json.object();
    root.put("schemaVersion", 2);
    root.put("mediaType", MediaTypes.OCI_MANIFEST);
    root.put("artifactType", PromotionRecord.ARTIFACT_TYPE);
    descriptor(root.putObject("config"), EMPTY);
    descriptor(root.putArray("layers").addObject(), EMPTY);
    descriptor(root.putObject("subject"), subject);
    ObjectNode annotations = root.putObject("annotations");
    for (Map.Entry<String, String> a : record.annotations().entrySet()) {
      annotations.put(a.getKey(), a.getValue());
    }
    return Manifest.of(Json.bytes(root), MediaTypes.OCI_MANIFEST);
  }

  private static void descriptor(ObjectNode node, Descriptor d) {
    node.put("mediaType", d.mediaType());
    node.put("digest", d.digest().toString());
    node.put("size", d.size());
  }
}
