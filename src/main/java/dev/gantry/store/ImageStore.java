package dev.gantry.store;

import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where images live: a repository on a registry, or an OCI image layout on disk. Promote and copy speak only
 * this, so every guarantee (byte-exact, idempotent, all or nothing) holds for both. References are a tag or a
 * digest string ({@code sha256:…}).
 */
public interface ImageStore {
  /** Names the store in messages and output: {@code ghcr.io/acme/api} or {@code oci:build/layout}. */
  String name();

  /** The digest a tag or digest resolves to, or empty when it does not exist. */
  Optional<Digest> headManifest(String reference);

  /** The manifest's exact bytes, verified against their digest. */
  Manifest getManifest(String reference);

  /** Stores the exact bytes under a tag, or by digest when {@code reference} is one. */
  void putManifest(String reference, Manifest manifest);

  /**
   * The digest an image is listed under, for the top manifest of an image: like {@link #headManifest}, except that
   * a layout only counts an image named by digest when its index lists it (a stored manifest blob is not enough).
   */
  default Optional<Digest> headImage(String reference) {
    return headManifest(reference);
  }

  /** Stores an image's top manifest under a tag or digest so that readers find it (a layout lists it in its index). */
  default void putImage(String reference, Manifest manifest) {
    putManifest(reference, manifest);
  }

  boolean blobExists(Digest digest);

  /** A stream of the blob's bytes; the caller closes it. */
  InputStream openBlob(Digest digest);

  /** Whether this store refuses writes (an archive). */
  default boolean readOnly() {
    return false;
  }

  /** A reference to an image in this store, for output: {@code name:tag} or {@code name@digest}. */
  default String describe(String reference) {
    return name() + (reference.contains(":") ? "@" : ":") + reference;
  }

  /** Writes a blob read from {@code in}, checking size and digest before it becomes visible. */
  void writeBlob(Descriptor blob, InputStream in);
}
