package dev.gantry.session;

import dev.gantry.GantryException;
import dev.gantry.Secrets;
import dev.gantry.auth.AuthInterceptor;
import dev.gantry.auth.CredentialSource;
import dev.gantry.copy.ImageCopier.Endpoint;
import dev.gantry.http.HttpClients;
import dev.gantry.http.RedactedErrorBodies;
import dev.gantry.http.RetryInterceptor;
import dev.gantry.http.RetryPolicy;
import dev.gantry.promote.PromoteRequest;
import dev.gantry.registry.Endpoints;
import dev.gantry.registry.RegistryClient;
import dev.gantry.registry.Repository;
import dev.gantry.release.GitHubRest;
import dev.gantry.store.ImageStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * One run's connections and stores, the one place they are assembled: the shared HTTP client, the
 * registry client (credential chain, secrets made known to redaction, authentication), the GitHub
 * client, and the stores behind references. Each is built on first use, so a layout-only run sets
 * up no networking at all and a plain-HTTP one no TLS. Closing it removes the temporary directories
 * archives were unpacked into.
 */
public final class Session implements AutoCloseable {
  private final Surroundings edge;
  private final RegistrySettings registry;
  private final RegistrySettings.@Nullable Login login;
  private final Stores stores;
  private @Nullable OkHttpClient http;
  private @Nullable Endpoints endpoints;
  private @Nullable RegistryClient client;

  private Session(
      Surroundings edge, RegistrySettings registry, RegistrySettings.@Nullable Login login) {
    this.edge = edge;
    this.registry = registry;
    this.login = login;
    this.stores =
        new Stores(
            new Stores.Clients() { // a class, not a method reference: no call site to link per run
              @Override
              public RegistryClient client(Repository repository) {
                return Session.this.client(repository);
              }
            });
  }

  /**
   * Opens nothing yet: {@code login}, from {@link RegistrySettings#login}, is who the {@code
   * --username} credentials are for (null: none).
   */
  public static Session open(
      Surroundings edge, RegistrySettings registry, RegistrySettings.@Nullable Login login) {
    return new Session(edge, registry, login);
  }

  /**
   * A copy source: a registry image (tag defaults to latest), a layout or archive image (tag
   * defaults to its only one).
   */
  public Endpoint source(Locator source) {
    return stores.source(source);
  }

  /**
   * A copy destination (a dry run writes nothing: a registry's is opened for pull, a layout not yet
   * there is an empty stand-in); the reference is null when the value names none.
   */
  public Endpoint destination(Locator destination, Locator source, boolean dryRun) {
    return stores.destination(destination, source, dryRun);
  }

  /** The store to promote in: the layout, or the repository with push rights asked for up front. */
  public ImageStore store(PromoteRequest.Image image, boolean push) {
    return stores.forPromote(image, push);
  }

  /**
   * The GitHub REST client of release and check-commit: the token, the API base, the shared HTTP
   * client with GitHub's rate limits in its one retry policy.
   */
  public GitHubRest gitHub(GitHubSettings github) {
    if (github.tokenFromStdin() && registry.username() != null) {
      throw GantryException.badInput(
          "--github-token-stdin and --password-stdin both want standard input: pass the registry password in a Docker config");
    }
    String token = GitHubToken.read(edge, github.tokenFromStdin());
    if (github.apiUrl().startsWith("https:")) {
      HttpClients.prepareTls(); // on a background thread while the rest is set up
    }
    return new GitHubRest(http(), github.apiUrl(), token, edge.clock());
  }

  /**
   * The shared HTTP client (retries, user agent), without registry authentication: for GitHub
   * calls.
   */
  private synchronized OkHttpClient http() {
    if (http == null) {
      // Error bodies are redacted as they arrive, for registry and GitHub answers alike.
      http =
          HttpClients.create(
              RetryPolicy.DEFAULT,
              RetryInterceptor.Sleeper.THREAD,
              registry.jobs(),
              List.of(new RedactedErrorBodies(new Redact(edge.secrets()))));
    }
    return http;
  }

  /**
   * The registry client; TLS starts being set up in the background as soon as an HTTPS registry is
   * named.
   */
  private synchronized RegistryClient client(Repository repository) {
    if (endpoints == null) {
      endpoints = new Endpoints(new LinkedHashSet<>(registry.insecure()));
    }
    if (!endpoints.isPlainHttp(repository.registry())) {
      HttpClients.prepareTls();
    }
    if (client == null) {
      CredentialSource creds = CredentialChain.of(edge, login);
      OkHttpClient base = http();
      OkHttpClient withAuth =
          base.newBuilder()
              .addInterceptor(
                  new AuthInterceptor(creds, base, edge.clock(), new KnownSecret(edge.secrets())))
              .build();
      client = new RegistryClient(withAuth, endpoints);
    }
    return client;
  }

  @Override
  public void close() {
    stores.close();
  }

  // Classes, not method references: each links a call site on first use, on every registry run's
  // way to its first request.

  /** Error bodies pass through the run's redaction. */
  private record Redact(Secrets secrets) implements UnaryOperator<String> {
    @Override
    public String apply(String text) {
      return secrets.redact(text);
    }
  }

  /** Every token fetched is made known to redaction. */
  private record KnownSecret(Secrets secrets) implements Consumer<String> {
    @Override
    public void accept(String token) {
      secrets.add(token);
    }
  }
}
