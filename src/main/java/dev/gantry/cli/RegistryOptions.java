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
import dev.gantry.registry.Endpoints;
import dev.gantry.registry.RegistryClient;
import dev.gantry.registry.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Option;

/** Options every registry command shares, and the one place the registry client is assembled from them. */
public final class RegistryOptions {
  private final Secrets secrets;

  RegistryOptions(Secrets secrets) {
    this.secrets = secrets;
  }

  @Option(names = "--username", paramLabel = "USER", description = "Registry user name (with --password-stdin).")
  String username;

  @Option(names = "--password-stdin", description = "Read the registry password or token from standard input.")
  boolean passwordStdin;

  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
      description = "Speak plain HTTP to this registry (repeatable). Loopback registries always use HTTP.")
  List<String> insecure = new ArrayList<>();

  @Option(names = "--jobs", paramLabel = "N", defaultValue = "8", description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
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
        throw GantryException.badInput("invalid --insecure-registry '" + h + "' (expected HOST[:PORT], port 1 to 65535)");
      }
    }
    if (passwordStdin && (username == null || username.isEmpty())) {
      throw GantryException.badInput("--password-stdin needs --username");
    }
    if (username != null && !passwordStdin) {
      throw GantryException.badInput("--username needs --password-stdin (passwords are never taken as arguments)");
    }
  }

  /** Credentials in order: the options, the Docker config, anonymous. Reads standard input once. */
  CredentialSource credentials(Environment env) {
    List<CredentialSource> sources = new ArrayList<>();
    if (passwordStdin) {
      String password = readPassword(env);
      secrets.add(password);
      Credentials given = Credentials.basic(username, password);
      sources.add(registry -> Optional.of(given));
    }
    sources.add(DockerConfig.load(env.env(), new CredentialHelper(env.env())));
    CredentialSource all = CredentialSource.firstOf(sources);
    return CredentialSource.memoized(registry -> {
      Optional<Credentials> found = all.lookup(registry);
      found.ifPresent(c -> {
        if (Secrets.tooShort(c.password()) || Secrets.tooShort(c.identityToken())) {
          throw GantryException.badInput("the Docker config's credentials for " + registry
              + ": password too short to keep out of logs (at least " + Secrets.MIN_LENGTH + " characters)");
        }
        secrets.add(c.password());
        secrets.add(c.identityToken());
        secrets.add(c.basicHeader().substring("Basic ".length()));
      });
      return found;
    });
  }

  private OkHttpClient base;

  /** The shared HTTP client (retries, user agent), without registry authentication: for GitHub calls. */
  synchronized OkHttpClient httpClient(Environment env) {
    if (base == null) {
      // Error bodies are redacted as they arrive, for registry and GitHub answers alike.
      base = HttpClients.create(RetryPolicy.DEFAULT, d -> Thread.sleep(d.toMillis()), jobs,
          List.of(new RedactedErrorBodies(secrets::redact)));
    }
    return base;
  }

  RegistryClient client(Environment env) {
    CredentialSource creds = credentials(env);
    OkHttpClient base = httpClient(env);
    OkHttpClient withAuth = base.newBuilder().addInterceptor(new AuthInterceptor(creds, base, env.clock(), secrets::add)).build();
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
        throw GantryException.badInput("--password-stdin: password too short to keep out of logs (at least "
            + Secrets.MIN_LENGTH + " characters)");
      }
      if (p.contains("\n") || p.contains("\r")) {
        throw GantryException.badInput("--password-stdin: the password holds a line break (one line is read)");
      }
      return p;
    } catch (IOException e) {
      throw GantryException.badInput("--password-stdin: standard input could not be read");
    }
  }
}
