package dev.gantry.registry;

import java.util.Locale;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Where to connect for a registry name. Loopback registries and those named with {@code
 * --insecure-registry} are spoken to over plain HTTP, every other one over HTTPS; Docker Hub's API
 * lives on registry-1.docker.io.
 */
public record Endpoints(Set<String> insecureRegistries) {
  public Endpoints {
    insecureRegistries = Set.copyOf(insecureRegistries);
  }

  public HttpUrl baseUrl(String registry) {
    String host = registry.equals(Repository.DOCKER_HUB) ? "registry-1.docker.io" : registry;
    String scheme = isPlainHttp(registry) ? "http" : "https";
    HttpUrl url = HttpUrl.parse(scheme + "://" + host + "/");
    if (url == null) {
      throw new IllegalArgumentException("registry " + registry);
    }
    return url;
  }

  public boolean isPlainHttp(String registry) {
    return insecureRegistries.contains(registry)
        || insecureRegistries.contains(hostOnly(registry))
        || isLoopback(hostOnly(registry));
  }

  static String hostOnly(String registry) {
    if (registry.startsWith("[")) {
      return registry.substring(0, registry.indexOf(']') + 1);
    }
    int colon = registry.lastIndexOf(':');
    return colon < 0 ? registry : registry.substring(0, colon);
  }

  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("[::1]") || isLoopbackV4(h);
  }

  /**
   * {@code 127.D.D.D}, each D one to three digits: a loop, not a regular expression, as it is on
   * every registry promote's way to its first request.
   */
  static boolean isLoopbackV4(String h) {
    if (!h.startsWith("127.")) {
      return false;
    }
    int groups = 0;
    int digits = 0;
    for (int i = 4; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c >= '0' && c <= '9' && digits < 3) {
        digits++;
      } else if (c == '.' && digits > 0 && groups < 2) {
        groups++;
        digits = 0;
      } else {
        return false;
      }
    }
    return groups == 2 && digits > 0;
  }
}
