package dev.gantry.copy;

import dev.gantry.GantryException;
import dev.gantry.registry.Descriptor;
import dev.gantry.registry.RegistryException;
import dev.gantry.registry.RemoteRepository;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * Moves one blob to the destination the cheapest way that works: nothing if it is there already, a cross-repository
 * mount on the same registry, else a streamed upload — read from the source and written to the destination in
 * 64 KiB pieces, hashed on the way so a corrupt source never completes an upload. A 1 GiB layer never sits in memory.
 */
final class BlobTransfer {
  enum How { PRESENT, MOUNTED, COPIED }

  private static final int ATTEMPTS = 3;
  private static final MediaType OCTETS = MediaType.get("application/octet-stream");

  private BlobTransfer() {}

  static How transfer(Descriptor blob, RemoteRepository from, RemoteRepository to, boolean sameRegistry) {
    if (to.blobExists(blob.digest())) {
      return How.PRESENT;
    }
    for (int attempt = 1; ; attempt++) {
      try {
        Optional<HttpUrl> location = sameRegistry && !from.repository().equals(to.repository())
            ? to.mountBlob(blob.digest(), from.repository())
            : Optional.of(to.startUpload(blob.digest()));
        if (location.isEmpty()) {
          return How.MOUNTED;
        }
        stream(blob, from, to, location.get());
        return How.COPIED;
      } catch (RegistryException e) {
        // The interceptor cannot replay a streamed body, so a temporary failure repeats the whole transfer here.
        if (attempt >= ATTEMPTS || !e.isTemporary()) {
          throw e;
        }
      }
    }
  }

  private static void stream(Descriptor blob, RemoteRepository from, RemoteRepository to, HttpUrl location) {
    try (InputStream in = from.openBlob(blob.digest())) {
      VerifyingBody body = new VerifyingBody(blob, in);
      try {
        to.finishUpload(location, blob.digest(), body);
      } catch (RegistryException e) {
        if (body.problem != null) {
          throw new GantryException(GantryException.Kind.FAILED,
              "copy blob " + from.repository() + "@" + blob.digest() + ": " + body.problem + "; nothing was committed");
        }
        throw e;
      }
    } catch (IOException e) {
      throw RegistryException.unreachable("get blob", from.repository() + "@" + blob.digest(), e);
    }
  }

  /** Streams the source into the upload, counting and hashing; a mismatch aborts the PUT before it completes. */
  private static final class VerifyingBody extends RequestBody {
    private final Descriptor blob;
    private final InputStream in;
    volatile String problem;

    VerifyingBody(Descriptor blob, InputStream in) {
      this.blob = blob;
      this.in = in;
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
          problem = "the source sent more than the " + blob.size() + " bytes its descriptor declares";
          throw new IOException(problem);
        }
        hasher.update(buffer, 0, n);
        sink.write(buffer, 0, n);
      }
      String actual = HexFormat.of().formatHex(hasher.digest());
      if (total != blob.size()) {
        problem = "the source sent " + total + " bytes, its descriptor declares " + blob.size();
        throw new IOException(problem);
      }
      if (!actual.equals(blob.digest().hex())) {
        problem = "the source bytes hash to " + blob.digest().algorithm() + ":" + actual + ", not " + blob.digest();
        throw new IOException(problem);
      }
    }
  }
}
