package dev.gantry;

/**
 * Gantry's version: the jar manifest, else the gantry.version property (the Jib image), else "dev".
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
}
