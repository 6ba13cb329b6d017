package dev.gantry.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * The smallest real layer: a one-file ustar archive, then gzip. Written by hand (60 lines) rather
 * than pulling in commons-compress; every field is fixed so the same content always gives the same
 * digest.
 */
final class TarGz {

  private static final int BLOCK = 512;

  private TarGz() {}

  /**
   * A tar holding one regular file {@code name} (under 100 bytes) with {@code content}, mode 0644,
   * mtime 0.
   */
  static byte[] tar(String name, byte[] content) {
    byte[] header = new byte[BLOCK];
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 108, "0000000");
    put(header, 116, "0000000");
    put(header, 124, "%011o".formatted(content.length));
    put(header, 136, "%011o".formatted(0));
    put(header, 148, "        "); // checksum field counts as spaces while summing
    header[156] = '0';
    put(header, 257, "ustar");
    put(header, 263, "00");
    put(header, 265, "root");
    put(header, 297, "root");
    int sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, "%06o".formatted(sum));
    header[154] = 0; // six octal digits, NUL, space: the classic layout every tar reads
    header[155] = ' ';
    int padded = (content.length + BLOCK - 1) / BLOCK * BLOCK;
    byte[] tar = new byte[BLOCK + padded + 2 * BLOCK]; // two zero blocks end the archive
    System.arraycopy(header, 0, tar, 0, BLOCK);
    System.arraycopy(content, 0, tar, BLOCK, content.length);
    return tar;
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // The JDK writes a fixed gzip header (mtime 0), so output depends on the input only.
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void put(byte[] header, int offset, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
