package dev.gantry.cli;

import dev.gantry.GantryException;
import dev.gantry.Secrets;
import dev.gantry.auth.AuthInterceptor;
import dev.gantry.auth.CredentialHelper;
import dev.gantry.auth.CredentialSource;
import dev.gantry.auth.Credentials;
import dev.gantry.auth.DockerConfig;
import dev.gantry.http.HttpClients;
import dev.gantry.http.RedactedErrorBodies;
import dev.gantry.http.RetryPolicy;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.registry.Endpoints;
import dev.gantry.registry.RegistryClient;
import dev.gantry.registry.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Options every registry command shares, and the one place the registry client is assembled from
 * them.
 */
public final class RegistryOptions {
  private final Secrets secrets;

  RegistryOptions(Secrets secrets) {
    this.secrets = secrets;
  }

  @Option(
      names = "--username",
      paramLabel = "USER",
      description =
          "Registry user name (with --password-stdin), for one registry: the destination, or the one --creds-for names.")
  @Nullable String username;

  @Option(
      names = "--password-stdin",
      description = "Read the registry password or token from standard input.")
  boolean passwordStdin;

  @Option(
      names = "--creds-for",
      paramLabel = "HOST[:PORT]",
      description =
          "The registry --username/--password-stdin are for (default: the registry written to).")
  @Nullable String credsFor;

  /**
   * The registry the --username credentials belong to, once {@link #bindCredentials} has decided
   * it.
   */
  private @Nullable String credentialsRegistry;

  @Option(
      names = "--insecure-registry",
      paramLabel = "HOST[:PORT]",
      description =
          "Speak plain HTTP to this registry (repeatable). Loopback registries always use HTTP.")
  List<String> insecure = new ArrayList<>();

  @Option(
      names = "--jobs",
      paramLabel = "N",
      defaultValue = "8",
      description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--json", description = "Print the result as JSON on standard output.")
  boolean json;

  @Option(names = "--dry-run", description = "Read and plan, print the plan, write nothing.")
  boolean dryRun;

  /** Checks every option value; throws the one-line bad-input error before any I/O. */
  void validate() {
    if (jobs < 1 || jobs > 64) {
      throw GantryException.badInput("invalid --jobs " + jobs + " (1 to 64)");
    }
    for (String h : insecure) {
      try {
        Repository.checkRegistry(h);
      } catch (GantryException e) {
        throw GantryException.badInput(
            "invalid --insecure-registry '" + h + "' (expected HOST[:PORT], port 1 to 65535)");
      }
    }
    if (passwordStdin && (username == null || username.isEmpty())) {
      throw GantryException.badInput("--password-stdin needs --username");
    }
    if (username != null && !passwordStdin) {
      throw GantryException.badInput(
          "--username needs --password-stdin (passwords are never taken as arguments)");
    }
    if (credsFor != null) {
      try {
        Repository.checkRegistry(credsFor);
      } catch (GantryException e) {
        throw GantryException.badInput(
            "invalid --creds-for '" + credsFor + "' (expected HOST[:PORT], port 1 to 65535)");
      }
      if (username == null) {
        throw GantryException.badInput(
            "--creds-for " + credsFor + " needs --username and --password-stdin");
      }
    }
  }

  /**
   * Decides which registry the {@code --username} credentials belong to, before any I/O: the one
   * {@code --creds-for} names (which must be among {@code registries}, the registries of the
   * command), else {@code written}, the registry the command writes to. They are offered to no
   * other registry.
   */
  void bindCredentials(List<String> registries, @Nullable String written) {
    if (username == null) {
      return;
    }
    if (credsFor != null) {
      credentialsRegistry =
          registries.stream()
              .filter(r -> sameRegistry(r, credsFor))
              .findFirst()
              .orElseThrow(
                  () ->
                      GantryException.badInput(
                          "--creds-for "
                              + credsFor
                              + " names no registry of this command ("
                              + String.join(", ", new LinkedHashSet<>(registries))
                              + ")"));
    } else if (written != null) {
      credentialsRegistry = written;
    } else {
      throw GantryException.badInput("--username: no registry in this command to use it for");
    }
  }

  /**
   * For promote and release: the registry the images are on, when they are all on one (else
   * --creds-for must say).
   */
  void bindCredentialsForImages(List<PromoteRequest.Image> images) {
    if (username == null) {
      return;
    }
    List<String> registries =
        images.stream().flatMap(i -> i.repository().stream()).map(Repository::registry).toList();
    LinkedHashSet<String> distinct = new LinkedHashSet<>(registries);
    if (distinct.size() > 1 && credsFor == null) {
      throw GantryException.badInput(
          "--username: the images are on "
              + distinct.size()
              + " registries ("
              + String.join(", ", distinct)
              + "): name the one the credentials are for with --creds-for HOST");
    }
    bindCredentials(registries, distinct.isEmpty() ? null : distinct.iterator().next());
  }

  private static boolean sameRegistry(String a, String b) {
    return hubAlias(a).equalsIgnoreCase(hubAlias(b));
  }

  private static String hubAlias(String registry) {
    return switch (registry.toLowerCase(Locale.ROOT)) {
      case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" ->
          Repository.DOCKER_HUB;
      default -> registry;
    };
  }

  /**
   * Credentials per registry, in order: the options (for their one registry only), the Docker
   * config's entry for the registry, anonymous. Reads standard input once.
   */
  CredentialSource credentials(Environment env) {
    List<CredentialSource> sources = new ArrayList<>();
    String user = username;
    if (passwordStdin) {
      if (credentialsRegistry == null || user == null) {
        throw new IllegalStateException(
            "bindCredentials was not called before the registry client was built");
      }
      String password = readPassword(env);
      secrets.add(password);
      Credentials given = Credentials.basic(user, password);
      String owner = credentialsRegistry;
      sources.add(
          registry -> sameRegistry(registry, owner) ? Optional.of(given) : Optional.empty());
    }
    sources.add(DockerConfig.load(env.env(), new CredentialHelper(env.env())));
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

  private @Nullable OkHttpClient base;

  /**
   * The shared HTTP client (retries, user agent), without registry authentication: for GitHub
   * calls.
   */
  synchronized OkHttpClient httpClient(Environment env) {
    if (base == null) {
      // Error bodies are redacted as they arrive, for registry and GitHub answers alike.
      base =
          HttpClients.create(
              RetryPolicy.DEFAULT,
              d -> Thread.sleep(d.toMillis()),
              jobs,
              List.of(new RedactedErrorBodies(secrets::redact)));
    }
    return base;
  }

  RegistryClient client(Environment env) {
    CredentialSource creds = credentials(env);
    OkHttpClient base = httpClient(env);
    OkHttpClient withAuth =
        base.newBuilder()
            .addInterceptor(new AuthInterceptor(creds, base, env.clock(), secrets::add))
            .build();
    return new RegistryClient(withAuth, new Endpoints(new LinkedHashSet<>(insecure)));
  }

  private static String readPassword(Environment env) {
    try {
      String p = new String(env.stdin().readAllBytes(), StandardCharsets.UTF_8);
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
