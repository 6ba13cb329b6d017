package dev.gantry.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.GantryException;
import dev.gantry.release.GitHubRest;
import java.util.Optional;
import okhttp3.HttpUrl;

/** The three GitHub reads {@code check-commit} makes, one method per call; every one is a GET. */
public final class CommitApi {
  /** A successful run: its id and page, for the output. */
  public record Run(long id, String url) {}

  private final GitHubRest rest;
  private final String repository;

  public CommitApi(GitHubRest rest, String repository) {
    this.rest = rest;
    this.repository = repository;
  }

  /** GET /repos/{o}/{r}: the default branch. */
  String defaultBranch() {
    JsonNode repo = rest.get(rest.repository(repository).build(), "read repository " + repository);
    String branch = repo.path("default_branch").asText("");
    if (branch.isEmpty()) {
      throw new GantryException(
          GantryException.Kind.FAILED,
          "read repository " + repository + ": GitHub named no default_branch");
    }
    return branch;
  }

  /**
   * GET /repos/{o}/{r}/compare/{base}...{head}: where {@code head} stands relative to {@code base}.
   */
  Comparison compare(String base, String head) {
    String operation = "compare " + base + "..." + head + " in " + repository;
    // addPathSegments: a branch such as release/2026 stays two path segments, as GitHub expects it.
    HttpUrl url =
        rest.repository(repository)
            .addPathSegment("compare")
            .addPathSegments(base + "..." + head)
            .build();
    String status = rest.get(url, operation).path("status").asText("");
    return Comparison.parse(status)
        .orElseThrow(
            () ->
                new GantryException(
                    GantryException.Kind.FAILED,
                    operation
                        + ": unexpected status '"
                        + status
                        + "' (expected ahead, behind, diverged or identical)"));
  }

  /**
   * GET /repos/{o}/{r}/actions/workflows/{workflow}/runs?head_sha=…&event=push&status=success: a
   * run of exactly that commit, on push, that concluded success (checked again here, whatever the
   * filter returned).
   */
  Optional<Run> successfulPushRun(String workflow, String sha) {
    HttpUrl url =
        rest.repository(repository)
            .addPathSegments("actions/workflows")
            .addPathSegment(workflow)
            .addPathSegment("runs")
            .addQueryParameter("head_sha", sha)
            .addQueryParameter("event", "push")
            .addQueryParameter("status", "success")
            .addQueryParameter("per_page", "10")
            .build();
    JsonNode runs =
        rest.get(url, "list runs of workflow " + workflow + " for " + sha + " in " + repository);
    for (JsonNode run : runs.path("workflow_runs")) {
      if (sha.equals(run.path("head_sha").asText())
          && "push".equals(run.path("event").asText())
          && "success".equals(run.path("conclusion").asText())) {
        return Optional.of(new Run(run.path("id").asLong(), run.path("html_url").asText("")));
      }
    }
    return Optional.empty();
  }
}
