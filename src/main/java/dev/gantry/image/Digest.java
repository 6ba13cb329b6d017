package dev.gantry.image;

import dev.gantry.GantryException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/** A content digest such as {@code sha256:0123…}; the identity of a manifest or blob. */
public record Digest(String algorithm, String hex) {
  // equals and hashCode written out: a record's generated ones link java.lang.invoke call sites on
  // first use, some
  // 60 ms of a CLI run (StartupClassesIT holds a promote to none).
  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && algorithm.equals(d.algorithm) && hex.equals(d.hex);
  }

  @Override
  public int hashCode() {
    return 31 * algorithm.hashCode() + hex.hashCode();
  }

  public Digest {
    boolean ok =
        ("sha256".equals(algorithm) && isLowerHex(hex, 64))
            || ("sha512".equals(algorithm) && isLowerHex(hex, 128));
    if (!ok) {
      throw GantryException.badInput(
          "invalid digest '" + algorithm + ":" + hex + "' (expected sha256:<64 hex>)");
    }
  }

  /**
   * Whether {@code hex} is exactly {@code length} characters of {@code [a-f0-9]}. A loop, not a
   * regular expression: every digest of a run passes here, and the first pattern compiled costs a
   * layout promote milliseconds of start-up.
   */
  private static boolean isLowerHex(@Nullable String hex, int length) {
    if (hex == null || hex.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = hex.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  public static Digest parse(String value) {
    int colon = value.indexOf(':');
    if (colon < 0) {
      throw GantryException.badInput("invalid digest '" + value + "' (expected sha256:<64 hex>)");
    }
    return new Digest(value.substring(0, colon), value.substring(colon + 1));
  }

  /** The sha256 digest of exactly these bytes. */
  public static Digest sha256(byte[] bytes) {
    MessageDigest md = newSha256();
    return new Digest("sha256", HexFormat.of().formatHex(md.digest(bytes)));
  }

  /**
   * Sets up the JDK's provider list and SHA-256 (a one-time 15 ms or so), for a background thread
   * to do before the first digest is needed.
   */
  public static void warmUp() {
    sha256(new byte[0]);
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  public MessageDigest newHasher() {
    try {
      return MessageDigest.getInstance("sha256".equals(algorithm) ? "SHA-256" : "SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no " + algorithm, e);
    }
  }

  /** Whether {@code bytes} hash to this digest, in this digest's own algorithm. */
  public boolean matches(byte[] bytes) {
    return hex.equals(HexFormat.of().formatHex(newHasher().digest(bytes)));
  }

  /** {@code sha256:0123456789ab} for human-readable lines. */
  public String shortForm() {
    return algorithm + ":" + hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
