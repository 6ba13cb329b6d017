package dev.gantry.progress;

import dev.gantry.image.Digest;
import java.util.Locale;

/** Human figures in decimal units (1 MB = 1,000,000 bytes), as docker and skopeo print them. */
final class Units {
  private static final String[] PREFIXES = {"B", "kB", "MB", "GB", "TB"};

  private Units() {}

  static String bytes(long n) {
    if (n < 1000) {
      return n + " B";
    }
    double v = n;
    int i = 0;
    while (v >= 999.95 && i < PREFIXES.length - 1) {
      v /= 1000;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, PREFIXES[i]);
  }

  static String rate(double bytesPerSecond) {
    return bytes(Math.round(bytesPerSecond)) + "/s";
  }

  /** {@code 850 ms}, {@code 25.3 s}, {@code 4m05s}, {@code 1h02m}. */
  static String duration(long millis) {
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    long s = millis / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
  }

  /** Time left at this rate, or {@code --} while there is no rate to go by. */
  static String eta(long remaining, double bytesPerSecond) {
    if (bytesPerSecond < 1) {
      return "--";
    }
    long s = (long) Math.ceil(remaining / bytesPerSecond);
    return s < 60
        ? s + "s"
        : s < 3600
            ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
            : String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
  }

  /** {@code sha256:3f2a9c1d0b7e}: enough to tell blobs apart, short enough for one line. */
  static String shortDigest(Digest d) {
    return d.algorithm() + ":" + d.hex().substring(0, Math.min(12, d.hex().length()));
  }

  static int percent(long done, long total) {
    return total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
  }
}
