package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gantry's own release workflow (.github/workflows/release.yml, issue 11) keeps the policy, and the
 * policy still catches the mistakes its exceptions could let through: a workflow_run checkout of
 * anything but the tested commit, attestations without their permissions, a release or a tag move
 * without contents: write.
 */
class SelfReleasePolicyTest {
  private static final String RELEASE = ".github/workflows/release.yml";
  private static final Suite REPOSITORY = WorkflowPolicyTest.repository();

  @Test
  void theReleaseWorkflowIsWired() {
    Workflow release = REPOSITORY.byPath(RELEASE).orElseThrow();
    // The workflow with the scripts its steps call (scripts/self-release-*.sh).
    String text =
        REPOSITORY.text(RELEASE)
            + release.allSteps().stream()
                .filter(s -> s.run() != null)
                .map(s -> REPOSITORY.effectiveRun(release, s.run()))
                .collect(Collectors.joining("\n"));
    assertTrue(release.triggeredBy("workflow_run"));
    assertEquals("[\"CI\"]", release.on().path("workflow_run").path("workflows").toString());
    // The order the issue asks for: image, scan + promote, release commits + version + assets,
    // provenance, then v1.
    assertEquals(
        List.of("image", "jar", "scan-and-promote", "publish", "attest", "finish"),
        List.copyOf(release.jobs().keySet()));
    assertEquals("[\"publish\",\"attest\"]", release.jobs().get("finish").path("needs").toString());
    for (String wiring :
        List.of(
            "scripts/prepare-release.sh \"$GITHUB_REPOSITORY_OWNER\" \"$digest\"",
            "uses: ./\n",
            "command: release",
            "gh release upload \"$VERSION\" gantry.jar SHA256SUMS gantry-image.spdx.json",
            "subject-path: dist/gantry.jar",
            "push-to-registry: true",
            "git/refs/tags/v1",
            "platforms: linux/amd64,linux/arm64",
            // The jar is stamped with where it is published: gantry init's callers call it.
            "GANTRY_REPOSITORY: ${{ github.repository }}",
            "./mvnw -B -q -DskipTests -Dgantry.repository=\"$GANTRY_REPOSITORY\" package")) {
      assertTrue(text.contains(wiring), "release.yml lacks " + wiring);
    }
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of(
            "a workflow_run checkout of the branch head",
            "ref: ${{ github.event.workflow_run.head_sha }}\n"
                + "          persist-credentials: false\n      - uses: actions/setup-java",
            "ref: main\n          persist-credentials: false\n      - uses: actions/setup-java",
            "workflow-run-checkout"),
        Arguments.of(
            "attestations without an OIDC token",
            "      id-token: write # the Sigstore certificate\n",
            "",
            "permissions"),
        Arguments.of(
            "an image attestation without packages: write",
            "      packages: write # the image attestation, " + "pushed next to the image\n",
            "",
            "permissions"),
        Arguments.of(
            "moving v1 without contents: write",
            "      contents: write # publish the release, move the v1 tag\n",
            "      contents: read\n",
            "permissions"),
        Arguments.of(
            "an OIDC token nobody uses",
            "      contents: write # publish the release, move the v1 tag\n",
            "      contents: write\n      id-token: write\n",
            "permissions"));
  }

  @ParameterizedTest(name = "{0} -> [{3}]")
  @MethodSource("mistakes")
  void eachMistakeIsCaught(String what, String from, String to, String rule) {
    String text = REPOSITORY.text(RELEASE);
    assertTrue(text.contains(from), RELEASE + " no longer contains " + from);
    List<Violation> violations =
        WorkflowPolicy.check(REPOSITORY.with(RELEASE, text.replace(from, to)));
    assertTrue(
        violations.stream().anyMatch(v -> v.rule().equals(rule) && v.file().equals(RELEASE)),
        () ->
            what
                + ": expected a ["
                + rule
                + "] violation, got:\n"
                + violations.stream().map(Violation::toString).collect(Collectors.joining("\n")));
  }
}
