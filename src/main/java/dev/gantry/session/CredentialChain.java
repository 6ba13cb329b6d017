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
      Credentials given = Credentials.basic(login.username(), password);
      String owner = login.registry();
      sources.add(
          registry ->
              RegistrySettings.sameRegistry(registry, owner)
                  ? Optional.of(given)
                  : Optional.empty());
    }
    sources.add(DockerConfig.load(edge.env(), new CredentialHelper(edge.env())));
    CredentialSource all = CredentialSource.firstOf(sources);
    return CredentialSource.memoized(
        registry -> {
          Optional<Credentials> found = all.lookup(registry);
          found.ifPresent(
              c -> {
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
              });
          return found;
        });
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
