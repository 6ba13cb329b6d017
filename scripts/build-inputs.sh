#!/usr/bin/env bash
# The "Check the image list and the commit" step of .github/workflows/build-images.yml (job plan): checks the commit
# and the registry, orders the images into build stages (scripts/build-plan.sh, next to this script), decides
# whether this run pushes (never for a fork's pull request or Dependabot), and names the build tag.
#
# Environment (the step's env): IMAGES (build-images' JSON list), REGISTRY, PLATFORMS, SHA, WANT_PUSH,
# PR_HEAD_REPOSITORY, PR_NUMBER; the runner's GITHUB_EVENT_NAME, GITHUB_REPOSITORY, GITHUB_REPOSITORY_OWNER,
# GITHUB_ACTOR and GITHUB_OUTPUT.
# Step outputs: matrix (every image), stage-1, stage-2, stage-3 (JSON lists), sha, tag (sha-<7>, or
# pr-<number>-sha-<7> for a pull request), push (true|false).
# Exit 1 with one ::error line naming the bad input (more than three stages included), before any output is written.
set -euo pipefail
sha=${SHA,,}
if [[ ! $sha =~ ^[0-9a-f]{40}$ ]]; then
  echo "::error title=build-images: bad sha::the sha input is not a full 40-character commit SHA"
  exit 1
fi
if [[ ! $REGISTRY =~ ^[a-z0-9][a-z0-9.-]*(:[0-9]+)?$ ]]; then
  echo "::error title=build-images: bad registry::the registry input is not a registry host, e.g. ghcr.io"
  exit 1
fi
# Ordered stages: an image comes after the images it is built FROM (exit 2 names a cycle or unknown name).
if ! stages=$("$(dirname "$0")/build-plan.sh" "$REGISTRY" "$GITHUB_REPOSITORY_OWNER" "$PLATFORMS" <<<"$IMAGES"); then
  echo "::error title=build-images: bad images input::see the message above"
  exit 1
fi
if (($(jq length <<<"$stages") > 3)); then
  echo "::error title=build-images: too many stages::the after lists chain more than three images deep"
  exit 1
fi
matrix=$(jq -c 'add' <<<"$stages")
push=$WANT_PUSH
if [[ $GITHUB_EVENT_NAME == pull_request* && $PR_HEAD_REPOSITORY != "$GITHUB_REPOSITORY" ]]; then
  push=false
  echo "::notice title=build-images::pull request from a fork: building without pushing"
elif [[ $GITHUB_ACTOR == "dependabot[bot]" ]]; then
  push=false
  echo "::notice title=build-images::Dependabot run: building without pushing"
fi
tag="sha-${sha:0:7}"
if [[ $GITHUB_EVENT_NAME == pull_request* ]]; then
  if [[ ! $PR_NUMBER =~ ^[1-9][0-9]*$ ]]; then
    echo "::error title=build-images: no pull request number::a pull_request event without a number"
    exit 1
  fi
  tag="pr-$PR_NUMBER-$tag"
fi
{
  echo "matrix=$matrix"
  for n in 1 2 3; do echo "stage-$n=$(jq -c --argjson n "$n" '.[$n - 1] // []' <<<"$stages")"; done
  echo "sha=$sha"
  echo "tag=$tag"
  echo "push=$push"
} >> "$GITHUB_OUTPUT"
