package dev.gantry.registry;

import dev.gantry.image.Descriptor;
import dev.gantry.image.VerifiedCopy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.jspecify.annotations.Nullable;

/**
 * A blob upload body streamed through {@link VerifiedCopy}: a source that does not match its
 * descriptor fails the write before the request completes, so the registry never commits it. A 1
 * GiB layer never sits in memory.
 */
final class VerifyingBody extends RequestBody {
  private static final MediaType OCTETS = MediaType.get("application/octet-stream");
  private final Descriptor blob;
  private final InputStream in;
  private volatile @Nullable String problem;

  VerifyingBody(Descriptor blob, InputStream in) {
    this.blob = blob;
    this.in = in;
  }

  /** Why the source was refused, or null. */
  @Nullable String problem() {
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
    OutputStream out = sink.outputStream();
    try {
      VerifiedCopy.copy(blob, in, out);
    } catch (VerifiedCopy.Mismatch e) {
      problem = e.getMessage();
      throw e;
    }
    out.flush();
  }
}
