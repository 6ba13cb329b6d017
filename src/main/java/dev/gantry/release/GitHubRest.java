package dev.gantry.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.GantryException;
import dev.gantry.Json;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Direct GET calls to the GitHub REST API for endpoints hub4j lacks or reads too much for (filtered workflow runs,
 * compare), on the shared OkHttp client: GitHub's headers, short rate limits waited out by {@link GitHubLimits},
 * failures mapped by {@link GitHubErrors}, so every GitHub caller reports the same way.
 */
public final class GitHubRest {
  private final OkHttpClient http;
  private final HttpUrl api;
  private final String token;
  private final GitHubLimits limits;

  public GitHubRest(OkHttpClient http, String apiUrl, String token, GitHubLimits limits) {
    HttpUrl parsed = HttpUrl.parse(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
    if (parsed == null) {
      throw GantryException.badInput("invalid GITHUB_API_URL '" + apiUrl + "'");
    }
    this.http = http;
    this.api = parsed;
    this.token = token;
    this.limits = limits;
  }

  /** {@code /repos/{owner}/{name}} under the API base, to add path segments and query parameters to. */
  public HttpUrl.Builder repository(String ownerName) {
    return api.newBuilder().addPathSegment("repos").addPathSegments(ownerName);
  }

  /** GET, the JSON answer; {@code operation} names the call in every failure. */
  public JsonNode get(HttpUrl url, String operation) {
    Request r = new Request.Builder().url(url).get().header("Authorization", "Bearer " + token)
        .header("Accept", "application/vnd.github+json").header("X-GitHub-Api-Version", "2022-11-28").build();
    for (int attempt = 1; ; attempt++) {
      try (Response response = http.newCall(r).execute()) {
        String text = response.body().string();
        if (response.isSuccessful()) {
          return text.isEmpty() ? Json.mapper().createObjectNode() : Json.mapper().readTree(text);
        }
        if (attempt < 4 && GitHubLimits.isLimited(response.code(), response::header)) {
          limits.waitOrFail(operation, response::header);
          continue;
        }
        throw GitHubErrors.of(operation, response.code(), text, null);
      } catch (IOException e) {
        throw GitHubErrors.of(operation, -1, null, e);
      }
    }
  }
}
