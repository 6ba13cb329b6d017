#!/usr/bin/env bash
# The "Make the release commits" step of .github/workflows/release.yml (job publish, run at the root of Gantry checked
# out at the tested commit): takes the digest Scan & Promote promoted for the action image, lets
# scripts/prepare-release.sh make the release layers A and B, and commits layer C (the templates calling B).
#
# Environment (the step's env): IMAGE (the action image's repository), DIGESTS (JSON image -> digest, scan-and-promote's
# output), SHA (the tested commit, for the message); the runner's GITHUB_REPOSITORY_OWNER, GITHUB_OUTPUT and
# GITHUB_STEP_SUMMARY.
# Step outputs: digest (the image's), commit (the release commit C).
# Exit 2 with one ::error line naming the bad value (nothing committed); prepare-release.sh's own exit codes otherwise.
set -euo pipefail
: "${IMAGE?}" "${DIGESTS?}" "${SHA?}" "${GITHUB_REPOSITORY_OWNER?}"
if [[ ! $SHA =~ ^[0-9a-f]{40}$ ]]; then
  echo "::error title=release: bad commit::the commit $(printf '%q' "$SHA") is not 40 lower-case hex"
  exit 2
fi
if ! digest=$(jq -er --arg image "$IMAGE" '.[$image] | strings' <<<"$DIGESTS" 2>/dev/null) ||
  [[ ! $digest =~ ^sha256:[0-9a-f]{64}$ ]]; then
  echo "::error title=release: no digest::scan-and-promote promoted no sha256 digest for $(printf '%q' "$IMAGE")"
  exit 2
fi
git config user.name "github-actions[bot]"
git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
bash scripts/prepare-release.sh "$GITHUB_REPOSITORY_OWNER" "$digest"
git commit -q -a -m "Release of $SHA: the templates call this release's reusable workflows"
commit=$(git rev-parse HEAD)
{
  echo "digest=$digest"
  echo "commit=$commit"
} >> "$GITHUB_OUTPUT"
echo "Release commit \`$commit\` on \`$SHA\`: action.yml runs \`$IMAGE@$digest\`." >> "$GITHUB_STEP_SUMMARY"
