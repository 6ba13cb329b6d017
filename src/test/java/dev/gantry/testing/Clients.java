package dev.gantry.testing;

import dev.gantry.auth.AuthInterceptor;
import dev.gantry.auth.CredentialSource;
import dev.gantry.http.HttpClients;
import dev.gantry.http.RetryPolicy;
import dev.gantry.registry.Endpoints;
import dev.gantry.registry.RegistryClient;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import okhttp3.OkHttpClient;

/**
 * Gantry's own registry client, wired as the CLI wires it, for tests that drive a store in-process.
 */
public final class Clients {
  private Clients() {}

  /** Anonymous, for the open test registries. */
  public static RegistryClient anonymous() {
    OkHttpClient base =
        HttpClients.create(RetryPolicy.DEFAULT, d -> Thread.sleep(d.toMillis()), 4, List.of());
    OkHttpClient http =
        base.newBuilder()
            .addInterceptor(new AuthInterceptor(CredentialSource.none(), base, Clock.systemUTC()))
            .build();
    return new RegistryClient(http, new Endpoints(Set.of()));
  }
}
