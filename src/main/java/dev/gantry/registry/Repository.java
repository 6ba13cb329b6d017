package dev.gantry.registry;

import dev.gantry.GantryException;
import java.util.regex.Pattern;

/**
 * A repository on a registry: {@code ghcr.io} + {@code acme/api}. The registry is kept as the user
 * wrote it (normalized for Docker Hub); where to connect is {@link Endpoints}' business.
 */
public record Repository(String registry, String path) {
  public static final String DOCKER_HUB = "docker.io";

  // equals and hashCode written out: a record's generated ones link java.lang.invoke call sites on
  // first use, some
  // 60 ms of a CLI run (StartupClassesIT holds a promote to none).
  @Override
  public boolean equals(Object o) {
    return o instanceof Repository r && registry.equals(r.registry) && path.equals(r.path);
  }

  @Override
  public int hashCode() {
    return 31 * registry.hashCode() + path.hashCode();
  }

  // The distribution spec's path component grammar.
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern REGISTRY =
      Pattern.compile(
          "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
              + "|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?");

  public Repository {
    checkRegistry(registry);
    if (path == null || path.isEmpty() || path.length() > 255) {
      throw GantryException.badInput("invalid repository name '" + path + "'");
    }
    for (String component : path.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw GantryException.badInput(
            "invalid repository name '"
                + path
                + "' (lower-case letters, digits and . _ - separators only)");
      }
    }
  }

  /**
   * Throws the one-line bad-input error unless {@code registry} is {@code HOST[:PORT]} with a port
   * from 1 to 65535 written without leading zeros (a URL library would read {@code :00080} as 80,
   * or fail later on {@code :0}).
   */
  public static String checkRegistry(String registry) {
    if (registry == null || !REGISTRY.matcher(registry).matches()) {
      throw GantryException.badInput("invalid registry '" + registry + "'");
    }
    int colon = registry.lastIndexOf(':');
    if (colon > registry.lastIndexOf(']')) {
      String port = registry.substring(colon + 1);
      if (port.startsWith("0") || Integer.parseInt(port) > 65535) {
        throw GantryException.badInput(
            "invalid registry '"
                + registry
                + "': port "
                + port
                + " is not 1 to 65535 without leading zeros");
      }
    }
    return registry;
  }

  /** {@code registry/path}, which {@link ImageReference#parse} reads back to this repository. */
  @Override
  public String toString() {
    return registry + "/" + path;
  }
}
