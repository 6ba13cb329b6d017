package dev.gantry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Gantry's version: the jar manifest, else the gantry.version property (the Jib image), else "dev".
 * And where this build is published, as the build stamped it.
 */
public final class Version {
  private Version() {}

  public static String get() {
    String v = Version.class.getPackage().getImplementationVersion();
    if (v == null) {
      v = System.getProperty("gantry.version"); // the Jib image runs classes, not the jar
    }
    return v == null ? "dev" : v;
  }

  /** What {@code gantry --version} prints. */
  public static String line() {
    return "gantry " + get();
  }

  /**
   * {@code gantry --version} (or {@code -V}) and nothing else: answered before anything else is set
   * up.
   */
  public static boolean requested(String[] args) {
    return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
  }

  /**
   * The repository this build of Gantry is published in (OWNER/REPO), as the build stamped it into
   * build.properties ({@code -Dgantry.repository=...}, set by the release); null when it was not.
   */
  public static @Nullable String repository() {
    try (InputStream in = Version.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        return null;
      }
      Properties p = new Properties();
      p.load(in);
      String value = p.getProperty("repository", "").strip();
      return value.isEmpty() ? null : value;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
