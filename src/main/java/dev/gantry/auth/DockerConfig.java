package dev.gantry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.GantryException;
import dev.gantry.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Credentials from a Docker config file ({@code $DOCKER_CONFIG/config.json}, else {@code
 * ~/.docker/config.json}): a per-registry credential helper ({@code credHelpers}), then inline
 * {@code auths} entries, then the default store ({@code credsStore}) — the order Docker itself
 * uses.
 */
public final class DockerConfig implements CredentialSource {
  private static final String HUB_KEY = "https://index.docker.io/v1/";

  private final JsonNode root;
  private final Path file;
  private final CredentialHelper helpers;

  private DockerConfig(JsonNode root, Path file, CredentialHelper helpers) {
    this.root = root;
    this.file = file;
    this.helpers = helpers;
  }

  /** Reads the config the environment points at; a missing file is an empty config. */
  public static CredentialSource load(Map<String, String> env, CredentialHelper helpers) {
    Path file = location(env);
    if (file == null || !Files.isRegularFile(file)) {
      return CredentialSource.none();
    }
    try {
      return new DockerConfig(Json.readTree(file), file, helpers);
    } catch (IOException e) {
      throw new GantryException(
          GantryException.Kind.BAD_INPUT, "invalid Docker config " + file + ": not valid JSON");
    }
  }

  static @Nullable Path location(Map<String, String> env) {
    String dir = env.get("DOCKER_CONFIG");
    if (dir != null && !dir.isEmpty()) {
      return Path.of(dir, "config.json");
    }
    String home = env.get("HOME");
    return home == null || home.isEmpty() ? null : Path.of(home, ".docker", "config.json");
  }

  @Override
  public Optional<Credentials> lookup(String registry) {
    String helper = matching(root.path("credHelpers"), registry).map(JsonNode::asText).orElse(null);
    if (helper != null && !helper.isEmpty()) {
      return helpers.get(helper, serverUrl(registry));
    }
    Optional<JsonNode> auth = matching(root.path("auths"), registry);
    if (auth.isPresent()) {
      Optional<Credentials> inline = fromAuthEntry(auth.get(), registry);
      if (inline.isPresent()) {
        return inline;
      }
    }
    String store = root.path("credsStore").asText("");
    return store.isEmpty() ? Optional.empty() : helpers.get(store, serverUrl(registry));
  }

  private Optional<Credentials> fromAuthEntry(JsonNode entry, String registry) {
    String identity = entry.path("identitytoken").asText("");
    String user = entry.path("username").asText("");
    String pass = entry.path("password").asText("");
    String encoded = entry.path("auth").asText("");
    if (!encoded.isEmpty()) {
      String pair;
      try {
        pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw GantryException.badInput(
            "invalid Docker config "
                + file
                + ": the auth entry for "
                + registry
                + " is not base64");
      }
      int colon = pair.indexOf(':');
      if (colon < 0) {
        throw GantryException.badInput(
            "invalid Docker config "
                + file
                + ": the auth entry for "
                + registry
                + " is not user:password");
      }
      user = pair.substring(0, colon);
      pass = pair.substring(colon + 1);
    }
    if (user.isEmpty() && identity.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Credentials(user, pass, identity.isEmpty() ? null : identity));
  }

  /**
   * Finds the entry whose key names this registry, with or without scheme and path (Docker writes
   * both).
   */
  private static Optional<JsonNode> matching(JsonNode map, String registry) {
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (normalize(e.getKey()).equals(normalize(registry))) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  static String normalize(String key) {
    String k = key.replaceFirst("^[a-zA-Z]+://", "");
    int slash = k.indexOf('/');
    k = slash < 0 ? k : k.substring(0, slash);
    return switch (k) {
      case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> "docker.io";
      default -> k;
    };
  }

  private static String serverUrl(String registry) {
    return normalize(registry).equals("docker.io") ? HUB_KEY : registry;
  }
}
