package dev.gantry.auth;

import java.util.List;
import java.util.Optional;

/** Finds credentials for a registry name; empty means "go anonymous". */
@FunctionalInterface
public interface CredentialSource {
  Optional<Credentials> lookup(String registry);

  static CredentialSource none() {
    return registry -> Optional.empty();
  }

  /** The first source that knows the registry wins: options, then the Docker config, then anonymous. */
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
