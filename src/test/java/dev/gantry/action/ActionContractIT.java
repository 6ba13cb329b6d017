package dev.gantry.action;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.action.ActionStep.Result;
import dev.gantry.testing.LoggedRequest;
import dev.gantry.testing.RegistryServer;
import dev.gantry.testing.Skopeo;
import dev.gantry.testing.TempDirs;
import dev.gantry.testing.TestImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The runner contract of {@code java -jar target/gantry.jar action}, run as a child process the way
 * the runner runs the container: inputs and GITHUB_* in the environment, a real event payload on
 * disk, a real open registry, every registry result read back with skopeo and every file command
 * parsed as the runner would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ActionContractIT {
  private static final AtomicLong SEED = new AtomicLong(700);
  private RegistryServer registry;
  private Skopeo skopeo;

  @BeforeAll
  void start() {
    registry = RegistryServer.open();
    skopeo = Skopeo.isolated();
  }

  @AfterAll
  void stop() {
    skopeo.close();
    registry.close();
  }

  // --- which commit

  @Test
  void workflowRunPromotesTheRunsHeadShaNeverGithubSha() {
    String headSha = EventPayloads.sha();
    String defaultBranchHead = EventPayloads.sha();
    String image = image("workflow-run");
    String digest =
        TestImages.push(
            TestImages.multiArch(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
            registry,
            repo("workflow-run"),
            tag(headSha));
    // GITHUB_SHA (the default branch's head) has no image: a step that used it would fail with exit
    // 4.
    assertFalse(skopeo.exists(image + ":" + tag(defaultBranchHead), registry));

    ActionStep step =
        ActionStep.on(
                "workflow_run",
                EventPayloads.workflowRun(headSha, "feature/faster"),
                defaultBranchHead)
            .input("images", image);
    Result r = step.run();

    assertEquals(0, r.exitCode(), r.all());
    assertArrayEquals(raw(image + ":" + tag(headSha)), raw(image + ":latest"));
    assertEquals(digest, skopeo.digest(image + ":latest", registry));

    Map<String, String> outputs = r.outputs();
    assertEquals(Set.of("digests", "promoted"), outputs.keySet(), r.all());
    assertTrue(
        ActionStep.declaredOutputs().containsAll(outputs.keySet()),
        "only outputs action.yml declares");
    assertEquals(
        EventPayloads.JSON.createObjectNode().put(image, digest), json(outputs.get("digests")));
    JsonNode promoted = json(outputs.get("promoted"));
    assertEquals(1, promoted.size(), promoted.toString());
    assertEquals(image, promoted.get(0).path("image").asText());
    assertEquals("latest", promoted.get(0).path("tag").asText());
    assertEquals(digest, promoted.get(0).path("digest").asText());

    assertTrue(r.summary().contains(image), r.summary());
    assertTrue(r.summary().contains(digest), r.summary());
    assertTrue(r.summary().contains("promoted"), r.summary());
    assertTrue(
        r.summary().lines().anyMatch(l -> l.equals("docker pull " + image + ":latest")),
        r.summary());
    assertTrue(
        r.summary().getBytes(StandardCharsets.UTF_8).length < 1024 * 1024,
        "GitHub's step summary limit");

    List<String> lines = r.stdoutLines();
    // The github-token input defaults to github.token, so even a promote masks it first and prints
    // it nowhere.
    assertEquals("::add-mask::" + step.githubToken, lines.get(0), r.all());
    assertEquals(1, lines.stream().filter(l -> l.contains(step.githubToken)).count(), r.all());
    int group = indexOf(lines, "::group::");
    int end = lines.indexOf("::endgroup::");
    assertTrue(group > 0 && end > group, "a ::group:: then an ::endgroup::\n" + r.all());
    assertTrue(
        lines.get(group).contains(tag(headSha)),
        "the group names the commit's tag: " + lines.get(group));
    assertEquals(List.of(), r.errors());
  }

  @Test
  void workflowDispatchShaInputChoosesTheCommit() {
    String dispatched = EventPayloads.sha();
    String githubSha = EventPayloads.sha();
    Map<String, String> digests = pushCommits("dispatch-sha", dispatched, githubSha);
    ObjectNode inputs =
        EventPayloads.JSON
            .createObjectNode()
            .put("sha", dispatched)
            .put("environment", "production");

    Result r =
        ActionStep.on("workflow_dispatch", EventPayloads.workflowDispatch(inputs), githubSha)
            .input("images", image("dispatch-sha"))
            .run();

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(
        digests.get(dispatched), skopeo.digest(image("dispatch-sha") + ":latest", registry));
  }

  @Test
  void workflowDispatchWithoutShaUsesGithubSha() {
    // inputs {} when the form has no sha field filled in; null when the workflow declares no inputs
    // at all.
    List<ObjectNode> payloads = new ArrayList<>();
    payloads.add(EventPayloads.workflowDispatch(EventPayloads.JSON.createObjectNode()));
    payloads.add(EventPayloads.workflowDispatch(null));
    for (int i = 0; i < payloads.size(); i++) {
      String name = "dispatch-no-sha-" + i;
      String githubSha = EventPayloads.sha();
      Map<String, String> digests = pushCommits(name, githubSha);

      Result r =
          ActionStep.on("workflow_dispatch", payloads.get(i), githubSha)
              .input("images", image(name))
              .run();

      assertEquals(0, r.exitCode(), r.all());
      assertEquals(digests.get(githubSha), skopeo.digest(image(name) + ":latest", registry));
    }
  }

  @Test
  void pushUsesGithubSha() {
    String before = EventPayloads.sha();
    String after = EventPayloads.sha();
    Map<String, String> digests = pushCommits("push", after, before);

    Result r =
        ActionStep.on("push", EventPayloads.push(before, after), after)
            .input("images", image("push"))
            .run();

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(digests.get(after), skopeo.digest(image("push") + ":latest", registry));
  }

  @Test
  void shaInputOverridesTheEventAndGithubSha() {
    String input = EventPayloads.sha();
    String headSha = EventPayloads.sha();
    String dispatched = EventPayloads.sha();
    String githubSha = EventPayloads.sha();
    Map<String, String> digests = pushCommits("sha-input", input, headSha, dispatched, githubSha);
    ObjectNode dispatchInputs = EventPayloads.JSON.createObjectNode().put("sha", dispatched);

    Result onRun =
        ActionStep.on("workflow_run", EventPayloads.workflowRun(headSha, "main"), githubSha)
            .input("images", image("sha-input"))
            .input("sha", input)
            .input("to", "from-run")
            .run();
    // The short form works too: a 7-character sha names the same sha-<first 7> tag.
    Result onDispatch =
        ActionStep.on(
                "workflow_dispatch", EventPayloads.workflowDispatch(dispatchInputs), githubSha)
            .input("images", image("sha-input"))
            .input("sha", input.substring(0, 7))
            .input("to", "from-dispatch")
            .run();

    assertEquals(0, onRun.exitCode(), onRun.all());
    assertEquals(0, onDispatch.exitCode(), onDispatch.all());
    assertEquals(digests.get(input), skopeo.digest(image("sha-input") + ":from-run", registry));
    assertEquals(
        digests.get(input), skopeo.digest(image("sha-input") + ":from-dispatch", registry));
  }

  @Test
  void invalidShaIsBadInputAndNothingIsSent() {
    String headSha = EventPayloads.sha();
    pushCommits("bad-sha", headSha);
    int mark = registry.mark();

    Result r =
        ActionStep.on(
                "workflow_run", EventPayloads.workflowRun(headSha, "main"), EventPayloads.sha())
            .input("images", image("bad-sha"))
            .input("sha", "not-a-sha")
            .run();

    assertEquals(2, r.exitCode(), r.all());
    assertEquals(1, r.errors().size(), r.all());
    assertTrue(r.errors().get(0).startsWith("::error title="), r.all());
    assertTrue(r.errors().get(0).contains("not-a-sha"), r.all());
    assertEquals("", r.outputFile(), "no outputs on failure");
    assertEquals(List.of(), gantryRequests(mark), "not a single registry request");
    assertFalse(skopeo.exists(image("bad-sha") + ":latest", registry));
  }

  /**
   * Regression test (fixed; the bug was in src/main/java/dev/gantry/action/RunnerContext.java): on
   * a workflow_run event whose payload cannot be read (GITHUB_EVENT_PATH missing or not a file:
   * payload(), lines 52-53, silently answers {}) or has no usable workflow_run.head_sha (lines
   * 28-31 leave sha empty), commit() falls through to GITHUB_SHA (lines 36-39), the default
   * branch's head, and the step promotes a commit that was never tested. The contract (and
   * commit()'s javadoc) say never GITHUB_SHA on workflow_run: this must be bad input (exit 2) with
   * nothing written.
   */
  @Test
  void workflowRunWithoutItsPayloadMustNotFallBackToGithubSha() {
    String headSha = EventPayloads.sha();
    String defaultBranchHead = EventPayloads.sha();
    pushCommits(
        "run-no-payload",
        defaultBranchHead); // falling back to GITHUB_SHA would find an image to promote
    ActionStep step =
        ActionStep.on("workflow_run", EventPayloads.workflowRun(headSha, "main"), defaultBranchHead)
            .input("images", image("run-no-payload"));
    step.env("GITHUB_EVENT_PATH", step.envValue("GITHUB_EVENT_PATH") + ".missing");

    Result r = step.run();

    assertFalse(
        skopeo.exists(image("run-no-payload") + ":latest", registry),
        "promoted GITHUB_SHA (the default branch's head) on a workflow_run event\n" + r.all());
    assertEquals(2, r.exitCode(), r.all());
    assertTrue(r.errors().size() == 1 && r.errors().get(0).startsWith("::error title="), r.all());
  }

  /**
   * Regression test (fixed; the bug was in src/main/java/dev/gantry/cli/ActionCommand.java,
   * arguments(), line 98 {@code a.addAll(in.images())}, and lines 104-105 for copy's from/to):
   * input values go into the CLI's argument list with no {@code --} before them, so an entry that
   * starts with "-" is parsed as an option. Here {@code images: --dry-run} silently turns the
   * promote into a dry run (exit 0, nothing moved); {@code --insecure-registry=ghcr.io} would
   * switch a registry to plain HTTP. An input is data: "--dry-run" is not an image, so this must be
   * bad input (exit 2).
   */
  @Test
  void anImagesEntryIsNeverReadAsAnOption() {
    String sha = EventPayloads.sha();
    pushCommits("option-injection", sha);

    Result r = push(sha).input("images", "--dry-run\n" + image("option-injection")).run();

    assertEquals(2, r.exitCode(), r.all());
    assertEquals(1, r.errors().size(), r.all());
  }

  @Test
  void imagesAsAMultiLineList() {
    String sha = EventPayloads.sha();
    String digestA = pushCommits("images-a", sha).get(sha);
    String digestB = pushCommits("images-b", sha).get(sha);

    Result r = push(sha).input("images", image("images-a") + "\n" + image("images-b") + "\n").run();

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(digestA, skopeo.digest(image("images-a") + ":latest", registry));
    assertEquals(digestB, skopeo.digest(image("images-b") + ":latest", registry));
    assertEquals(
        EventPayloads.JSON
            .createObjectNode()
            .put(image("images-a"), digestA)
            .put(image("images-b"), digestB),
        json(r.outputs().get("digests")));
    assertEquals(2, json(r.outputs().get("promoted")).size(), r.all());
  }

  @Test
  void aSecondRunMovesNothingAndSaysUnchanged() {
    String sha = EventPayloads.sha();
    String digest = pushCommits("second-run", sha).get(sha);
    Result first = push(sha).input("images", image("second-run")).run();
    assertEquals(0, first.exitCode(), first.all());
    int mark = registry.mark();

    Result second = push(sha).input("images", image("second-run")).run();

    assertEquals(0, second.exitCode(), second.all());
    assertTrue(
        gantryRequests(mark).stream().noneMatch(q -> q.method().equals("PUT")),
        gantryRequests(mark).toString());
    assertEquals(
        EventPayloads.JSON.createArrayNode(), json(second.outputs().get("promoted")), second.all());
    assertEquals(
        EventPayloads.JSON.createObjectNode().put(image("second-run"), digest),
        json(second.outputs().get("digests")));
    assertTrue(second.summary().contains("unchanged"), second.summary());
    assertTrue(
        second
            .summary()
            .lines()
            .anyMatch(l -> l.equals("docker pull " + image("second-run") + ":latest")),
        second.summary());
  }

  // --- the to input

  @Test
  void toAsAMultiLineList() {
    String sha = EventPayloads.sha();
    String digest = pushCommits("to-lines", sha).get(sha);

    Result r =
        push(sha)
            .input("images", image("to-lines"))
            .input("to", "latest\nstable\n2026.11.0\n")
            .run();

    assertEquals(0, r.exitCode(), r.all());
    assertTags(r, image("to-lines"), digest, "latest", "stable", "2026.11.0");
  }

  @Test
  void toAsACommaSeparatedList() {
    String sha = EventPayloads.sha();
    String digest = pushCommits("to-commas", sha).get(sha);

    Result r =
        push(sha).input("images", image("to-commas")).input("to", "latest, stable,edge").run();

    assertEquals(0, r.exitCode(), r.all());
    assertTags(r, image("to-commas"), digest, "latest", "stable", "edge");
  }

  @Test
  void toDefaultsToLatest() {
    String sha = EventPayloads.sha();
    String digest = pushCommits("to-default", sha).get(sha);

    Result r = push(sha).input("images", image("to-default")).run();

    assertEquals(0, r.exitCode(), r.all());
    assertTags(r, image("to-default"), digest, "latest");
  }

  // --- failures

  @Test
  void missingSourceTagIsNotFoundWithAnAnnotation() {
    String sha = EventPayloads.sha();
    pushCommits(
        "missing-source", EventPayloads.sha()); // the repository exists, the commit's tag does not
    int mark = registry.mark();

    Result r = push(sha).input("images", image("missing-source")).run();

    assertEquals(4, r.exitCode(), r.all());
    assertEquals(1, r.errors().size(), r.all());
    String error = r.errors().get(0);
    assertTrue(error.startsWith("::error title=gantry promote failed::"), error);
    assertTrue(error.contains("MANIFEST_UNKNOWN"), error);
    assertTrue(error.contains(repo("missing-source") + ":" + tag(sha)), error);
    assertEquals("", r.outputFile(), "no outputs on failure");
    assertTrue(gantryRequests(mark).stream().noneMatch(q -> q.method().equals("PUT")));
    assertFalse(skopeo.exists(image("missing-source") + ":latest", registry));
  }

  @Test
  void emptyImagesIsBadInput() {
    String sha = EventPayloads.sha();

    Result r = push(sha).run(); // images left at its default, ""

    assertEquals(2, r.exitCode(), r.all());
    assertEquals(1, r.errors().size(), r.all());
    assertTrue(r.errors().get(0).startsWith("::error title="), r.all());
    assertTrue(r.errors().get(0).contains("images"), r.all());
    assertEquals("", r.outputFile());
  }

  // --- dry run and copy

  @Test
  void dryRunWritesNothingButStillSetsOutputs() {
    String sha = EventPayloads.sha();
    String digest = pushCommits("dry-run", sha).get(sha);
    int mark = registry.mark();

    Result r = push(sha).input("images", image("dry-run")).input("dry-run", "true").run();

    assertEquals(0, r.exitCode(), r.all());
    assertFalse(skopeo.exists(image("dry-run") + ":latest", registry));
    assertTrue(
        gantryRequests(mark).stream().noneMatch(q -> q.method().equals("PUT")),
        gantryRequests(mark).toString());
    Map<String, String> outputs = r.outputs();
    assertEquals(
        EventPayloads.JSON.createObjectNode().put(image("dry-run"), digest),
        json(outputs.get("digests")));
    assertEquals(
        EventPayloads.JSON.createArrayNode(),
        json(outputs.get("promoted")),
        "a dry run moves nothing");
    assertTrue(
        r.summary().contains("dry run") && r.summary().contains("would-promote"), r.summary());
  }

  @Test
  void copyThroughTheAction() {
    String sha = EventPayloads.sha();
    String digest = pushCommits("copy-src", sha).get(sha);
    String source = image("copy-src") + ":" + tag(sha);
    String destination = image("copy-dst") + ":v1";

    Result r =
        push(sha).input("command", "copy").input("from", source).input("to", destination).run();

    assertEquals(0, r.exitCode(), r.all());
    assertEquals(digest, skopeo.digest(destination, registry));
    assertArrayEquals(raw(source), raw(destination));
    Map<String, String> outputs = r.outputs();
    assertEquals(
        EventPayloads.JSON.createObjectNode().put(destination, digest),
        json(outputs.get("digests")),
        r.all());
    JsonNode promoted = json(outputs.get("promoted"));
    assertEquals(1, promoted.size(), promoted.toString());
    assertEquals(destination, promoted.get(0).path("destination").asText());
    assertTrue(r.summary().contains(destination) && r.summary().contains(digest), r.summary());
  }

  // --- helpers

  /** A push of {@code sha} to the default branch: GITHUB_SHA is {@code sha}. */
  private static ActionStep push(String sha) {
    return ActionStep.on("push", EventPayloads.push(EventPayloads.sha(), sha), sha);
  }

  /** Pushes a different image at sha-<first 7> of each commit; answers commit → digest. */
  private Map<String, String> pushCommits(String name, String... shas) {
    Map<String, String> digests = new LinkedHashMap<>();
    for (String sha : shas) {
      digests.put(
          sha,
          TestImages.push(
              TestImages.singlePlatform(TempDirs.create("gantry-layout-"), SEED.incrementAndGet()),
              registry,
              repo(name),
              tag(sha)));
    }
    assertEquals(shas.length, Set.copyOf(digests.values()).size(), "each commit has its own image");
    return digests;
  }

  /** Every tag is at {@code digest} (skopeo), and the outputs say exactly these tags moved. */
  private void assertTags(Result r, String image, String digest, String... tags) {
    for (String tag : tags) {
      assertEquals(digest, skopeo.digest(image + ":" + tag, registry), tag);
    }
    JsonNode promoted = json(r.outputs().get("promoted"));
    List<String> moved = new ArrayList<>();
    promoted.forEach(p -> moved.add(p.path("tag").asText()));
    assertEquals(List.of(tags), moved, r.all());
    assertEquals(
        EventPayloads.JSON.createObjectNode().put(image, digest), json(r.outputs().get("digests")));
  }

  private static String repo(String name) {
    return "action/" + name;
  }

  private String image(String name) {
    return registry.hostPort() + "/" + repo(name);
  }

  private static String tag(String sha) {
    return "sha-" + sha.substring(0, 7);
  }

  private byte[] raw(String ref) {
    return skopeo.inspectRaw(ref, registry);
  }

  private List<LoggedRequest> gantryRequests(int mark) {
    return registry.requestLogSince(mark).stream()
        .filter(q -> q.userAgent().startsWith("gantry/"))
        .toList();
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  private static JsonNode json(String text) {
    try {
      return EventPayloads.JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
