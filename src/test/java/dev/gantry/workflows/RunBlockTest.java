package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite's shell steps do what they say, run as the runner runs them (bash -eo pipefail,
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY): input checks, image lists, the findings gates, the digest
 * report, the commit a chained workflow acts on, and the webhook notification.
 */
class RunBlockTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String OTHER_SHA = "89abcdef0123456789abcdef0123456789abcdef";
  private static final String BUILD = ".github/workflows/build-images.yml";
  private static final String SCAN = ".github/workflows/scan-and-promote.yml";
  private static final String RELEASE = ".github/workflows/release-and-deploy.yml";
  private static final String SBOM = ".github/workflows/sbom.yml";
  private static final String T_PROMOTE = "workflows-templates/docker-scan-and-promote.yml";
  private static final String T_RELEASE = "workflows-templates/release-and-deploy.yml";

  @TempDir Path dir;

  // build-images: plan

  private static Map<String, String> buildPlanEnv(String images, String sha) {
    return Map.of(
        "IMAGES",
        images,
        "REGISTRY",
        "ghcr.io",
        "PLATFORMS",
        "linux/amd64",
        "SHA",
        sha,
        "WANT_PUSH",
        "true",
        "PR_HEAD_REPOSITORY",
        "",
        "PR_NUMBER",
        "");
  }

  /** The plan job's workspace after "Check out Gantry's scripts/build-plan.sh". */
  private RunBlock buildPlan() throws IOException {
    Path scripts = Files.createDirectories(dir.resolve(".gantry/scripts"));
    Files.copy(
        WorkflowPolicyTest.ROOT.resolve("scripts/build-plan.sh"),
        scripts.resolve("build-plan.sh"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    return RunBlock.of(BUILD, "plan", "Check the image list");
  }

  @Test
  void buildPlanExpandsTheImagesAndTagsTheCommit() throws IOException {
    RunBlock.Result r =
        buildPlan()
            .run(
                dir,
                buildPlanEnv(
                    "[{\"name\": \"api\", \"context\": \"api\", \"dockerfile\": \"api/Dockerfile.prod\"}, {\"name\": \"tools/web\"}]",
                    SHA.toUpperCase()));
    assertEquals(0, r.exitCode(), r::all);
    assertEquals("sha-0123456", r.outputs().get("tag"));
    assertEquals(SHA, r.outputs().get("sha"));
    assertEquals("true", r.outputs().get("push"));
    JsonNode matrix = JSON.readTree(r.outputs().get("matrix"));
    String defaults =
        ",\"target\":\"\",\"platforms\":\"linux/amd64\",\"build-args\":\"\",\"after\":{}}";
    assertEquals(
        "{\"name\":\"api\",\"image\":\"ghcr.io/acme/api\",\"context\":\"api\",\"dockerfile\":\"api/Dockerfile.prod\""
            + defaults,
        matrix.get(0).toString());
    assertEquals(
        "{\"name\":\"web\",\"image\":\"ghcr.io/tools/web\",\"context\":\".\",\"dockerfile\":\"./Dockerfile\""
            + defaults,
        matrix.get(1).toString());
    assertEquals(
        matrix,
        JSON.readTree(r.outputs().get("stage-1")),
        "no dependencies: one stage, in parallel");
    assertEquals("[]", r.outputs().get("stage-2"));
    assertEquals("[]", r.outputs().get("stage-3"));
  }

  @Test
  void buildPlanPutsAnImageInTheStageAfterWhatItIsBuiltFrom() throws IOException {
    RunBlock.Result r =
        buildPlan()
            .run(
                dir,
                buildPlanEnv(
                    "[{\"name\": \"backend\", \"after\": [\"base\"]}, "
                        + "{\"name\": \"base\"}, {\"name\": \"frontend\"}]",
                    SHA));
    assertEquals(0, r.exitCode(), r::all);
    assertEquals(
        List.of("base", "frontend"),
        JSON.readTree(r.outputs().get("stage-1")).findValuesAsText("name"));
    assertEquals(
        "[{\"name\":\"backend\",\"image\":\"ghcr.io/acme/backend\",\"context\":\".\",\"dockerfile\":"
            + "\"./Dockerfile\",\"target\":\"\",\"platforms\":\"linux/amd64\",\"build-args\":\"\",\"after\":"
            + "{\"base\":\"ghcr.io/acme/base\"}}]",
        r.outputs().get("stage-2"));
    assertEquals(3, JSON.readTree(r.outputs().get("matrix")).size(), "collect reports every image");

    RunBlock.Result deep =
        buildPlan()
            .run(
                dir,
                buildPlanEnv(
                    "[{\"name\": \"a\"}, {\"name\": \"b\", \"after\": [\"a\"]}, "
                        + "{\"name\": \"c\", \"after\": [\"b\"]}, {\"name\": \"d\", \"after\": [\"c\"]}]",
                    SHA));
    assertEquals(1, deep.exitCode(), deep::all);
    assertTrue(deep.stdout().contains("::error title=build-images: too many stages::"), deep::all);
  }

  @Test
  void forkPullRequestsAndDependabotBuildWithoutPushing() throws IOException {
    buildPlan();
    Map<String, String> env = new HashMap<>(buildPlanEnv("[{\"name\": \"api\"}]", SHA));
    env.put("PR_HEAD_REPOSITORY", "mallory/shop");
    env.put("PR_NUMBER", "7");
    RunBlock.Result fork =
        RunBlock.of(BUILD, "plan", "Check the image list")
            .run(dir, env, Map.of("GITHUB_EVENT_NAME", "pull_request"), Duration.ofSeconds(30));
    assertEquals("false", fork.outputs().get("push"), fork::all);
    env.put("PR_HEAD_REPOSITORY", "Acme/shop");
    env.put("PR_NUMBER", "42");
    RunBlock.Result same =
        RunBlock.of(BUILD, "plan", "Check the image list")
            .run(dir, env, Map.of("GITHUB_EVENT_NAME", "pull_request"), Duration.ofSeconds(30));
    assertEquals("true", same.outputs().get("push"), same::all);
    // A same-repository pull request never pushes the sha-<7> Scan & Promote reads.
    assertEquals("pr-42-sha-0123456", same.outputs().get("tag"), same::all);
    RunBlock.Result bot =
        RunBlock.of(BUILD, "plan", "Check the image list")
            .run(
                dir,
                buildPlanEnv("[{\"name\": \"api\"}]", SHA),
                Map.of("GITHUB_ACTOR", "dependabot[bot]"),
                Duration.ofSeconds(30));
    assertEquals("false", bot.outputs().get("push"), bot::all);
  }

  @Test
  void buildPlanRefusesBadInput() throws IOException {
    RunBlock plan = buildPlan();
    for (Map<String, String> env :
        List.of(
            buildPlanEnv("[{\"name\": \"api\"}]", "abc1234"),
            buildPlanEnv("[{\"name\": \"API\"}]", SHA),
            buildPlanEnv("[{\"name\": \"a/api\"}, {\"name\": \"b/api\"}]", SHA),
            buildPlanEnv("[]", SHA),
            buildPlanEnv("not json", SHA),
            buildPlanEnv(
                "[{\"name\": \"a\", \"after\": [\"b\"]}, {\"name\": \"b\", \"after\": [\"a\"]}]",
                SHA),
            buildPlanEnv("[{\"name\": \"backend\", \"after\": [\"bsae\"]}]", SHA))) {
      RunBlock.Result r = plan.run(dir, env);
      assertEquals(1, r.exitCode(), r::all);
      assertTrue(r.stdout().contains("::error title=build-images"), r::all);
      assertFalse(r.outputs().containsKey("matrix"), r::all);
    }
  }

  // build-images: collect

  @Test
  void collectReportsEveryImageThatWasNotPushed() throws IOException {
    String matrix =
        "[{\"name\":\"api\",\"image\":\"ghcr.io/acme/api\"},{\"name\":\"web\",\"image\":\"ghcr.io/acme/web\"}]";
    Path digests = Files.createDirectories(dir.resolve(".runner/temp/digests"));
    Files.writeString(
        digests.resolve("api.json"), "{\"ghcr.io/acme/api\": \"sha256:" + "a".repeat(64) + "\"}");
    RunBlock collect = RunBlock.of(BUILD, "collect", "Collect the digests");
    RunBlock.Result partial =
        collect.run(
            dir,
            Map.of(
                "MATRIX",
                matrix,
                "TAG",
                "sha-0123456",
                "PUSH",
                "true",
                "BUILD_RESULT",
                "failure",
                "LATER_RESULTS",
                "skipped skipped"));
    assertEquals(1, partial.exitCode(), partial::all);
    assertTrue(
        partial
            .stdout()
            .contains(
                "::error title=push failed: ghcr.io/acme/web::ghcr.io/acme/web:sha-0123456 "
                    + "was not built or not pushed"),
        partial::all);
    assertFalse(partial.stdout().contains("push failed: ghcr.io/acme/api"), partial::all);
    assertEquals(
        "{\"ghcr.io/acme/api\":\"sha256:" + "a".repeat(64) + "\"}",
        partial.outputs().get("digests"));

    Files.writeString(
        digests.resolve("web.json"), "{\"ghcr.io/acme/web\": \"sha256:" + "b".repeat(64) + "\"}");
    RunBlock.Result all =
        collect.run(
            dir,
            Map.of(
                "MATRIX",
                matrix,
                "TAG",
                "sha-0123456",
                "PUSH",
                "true",
                "BUILD_RESULT",
                "success",
                "LATER_RESULTS",
                "skipped skipped"));
    assertEquals(0, all.exitCode(), all::all);
    // A later stage's failure fails the build even when every digest came in (e.g. a re-run leg).
    RunBlock.Result later =
        collect.run(
            dir,
            Map.of(
                "MATRIX",
                matrix,
                "TAG",
                "sha-0123456",
                "PUSH",
                "true",
                "BUILD_RESULT",
                "success",
                "LATER_RESULTS",
                "failure skipped"));
    assertEquals(1, later.exitCode(), later::all);
    assertEquals(2, JSON.readTree(all.outputs().get("digests")).size());
    assertTrue(
        all.summary()
            .contains("| `ghcr.io/acme/web:sha-0123456` | `sha256:" + "b".repeat(64) + "` |"),
        all::all);
  }

  // scan-and-promote

  private static Map<String, String> scanPlanEnv(String images, String sha, String ref) {
    return Map.of(
        "SHA", sha, "REF", ref, "IMAGES", images, "REGISTRY", "ghcr.io", "TO", "latest, stable");
  }

  @Test
  void scanPlanTakesNamesFullRepositoriesAndPins() {
    String pin = "sha256:" + "e".repeat(64);
    RunBlock.Result r =
        RunBlock.of(SCAN, "plan", "Check the inputs")
            .run(
                dir,
                scanPlanEnv(
                    "Api, tools/web\nregistry.example.com:5000/team/worker@" + pin,
                    SHA,
                    "refs/heads/main"));
    assertEquals(0, r.exitCode(), r::all);
    assertEquals(
        "ghcr.io/acme/api\nghcr.io/tools/web\nregistry.example.com:5000/team/worker",
        r.outputs().get("images"));
    assertEquals("registry.example.com:5000/team/worker@" + pin, r.outputs().get("pins"));
    assertEquals("sha-0123456", r.outputs().get("tag"));
    assertEquals(
        "ghcr.io/acme/api:latest",
        r.outputs().get("not-behind"),
        "what runs now: first image, first target");
    for (Map<String, String> bad :
        List.of(
            scanPlanEnv("api", SHA, "main"),
            scanPlanEnv("api", SHA.substring(1), "refs/heads/main"),
            scanPlanEnv(" , ", SHA, "refs/heads/main"),
            scanPlanEnv("api!", SHA, "refs/heads/main"),
            scanPlanEnv("a/api b/api", SHA, "refs/heads/main"),
            scanPlanEnv("api@sha256:123", SHA, "refs/heads/main"))) {
      RunBlock.Result refused = RunBlock.of(SCAN, "plan", "Check the inputs").run(dir, bad);
      assertEquals(1, refused.exitCode(), refused::all);
    }
  }

  @Test
  void aCallersPinThatTheTagNoLongerNamesStopsThePlan() {
    String resolved = "ghcr.io/acme/api@sha256:" + "a".repeat(64);
    RunBlock.Result r =
        RunBlock.of(SCAN, "plan", "Plan the scans")
            .run(
                dir,
                Map.of(
                    "PINNED",
                    resolved,
                    "CALLER_PINS",
                    "ghcr.io/acme/api@sha256:" + "b".repeat(64),
                    "TAG",
                    "sha-0123456",
                    "SCAN_PLATFORMS",
                    "",
                    "REGISTRY_USERNAME",
                    "u",
                    "REGISTRY_PASSWORD",
                    "p"));
    assertEquals(1, r.exitCode(), r::all);
    assertTrue(
        r.stdout()
            .contains(
                "::error title=scan-and-promote: tag moved::ghcr.io/acme/api:sha-0123456 is not the "
                    + "pinned sha256:"
                    + "b".repeat(64)),
        r::all);
  }

  private RunBlock.Result gate(int high, int medium, boolean block) throws IOException {
    StringBuilder results = new StringBuilder();
    for (int i = 0; i < high + medium; i++) {
      results
          .append(i == 0 ? "" : ",")
          .append("{\"ruleId\":\"CVE-2026-")
          .append(1000 + i)
          .append("\",\"level\":\"")
          .append(i < high ? "error" : "warning")
          .append("\"}");
    }
    Files.writeString(
        dir.resolve("trivy-api.sarif"), "{\"runs\":[{\"results\":[" + results + "]}]}");
    return RunBlock.of(SCAN, "scan", "Gate on the findings")
        .run(
            dir,
            Map.of(
                "IMAGE",
                "ghcr.io/acme/api",
                "PINNED",
                "ghcr.io/acme/api@sha256:" + "a".repeat(64),
                "PLATFORM",
                "linux/amd64",
                "SARIF",
                "trivy-api.sarif",
                "BLOCK",
                String.valueOf(block)));
  }

  @Test
  void findingsBlockThePromotionUnlessTold() throws IOException {
    RunBlock.Result blocked = gate(2, 3, true);
    assertEquals(1, blocked.exitCode(), blocked::all);
    assertTrue(
        blocked
            .stdout()
            .contains(
                "::error title=Trivy: 2 finding(s) in ghcr.io/acme/api::promotion blocked: "
                    + "CVE-2026-1000, CVE-2026-1001"),
        blocked::all);
    assertTrue(
        blocked.summary().contains("CRITICAL/HIGH findings with a fix: **2**"), blocked::all);
    assertTrue(
        blocked
            .summary()
            .contains("### Trivy: `ghcr.io/acme/api@sha256:" + "a".repeat(64) + "` (linux/amd64)"),
        blocked::all);
    RunBlock.Result reported = gate(2, 0, false);
    assertEquals(0, reported.exitCode(), reported::all);
    assertTrue(reported.stdout().contains("::warning title=Trivy: 2 finding(s)"), reported::all);
    assertEquals(0, gate(0, 4, true).exitCode());
  }

  @Test
  void grypeFindingsFailTheSbomJobUnlessTold() throws IOException {
    gate(2, 1, true); // writes trivy-api.sarif: two findings at level error, one below
    Files.writeString(dir.resolve("sbom.spdx.json"), "{\"packages\": [{}, {}, {}]}");
    java.util.function.Function<Boolean, RunBlock.Result> sbomGate =
        fail ->
            RunBlock.of(SBOM, "sbom", "Gate on the findings")
                .run(
                    dir,
                    Map.of(
                        "SARIF",
                        "trivy-api.sarif",
                        "SBOM",
                        "sbom.spdx.json",
                        "TARGET",
                        "ghcr.io/acme/api:latest",
                        "CUTOFF",
                        "high",
                        "FAIL",
                        String.valueOf(fail)));
    RunBlock.Result failed = sbomGate.apply(true);
    assertEquals(1, failed.exitCode(), failed::all);
    assertEquals("2", failed.outputs().get("findings"), failed::all);
    assertTrue(
        failed
            .stdout()
            .startsWith(
                "::error title=Grype: 2 finding(s) in ghcr.io/acme/api:latest::at or above high"),
        failed::all);
    assertTrue(
        failed
            .summary()
            .contains(
                "SPDX JSON with **3** packages (artifact `sbom.spdx.json`); Grype findings at "
                    + "or above `high`: **2**"),
        failed::all);
    RunBlock.Result warned = sbomGate.apply(false);
    assertEquals(0, warned.exitCode(), warned::all);
    assertTrue(warned.stdout().startsWith("::warning title=Grype: 2 finding(s)"), warned::all);
  }

  @Test
  void thePromotionRecordSaysWhichCommit() throws IOException {
    String api = "sha256:" + "a".repeat(64);
    String web = "sha256:" + "b".repeat(64);
    RunBlock.Result r =
        RunBlock.of(SCAN, "promote", "Record the promotion")
            .run(
                dir,
                Map.of(
                    "SHA",
                    SHA,
                    "TAG",
                    "sha-0123456",
                    "IMAGES",
                    "ghcr.io/acme/api\nghcr.io/acme/web",
                    "DIGESTS",
                    "{\"ghcr.io/acme/api\":\"" + api + "\",\"ghcr.io/acme/web\":\"" + web + "\"}",
                    "PINNED",
                    "ghcr.io/acme/api@" + api + "\nghcr.io/acme/web@" + web + "\n"));
    assertEquals(0, r.exitCode(), r::all);
    JsonNode record = JSON.readTree(dir.resolve(".runner/temp/promotion/promotion.json").toFile());
    assertEquals(SHA, record.path("sha").asText());
    assertEquals("[\"ghcr.io/acme/api\",\"ghcr.io/acme/web\"]", record.path("images").toString());
    assertEquals(
        "[\"ghcr.io/acme/api@" + api + "\",\"ghcr.io/acme/web@" + web + "\"]",
        record.path("pinned").toString());
    assertEquals(api, record.path("digests").path("ghcr.io/acme/api").asText());
  }

  // release-and-deploy, sbom

  /**
   * The release job's workspace after "Check out Gantry": the step calls
   * .gantry/scripts/release-plan.sh.
   */
  @Test
  void releasePlanAllowsNoImages() throws IOException {
    Path scripts = Files.createDirectories(dir.resolve(".gantry/scripts"));
    Files.copy(
        WorkflowPolicyTest.ROOT.resolve("scripts/release-plan.sh"),
        scripts.resolve("release-plan.sh"));
    RunBlock plan = RunBlock.of(RELEASE, "release", "Check the commit");
    RunBlock.Result none = plan.run(dir, releasePlanEnv(SHA, "", ""));
    assertEquals(0, none.exitCode(), none::all);
    assertEquals("", none.outputs().get("pinned"));
    assertEquals("", none.outputs().get("bare"));
    assertEquals("", none.outputs().get("not-behind"));
    String pin = "sha256:" + "d".repeat(64);
    RunBlock.Result two = plan.run(dir, releasePlanEnv(SHA, "api@" + pin + ",web", ""));
    assertEquals("ghcr.io/acme/api@" + pin, two.outputs().get("pinned"), two::all);
    assertEquals("ghcr.io/acme/web", two.outputs().get("bare"), two::all);
    assertEquals("ghcr.io/acme/api:latest", two.outputs().get("not-behind"), two::all);
    assertEquals("sha-0123456", two.outputs().get("tag"), two::all);
  }

  @Test
  void aManualReleaseTakesOnlyWhatWasPromotedUnlessItIsARollback() {
    RunBlock pin = RunBlock.of(RELEASE, "release", "Pin every image");
    String pinned = "ghcr.io/acme/api@sha256:" + "a".repeat(64);
    String resolved = "ghcr.io/acme/web@sha256:" + "b".repeat(64);
    String latest = "ghcr.io/acme/web@sha256:" + "c".repeat(64);
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "PINNED",
                pinned,
                "RESOLVED",
                resolved,
                "PROMOTED",
                resolved,
                "ROLLBACK",
                "false",
                "TAG",
                "sha-0123456",
                "PROMOTED_TAG",
                "latest"));
    RunBlock.Result promoted = pin.run(dir, env);
    assertEquals(0, promoted.exitCode(), promoted::all);
    assertEquals(pinned + "\n" + resolved, promoted.outputs().get("pinned"));

    env.put("PROMOTED", latest);
    RunBlock.Result unscanned = pin.run(dir, env);
    assertEquals(1, unscanned.exitCode(), unscanned::all);
    assertTrue(
        unscanned
            .stdout()
            .contains(
                "::error title=release: not promoted::ghcr.io/acme/web:sha-0123456 (sha256:"
                    + "b".repeat(64)
                    + ") is not what latest names"),
        unscanned::all);
    assertFalse(unscanned.outputs().containsKey("pinned"));

    env.put("ROLLBACK", "true");
    env.put("PROMOTED", "");
    RunBlock.Result rollback = pin.run(dir, env);
    assertEquals(0, rollback.exitCode(), rollback::all);
  }

  @Test
  void sbomTakesAPathOrAnImage() {
    RunBlock plan = RunBlock.of(SBOM, "sbom", "Check the inputs");
    RunBlock.Result image =
        plan.run(
            dir,
            Map.of(
                "SCAN_PATH",
                ".",
                "IMAGE",
                "gantry",
                "NAME",
                "action-image",
                "REGISTRY",
                "ghcr.io",
                "CUTOFF",
                "high"));
    assertEquals("ghcr.io/acme/gantry:latest", image.outputs().get("image"), image::all);
    for (Map.Entry<String, String> e :
        Map.of(
                "Acme/Gantry",
                "ghcr.io/acme/gantry:latest",
                "localhost:5000/x/y:1.0",
                "localhost:5000/x/y:1.0",
                "ghcr.io/acme/api@sha256:" + "c".repeat(64),
                "ghcr.io/acme/api@sha256:" + "c".repeat(64))
            .entrySet()) {
      RunBlock.Result r =
          plan.run(
              dir,
              Map.of(
                  "SCAN_PATH",
                  ".",
                  "IMAGE",
                  e.getKey(),
                  "NAME",
                  "img",
                  "REGISTRY",
                  "ghcr.io",
                  "CUTOFF",
                  "high"));
      assertEquals(e.getValue(), r.outputs().get("image"), r::all);
    }
    RunBlock.Result path =
        plan.run(
            dir,
            Map.of(
                "SCAN_PATH",
                "services/api",
                "IMAGE",
                "",
                "NAME",
                "api",
                "REGISTRY",
                "ghcr.io",
                "CUTOFF",
                "high"));
    assertEquals("services/api", path.outputs().get("target"), path::all);
    assertEquals(
        1,
        plan.run(
                dir,
                Map.of(
                    "SCAN_PATH",
                    "../..",
                    "IMAGE",
                    "",
                    "NAME",
                    "x",
                    "REGISTRY",
                    "ghcr.io",
                    "CUTOFF",
                    "high"))
            .exitCode());
    assertEquals(
        1,
        plan.run(
                dir,
                Map.of(
                    "SCAN_PATH",
                    ".",
                    "IMAGE",
                    "",
                    "NAME",
                    "x",
                    "REGISTRY",
                    "ghcr.io",
                    "CUTOFF",
                    "severe"))
            .exitCode());
  }

  // the templates: which commit a chained workflow acts on. A template passes its event's values
  // on; GitHub's evaluator says what they are, and the reusable workflow's first script checks
  // them.

  private static String templateWith(String file, String job, String input) {
    return WorkflowPolicyTest.repository()
        .byPath(file)
        .orElseThrow()
        .jobs()
        .get(job)
        .path("with")
        .path(input)
        .asText();
  }

  private static List<String> evaluate(String expression, JsonNode... contexts) {
    List<GitHubExpressions.Case> cases = new java.util.ArrayList<>();
    for (JsonNode c : contexts) {
      cases.add(new GitHubExpressions.Case(expression, expression, c, "success"));
    }
    return GitHubExpressions.evaluate(cases).stream()
        .map(
            o -> {
              assertEquals(null, o.error(), expression);
              return o.value().asText();
            })
        .toList();
  }

  /** After an upstream run of {@code event} whose head_sha is SHA; the branch head is OTHER_SHA. */
  private static JsonNode afterRun(String event) {
    return GitHubExpressions.json(
        """
        {"github": {"event_name": "workflow_run", "ref": "refs/heads/main", "sha": "%s",
          "event": {"workflow_run": {"id": 4242, "event": "%s", "head_branch": "main", "head_sha": "%s"}}},
         "inputs": {}}"""
            .formatted(OTHER_SHA, event, SHA));
  }

  private static JsonNode byHand(String sha) {
    return GitHubExpressions.json(
        """
        {"github": {"event_name": "workflow_dispatch", "ref": "refs/heads/main", "sha": "%s",
          "event": {"inputs": {"sha": "%s"}}}, "inputs": {"sha": "%s"}}"""
            .formatted(OTHER_SHA, sha, sha));
  }

  @Test
  void scanAndPromoteActsOnTheTestedCommit() {
    List<String> sha =
        evaluate(
            templateWith(T_PROMOTE, "scan-and-promote", "sha"),
            afterRun("push"),
            byHand("abc1234"),
            byHand(""));
    assertEquals(List.of(SHA, "abc1234", OTHER_SHA), sha, "tested commit, input, branch head");
    // The template passes no ref: the reusable workflow takes the run's (after Stack Tests, the
    // default branch, the only one its workflow_run is filtered to).
    Workflow scan = WorkflowPolicyTest.repository().byPath(SCAN).orElseThrow();
    String ref =
        scan.steps("plan").stream()
            .filter(s -> s.node().path("name").asText().equals("Check the inputs"))
            .findFirst()
            .orElseThrow()
            .node()
            .path("env")
            .path("REF")
            .asText();
    assertEquals(List.of("refs/heads/main"), evaluate(ref, afterRun("push")));

    RunBlock check = RunBlock.of(SCAN, "plan", "Check the inputs");
    RunBlock.Result chained =
        check.run(
            dir,
            scanPlanEnv("api", sha.get(0), "refs/heads/main"),
            Map.of("GITHUB_EVENT_NAME", "workflow_run", "GITHUB_SHA", OTHER_SHA),
            Duration.ofSeconds(30));
    assertEquals(SHA, chained.outputs().get("sha"), chained::all);
    assertTrue(
        chained
            .summary()
            .contains("Scanning and promoting `" + SHA + "` (refs/heads/main, workflow_run)."),
        chained::all);
    RunBlock.Result manual =
        check.run(
            dir,
            scanPlanEnv("api", sha.get(1), "refs/heads/main"),
            Map.of("GITHUB_EVENT_NAME", "workflow_dispatch"),
            Duration.ofSeconds(30));
    assertEquals(1, manual.exitCode(), manual::all);
    assertTrue(
        manual.stdout().startsWith("::error title=scan-and-promote: bad sha::"), manual::all);
    assertEquals(Map.of(), manual.outputs(), manual::all);
  }

  private static Map<String, String> releasePlanEnv(String sha, String images, String runId) {
    return Map.of(
        "SHA",
        sha,
        "IMAGES",
        images,
        "PROMOTION_RUN_ID",
        runId,
        "REGISTRY",
        "ghcr.io",
        "PROMOTED_TAG",
        "latest");
  }

  @Test
  void releaseActsOnThePromotedCommitNotTheBranchHead() throws IOException {
    String template = "release-and-deploy";
    assertEquals(
        List.of("4242", "", ""),
        evaluate(
            templateWith(T_RELEASE, template, "promotion-run-id"),
            afterRun("workflow_run"),
            byHand(OTHER_SHA),
            byHand("")),
        "the upstream run's id, as a string; none by hand");
    assertEquals(
        List.of("", OTHER_SHA, OTHER_SHA),
        evaluate(
            templateWith(T_RELEASE, template, "sha"),
            afterRun("workflow_run"),
            byHand(OTHER_SHA),
            byHand("")),
        "never the branch head after a promotion: the record names the commit");
    // The record the reusable workflow fetches is the one scan-and-promote uploads, where the plan
    // reads it.
    Workflow release = WorkflowPolicyTest.repository().byPath(RELEASE).orElseThrow();
    Workflow.Step fetch =
        release.steps("release").stream()
            .filter(s -> s.usesAction("actions/download-artifact"))
            .findFirst()
            .orElseThrow();
    Workflow.Step upload =
        WorkflowPolicyTest.repository().byPath(SCAN).orElseThrow().steps("promote").stream()
            .filter(s -> s.usesAction("actions/upload-artifact"))
            .findFirst()
            .orElseThrow();
    assertEquals(upload.with("name"), fetch.with("name"));
    assertEquals("${{ inputs.promotion-run-id }}", fetch.with("run-id"));
    assertEquals("inputs.promotion-run-id != ''", fetch.node().path("if").asText());
    assertEquals(upload.with("path"), fetch.with("path") + "/promotion.json");

    Path record =
        Files.createDirectories(dir.resolve(".runner/temp/promotion")).resolve("promotion.json");
    String api = "ghcr.io/acme/api@sha256:" + "a".repeat(64);
    Files.writeString(
        record,
        "{\"sha\": \"" + SHA + "\", \"tag\": \"sha-0123456\", \"pinned\": [\"" + api + "\"]}");
    RunBlock plan = RunBlock.of(RELEASE, "release", "Check the commit");
    RunBlock.Result chained = plan.run(dir, releasePlanEnv("", "api, web", "4242"));
    assertEquals(0, chained.exitCode(), chained::all);
    assertEquals(SHA, chained.outputs().get("sha"), chained::all);
    assertEquals(api, chained.outputs().get("pinned"), "exactly the record's digests");
    assertEquals("", chained.outputs().get("bare"), chained::all);
    assertTrue(
        chained.summary().contains("Releasing `" + SHA + "` (the promotion record of run 4242)."),
        chained::all);
    assertEquals(
        0,
        plan.run(dir, releasePlanEnv(SHA.toUpperCase(java.util.Locale.ROOT), "", "4242"))
            .exitCode(),
        "the record's own sha may be given too");

    Map<String, String> refusals = new java.util.LinkedHashMap<>();
    refusals.put("{\"sha\": \"" + SHA + "\", \"tag\": \"sha-0123456\"}", "no digests");
    refusals.put(
        "{\"sha\": \"" + SHA + "\", \"pinned\": [\"ghcr.io/acme/api\"]}", "unpinned record");
    refusals.put("{\"sha\": \"$(touch pwned)\", \"pinned\": [\"" + api + "\"]}", "bad sha");
    refusals.put("{\"pinned\": [\"" + api + "\"]}", "no promotion record");
    refusals.put("not json", "no promotion record");
    for (Map.Entry<String, String> e : refusals.entrySet()) {
      Files.writeString(record, e.getKey());
      RunBlock.Result refused = plan.run(dir, releasePlanEnv("", "api, web", "4242"));
      assertEquals(1, refused.exitCode(), refused::all);
      assertTrue(
          refused.stdout().startsWith("::error title=release: " + e.getValue() + "::"),
          refused::all);
      assertEquals(Map.of(), refused.outputs(), refused::all);
    }
    assertFalse(Files.exists(dir.resolve("pwned")));
    Files.writeString(record, "{\"sha\": \"" + SHA + "\", \"pinned\": [\"" + api + "\"]}");
    RunBlock.Result other = plan.run(dir, releasePlanEnv(OTHER_SHA, "api, web", "4242"));
    assertTrue(other.stdout().startsWith("::error title=release: two commits::"), other::all);
    RunBlock.Result badId = plan.run(dir, releasePlanEnv("", "api, web", "4242; true"));
    assertTrue(
        badId.stdout().startsWith("::error title=release: bad promotion-run-id::"), badId::all);

    Files.delete(record);
    RunBlock.Result manual = plan.run(dir, releasePlanEnv(OTHER_SHA, "api, web", ""));
    assertEquals(OTHER_SHA, manual.outputs().get("sha"), manual::all);
    assertEquals("ghcr.io/acme/api\nghcr.io/acme/web", manual.outputs().get("bare"), manual::all);
    assertTrue(
        manual.summary().contains("Releasing `" + OTHER_SHA + "` (the sha input)."), manual::all);
  }

  // notification

  @Test
  void theWebhookGetsTheJenkinsSeedJson() throws IOException {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          bodies.add(
              exchange.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook?token=s3cret";
      RunBlock.Result release =
          RunBlock.of(RELEASE, "notify", "Post the result")
              .run(
                  dir,
                  Map.of(
                      "WEBHOOK_URL",
                      url,
                      "RESULTS",
                      "[\"success\", \"failure\"]",
                      "IMAGE",
                      "ghcr.io/acme/api",
                      "TAG",
                      "2026.11.0"));
      assertEquals(0, release.exitCode(), release::all);
      RunBlock.Result scan =
          RunBlock.of(SCAN, "notify", "Post the result")
              .run(
                  dir,
                  Map.of(
                      "WEBHOOK_URL",
                      url,
                      "RESULTS",
                      "[\"success\", \"skipped\"]",
                      "IMAGE",
                      "ghcr.io/acme/api",
                      "TAG",
                      "sha-0123456"));
      assertEquals(0, scan.exitCode(), scan::all);
      assertEquals(2, bodies.size(), bodies::toString);
      assertTrue(bodies.get(0).startsWith("application/json "), bodies::toString);
      JsonNode failure = JSON.readTree(bodies.get(0).substring("application/json ".length()));
      assertEquals(List.of("status", "job", "build", "image", "tag", "url"), fieldNames(failure));
      assertEquals("failure", failure.path("status").asText());
      assertEquals("Acme/shop/Release & Deploy", failure.path("job").asText());
      assertEquals("17", failure.path("build").asText());
      assertEquals("2026.11.0", failure.path("tag").asText());
      assertEquals("https://github.com/Acme/shop/actions/runs/4242", failure.path("url").asText());
      assertEquals(
          "success",
          JSON.readTree(bodies.get(1).substring("application/json ".length()))
              .path("status")
              .asText());
      assertFalse(
          release.stdout().contains("s3cret") || release.stderr().contains("s3cret"), release::all);
    } finally {
      server.stop(0);
    }
    RunBlock.Result off =
        RunBlock.of(RELEASE, "notify", "Post the result")
            .run(dir, Map.of("WEBHOOK_URL", "", "RESULTS", "[]", "IMAGE", "", "TAG", ""));
    assertEquals(0, off.exitCode(), off::all);
  }

  // Gantry's own CI: the test totals (scripts/test-summary.sh, run at the repository root)

  @Test
  void theTestSummaryAddsUpEveryReport() throws IOException {
    Path scripts = Files.createDirectories(dir.resolve("scripts"));
    Files.copy(
        WorkflowPolicyTest.ROOT.resolve("scripts/test-summary.sh"),
        scripts.resolve("test-summary.sh"),
        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    RunBlock summary = RunBlock.of(".github/workflows/ci.yml", "verify", "Test summary");
    assertEquals("No test reports.\n", summary.run(dir, Map.of()).summary());
    Files.writeString(
        Files.createDirectories(dir.resolve("target/surefire-reports")).resolve("TEST-a.xml"),
        "<?xml version=\"1.0\"?>\n<testsuite name=\"a\" time=\"1.5\" tests=\"5\" errors=\"0\" skipped=\"2\" failures=\"1\">\n");
    Files.writeString(
        Files.createDirectories(dir.resolve("target/failsafe-reports")).resolve("TEST-b.xml"),
        "<testsuite name=\"b\" tests=\"3\" failures=\"0\" errors=\"1\" skipped=\"0\">\n");
    RunBlock.Result r = summary.run(dir, Map.of());
    assertEquals(0, r.exitCode(), r::all);
    assertEquals("### Tests\n\n8 tests, 1 failures, 1 errors, 2 skipped\n", r.summary());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
