package dev.gantry.copy;

import dev.gantry.Jobs;
import dev.gantry.image.Descriptor;
import dev.gantry.progress.TransferListener;
import dev.gantry.store.ImageStore;
import java.util.List;

/**
 * Moves one blob the cheapest way that works: nothing if the destination has it, else whatever the
 * destination store does best (a registry mounts it across repositories, or streams it, verified
 * against the digest).
 */
final class BlobTransfer {
  enum How {
    PRESENT,
    MOUNTED,
    COPIED
  }

  private BlobTransfer() {}

  /**
   * Moves every blob of {@code blobs}, {@code jobs} at a time, telling the listener what is planned
   * and how each one went; says how each moved, in the order given. The first failure is thrown.
   */
  static List<How> transferAll(
      List<Descriptor> blobs, ImageStore from, ImageStore to, int jobs, TransferListener listener) {
    listener.planned(blobs);
    return Jobs.valuesOrThrow(
        Jobs.run(
            blobs,
            jobs,
            true,
            d -> {
              How h = transfer(d, from, to, listener);
              listener.blobFinished(d, ImageCopier.moved(h));
              return h;
            }));
  }

  static How transfer(Descriptor blob, ImageStore from, ImageStore to, TransferListener listener) {
    if (to.blobExists(blob.digest())) {
      return How.PRESENT;
    }
    return switch (to.copyBlob(blob, from, in -> listener.watch(blob, in))) {
      case MOUNTED -> How.MOUNTED;
      case UPLOADED -> How.COPIED;
    };
  }
}
