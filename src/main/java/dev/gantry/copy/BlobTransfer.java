package dev.gantry.copy;

import dev.gantry.progress.TransferListener;
import dev.gantry.image.Descriptor;
import dev.gantry.registry.RegistryException;
import dev.gantry.registry.RemoteRepository;
import dev.gantry.store.ImageStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Moves one blob the cheapest way that works: nothing if the destination has it, a cross-repository mount on
 * the same registry, else a stream from the source into the destination, verified against the digest.
 */
final class BlobTransfer {
  enum How { PRESENT, MOUNTED, COPIED }

  private static final int ATTEMPTS = 3;

  private BlobTransfer() {}

  static How transfer(Descriptor blob, ImageStore from, ImageStore to, TransferListener listener) {
    if (to.blobExists(blob.digest())) {
      return How.PRESENT;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return once(blob, from, to, listener);
      } catch (RegistryException e) {
        // The HTTP layer cannot replay a streamed body, so a temporary failure repeats the whole transfer here.
        // So does a first 401: the token expired mid-stream (it opened the upload a moment ago), and the
        // authenticator, which never replays a consumed body, has dropped it; the restart fetches a fresh one.
        boolean expiredToken = e.status() == 401 && attempt == 1;
        if (attempt >= ATTEMPTS || !(e.isTemporary() || expiredToken)) {
          throw e;
        }
      }
    }
  }

  private static How once(Descriptor blob, ImageStore from, ImageStore to, TransferListener listener) {
    if (from instanceof RemoteRepository src && to instanceof RemoteRepository dst
        && src.repository().registry().equals(dst.repository().registry())
        && !src.repository().equals(dst.repository())) {
      Optional<HttpUrl> upload = dst.mountBlob(blob.digest(), src.repository());
      if (upload.isEmpty()) {
        return How.MOUNTED;
      }
      try (InputStream in = listener.watch(blob, src.openBlob(blob.digest()))) {
        dst.uploadTo(upload.get(), blob, in);
      } catch (IOException e) {
        throw RegistryException.unreachable("get blob", src.name() + "@" + blob.digest(), e);
      }
      return How.COPIED;
    }
    try (InputStream in = listener.watch(blob, from.openBlob(blob.digest()))) {
      to.writeBlob(blob, in);
    } catch (IOException e) {
      throw RegistryException.unreachable("get blob", from.name() + "@" + blob.digest(), e);
    }
    return How.COPIED;
  }
}
