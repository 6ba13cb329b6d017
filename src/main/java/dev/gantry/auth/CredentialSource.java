package dev.gantry.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Finds credentials for a registry name; empty means "go anonymous".
 *
 * <p>The combinators are classes, not lambdas: every registry run builds them, and each lambda
 * links a call site on first use (StartupClassesIT holds a registry promote to none of Gantry's).
 */
@FunctionalInterface
public interface CredentialSource {
  Optional<Credentials> lookup(String registry);

  /**
   * Asks {@code source} once per registry and keeps the answer: the authenticator looks credentials
   * up for every request, and a credential helper is a process to start.
   */
  static CredentialSource memoized(CredentialSource source) {
    return new Memoized(source);
  }

  static CredentialSource none() {
    return None.INSTANCE;
  }

  /**
   * The first source that knows the registry wins: options, then the Docker config, then anonymous.
   */
  static CredentialSource firstOf(List<CredentialSource> sources) {
    return new FirstOf(List.copyOf(sources));
  }

  /** {@link #memoized}. */
  final class Memoized implements CredentialSource {
    private final CredentialSource source;
    private final Map<String, Optional<Credentials>> known = new ConcurrentHashMap<>();

    private Memoized(CredentialSource source) {
      this.source = source;
    }

    @Override
    public Optional<Credentials> lookup(String registry) {
      Optional<Credentials> found = known.get(registry);
      if (found == null) {
        // computeIfAbsent asks the source once even when two requests ask at the same time.
        found =
            known.computeIfAbsent(
                registry,
                new Function<>() {
                  @Override
                  public Optional<Credentials> apply(String r) {
                    return source.lookup(r);
                  }
                });
      }
      return found;
    }
  }

  /** {@link #none}. */
  final class None implements CredentialSource {
    private static final None INSTANCE = new None();

    private None() {}

    @Override
    public Optional<Credentials> lookup(String registry) {
      return Optional.empty();
    }
  }

  /** {@link #firstOf}. */
  final class FirstOf implements CredentialSource {
    private final List<CredentialSource> sources;

    private FirstOf(List<CredentialSource> sources) {
      this.sources = sources;
    }

    @Override
    public Optional<Credentials> lookup(String registry) {
      for (CredentialSource s : sources) {
        Optional<Credentials> c = s.lookup(registry);
        if (c.isPresent()) {
          return c;
        }
      }
      return Optional.empty();
    }
  }
}
