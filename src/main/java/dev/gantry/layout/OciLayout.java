package dev.gantry.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.GantryException;
import dev.gantry.GantryException.Kind;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.ManifestContent;
import dev.gantry.image.MediaTypes;
import dev.gantry.image.Ref;
import dev.gantry.image.Referrer;
import dev.gantry.image.ReferrersIndex;
import dev.gantry.image.VerifiedCopy;
import dev.gantry.store.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/<alg>/<hex>})
 * as an image store. Tags are the {@code org.opencontainers.image.ref.name} annotations of
 * index.json. Every write lands in a temporary file first and is renamed into place: blobs before
 * the index entry that names them, and index.json replaced whole, so a crash at any moment leaves a
 * valid layout.
 */
public final class OciLayout implements ImageStore {
  static final String REF_NAME = "org.opencontainers.image.ref.name";

  /**
   * Larger than any manifest a registry accepts (4 MiB): an entry this size is not read to look for
   * a subject.
   */
  private static final long MAX_MANIFEST = 4 * 1024 * 1024;

  private final Path dir;
  private final String name;
  private final boolean readOnly;
  private final IndexFile index;

  private OciLayout(Path dir, String name, boolean readOnly) {
    this.dir = dir;
    this.name = name;
    this.readOnly = readOnly;
    this.index = new IndexFile(dir.resolve("index.json"), name);
  }

  /** Opens an existing layout; a directory without {@code oci-layout} is bad input. */
  public static OciLayout open(Path dir, String name, boolean readOnly) {
    if (!Files.isRegularFile(dir.resolve("oci-layout"))
        || !Files.isRegularFile(dir.resolve("index.json"))) {
      throw GantryException.badInput(
          "'"
              + name
              + "' is not an OCI image layout (no oci-layout and index.json in "
              + dir
              + ")");
    }
    return new OciLayout(dir, name, readOnly);
  }

  /** Opens a layout for writing, creating an empty one when the directory is missing or empty. */
  public static OciLayout openOrCreate(Path dir, String name) {
    try {
      if (!Files.exists(dir) || (Files.isDirectory(dir) && isEmpty(dir))) {
        // Built beside the target and renamed into place, so a crash never leaves a half-made
        // layout behind.
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempDirectory(parent, ".tmp-layout-");
        try {
          Files.createDirectories(temp.resolve("blobs/sha256"));
          AtomicFile.write(
              temp.resolve("oci-layout"),
              "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
          AtomicFile.write(
              temp.resolve("index.json"),
              "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}"
                  .getBytes(StandardCharsets.UTF_8));
          AtomicFile.move(temp, dir.toAbsolutePath());
        } finally {
          if (Files.exists(temp)) {
            OciArchive.delete(temp);
          }
        }
      }
    } catch (IOException e) {
      throw new GantryException(Kind.FAILED, "create layout " + name + ": " + e.getMessage(), e);
    }
    return open(dir, name, false);
  }

  /**
   * Whether {@link #openOrCreate} would create a new layout here (the directory is missing or
   * empty).
   */
  public static boolean willBeCreated(Path dir) {
    try {
      return !Files.exists(dir) || (Files.isDirectory(dir) && isEmpty(dir));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized Optional<Digest> headManifest(Ref reference) {
    if (reference instanceof Ref.ByDigest d) {
      return blobExists(d.digest()) ? Optional.of(d.digest()) : Optional.empty();
    }
    // isPresent, not map: a lambda links a call site on first use (start-up work of every promote).
    Optional<JsonNode> entry = findTag(index.read(), reference.toString());
    return entry.isPresent()
        ? Optional.of(Digest.parse(entry.get().path("digest").asText()))
        : Optional.empty();
  }

  @Override
  public Manifest getManifest(Ref reference) {
    @Nullable String mediaType;
    Digest digest;
    if (reference instanceof Ref.ByDigest d) {
      digest = d.digest();
      mediaType = null;
    } else {
      Optional<JsonNode> found = findTag(readIndexSynchronized(), reference.toString());
      if (found.isEmpty()) {
        throw new GantryException(
            Kind.NOT_FOUND, "get manifest " + describe(reference) + ": no such tag in index.json");
      }
      JsonNode entry = found.get();
      digest = Digest.parse(entry.path("digest").asText());
      mediaType = entry.path("mediaType").asText(null);
    }
    byte[] bytes = readBlob(digest, "get manifest " + describe(reference));
    mediaType = ManifestContent.mediaTypeOf(bytes, mediaType);
    if (mediaType == null || !MediaTypes.isKnown(mediaType)) {
      throw new GantryException(
          Kind.FAILED,
          "get manifest " + describe(reference) + ": unsupported manifest media type " + mediaType);
    }
    return new Manifest(bytes, mediaType, digest);
  }

  @Override
  public synchronized Optional<Digest> headImage(Ref reference) {
    if (!(reference instanceof Ref.ByDigest d)) {
      return headManifest(reference);
    }
    for (JsonNode entry : index.read().path("manifests")) {
      if (d.toString().equals(entry.path("digest").asText())) {
        return Optional.of(d.digest());
      }
    }
    return Optional.empty();
  }

  /**
   * By digest: stored and listed in index.json without a name, as skopeo does for an untagged
   * image.
   */
  @Override
  public synchronized void putImage(Ref reference, Manifest manifest) {
    if (reference instanceof Ref.Tag) {
      putManifest(reference, manifest);
      return;
    }
    checkWritable("put manifest " + describe(reference));
    writeBytesAsBlob(manifest.digest(), manifest.bytes(), "put manifest " + describe(reference));
    if (headImage(reference).isEmpty()) {
      ObjectNode updated = index.readForUpdate();
      addEntry(updated.withArray("manifests"), manifest, null);
      writeIndex(updated, reference);
    }
  }

  @Override
  public synchronized void putManifest(Ref reference, Manifest manifest) {
    checkWritable("put manifest " + describe(reference));
    writeBytesAsBlob(manifest.digest(), manifest.bytes(), "put manifest " + describe(reference));
    if (!(reference instanceof Ref.Tag tag)) {
      return;
    }
    ObjectNode updated = index.readForUpdate();
    ArrayNode manifests = updated.withArray("manifests");
    for (Iterator<JsonNode> it = manifests.iterator(); it.hasNext(); ) {
      if (tag.name().equals(it.next().path("annotations").path(REF_NAME).asText(null))) {
        it.remove();
      }
    }
    addEntry(manifests, manifest, tag.name());
    writeIndex(updated, reference);
  }

  private static void addEntry(ArrayNode manifests, Manifest manifest, @Nullable String tag) {
    ObjectNode entry = manifests.addObject();
    entry.put("mediaType", manifest.mediaType());
    entry.put("digest", manifest.digest().toString());
    entry.put("size", manifest.size());
    if (tag != null) {
      entry.putObject("annotations").put(REF_NAME, tag);
    }
  }

  private void writeIndex(ObjectNode updated, Ref reference) {
    try {
      index.write(updated);
    } catch (IOException e) {
      throw new GantryException(
          Kind.FAILED,
          "put manifest " + describe(reference) + ": writing index.json failed: " + e.getMessage(),
          e);
    }
  }

  /**
   * Referrers are manifests listed in index.json without a name whose {@code subject} is the image
   * (as ORAS stores them), plus the entries of a fallback-tag index {@code sha256-<hex>} if one is
   * there (a layout copied from a registry without the referrers API). Each listed manifest is read
   * to see its subject: a layout is local.
   */
  @Override
  public synchronized List<Referrer> referrers(Digest subject, Optional<String> artifactType) {
    ObjectNode current = index.read();
    Map<Digest, Referrer> found = new LinkedHashMap<>();
    for (JsonNode entry : current.path("manifests")) {
      subjectEntry(entry, subject).ifPresent(r -> found.putIfAbsent(r.digest(), r));
    }
    Optional<JsonNode> fallback = findTag(current, ReferrersIndex.fallbackTag(subject));
    if (fallback.isPresent()) {
      Digest d = Digest.parse(fallback.get().path("digest").asText());
      String where = "list referrers " + describe(Ref.tag(ReferrersIndex.fallbackTag(subject)));
      ReferrersIndex.parse(readBlob(d, where), where)
          .forEach(r -> found.putIfAbsent(r.digest(), r));
    }
    return ReferrersIndex.filter(List.copyOf(found.values()), artifactType);
  }

  /**
   * The entry as a referrer of {@code subject}, or empty when its manifest has another subject or
   * none.
   */
  private Optional<Referrer> subjectEntry(JsonNode entry, Digest subject) {
    if (entry.path("annotations").has(REF_NAME) || entry.path("size").asLong(0) > MAX_MANIFEST) {
      return Optional.empty();
    }
    Digest d = Digest.parse(entry.path("digest").asText());
    byte[] bytes = readBlob(d, "list referrers " + name + "@" + subject);
    String mediaType =
        ManifestContent.mediaTypeOf(bytes, entry.path("mediaType").asText(MediaTypes.OCI_MANIFEST));
    Manifest m = new Manifest(bytes, mediaType != null ? mediaType : MediaTypes.OCI_MANIFEST, d);
    return Referrer.subjectOf(m).filter(subject::equals).map(s -> Referrer.of(m));
  }

  /**
   * The manifest blob, and an index.json entry without a name carrying its artifactType and
   * annotations.
   */
  @Override
  public synchronized void putReferrer(Manifest manifest) {
    String what = "put referrer " + name + "@" + manifest.digest();
    checkWritable(what);
    if (Referrer.subjectOf(manifest).isEmpty()) {
      throw GantryException.badInput(what + ": the manifest has no subject");
    }
    writeBytesAsBlob(manifest.digest(), manifest.bytes(), what);
    ObjectNode current = index.read();
    for (JsonNode entry : current.path("manifests")) {
      if (manifest.digest().toString().equals(entry.path("digest").asText())
          && !entry.path("annotations").has(REF_NAME)) {
        return;
      }
    }
    ObjectNode updated = current.deepCopy();
    updated.withArray("manifests").add(Referrer.of(manifest).toDescriptor());
    writeIndex(updated, Ref.of(manifest.digest()));
  }

  /**
   * The reference of the layout's only image (its tag, or its digest when untagged), for a source
   * named without a tag. A layout holding several images must be given one.
   */
  public synchronized Ref onlyImage() {
    List<JsonNode> manifests = new ArrayList<>();
    index
        .read()
        .path("manifests")
        .forEach(
            e -> {
              if (!isAttachment(e)) {
                manifests.add(e);
              }
            });
    if (manifests.size() != 1) {
      throw GantryException.badInput(
          "'" + name + "' holds " + manifests.size() + " images: name one as " + name + ":TAG");
    }
    JsonNode entry = manifests.get(0);
    // Another tool's ref.name may be a full name (docker.io/app:1): not a tag, so the digest.
    String tag = entry.path("annotations").path(REF_NAME).asText("");
    return tag.isEmpty() || tag.contains("/") || tag.contains(":")
        ? Ref.of(Digest.parse(entry.path("digest").asText()))
        : Ref.tag(tag);
  }

  /**
   * Whether a tag names an attachment, not an image: the fallback tag {@code sha256-<hex>} and
   * cosign's tag scheme, {@code sha(256|512)-[a-f0-9]{64,}(\\.(sig|att|sbom))?}. A loop, not a
   * pattern: no regular expression is compiled on a promote's path.
   */
  static boolean isAttachmentTag(String tag) {
    if (!tag.startsWith("sha256-") && !tag.startsWith("sha512-")) {
      return false;
    }
    int end = 7;
    while (end < tag.length()
        && ((tag.charAt(end) >= '0' && tag.charAt(end) <= '9')
            || (tag.charAt(end) >= 'a' && tag.charAt(end) <= 'f'))) {
      end++;
    }
    if (end - 7 < 64) {
      return false;
    }
    String suffix = tag.substring(end);
    return suffix.isEmpty()
        || suffix.equals(".sig")
        || suffix.equals(".att")
        || suffix.equals(".sbom");
  }

  /**
   * An entry that is an attachment of an image rather than one: an attachment tag, or a manifest
   * with a subject.
   */
  private boolean isAttachment(JsonNode entry) {
    String tag = entry.path("annotations").path(REF_NAME).asText("");
    if (!tag.isEmpty()) {
      return isAttachmentTag(tag);
    }
    if (entry.path("size").asLong(0) > MAX_MANIFEST) {
      return false;
    }
    Digest d = Digest.parse(entry.path("digest").asText());
    byte[] bytes = readBlob(d, "read " + name + "@" + d);
    return Referrer.subjectOf(
            new Manifest(bytes, entry.path("mediaType").asText(MediaTypes.OCI_MANIFEST), d))
        .isPresent();
  }

  @Override
  public boolean blobExists(Digest digest) {
    return Files.isRegularFile(blobPath(digest));
  }

  @Override
  public InputStream openBlob(Digest digest) {
    try {
      return Files.newInputStream(blobPath(digest));
    } catch (NoSuchFileException e) {
      throw new GantryException(
          Kind.NOT_FOUND, "get blob " + name + "@" + digest + ": missing from the layout");
    } catch (IOException e) {
      throw new GantryException(
          Kind.FAILED, "get blob " + name + "@" + digest + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void writeBlob(Descriptor blob, InputStream in) {
    String what = "write blob " + name + "@" + blob.digest();
    checkWritable(what);
    Path target = blobPath(blob.digest());
    try {
      createParent(target);
      try (AtomicFile temp = AtomicFile.create(AtomicFile.parent(target), ".tmp-")) {
        try {
          VerifiedCopy.copy(blob, in, temp.stream());
        } catch (VerifiedCopy.Mismatch e) {
          throw new GantryException(
              Kind.FAILED, what + ": " + e.getMessage() + "; nothing was written");
        }
        temp.commit(target);
      }
    } catch (IOException e) {
      throw new GantryException(Kind.FAILED, what + ": " + e.getMessage(), e);
    }
  }

  /** Reads a whole blob (a manifest) and checks it against its digest. */
  private byte[] readBlob(Digest digest, String what) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(blobPath(digest));
    } catch (NoSuchFileException e) {
      throw new GantryException(
          Kind.NOT_FOUND, what + ": blob " + digest + " is missing from the layout");
    } catch (IOException e) {
      throw new GantryException(Kind.FAILED, what + ": " + e.getMessage(), e);
    }
    if (!digest.matches(bytes)) {
      throw new GantryException(
          Kind.FAILED, what + ": corrupt blob: " + digest + " hashes to " + Digest.sha256(bytes));
    }
    return bytes;
  }

  private void writeBytesAsBlob(Digest digest, byte[] bytes, String what) {
    if (blobExists(digest)) {
      return;
    }
    try {
      Path target = blobPath(digest);
      createParent(target);
      AtomicFile.write(target, bytes);
    } catch (IOException e) {
      throw new GantryException(Kind.FAILED, what + ": " + e.getMessage(), e);
    }
  }

  private synchronized ObjectNode readIndexSynchronized() {
    return index.read();
  }

  private static Optional<JsonNode> findTag(ObjectNode index, String tag) {
    for (JsonNode entry : index.path("manifests")) {
      if (tag.equals(entry.path("annotations").path(REF_NAME).asText(null))) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }

  private Path blobPath(Digest digest) {
    return dir.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  private void checkWritable(String what) {
    if (readOnly) {
      throw GantryException.badInput(
          what + ": " + name + " is read-only (an archive is a source only)");
    }
  }

  /**
   * Creates the target's directory unless it is there: one stat, where creating it anyway costs a
   * failed mkdir and an exception for every blob written.
   */
  private static void createParent(Path target) throws IOException {
    Path parent = AtomicFile.parent(target);
    if (!Files.isDirectory(parent)) {
      Files.createDirectories(parent);
    }
  }
}
