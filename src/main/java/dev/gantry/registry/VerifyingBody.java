package dev.gantry.registry;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * A blob upload body that streams from the source in 64 KiB pieces, counting and hashing: if the source sends
 * more or fewer bytes than its descriptor declares, or bytes with another digest, the write fails before the
 * request completes. A 1 GiB layer never sits in memory.
 */
final class VerifyingBody extends RequestBody {
  private static final MediaType OCTETS = MediaType.get("application/octet-stream");
  private final Descriptor blob;
  private final InputStream in;
  private volatile String problem;

  VerifyingBody(Descriptor blob, InputStream in) {
    this.blob = blob;
    this.in = in;
  }

  /** Why the source was refused, or null. */
  String problem() {
    return problem;
  }

  @Override
  public MediaType contentType() {
    return OCTETS;
  }

  @Override
  public long contentLength() {
    return blob.size();
  }

  @Override
  public boolean isOneShot() {
    return true;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    MessageDigest hasher = blob.digest().newHasher();
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    for (int n; (n = in.read(buffer)) != -1; ) {
      total += n;
      if (total > blob.size()) {
        throw refuse("the source sent more than the " + blob.size() + " bytes its descriptor declares");
      }
      hasher.update(buffer, 0, n);
      sink.write(buffer, 0, n);
    }
    if (total != blob.size()) {
      throw refuse("the source sent " + total + " bytes, its descriptor declares " + blob.size());
    }
    String actual = HexFormat.of().formatHex(hasher.digest());
    if (!actual.equals(blob.digest().hex())) {
      throw refuse("the source bytes hash to " + blob.digest().algorithm() + ":" + actual + ", not " + blob.digest());
    }
  }

  private IOException refuse(String why) {
    problem = why;
    return new IOException(why);
  }
}
