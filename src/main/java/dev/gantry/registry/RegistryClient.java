package dev.gantry.registry;

import dev.gantry.auth.RegistryAccess;
import java.util.Set;
import okhttp3.OkHttpClient;

/**
 * Opens repositories on any registry through the one shared, authenticating, retrying HTTP client.
 */
public final class RegistryClient {
  private final OkHttpClient http;
  private final Endpoints endpoints;

  public RegistryClient(OkHttpClient http, Endpoints endpoints) {
    this.http = http;
    this.endpoints = endpoints;
  }

  /** For reading only: the token asked for carries {@code pull}. */
  public RemoteRepository forPull(Repository repository) {
    return new RemoteRepository(
        http,
        endpoints.baseUrl(repository.registry()),
        repository,
        RegistryAccess.pull(repository.registry(), repository.path()));
  }

  /**
   * For reading and writing: one token with {@code pull,push}, plus {@code pull} on the
   * repositories to mount from.
   */
  public RemoteRepository forPush(Repository repository, Repository... mountFrom) {
    RegistryAccess access = RegistryAccess.pullPush(repository.registry(), repository.path());
    for (Repository from : mountFrom) {
      if (from.registry().equals(repository.registry()) && !from.path().equals(repository.path())) {
        access = access.plus(Set.of(RegistryAccess.scope(from.path(), false)));
      }
    }
    return new RemoteRepository(http, endpoints.baseUrl(repository.registry()), repository, access);
  }
}
