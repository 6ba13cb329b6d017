package dev.gantry.registry;

import dev.gantry.GantryException;
import java.util.regex.Pattern;

/**
 * A repository on a registry: {@code ghcr.io} + {@code acme/api}. The registry is kept as the user wrote it
 * (normalized for Docker Hub); where to connect is {@link Endpoints}' business.
 */
public record Repository(String registry, String path) {
  public static final String DOCKER_HUB = "docker.io";

  // The distribution spec's path component grammar.
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern REGISTRY =
      Pattern.compile("(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
          + "|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?");

  public Repository {
    if (registry == null || !REGISTRY.matcher(registry).matches()) {
      throw GantryException.badInput("invalid registry '" + registry + "'");
    }
    if (path == null || path.isEmpty() || path.length() > 255) {
      throw GantryException.badInput("invalid repository name '" + path + "'");
    }
    for (String component : path.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw GantryException.badInput(
            "invalid repository name '" + path + "' (lower-case letters, digits and . _ - separators only)");
      }
    }
  }

  /** {@code registry/path}, which {@link ImageReference#parse} reads back to this repository. */
  @Override
  public String toString() {
    return registry + "/" + path;
  }
}
