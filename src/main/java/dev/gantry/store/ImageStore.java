package dev.gantry.store;

import dev.gantry.GantryException;
import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.image.Referrer;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where images live: a repository on a registry, or an OCI image layout on disk. Promote and copy
 * speak only this, so every guarantee (byte-exact, idempotent, all or nothing) holds for both.
 * Manifests are named by a {@link Ref}: a tag or a digest.
 */
public interface ImageStore {
  /**
   * How many times a blob transfer runs at most when its failure is {@link
   * GantryException#restartable()}.
   */
  int COPY_ATTEMPTS = 3;

  /**
   * Names the store in messages and output: {@code ghcr.io/acme/api} or {@code oci:build/layout}.
   */
  String name();

  /** The digest a tag or digest resolves to, or empty when it does not exist. */
  Optional<Digest> headManifest(Ref reference);

  /** The manifest's exact bytes, verified against their digest. */
  Manifest getManifest(Ref reference);

  /**
   * The manifest, or empty when the tag or digest does not exist (a registry answers this with one
   * GET).
   */
  default Optional<Manifest> findManifest(Ref reference) {
    return headManifest(reference).map(d -> getManifest(reference));
  }

  /** Stores the exact bytes under a tag, or by digest when {@code reference} is one. */
  void putManifest(Ref reference, Manifest manifest);

  /**
   * The digest an image is listed under, for the top manifest of an image: like {@link
   * #headManifest}, except that a layout only counts an image named by digest when its index lists
   * it (a stored manifest blob is not enough).
   */
  default Optional<Digest> headImage(Ref reference) {
    return headManifest(reference);
  }

  /**
   * Stores an image's top manifest under a tag or digest so that readers find it (a layout lists it
   * in its index).
   */
  default void putImage(Ref reference, Manifest manifest) {
    putManifest(reference, manifest);
  }

  /**
   * Manifests whose subject is {@code subject}, filtered by artifactType when present. Registry:
   * the OCI 1.1 referrers API (every page, following Link), or, when the registry has none (404 on
   * the endpoint), the fallback tag sha256-&lt;hex&gt; (an OCI image index). Layout: its index.json
   * entries with that subject (and the fallback tag form if present). Empty list when there are
   * none. Cosign's .sig/.att/.sbom tags are NOT included here (the referrers package discovers
   * them).
   */
  List<Referrer> referrers(Digest subject, Optional<String> artifactType);

  /**
   * Stores a manifest that carries a {@code subject} field, so that {@link #referrers} lists it
   * afterwards: PUT by digest; when the store has no referrers API (the registry answers the PUT
   * without an {@code OCI-Subject} header), also merged into the fallback tag's index (idempotent:
   * an entry already there is not added twice). Layout: the manifest blob plus an index.json entry.
   */
  void putReferrer(Manifest manifest);

  boolean blobExists(Digest digest);

  /** A stream of the blob's bytes; the caller closes it. */
  InputStream openBlob(Digest digest);

  /** A reference to an image in this store, for output: {@code name:tag} or {@code name@digest}. */
  default String describe(Ref reference) {
    return reference.in(name());
  }

  /** Writes a blob read from {@code in}, checking size and digest before it becomes visible. */
  void writeBlob(Descriptor blob, InputStream in);

  /** How a blob came into a store. */
  enum Arrival {
    MOUNTED,
    UPLOADED
  }

  /**
   * Writes a blob that {@code source} holds, the cheapest way this store knows: a registry
   * repository mounts it from another repository of its registry; otherwise the bytes stream from
   * {@code source} through {@code watch} (which counts them), opened again if the write must start
   * over. Says which it was.
   */
  default Arrival copyBlob(Descriptor blob, ImageStore source, UnaryOperator<InputStream> watch) {
    for (int attempt = 1; ; attempt++) {
      try (InputStream in = watch.apply(source.openBlob(blob.digest()))) {
        writeBlob(blob, in);
        return Arrival.UPLOADED;
      } catch (GantryException e) {
        // A registry source that is still failing after the HTTP layer's own retries: the whole
        // blob once more.
        if (attempt >= COPY_ATTEMPTS || !e.restartable()) {
          throw e;
        }
      } catch (IOException e) {
        throw new GantryException(
            GantryException.Kind.FAILED,
            "get blob " + source.name() + "@" + blob.digest() + ": " + e.getMessage(),
            e);
      }
    }
  }
}
