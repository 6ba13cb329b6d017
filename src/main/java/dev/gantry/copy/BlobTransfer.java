package dev.gantry.copy;

import dev.gantry.image.Descriptor;
import dev.gantry.progress.TransferListener;
import dev.gantry.store.ImageStore;

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
