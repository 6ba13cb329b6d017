package dev.gantry.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tagged onto every registry request: which registry it is for (to find credentials and the learned
 * challenge) and which token scopes the whole operation needs, e.g. {@code
 * repository:acme/api:pull,push}. Asking for every action up front is what keeps token traffic to
 * one request per registry and scope set.
 *
 * <p>The scopes are kept in one stable order, the order they are sent to the token server in: those
 * asking for {@code push} first, then the rest, each group sorted. Some token servers grant only
 * the first scope of a request; the one the write needs then comes first (pull on a mount source is
 * only an optimisation).
 */
public record RegistryAccess(String registry, List<String> scopes) {
  public RegistryAccess {
    scopes = sendOrder(scopes);
  }

  /**
   * Without duplicates, those asking for push first, each group sorted. Loops, not a stream and a
   * comparator: every registry run builds one of these on its way to the first request, and each
   * lambda links a call site on first use.
   */
  private static List<String> sendOrder(Collection<String> scopes) {
    List<String> push = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (String s : new TreeSet<>(scopes)) {
      (asksForPush(s) ? push : rest).add(s);
    }
    push.addAll(rest);
    return List.copyOf(push);
  }

  public RegistryAccess(String registry, Set<String> scopes) {
    this(registry, List.copyOf(scopes));
  }

  public static RegistryAccess pull(String registry, String repository) {
    return new RegistryAccess(registry, Set.of(scope(repository, false)));
  }

  public static RegistryAccess pullPush(String registry, String repository) {
    return new RegistryAccess(registry, Set.of(scope(repository, true)));
  }

  /**
   * These scopes plus {@code more}, merged per resource: {@code repository:a:pull} adds nothing to
   * {@code repository:a:pull,push}, so a challenge that names a narrower scope does not create a
   * new token key.
   */
  public RegistryAccess plus(Collection<String> more) {
    Map<String, TreeSet<String>> actions = new TreeMap<>();
    List<String> opaque = new ArrayList<>();
    for (String scope : concat(scopes, more)) {
      int last = scope.lastIndexOf(':');
      if (last <= 0) {
        opaque.add(scope);
        continue;
      }
      actions
          .computeIfAbsent(scope.substring(0, last), k -> new TreeSet<>())
          .addAll(Arrays.asList(scope.substring(last + 1).split(",")));
    }
    TreeSet<String> merged = new TreeSet<>(opaque);
    actions.forEach((resource, acts) -> merged.add(resource + ":" + orderActions(acts)));
    return new RegistryAccess(registry, merged);
  }

  private static List<String> concat(Collection<String> a, Collection<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** "pull,push" in that order (the form registries and Docker write), other actions after. */
  private static String orderActions(TreeSet<String> acts) {
    List<String> ordered = new ArrayList<>();
    for (String known : List.of("pull", "push")) {
      if (acts.remove(known)) {
        ordered.add(known);
      }
    }
    ordered.addAll(acts);
    return String.join(",", ordered);
  }

  private static boolean asksForPush(String scope) {
    return List.of(scope.substring(scope.lastIndexOf(':') + 1).split(",")).contains("push");
  }

  public static String scope(String repository, boolean push) {
    return "repository:" + repository + (push ? ":pull,push" : ":pull");
  }

  /** A stable key for the token cache (scope order does not matter). */
  public String scopeKey() {
    return String.join(" ", new TreeSet<>(scopes));
  }
}
