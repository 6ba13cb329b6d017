package dev.gantry.action;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event payloads shaped like the ones the runner writes to {@code GITHUB_EVENT_PATH} (the webhook
 * payloads of {@code workflow_run}, {@code workflow_dispatch} and {@code push}), trimmed to the
 * fields a reader could plausibly look at, with the same names, nesting and types.
 */
final class EventPayloads {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String OWNER = "acme";
  static final String REPOSITORY = OWNER + "/api";
  static final String DEFAULT_BRANCH = "main";

  private EventPayloads() {}

  /** A fresh random 40-hex commit id. */
  static String sha() {
    byte[] bytes = new byte[20];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * {@code on: workflow_run} after the "CI" workflow, run for a push of {@code headSha} to {@code
   * headBranch}, completed successfully. GITHUB_SHA of such a run is the default branch's head, not
   * {@code headSha}.
   */
  static ObjectNode workflowRun(String headSha, String headBranch) {
    ObjectNode root = JSON.createObjectNode();
    root.put("action", "completed");
    ObjectNode run = root.putObject("workflow_run");
    run.put("id", 9_876_543_210L);
    run.put("name", "CI");
    run.put("node_id", "WFR_kwLOAbCdEf8AAAACTQ4Zyg");
    run.put("head_branch", headBranch);
    run.put("head_sha", headSha);
    run.put("path", ".github/workflows/ci.yml");
    run.put("display_title", "Make the API faster");
    run.put("run_number", 412);
    run.put("event", "push");
    run.put("status", "completed");
    run.put("conclusion", "success");
    run.put("workflow_id", 61_234_567);
    run.put("check_suite_id", 23_456_789_012L);
    run.put("url", "https://api.github.com/repos/" + REPOSITORY + "/actions/runs/9876543210");
    run.put("html_url", "https://github.com/" + REPOSITORY + "/actions/runs/9876543210");
    run.putArray("pull_requests");
    run.put("created_at", "2026-11-23T10:14:02Z");
    run.put("updated_at", "2026-11-23T10:19:47Z");
    run.put("run_attempt", 1);
    run.put("run_started_at", "2026-11-23T10:14:02Z");
    run.set("actor", sender());
    run.set("triggering_actor", sender());
    ObjectNode commit = run.putObject("head_commit");
    commit.put("id", headSha);
    commit.put("tree_id", sha());
    commit.put("message", "Make the API faster");
    commit.put("timestamp", "2026-11-23T10:13:55Z");
    commit.putObject("author").put("name", "Mona Octocat").put("email", "mona@example.com");
    commit.putObject("committer").put("name", "Mona Octocat").put("email", "mona@example.com");
    run.set("repository", repositoryLite());
    run.set("head_repository", repositoryLite());
    root.set(
        "workflow",
        JSON.createObjectNode()
            .put("id", 61_234_567)
            .put("name", "CI")
            .put("path", ".github/workflows/ci.yml")
            .put("state", "active"));
    root.set("repository", repository());
    root.set("sender", sender());
    return root;
  }

  /**
   * {@code on: workflow_dispatch} on the default branch; {@code inputs} as typed in the form, or
   * null.
   */
  static ObjectNode workflowDispatch(ObjectNode inputs) {
    ObjectNode root = JSON.createObjectNode();
    root.set("inputs", inputs == null ? JSON.nullNode() : inputs);
    root.put("ref", "refs/heads/" + DEFAULT_BRANCH);
    root.set("repository", repository());
    root.set("sender", sender());
    root.put("workflow", ".github/workflows/promote.yml");
    return root;
  }

  /** {@code on: push} of {@code after} (on top of {@code before}) to the default branch. */
  static ObjectNode push(String before, String after) {
    ObjectNode root = JSON.createObjectNode();
    root.put("ref", "refs/heads/" + DEFAULT_BRANCH);
    root.put("before", before);
    root.put("after", after);
    root.put("created", false);
    root.put("deleted", false);
    root.put("forced", false);
    root.put(
        "compare",
        "https://github.com/"
            + REPOSITORY
            + "/compare/"
            + before.substring(0, 12)
            + "..."
            + after.substring(0, 12));
    ObjectNode head = root.putObject("head_commit");
    head.put("id", after);
    head.put("tree_id", sha());
    head.put("distinct", true);
    head.put("message", "Release the faster API");
    head.put("timestamp", "2026-11-23T10:13:55Z");
    head.put("url", "https://github.com/" + REPOSITORY + "/commit/" + after);
    root.putArray("commits").add(head.deepCopy());
    root.putObject("pusher").put("name", "mona").put("email", "mona@example.com");
    root.set("repository", repository());
    root.set("sender", sender());
    return root;
  }

  private static ObjectNode repository() {
    ObjectNode repo = repositoryLite();
    repo.put("default_branch", DEFAULT_BRANCH);
    repo.put("visibility", "public");
    return repo;
  }

  private static ObjectNode repositoryLite() {
    ObjectNode repo = JSON.createObjectNode();
    repo.put("id", 123_456_789);
    repo.put("node_id", "R_kgDOB1vNFQ");
    repo.put("name", "api");
    repo.put("full_name", REPOSITORY);
    repo.put("private", false);
    repo.set(
        "owner",
        JSON.createObjectNode()
            .put("login", OWNER)
            .put("id", 4_242_424)
            .put("type", "Organization"));
    repo.put("html_url", "https://github.com/" + REPOSITORY);
    return repo;
  }

  private static ObjectNode sender() {
    return JSON.createObjectNode().put("login", "mona").put("id", 583_231).put("type", "User");
  }
}
