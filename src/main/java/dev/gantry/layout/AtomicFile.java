package dev.gantry.layout;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A layout's files are written whole or not at all: into a temporary sibling (its name starts with
 * a dot), forced to disk, then renamed over the target. The temporary file is created as {@code
 * Files.createTempFile} creates one (exclusively, owner read and write only, where the file system
 * has POSIX permissions), but with one open instead of three: {@code createTempFile}, the write and
 * the force each opened it, and its name came from a {@code SecureRandom} seeded at first use.
 */
final class AtomicFile implements Closeable {
  /** How many taken names are skipped before giving up (each one is a file someone else made). */
  private static final int ATTEMPTS = 100;

  private static final Set<StandardOpenOption> CREATE_NEW =
      EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

  private static final FileAttribute<?>[] OWNER_ONLY =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
          ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))
          }
          : new FileAttribute<?>[0];

  /**
   * The next temporary name's number. The name need not be unguessable: the file is created with
   * CREATE_NEW (O_EXCL, which follows no link), so a name someone else holds is skipped, never
   * written through.
   */
  static final AtomicLong NEXT = new AtomicLong(System.nanoTime());

  private final Path temp;
  private final FileChannel channel;
  private boolean done;

  private AtomicFile(Path temp, FileChannel channel) {
    this.temp = temp;
    this.channel = channel;
  }

  /**
   * A new temporary file in {@code dir}, named {@code prefix} and a number, open for writing. The
   * caller commits it or closes it (which deletes it).
   */
  static AtomicFile create(Path dir, String prefix) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Path temp = dir.resolve(prefix + Long.toUnsignedString(NEXT.getAndIncrement()));
      try {
        return new AtomicFile(temp, FileChannel.open(temp, CREATE_NEW, OWNER_ONLY));
      } catch (FileAlreadyExistsException e) {
        if (attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** Writes {@code bytes} to a temporary sibling of {@code target} and renames it over target. */
  static void write(Path target, byte[] bytes) throws IOException {
    try (AtomicFile file = create(parent(target), ".tmp-" + target.getFileName())) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        file.channel.write(buffer);
      }
      file.commit(target);
    }
  }

  /** The temporary file as a stream; closing the stream closes the file without committing it. */
  OutputStream stream() {
    return Channels.newOutputStream(channel);
  }

  /** Forces what was written to disk, closes the file and renames it over {@code target}. */
  void commit(Path target) throws IOException {
    channel.force(true);
    channel.close();
    move(temp, target);
    done = true;
  }

  /** Unless committed: closes the temporary file and deletes it. */
  @Override
  public void close() {
    if (done) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing is only to delete it; the delete below is what matters
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // a stray temporary file is harmless: nothing refers to it
    }
  }

  /** The directory a layout file is in (every path here is one under the layout's directory). */
  static Path parent(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException(file + " is not in a directory");
    }
    return parent;
  }

  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
