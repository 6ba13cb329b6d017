package dev.gantry.layout;

import dev.gantry.GantryException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Unpacks the regular files of a tar archive (ustar, with GNU long names and pax path headers, as
 * Go's and skopeo's writers produce) into a directory, streaming. Entries that would land outside
 * it are refused.
 */
final class TarExtractor {
  private static final int BLOCK = 512;

  private TarExtractor() {}

  static void extract(Path archive, Path into, String name) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 64 * 1024)) {
      byte[] header = new byte[BLOCK];
      String longName = null;
      while (true) {
        if (!readBlock(in, header)) {
          return;
        }
        if (isZero(header)) {
          return;
        }
        String entryName = longName != null ? longName : field(header, 0, 100);
        longName = null;
        String prefix = field(header, 345, 155);
        if (!prefix.isEmpty() && entryName.equals(field(header, 0, 100))) {
          entryName = prefix + "/" + entryName;
        }
        long size = octal(header, 124, 12);
        char type = (char) header[156];
        switch (type) {
          case 'L' ->
              longName = new String(readData(in, size), StandardCharsets.UTF_8).replace("\0", "");
          case 'x' -> longName = paxPath(readData(in, size));
          case '0', '\0' -> writeFile(in, size, into, entryName, name);
          default -> skip(in, size);
        }
      }
    } catch (EOFException e) {
      throw GantryException.badInput(
          "'" + name + "' is not a readable tar archive: it is truncated");
    } catch (IOException e) {
      String why =
          e.getMessage() == null
              ? "corrupt archive"
              : e.getMessage().replaceAll("[^\\x20-\\x7e]", "?");
      throw GantryException.badInput("'" + name + "' is not a readable tar archive: " + why);
    }
  }

  private static void writeFile(InputStream in, long size, Path into, String entryName, String name)
      throws IOException {
    Path target = into.resolve(entryName).normalize();
    if (!target.startsWith(into)) {
      throw GantryException.badInput(
          "'" + name + "' has an entry outside the archive: " + entryName);
    }
    Files.createDirectories(target.getParent());
    try (OutputStream out = Files.newOutputStream(target)) {
      byte[] buffer = new byte[64 * 1024];
      long left = size;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new EOFException("truncated entry " + entryName);
        }
        out.write(buffer, 0, n);
        left -= n;
      }
    }
    skip(in, padding(size));
  }

  private static byte[] readData(InputStream in, long size) throws IOException {
    if (size > 1 << 20) {
      throw new IOException("oversized header entry");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length != size) {
      throw new EOFException("truncated header entry");
    }
    skip(in, padding(size));
    return data;
  }

  /** The {@code path} record of a pax extended header ({@code "<len> path=<value>\n"}). */
  private static @Nullable String paxPath(byte[] data) {
    for (String record : new String(data, StandardCharsets.UTF_8).split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) {
        return record.substring(space + 1 + "path=".length());
      }
    }
    return null;
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private static void skip(InputStream in, long n) throws IOException {
    in.skipNBytes(n);
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n != BLOCK) {
      throw new EOFException("truncated tar header");
    }
    return true;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String field(byte[] h, int offset, int length) {
    int end = offset;
    while (end < offset + length && h[end] != 0) {
      end++;
    }
    return new String(h, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] h, int offset, int length) throws IOException {
    if ((h[offset] & 0x80) != 0) { // base-256 for sizes over 8 GiB
      long v = h[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        v = (v << 8) | (h[offset + i] & 0xff);
      }
      return v;
    }
    String s = field(h, offset, length).trim();
    try {
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw new IOException("bad size field '" + s + "'");
    }
  }
}
