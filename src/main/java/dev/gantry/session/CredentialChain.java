package dev.gantry.session;

import dev.gantry.GantryException;
import dev.gantry.Secrets;
import dev.gantry.auth.CredentialHelper;
import dev.gantry.auth.CredentialSource;
import dev.gantry.auth.Credentials;
import dev.gantry.auth.DockerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Where a registry's credentials come from, each one known to redaction as it is found. */
final class CredentialChain {
  private CredentialChain() {}

  /**
   * Credentials per registry, in order: the login (for its one registry only, the password read
   * from standard input once, now), the Docker config's entry for the registry, anonymous.
   */
  static CredentialSource of(Surroundings edge, RegistrySettings.@Nullable Login login) {
    Secrets secrets = edge.secrets();
    List<CredentialSource> sources = new ArrayList<>();
    if (login != null) {
      String password = readPassword(edge);
      secrets.add(password);
      sources.add(new LoginFor(login.registry(), Credentials.basic(login.username(), password)));
    }
    sources.add(DockerConfig.load(edge.env(), new CredentialHelper(edge.env())));
    return CredentialSource.memoized(
        new KnownToRedaction(CredentialSource.firstOf(sources), secrets));
  }

  // Classes, not lambdas: each lambda links a call site on first use, and a registry run builds
  // the chain on its way to the first request.

  /** The {@code --username} credentials, for their one registry. */
  private record LoginFor(String owner, Credentials given) implements CredentialSource {
    @Override
    public Optional<Credentials> lookup(String registry) {
      return RegistrySettings.sameRegistry(registry, owner) ? Optional.of(given) : Optional.empty();
    }
  }

  /** Whatever {@code all} finds is made known to redaction before it is used. */
  private record KnownToRedaction(CredentialSource all, Secrets secrets)
      implements CredentialSource {
    @Override
    public Optional<Credentials> lookup(String registry) {
      Optional<Credentials> found = all.lookup(registry);
      if (found.isPresent()) {
        Credentials c = found.get();
        if (Secrets.tooShort(c.password()) || Secrets.tooShort(c.identityToken())) {
          throw GantryException.badInput(
              "the Docker config's credentials for "
                  + registry
                  + ": password too short to keep out of logs (at least "
                  + Secrets.MIN_LENGTH
                  + " characters)");
        }
        secrets.add(c.password());
        secrets.add(c.identityToken());
        secrets.add(c.basicHeader().substring("Basic ".length()));
      }
      return found;
    }
  }

  private static String readPassword(Surroundings edge) {
    try {
      String p = new String(edge.stdin().readAllBytes(), StandardCharsets.UTF_8);
      p = p.replaceAll("[\\r\\n]+$", "");
      if (p.isEmpty()) {
        throw GantryException.badInput("--password-stdin: standard input was empty");
      }
      if (Secrets.tooShort(p)) {
        throw GantryException.badInput(
            "--password-stdin: password too short to keep out of logs (at least "
                + Secrets.MIN_LENGTH
                + " characters)");
      }
      if (p.contains("\n") || p.contains("\r")) {
        throw GantryException.badInput(
            "--password-stdin: the password holds a line break (one line is read)");
      }
      return p;
    } catch (IOException e) {
      throw GantryException.badInput("--password-stdin: standard input could not be read");
    }
  }
}
