package dev.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointsTest {
  private final Endpoints none = new Endpoints(Set.of());
  private final Endpoints insecure =
      new Endpoints(Set.of("registry.internal", "10.0.0.7:5000", "[fd00::7]"));

  @ParameterizedTest
  @CsvSource({
    "localhost,           http://localhost/",
    "localhost:5000,      http://localhost:5000/",
    "LOCALHOST:5000,      http://localhost:5000/",
    "127.0.0.1,           http://127.0.0.1/",
    "127.0.0.1:5000,      http://127.0.0.1:5000/",
    "127.1.2.3:5000,      http://127.1.2.3:5000/",
    "[::1],               http://[::1]/",
    "[::1]:5000,          http://[::1]:5000/",
  })
  void loopbackRegistriesUsePlainHttp(String registry, String url) {
    assertEquals(url, none.baseUrl(registry).toString());
  }

  @ParameterizedTest
  @CsvSource({
    "ghcr.io,                  https://ghcr.io/",
    "registry.example.com:5000, https://registry.example.com:5000/",
    "128.0.0.1:5000,           https://128.0.0.1:5000/",
    "127.0.0.1.example.com,    https://127.0.0.1.example.com/",
    "localhost.example.com,    https://localhost.example.com/",
    "[::2]:5000,               https://[::2]:5000/",
    "10.0.0.7:5001,            https://10.0.0.7:5001/",
  })
  void everyOtherRegistryUsesHttps(String registry, String url) {
    assertEquals(url, insecure.baseUrl(registry).toString());
  }

  @ParameterizedTest
  @CsvSource({
    "registry.internal,        http://registry.internal/",
    "registry.internal:5000,   http://registry.internal:5000/",
    "10.0.0.7:5000,            http://10.0.0.7:5000/",
    "[fd00::7]:5000,           http://[fd00::7]:5000/",
  })
  void insecureRegistriesByHostOrHostAndPortUsePlainHttp(String registry, String url) {
    assertEquals(url, insecure.baseUrl(registry).toString());
  }

  @ParameterizedTest
  @CsvSource({
    "docker.io, https://registry-1.docker.io/",
    "ghcr.io,   https://ghcr.io/",
  })
  void dockerHubIsServedFromRegistry1(String registry, String url) {
    assertEquals(url, none.baseUrl(registry).toString());
  }
}
