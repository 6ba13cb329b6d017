package dev.gantry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.GantryException;
import dev.gantry.GantryException.Kind;
import dev.gantry.Json;
import dev.gantry.Secrets;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * Asks a Bearer challenge's realm for a token: {@code GET realm?service=…&scope=…} with Basic
 * credentials (or none, for anonymous pulls), or the OAuth2 refresh-token POST when {@code docker
 * login} left an identity token.
 */
final class TokenFetcher {
  private static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
  private static final Duration MARGIN = Duration.ofSeconds(10);

  private final OkHttpClient http;
  private final Clock clock;

  TokenFetcher(OkHttpClient http, Clock clock) {
    this.http = http;
    this.clock = clock;
  }

  Token fetch(
      String registry,
      Challenge challenge,
      List<String> scopes,
      Optional<Credentials> credentials) {
    String realm = challenge.param("realm");
    HttpUrl realmUrl = realm == null ? null : HttpUrl.parse(realm);
    String what = "get token for " + registry + " (" + String.join(" ", scopes) + ")";
    if (realmUrl == null) {
      throw new GantryException(
          Kind.FAILED, what + ": the registry's Bearer challenge has no usable realm");
    }
    String service = challenge.param("service");
    String identityToken =
        credentials
            .filter(Credentials::hasIdentityToken)
            .map(Credentials::identityToken)
            .orElse(null);
    Request request =
        identityToken != null
            ? refreshTokenRequest(realmUrl, service, scopes, identityToken)
            : basicRequest(realmUrl, service, scopes, credentials);
    try (Response response = http.newCall(request).execute()) {
      if (response.code() == 401 || response.code() == 403) {
        String who =
            credentials
                .map(c -> "credentials for user '" + c.username() + "' were rejected")
                .orElse("anonymous access was refused");
        throw new GantryException(
            Kind.AUTHENTICATION,
            what + ": " + who + " by " + realmUrl.host() + " (HTTP " + response.code() + ")");
      }
      if (!response.isSuccessful()) {
        throw new GantryException(
            Kind.FAILED,
            what + ": token endpoint " + realmUrl.host() + " answered HTTP " + response.code());
      }
      ResponseBody body = response.body();
      JsonNode root = Json.readTree(body.bytes());
      String token = root.path("token").asText("");
      if (token.isEmpty()) {
        token = root.path("access_token").asText("");
      }
      if (token.isEmpty()) {
        throw new GantryException(
            Kind.FAILED, what + ": token endpoint " + realmUrl.host() + " returned no token");
      }
      if (Secrets.tooShort(token)) {
        throw new GantryException(
            Kind.FAILED,
            what
                + ": token endpoint "
                + realmUrl.host()
                + " returned a token too short to keep out of logs");
      }
      long seconds = root.path("expires_in").asLong(0);
      Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
      Duration usable =
          lifetime.compareTo(MARGIN.multipliedBy(2)) > 0
              ? lifetime.minus(MARGIN)
              : lifetime.dividedBy(2);
      return new Token(token, clock.instant().plus(usable));
    } catch (IOException e) {
      throw new GantryException(
          Kind.FAILED,
          what
              + ": token endpoint "
              + realmUrl.host()
              + " unreachable ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
  }

  private static Request basicRequest(
      HttpUrl realm,
      @Nullable String service,
      List<String> scopes,
      Optional<Credentials> credentials) {
    HttpUrl.Builder url = realm.newBuilder();
    if (service != null) {
      url.addQueryParameter("service", service);
    }
    scopes.forEach(s -> url.addQueryParameter("scope", s));
    Request.Builder b = new Request.Builder().url(url.build()).get();
    credentials.ifPresent(c -> b.header("Authorization", c.basicHeader()));
    return b.build();
  }

  private static Request refreshTokenRequest(
      HttpUrl realm, @Nullable String service, List<String> scopes, String identityToken) {
    FormBody.Builder form =
        new FormBody.Builder()
            .add("grant_type", "refresh_token")
            .add("refresh_token", identityToken)
            .add("client_id", "gantry")
            .add("scope", String.join(" ", scopes));
    if (service != null) {
      form.add("service", service);
    }
    return new Request.Builder().url(realm).post(form.build()).build();
  }
}
