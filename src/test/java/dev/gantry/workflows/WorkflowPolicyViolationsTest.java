package dev.gantry.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policy can fail: each case makes one small, realistic mistake in a copy of the real suite (or
 * feeds a bad snippet) and expects the rule that catches it.
 */
class WorkflowPolicyViolationsTest {
  private static final String CI = ".github/workflows/ci.yml";
  private static final String SELF_RELEASE = ".github/workflows/release.yml";
  private static final String BUILD = ".github/workflows/build-images.yml";
  private static final String SCAN = ".github/workflows/scan-and-promote.yml";
  private static final String RELEASE = ".github/workflows/release-and-deploy.yml";
  private static final String SBOM = ".github/workflows/sbom.yml";
  private static final String REMOTE_DEPLOY = "scripts/remote-deploy.sh";
  private static final String T_TESTS = "workflows-templates/stack-tests.yml";
  private static final String T_PROMOTE = "workflows-templates/docker-scan-and-promote.yml";
  private static final String T_RELEASE = "workflows-templates/release-and-deploy.yml";
  private static final String T_PROMOTE_PROPERTIES =
      "workflows-templates/docker-scan-and-promote.properties.json";

  private static final Suite REPOSITORY = WorkflowPolicyTest.repository();

  static Stream<Arguments> mistakes() {
    return Stream.of(
        // pins
        mistake(
            "a tag instead of a SHA",
            SCAN,
            "trivy-action@57a97c7e7821a5776cebc9bb87c984fa69cba8f1 # v0.35.0",
            "trivy-action@0.35.0",
            "pin"),
        mistake(
            "a SHA without its version comment",
            CI,
            "setup-java@c5195efecf7bdfc987ee8bae7a71cb8b11521c00 # v4.7.1",
            "setup-java@c5195efecf7bdfc987ee8bae7a71cb8b11521c00",
            "pin"),
        mistake(
            "two versions of one action",
            SBOM,
            "checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2",
            "checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0",
            "pin"),
        mistake(
            "a docker:// step by tag",
            T_TESTS,
            "      - name: Unit tests\n",
            "      - uses: docker://alpine:3.20\n      - name: Unit tests\n",
            "pin"),
        // scripts and checkouts
        mistake(
            "an expression inside run:",
            SELF_RELEASE,
            "run: scripts/self-release-branch.sh push",
            "run: scripts/self-release-branch.sh \"${{ github.event.workflow_run.head_sha }}\"",
            "run-expression"),
        mistake(
            "a call of a script that is not in scripts/",
            SELF_RELEASE,
            "run: scripts/self-release-image.sh",
            "run: scripts/self-release-name.sh",
            "script"),
        mistake(
            "a script called before Gantry is checked out at the root",
            SELF_RELEASE,
            "      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n"
                + "        with:\n"
                + "          ref: ${{ github.event.workflow_run.head_sha }}\n"
                + "          persist-credentials: false\n"
                + "      - name: Check the commit and name the image",
            "      - name: Check the commit and name the image",
            "script"),
        mistake(
            "a checkout that keeps the token",
            SBOM,
            "        with:\n          persist-credentials: false\n",
            "        with:\n          fetch-depth: 1\n",
            "checkout"),
        // permissions
        mistake(
            "write-all at the top",
            T_TESTS,
            "permissions: {}\n",
            "permissions: write-all\n",
            "permissions"),
        mistake(
            "a write the job does not need",
            T_TESTS,
            "    timeout-minutes: 15\n    permissions:\n      contents: read",
            "    timeout-minutes: 15\n    permissions:\n      contents: write",
            "permissions"),
        mistake(
            "a caller that grants less than its callee asks",
            T_PROMOTE,
            "      security-events: write\n",
            "",
            "permissions"),
        mistake(
            "a job without permissions",
            BUILD,
            "    timeout-minutes: 5\n    permissions: {}\n    outputs:\n      digests",
            "    timeout-minutes: 5\n    outputs:\n      digests",
            "permissions"),
        // timeouts
        mistake("a job without timeout", T_TESTS, "    timeout-minutes: 15\n", "", "timeout"),
        // workflow_run gating and the commit
        mistake(
            "no conclusion check",
            T_PROMOTE,
            "github.event.workflow_run.conclusion == 'success' &&",
            "",
            "workflow-run-gate"),
        mistake(
            "a pull request's run accepted",
            T_PROMOTE,
            "github.event.workflow_run.event == 'push'",
            "github.event.workflow_run.event == 'pull_request'",
            "workflow-run-gate"),
        mistake(
            "a fork's run accepted",
            T_RELEASE,
            "github.event.workflow_run.head_repository.full_name == github.repository",
            "true",
            "workflow-run-gate"),
        mistake(
            "GITHUB_SHA after a push workflow",
            T_PROMOTE,
            "github.event.workflow_run.head_sha || inputs.sha || github.sha",
            "inputs.sha || github.sha",
            "head-sha"),
        mistake(
            "head_sha after a workflow_run workflow",
            T_RELEASE,
            "      promotion-run-id: ${{ format('{0}', github.event.workflow_run.id) }}",
            "      promotion-run-id: ${{ github.event.workflow_run.head_sha }}",
            "head-sha"),
        mistake(
            "a release that no longer reads the upstream run's record",
            T_RELEASE,
            "      promotion-run-id: ${{ format('{0}', github.event.workflow_run.id) }}",
            "      promotion-run-id: ''",
            "head-sha"),
        mistake(
            "GITHUB_SHA in a workflow_run workflow's step",
            T_PROMOTE,
            "    uses: OWNER/gantry/.github/workflows/scan-and-promote.yml@v1",
            "    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"$GITHUB_SHA\"",
            "head-sha"),
        mistake(
            "a checkout in a workflow_run workflow",
            T_PROMOTE,
            "    uses: OWNER/gantry/.github/workflows/scan-and-promote.yml@v1",
            "    runs-on: ubuntu-latest\n    steps:\n"
                + "      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n"
                + "        with:\n          persist-credentials: false",
            "workflow-run-checkout"),
        mistake(
            "a callee that checks the passed sha too loosely",
            "scripts/scan-inputs.sh",
            "^[0-9a-f]{40}$",
            "^[0-9a-f]+$",
            "sha-validation"),
        mistake(
            "a manual sha passed to an input the callee does not check",
            T_PROMOTE,
            "      tested-by: stack-tests.yml",
            "      tested-by: ${{ inputs.sha }}",
            "sha-validation"),
        // the chain
        mistake(
            "a broken link",
            T_PROMOTE,
            "workflows: [\"Stack Tests\"]",
            "workflows: [\"Tests\"]",
            "chain"),
        mistake(
            "a hard-coded branch",
            T_TESTS,
            "  push:\n    branches: [$default-branch]",
            "  push:\n    branches: [main]",
            "default-branch"),
        mistake("skip_deploy not wired", T_RELEASE, "inputs.skip_deploy }}", "false }}", "chain"),
        mistake(
            "rollback allowed on automatic runs",
            T_PROMOTE,
            "rollback: ${{ github.event_name == 'workflow_dispatch' && inputs.rollback }}",
            "rollback: true",
            "chain"),
        // calls and secrets
        mistake(
            "secrets: inherit",
            T_PROMOTE,
            "    secrets:\n      NOTIFY_WEBHOOK_URL: ${{ secrets.NOTIFY_WEBHOOK_URL }}\n",
            "    secrets: inherit\n",
            "secrets"),
        mistake(
            "a secret the callee does not declare",
            T_RELEASE,
            "      DEPLOY_USER: ${{ secrets.DEPLOY_USER }}",
            "      DEPLOY_PASSWORD: ${{ secrets.DEPLOY_USER }}",
            "secrets"),
        mistake(
            "an input the callee does not declare",
            T_PROMOTE,
            "      block-on-findings: true",
            "      block-on-finding: true",
            "call"),
        mistake(
            "a template calling a local workflow",
            T_PROMOTE,
            "uses: OWNER/gantry/.github/workflows/scan-and-promote.yml@v1",
            "uses: ./.github/workflows/scan-and-promote.yml",
            "call"),
        mistake(
            "an untyped input",
            SBOM,
            "        description: Fail when Grype finds anything at or above the cutoff.\n"
                + "        type: boolean\n",
            "        description: Fail when Grype finds anything at or above the cutoff.\n",
            "interface"),
        // concurrency
        mistake(
            "a release that can be cancelled",
            RELEASE,
            "      group: gantry-release-${{ github.repository }}\n      cancel-in-progress: false",
            "      group: gantry-release-${{ github.repository }}\n      cancel-in-progress: true",
            "concurrency"),
        mistake(
            "a callee sharing its caller's group",
            RELEASE,
            "group: gantry-deploy-${{ github.repository }}",
            "group: ${{ github.workflow }}",
            "concurrency"),
        mistake(
            "a caller without a group",
            T_RELEASE,
            "concurrency:\n  group: ${{ github.workflow }}\n  cancel-in-progress: false\n",
            "",
            "concurrency"),
        mistake(
            "workflow-level concurrency in a callee",
            SBOM,
            "permissions: {}\n\njobs:",
            "permissions: {}\n\nconcurrency: sbom\n\njobs:",
            "concurrency"),
        // deploy, scans, summaries
        mistake(
            "a deploy that trusts any host key",
            REMOTE_DEPLOY,
            "-o StrictHostKeyChecking=yes",
            "-o StrictHostKeyChecking=no",
            "ssh"),
        mistake(
            "a release plan script that no longer checks the sha",
            "scripts/release-plan.sh",
            "if [[ ! $sha =~ ^[0-9a-f]{40}$ ]]; then",
            "if [[ -z $sha ]]; then",
            "sha-validation"),
        mistake(
            "a deploy without a pinned known_hosts",
            REMOTE_DEPLOY,
            "-o StrictHostKeyChecking=yes",
            "",
            "ssh"),
        mistake(
            "a deploy step not given the host key",
            RELEASE,
            "          DEPLOY_HOST_FINGERPRINT: ${{ secrets.DEPLOY_HOST_FINGERPRINT }}\n",
            "",
            "ssh"),
        mistake(
            "a deploy step calling a script its checkout leaves out",
            RELEASE,
            "            scripts/remote-deploy.sh\n",
            "",
            "script"),
        mistake(
            "a deploy outside production", RELEASE, "    environment: production\n", "", "deploy"),
        mistake(
            "a reusable workflow running the caller's ./ action",
            RELEASE,
            "          repository: ${{ inputs.gantry-repository }}\n          ref: ${{ inputs.gantry-ref }}\n          path: .gantry\n          persist-credentials: false",
            "          path: .gantry\n          persist-credentials: false",
            "local-action"),
        mistake(
            "Trivy's own version unpinned",
            SCAN,
            "          version: v0.69.3",
            "          version: latest",
            "trivy"),
        mistake(
            "a Trivy scan of every severity",
            SCAN,
            "severity: CRITICAL,HIGH",
            "severity: CRITICAL,HIGH,MEDIUM,LOW",
            "trivy"),
        mistake(
            "SARIF of another commit",
            SCAN,
            "          sha: ${{ needs.plan.outputs.sha }}\n          ref:",
            "          ref:",
            "sarif"),
        mistake(
            "a heavy job without a summary (its gate script writes none)",
            "scripts/sbom-gate.sh",
            "} >> \"$GITHUB_STEP_SUMMARY\"",
            "} > /dev/null",
            "summary"),
        // digests: once a digest exists, no step looks the tag up again
        mistake(
            "Trivy scanning the tag",
            SCAN,
            "image-ref: ${{ matrix.leg.ref }}",
            "image-ref: ${{ matrix.leg.image }}:${{ needs.plan.outputs.tag }}",
            "digest"),
        mistake(
            "a promote of the bare images",
            SCAN,
            "images: ${{ needs.plan.outputs.pinned }}",
            "images: ${{ needs.plan.outputs.images }}",
            "digest"),
        mistake(
            "a release of the bare images",
            RELEASE,
            "images: ${{ steps.pin.outputs.pinned }}",
            "images: ${{ steps.plan.outputs.bare }}",
            "digest"),
        mistake(
            "a deploy without the digests",
            RELEASE,
            "          IMAGES: ${{ needs.release.outputs.pinned }}\n",
            "",
            "digest"),
        mistake(
            "a caller passing the bare image on",
            SELF_RELEASE,
            "images: ${{ needs.scan-and-promote.outputs.pinned }}",
            "images: ${{ needs.image.outputs.image }}",
            "digest"),
        // templates' properties
        mistake(
            "a properties name that is not the template's",
            T_PROMOTE_PROPERTIES,
            "\"name\": \"Docker Scan & Promote\"",
            "\"name\": \"Scan & Promote\"",
            "properties"),
        mistake(
            "a file pattern that is not a regex",
            T_PROMOTE_PROPERTIES,
            "\"Dockerfile$\"",
            "\"Dockerfile(\"",
            "properties"),
        mistake(
            "an icon that does not exist",
            T_PROMOTE_PROPERTIES,
            "\"octicon shield-check\"",
            "\"shield\"",
            "properties"),
        mistake(
            "broken YAML",
            T_TESTS,
            "name: Stack Tests\n",
            "name: Stack Tests\n  bad: [\n",
            "yaml"));
  }

  private static Arguments mistake(String what, String file, String from, String to, String rule) {
    return Arguments.of(what, file, from, to, rule);
  }

  @ParameterizedTest(name = "{0} -> [{4}]")
  @MethodSource("mistakes")
  void eachMistakeIsCaught(String what, String file, String from, String to, String rule) {
    String text = REPOSITORY.text(file);
    assertTrue(
        text.contains(from), file + " no longer contains the text this case changes: " + from);
    List<Violation> violations =
        WorkflowPolicy.check(REPOSITORY.with(file, text.replace(from, to)));
    assertTrue(
        violations.stream().anyMatch(v -> v.rule().equals(rule)),
        () ->
            what
                + ": expected a ["
                + rule
                + "] violation, got:\n"
                + violations.stream().map(Violation::toString).collect(Collectors.joining("\n")));
  }

  /**
   * The templates pass their event's sha on unchecked, to the sha input of a reusable workflow
   * whose script checks it: without that check, both the reusable workflow and each template
   * calling it are flagged.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("shaChecks")
  void aTemplatesShaIsFineOnlyWhileTheCalleeChecksIt(
      String script, String check, String callee, String template) {
    assertEquals(List.of(), shaViolations(REPOSITORY), "as shipped");
    String text = REPOSITORY.text(script);
    assertTrue(text.contains(check), script + " no longer contains " + check);
    List<String> flagged = shaViolations(REPOSITORY.with(script, text.replace(check, "-n $sha")));
    assertTrue(flagged.contains(callee), () -> String.join("\n", flagged));
    assertTrue(flagged.contains(template), () -> String.join("\n", flagged));
  }

  static Stream<Arguments> shaChecks() {
    return Stream.of(
        Arguments.of("scripts/scan-inputs.sh", "! $sha =~ ^[0-9a-f]{40}$", SCAN, T_PROMOTE),
        Arguments.of("scripts/release-plan.sh", "! $sha =~ ^[0-9a-f]{40}$", RELEASE, T_RELEASE));
  }

  private static List<String> shaViolations(Suite suite) {
    return WorkflowPolicy.check(suite).stream()
        .filter(v -> v.rule().equals("sha-validation"))
        .map(Violation::file)
        .toList();
  }

  /**
   * In Gantry's own workflows (checked out at the root), scripts/X.sh is Gantry's and is read with
   * its step; in a template it is the adopting repository's own, and is not.
   */
  @Test
  void aScriptCalledFromTheRootIsReadOnlyInGantrysOwnWorkflows() {
    String workflow =
        """
        name: Tag
        on: push
        permissions: {}
        jobs:
          tag:
            runs-on: ubuntu-latest
            timeout-minutes: 10
            permissions:
              contents: write
            steps:
              - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
                with:
                  persist-credentials: false
              - run: scripts/tag.sh
        """;
    String script = "#!/usr/bin/env bash\nset -euo pipefail\ngit push -q origin v1\n";
    Suite own = Suite.of(Map.of(".github/workflows/tag.yml", workflow, "scripts/tag.sh", script));
    assertEquals(List.of(), WorkflowPolicy.check(own), "the script's push needs contents: write");
    assertEquals(
        List.of("permissions"),
        WorkflowPolicy.check(own.with("scripts/tag.sh", "#!/usr/bin/env bash\ntrue\n")).stream()
            .map(Violation::rule)
            .toList(),
        "without the push, write is more than the job needs");
    assertTrue(
        WorkflowPolicy.check(own.with("scripts/tag.sh", null)).stream()
            .anyMatch(v -> v.rule().equals("script")),
        "a call of a script that is not there");
    Suite template =
        Suite.of(Map.of("workflows-templates/tag.yml", workflow, "scripts/tag.sh", script));
    assertEquals(
        "scripts/tag.sh",
        template.effectiveRun(
            template.byPath("workflows-templates/tag.yml").orElseThrow(), "scripts/tag.sh"),
        "a template's scripts/ is the adopter's");
  }

  @Test
  void aMissingPropertiesFileIsCaught() {
    List<Violation> violations = WorkflowPolicy.check(REPOSITORY.with(T_PROMOTE_PROPERTIES, null));
    assertEquals(
        List.of(new Violation(T_PROMOTE, "properties", "no " + T_PROMOTE_PROPERTIES)), violations);
  }

  @Test
  void appleboySshActionIsRefused() {
    String workflow =
        """
        name: Deploy
        on: push
        permissions: {}
        jobs:
          deploy:
            runs-on: ubuntu-latest
            timeout-minutes: 10
            permissions: {}
            steps:
              - uses: appleboy/ssh-action@2ead5e36573f08b82fbfce1504f1a4b05a647c6f # v1.2.2
                with:
                  host: example.com
        """;
    List<Violation> violations =
        WorkflowPolicy.check(Suite.of(Map.of(".github/workflows/deploy.yml", workflow)));
    assertEquals(
        List.of("ssh"), violations.stream().map(Violation::rule).toList(), violations::toString);
  }

  @Test
  void aCleanSnippetPasses() {
    String workflow =
        """
        name: Lint
        on: push
        permissions: {}
        jobs:
          lint:
            runs-on: ubuntu-latest
            timeout-minutes: 10
            permissions:
              contents: read
            steps:
              - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
                with:
                  persist-credentials: false
              - run: echo "$GITHUB_REF"
        """;
    assertEquals(
        List.of(), WorkflowPolicy.check(Suite.of(Map.of(".github/workflows/lint.yml", workflow))));
  }
}
