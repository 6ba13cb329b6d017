package dev.gantry.auth;

import java.util.Set;
import java.util.TreeSet;

/**
 * Tagged onto every registry request: which registry it is for (to find credentials and the learned challenge)
 * and which token scopes the whole operation needs, e.g. {@code repository:acme/api:pull,push}. Asking for every
 * action up front is what keeps token traffic to one request per registry and scope set.
 */
public record RegistryAccess(String registry, Set<String> scopes) {
  public RegistryAccess {
    scopes = Set.copyOf(new TreeSet<>(scopes));
  }

  public static RegistryAccess pull(String registry, String repository) {
    return new RegistryAccess(registry, Set.of(scope(repository, false)));
  }

  public static RegistryAccess pullPush(String registry, String repository) {
    return new RegistryAccess(registry, Set.of(scope(repository, true)));
  }

  public RegistryAccess plus(Set<String> more) {
    TreeSet<String> all = new TreeSet<>(scopes);
    all.addAll(more);
    return new RegistryAccess(registry, all);
  }

  public static String scope(String repository, boolean push) {
    return "repository:" + repository + (push ? ":pull,push" : ":pull");
  }

  /** A stable key for the token cache (scope order does not matter). */
  public String scopeKey() {
    return String.join(" ", new TreeSet<>(scopes));
  }
}
