package dev.gantry.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Finds credentials for a registry name; empty means "go anonymous". */
@FunctionalInterface
public interface CredentialSource {
  Optional<Credentials> lookup(String registry);

  /**
   * Asks {@code source} once per registry and keeps the answer: the authenticator looks credentials
   * up for every request, and a credential helper is a process to start.
   */
  static CredentialSource memoized(CredentialSource source) {
    Map<String, Optional<Credentials>> known = new ConcurrentHashMap<>();
    return registry -> known.computeIfAbsent(registry, source::lookup);
  }

  static CredentialSource none() {
    return registry -> Optional.empty();
  }

  /**
   * The first source that knows the registry wins: options, then the Docker config, then anonymous.
   */
  static CredentialSource firstOf(List<CredentialSource> sources) {
    return registry -> {
      for (CredentialSource s : sources) {
        Optional<Credentials> c = s.lookup(registry);
        if (c.isPresent()) {
          return c;
        }
      }
      return Optional.empty();
    };
  }
}
