package dev.gantry.testing;

import java.nio.file.Path;

/**
 * The config.yml a {@link RegistryServer} runs with; kept apart so the whole file reads at a
 * glance.
 */
final class RegistryConfig {

  private RegistryConfig() {}

  /**
   * Info level, because distribution logs nothing per request below it; the access log (Apache
   * combined format) is the one line per request that {@link LoggedRequest} parses, 401s included.
   * Upload purging is off so no background job touches storage mid-test; the fixed secret silences
   * a startup warning.
   */
  static String yaml(Path storage, String hostPort, String auth) {
    return """
        version: 0.1
        log:
          level: info
          formatter: text
          accesslog:
            disabled: false
        storage:
          filesystem:
            rootdirectory: "%s"
          delete:
            enabled: true
          maintenance:
            uploadpurging:
              enabled: false
        http:
          addr: %s
          secret: gantry-test-http-secret
          headers:
            X-Content-Type-Options: [nosniff]
        %s"""
        .formatted(storage, hostPort, auth);
  }

  static String basicAuth(Path htpasswd) {
    return """
        auth:
          htpasswd:
            realm: gantry-test-basic
            path: "%s"
        """
        .formatted(htpasswd);
  }

  static String tokenAuth(String realm, String service, String issuer, Path rootCertBundle) {
    return """
        auth:
          token:
            realm: %s
            service: %s
            issuer: %s
            rootcertbundle: "%s"
        """
        .formatted(realm, service, issuer, rootCertBundle);
  }
}
