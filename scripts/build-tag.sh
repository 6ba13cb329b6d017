#!/usr/bin/env bash
# The "Tag ... once, never over other bytes" step of the stage jobs of .github/workflows/build-images.yml: gives the
# image just pushed by digest its build tag with scripts/tag-once.sh (next to this script), and records the digest
# for the later stages and the collect job.
#
# Environment (the step's env): NAME, IMAGE, TAG, DIGEST (sha256:<hex>, build-push-action's output), REGISTRY,
# REGISTRY_USERNAME, REGISTRY_PASSWORD (to skopeo login on standard input); the runner's RUNNER_TEMP and
# GITHUB_STEP_SUMMARY. Writes $RUNNER_TEMP/digests/NAME.json ({"IMAGE": "sha256:..."}).
# Exit 1 with one ::error line when the push reported no digest, or tag-once.sh's exit code.
set -euo pipefail
if [[ ! $DIGEST =~ ^sha256:[0-9a-f]{64}$ ]]; then
  echo "::error title=push failed: $IMAGE::$IMAGE reported no digest"
  exit 1
fi
printf '%s' "$REGISTRY_PASSWORD" | skopeo login --username "$REGISTRY_USERNAME" --password-stdin "$REGISTRY" >/dev/null
"$(dirname "$0")/tag-once.sh" "$IMAGE@$DIGEST" "$TAG"
mkdir -p "$RUNNER_TEMP/digests"
jq -n --arg image "$IMAGE" --arg digest "$DIGEST" '{($image): $digest}' > "$RUNNER_TEMP/digests/$NAME.json"
echo "pushed \`$IMAGE:$TAG\` \`$DIGEST\`" >> "$GITHUB_STEP_SUMMARY"
