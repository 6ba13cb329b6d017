#!/usr/bin/env bash
# The "Check the commit and name the image" step of .github/workflows/release.yml (job image, Gantry's own release,
# run from Gantry checked out at the root): the commit CI tested must be 40 hex and the repository be named gantry
# (a release pins <owner>/gantry), then it names the action image and its build tag.
#
# Environment (the step's env): SHA (the workflow_run's head_sha); the runner's GITHUB_REPOSITORY and GITHUB_OUTPUT.
# Step outputs: image (ghcr.io/<owner>/gantry, lower case), sha, tag (sha-<7>).
# Exit 2 with one ::error line naming the bad value, before any output is written.
set -euo pipefail
: "${SHA?}" "${GITHUB_REPOSITORY?}" "${GITHUB_OUTPUT?}"
if [[ ! $SHA =~ ^[0-9a-f]{40}$ ]]; then
  echo "::error title=release: bad commit::the commit $(printf '%q' "$SHA") is not 40 lower-case hex"
  exit 2
fi
if [[ ${GITHUB_REPOSITORY#*/} != gantry ]]; then
  echo "::error title=release: not Gantry::the repository $(printf '%q' "$GITHUB_REPOSITORY") is not named gantry (a release pins <owner>/gantry)"
  exit 2
fi
{
  echo "image=ghcr.io/${GITHUB_REPOSITORY,,}"
  echo "sha=$SHA"
  echo "tag=sha-${SHA:0:7}"
} >> "$GITHUB_OUTPUT"
