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
    return h.equals("localhost") || h.equals("[::1]") || h.matches("127(\\.\\d{1,3}){3}");
  }
}
