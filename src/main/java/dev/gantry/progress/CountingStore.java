package dev.gantry.progress;

import dev.gantry.image.Descriptor;
import dev.gantry.image.Digest;
import dev.gantry.image.Manifest;
import dev.gantry.image.Ref;
import dev.gantry.image.Referrer;
import dev.gantry.store.ImageStore;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A store that tells a listener each manifest it wrote, for promote's summary; everything else
 * passes through. (Copy reports from inside the copier instead: it needs the real store to decide
 * on cross-repository mounts.)
 */
public record CountingStore(ImageStore store, TransferListener listener) implements ImageStore {
  @Override
  public void putManifest(Ref reference, Manifest manifest) {
    store.putManifest(reference, manifest);
    listener.manifestWritten(manifest.digest());
  }

  @Override
  public void putImage(Ref reference, Manifest manifest) {
    store.putImage(reference, manifest);
    listener.manifestWritten(manifest.digest());
  }

  @Override
  public String name() {
    return store.name();
  }

  @Override
  public Optional<Digest> headManifest(Ref reference) {
    return store.headManifest(reference);
  }

  @Override
  public Manifest getManifest(Ref reference) {
    return store.getManifest(reference);
  }

  @Override
  public Optional<Manifest> findManifest(Ref reference) {
    return store.findManifest(reference);
  }

  @Override
  public Optional<Digest> headImage(Ref reference) {
    return store.headImage(reference);
  }

  @Override
  public boolean blobExists(Digest digest) {
    return store.blobExists(digest);
  }

  @Override
  public InputStream openBlob(Digest digest) {
    return store.openBlob(digest);
  }

  @Override
  public String describe(Ref reference) {
    return store.describe(reference);
  }

  @Override
  public void writeBlob(Descriptor blob, InputStream in) {
    store.writeBlob(blob, in);
  }

  @Override
  public Arrival copyBlob(Descriptor blob, ImageStore source, UnaryOperator<InputStream> watch) {
    return store.copyBlob(blob, source, watch);
  }

  @Override
  public List<Referrer> referrers(Digest subject, Optional<String> artifactType) {
    return store.referrers(subject, artifactType);
  }

  @Override
  public void putReferrer(Manifest manifest) {
    store.putReferrer(manifest);
    listener.manifestWritten(manifest.digest());
  }
}
