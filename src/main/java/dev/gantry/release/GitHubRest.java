package dev.gantry.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.GantryException;
import dev.gantry.GantryException.Kind;
import dev.gantry.Json;
import dev.gantry.http.HttpClients;
import dev.gantry.http.RateLimitedException;
import java.io.IOException;
import java.time.Clock;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The one way Gantry talks to the GitHub REST API, on the shared OkHttp client: GitHub's headers,
 * one Bearer scheme, one retry policy (the shared client's retry loop, also reading GitHub's
 * rate-limit answers through {@link GitHubLimits}: no second loop here), failures mapped by {@link
 * GitHubErrors}, and {@code Link} paging kept on the API's own host. Release ({@link GitHubApi})
 * and check-commit use it alike, so every GitHub caller reports the same way.
 */
public final class GitHubRest {
  private final OkHttpClient http;
  private final HttpUrl api;
  private final String token;

  /**
   * @param shared the client of {@link HttpClients#create}; its retry interceptor is given GitHub's
   *     rate limits
   * @param clock the run's clock, against which {@code x-ratelimit-reset} is read
   */
  public GitHubRest(OkHttpClient shared, String apiUrl, String token, Clock clock) {
    HttpUrl parsed = HttpUrl.parse(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
    if (parsed == null) {
      throw GantryException.badInput("invalid GITHUB_API_URL '" + apiUrl + "'");
    }
    this.http = HttpClients.withRateLimits(shared, new GitHubLimits(clock));
    this.api = parsed;
    this.token = token;
  }

  /**
   * {@code /repos/{owner}/{name}} under the API base, to add path segments and query parameters to.
   */
  public HttpUrl.Builder repository(String ownerName) {
    return api.newBuilder().addPathSegment("repos").addPathSegments(ownerName);
  }

  /** GET, the JSON answer; {@code operation} names the call in every failure. */
  public JsonNode get(HttpUrl url, String operation) {
    return call(new Request.Builder().url(url).get(), operation).json();
  }

  /**
   * An answer: a success, or a status the caller said it handles, and the next page (null on the
   * last).
   */
  record Answer(int status, String text, @Nullable HttpUrl next) {
    JsonNode json() {
      try {
        return text.isEmpty() ? Json.mapper().createObjectNode() : Json.mapper().readTree(text);
      } catch (IOException e) {
        throw new GantryException(
            Kind.FAILED, "GitHub answered HTTP " + status + " with a body that is not JSON", e);
      }
    }
  }

  /**
   * One call with GitHub's headers (retried by the client's one policy); maps failures but the
   * {@code handled} statuses.
   */
  Answer call(Request.Builder request, String operation, Integer... handled) {
    Request r =
        request
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28")
            .build();
    try (Response response = http.newCall(r).execute()) {
      String text = response.body().string();
      if (response.isSuccessful() || Set.of(handled).contains(response.code())) {
        return new Answer(response.code(), text, next(response));
      }
      throw GitHubErrors.of(operation, response.code(), text, null);
    } catch (RateLimitedException e) {
      throw new GantryException(Kind.FAILED, operation + ": " + e.getMessage());
    } catch (IOException e) {
      throw GitHubErrors.of(operation, -1, null, e);
    }
  }

  /**
   * The {@code rel="next"} page from a Link header, if any, and only on the API's own host: it gets
   * the token.
   */
  private @Nullable HttpUrl next(Response response) {
    String link = response.header("Link");
    if (link == null) {
      return null;
    }
    for (String part : link.split(",")) {
      if (part.contains("rel=\"next\"")) {
        int lt = part.indexOf('<');
        int gt = part.indexOf('>');
        HttpUrl next = lt >= 0 && gt > lt ? HttpUrl.parse(part.substring(lt + 1, gt)) : null;
        return next != null
                && next.scheme().equals(api.scheme())
                && next.host().equals(api.host())
                && next.port() == api.port()
            ? next
            : null;
      }
    }
    return null;
  }
}
