package dev.gantry.image;

import java.util.Arrays;

/**
 * A manifest as opaque bytes: exactly what the registry served, with the media type it is PUT back
 * with and the digest computed from those bytes. Nothing here re-serializes JSON, so a copy keeps
 * its digest.
 */
@SuppressWarnings(
    "ArrayRecordComponent") // equals, hashCode and the accessor are written for the array below
public record Manifest(byte[] bytes, String mediaType, Digest digest) {
  public Manifest {
    bytes = bytes.clone();
  }

  public static Manifest of(byte[] bytes, String mediaType) {
    return new Manifest(bytes, mediaType, Digest.sha256(bytes));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  public boolean isIndex() {
    return MediaTypes.isIndex(mediaType);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Manifest m
        && Arrays.equals(bytes, m.bytes)
        && mediaType.equals(m.mediaType);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "Manifest[" + mediaType + " " + digest + " " + bytes.length + " bytes]";
  }
}
