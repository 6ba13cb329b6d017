package dev.gantry.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Copies a blob's bytes from a source to a destination in 64 KiB pieces, counting and hashing on
 * the way, and fails with {@link Mismatch} as soon as the source is not what its descriptor says
 * (too many bytes, too few, another digest). Used for registry uploads and layout writes alike, so
 * a corrupt source is caught the same way.
 */
public final class VerifiedCopy {
  /** The source did not match its descriptor; the message says how. */
  public static final class Mismatch extends IOException {
    Mismatch(String message) {
      super(message);
    }
  }

  private VerifiedCopy() {}

  public static void copy(Descriptor blob, InputStream in, OutputStream out) throws IOException {
    MessageDigest hasher = blob.digest().newHasher();
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = in.read(buffer)) != -1; ) {
      total += n;
      if (total > blob.size()) {
        throw new Mismatch(
            "the source sent more than the " + blob.size() + " bytes its descriptor declares");
      }
      hasher.update(buffer, 0, n);
      out.write(buffer, 0, n);
    }
    if (total != blob.size()) {
      throw new Mismatch(
          "the source sent " + total + " bytes, its descriptor declares " + blob.size());
    }
    String actual = HexFormat.of().formatHex(hasher.digest());
    if (!actual.equals(blob.digest().hex())) {
      throw new Mismatch(
          "the source bytes hash to "
              + blob.digest().algorithm()
              + ":"
              + actual
              + ", not "
              + blob.digest());
    }
  }
}
