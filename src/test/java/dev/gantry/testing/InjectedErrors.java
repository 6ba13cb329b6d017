package dev.gantry.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/**
 * Faults a {@link FaultProxy} injects look like distribution's own errors: JSON {"errors":[{code,
 * message}]}.
 */
final class InjectedErrors {

  private InjectedErrors() {}

  static ResponseDefinitionBuilder response(int status) {
    String code =
        switch (status) {
          case 401 -> "UNAUTHORIZED";
          case 403 -> "DENIED";
          case 404 -> "NAME_UNKNOWN";
          case 429 -> "TOOMANYREQUESTS";
          case 503 -> "UNAVAILABLE";
          default -> "UNKNOWN";
        };
    String body =
        "{\"errors\":[{\"code\":\"%s\",\"message\":\"injected by FaultProxy\",\"detail\":null}]}"
            .formatted(code);
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withHeader("Docker-Distribution-Api-Version", "registry/2.0")
        .withBody(body);
  }
}
