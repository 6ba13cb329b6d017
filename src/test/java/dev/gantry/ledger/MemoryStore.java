package dev.gantry.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.Json;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.image.Referrer;
import dev.gantry.store.ImageStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An image store in memory that keeps referrers as the referrers contract says (listing by subject,
 * with each manifest's artifactType and annotations); counts its calls, so tests can say what
 * reading a history costs.
 */
class MemoryStore implements ImageStore {
  private final String name;
  private final Map<Ref, Manifest> manifests = new ConcurrentHashMap<>();
  private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
  private final List<Manifest> referrers = new CopyOnWriteArrayList<>();
  final AtomicInteger listings = new AtomicInteger();
  final AtomicInteger manifestGets = new AtomicInteger();
  final List<String> writes = new CopyOnWriteArrayList<>();

  MemoryStore(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<Digest> headManifest(Ref reference) {
    return Optional.ofNullable(manifests.get(reference)).map(Manifest::digest);
  }

  @Override
  public Manifest getManifest(Ref reference) {
    manifestGets.incrementAndGet();
    Manifest m = manifests.get(reference);
    if (m == null) {
      throw new dev.gantry.GantryException(
          dev.gantry.GantryException.Kind.NOT_FOUND,
          "get manifest " + describe(reference) + ": not found");
    }
    return m;
  }

  @Override
  public void putManifest(Ref reference, Manifest manifest) {
    writes.add(reference + " " + manifest.digest());
    manifests.put(reference, manifest);
    manifests.put(Ref.of(manifest.digest()), manifest);
  }

  /**
   * Sets a tag without counting it as one of Gantry's writes (another tool, or the test's setup).
   */
  void tag(String tag, Manifest manifest) {
    manifests.put(Ref.tag(tag), manifest);
    manifests.put(Ref.of(manifest.digest()), manifest);
  }

  @Override
  public List<Referrer> referrers(Digest subject, Optional<String> artifactType) {
    listings.incrementAndGet();
    List<Referrer> out = new ArrayList<>();
    for (Manifest m : referrers) {
      JsonNode root = tree(m);
      if (subject.toString().equals(root.path("subject").path("digest").asText())
          && artifactType.map(t -> t.equals(root.path("artifactType").asText())).orElse(true)) {
        Map<String, String> annotations = new java.util.LinkedHashMap<>();
        root.path("annotations")
            .fields()
            .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        out.add(
            new Referrer(
                new Descriptor(m.mediaType(), m.digest(), m.size()),
                root.path("artifactType").asText(),
                annotations));
      }
    }
    return out;
  }

  @Override
  public void putReferrer(Manifest manifest) {
    JsonNode root = tree(manifest);
    for (JsonNode d : root.path("layers")) {
      if (!blobs.containsKey(Digest.parse(d.path("digest").asText()))) {
        throw new IllegalStateException("manifest blob unknown: " + d);
      }
    }
    writes.add("referrer " + manifest.digest());
    manifests.put(Ref.of(manifest.digest()), manifest);
    referrers.add(manifest);
  }

  List<Manifest> referrerManifests() {
    return List.copyOf(referrers);
  }

  @Override
  public boolean blobExists(Digest digest) {
    return blobs.containsKey(digest);
  }

  @Override
  public InputStream openBlob(Digest digest) {
    return new ByteArrayInputStream(blobs.get(digest));
  }

  @Override
  public void writeBlob(Descriptor blob, InputStream in) {
    try {
      byte[] bytes = in.readAllBytes();
      writes.add("blob " + blob.digest());
      blobs.put(blob.digest(), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void blob(byte[] bytes) {
    blobs.put(Digest.sha256(bytes), bytes);
  }

  private static JsonNode tree(Manifest m) {
    try {
      return Json.readTree(m.bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
