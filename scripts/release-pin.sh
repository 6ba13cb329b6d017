#!/usr/bin/env bash
# The "Pin every image to its digest" step of .github/workflows/release-and-deploy.yml (job release): the images to
# release, each IMAGE@sha256:...; a bare image's sha-<7> digest must be what the promoted tag names (only scanned
# and promoted bytes are released), unless this is a rollback.
#
# Environment (the step's env): PINNED (the caller's IMAGE@sha256:... per line), RESOLVED (bare images resolved at
# sha-<7>), PROMOTED (the same images resolved at PROMOTED_TAG), ROLLBACK (true|false), TAG, PROMOTED_TAG; the
# runner's GITHUB_OUTPUT.
# Step output: pinned (IMAGE@sha256:... per line). Exit 1 with one ::error line: not promoted, or no digest.
set -euo pipefail
# Only scanned and promoted bytes are released: a bare image's sha-<7> must be what promoted-tag names.
if [[ $ROLLBACK != true ]]; then
  while IFS= read -r ref; do
    if [[ -n $ref ]] && ! grep -qxF "$ref" <<<"$PROMOTED"; then
      echo "::error title=release: not promoted::${ref%@*}:$TAG (${ref#*@}) is not what $PROMOTED_TAG names: only scanned and promoted digests are released (run Docker Scan & Promote, or pass rollback)"
      exit 1
    fi
  done <<<"$RESOLVED"
fi
all=$(printf '%s\n%s\n' "$PINNED" "$RESOLVED" | sed '/^$/d')
while IFS= read -r ref; do
  if [[ -n $ref && ! $ref =~ @sha256:[0-9a-f]{64}$ ]]; then
    echo "::error title=release: not pinned::$ref has no digest"
    exit 1
  fi
done <<<"$all"
{
  echo "pinned<<EOF_PINNED"
  if [[ -n $all ]]; then printf '%s\n' "$all"; fi
  echo "EOF_PINNED"
} >> "$GITHUB_OUTPUT"
