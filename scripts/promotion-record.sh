#!/usr/bin/env bash
# The "Record the promotion" step of .github/workflows/scan-and-promote.yml (job promote): writes
# $RUNNER_TEMP/promotion/promotion.json, which Release & Deploy reads: the commit that was promoted (a workflow_run's
# head_sha is not it) and the digests it was promoted by (Release tags exactly those, the server runs exactly those).
#
# Environment (the step's env): SHA, TAG, IMAGES (one per line), DIGESTS (JSON image -> digest), PINNED
# (IMAGE@sha256:... per line); the runner's RUNNER_TEMP and GITHUB_STEP_SUMMARY.
# The record: {sha, tag, images: [...], pinned: [...], digests: {...}}. Fails (jq's exit code) when DIGESTS is not JSON.
set -euo pipefail
mkdir -p "$RUNNER_TEMP/promotion"
# What Release & Deploy reads: which commit was promoted (a workflow_run's head_sha is not it), and the
# digests it was promoted by (Release tags exactly those, the server runs exactly those).
jq -n --arg sha "$SHA" --arg tag "$TAG" --arg images "$IMAGES" --arg pinned "$PINNED" --argjson digests "$DIGESTS" \
  '{sha: $sha, tag: $tag, images: ($images | split("\n") | map(select(. != ""))),
    pinned: ($pinned | split("\n") | map(select(. != ""))), digests: $digests}' \
  > "$RUNNER_TEMP/promotion/promotion.json"
echo "Promoted commit \`$SHA\` (\`$TAG\`) by digest." >> "$GITHUB_STEP_SUMMARY"
