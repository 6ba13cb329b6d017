#!/usr/bin/env bash
# The "Check the commit and the images" step of .github/workflows/release-and-deploy.yml (called with env only):
# checks the sha, registry and promoted-tag inputs and splits the images input into pinned and bare references.
#
# Environment: SHA, IMAGES (newline-, comma- or space-separated NAME, REGISTRY/OWNER/NAME or IMAGE@sha256:<64 hex>;
# a bare NAME means REGISTRY/GITHUB_REPOSITORY_OWNER/NAME), PROMOTION_RUN_ID (empty, or the Scan & Promote run whose
# record the step before fetched to RUNNER_TEMP/promotion/promotion.json: its sha and pinned digests replace SHA and
# IMAGES, and a SHA that differs from its sha is refused), REGISTRY, PROMOTED_TAG, GITHUB_REPOSITORY_OWNER,
# GITHUB_OUTPUT, GITHUB_STEP_SUMMARY.
# Outputs: sha (lower case), tag (sha-<7>), pinned and bare (one reference a line), not-behind (the first image at
# PROMOTED_TAG, empty without images). Exit 1 with one ::error line on a bad input, nothing written. The record's
# values are checked as the inputs are (they come from an artifact, never trusted as shell text).
set -euo pipefail
from="the sha input" what="the sha input"
if [[ -n $PROMOTION_RUN_ID ]]; then
  if [[ ! $PROMOTION_RUN_ID =~ ^[1-9][0-9]{0,19}$ ]]; then
    echo "::error title=release: bad promotion-run-id::the promotion-run-id input is not a run id"
    exit 1
  fi
  record="$RUNNER_TEMP/promotion/promotion.json"
  if ! recorded=$(jq -er '.sha | strings' "$record" 2>/dev/null); then
    echo "::error title=release: no promotion record::run $PROMOTION_RUN_ID's promotion record names no commit"
    exit 1
  fi
  if [[ -n $SHA && ${SHA,,} != "${recorded,,}" ]]; then
    echo "::error title=release: two commits::the sha input is not the commit run $PROMOTION_RUN_ID promoted"
    exit 1
  fi
  SHA=$recorded
  # The digests Scan & Promote scanned and promoted, IMAGE@sha256:..., exactly; each must carry its digest.
  IMAGES=$(jq -r '.pinned | if type == "array" then .[] | tostring else empty end' "$record")
  if [[ -z $IMAGES ]]; then
    echo "::error title=release: no digests::run $PROMOTION_RUN_ID's promotion record lists no pinned images"
    exit 1
  fi
  from="the promotion record of run $PROMOTION_RUN_ID" what="the sha of that record"
fi
sha=${SHA,,}
if [[ ! $sha =~ ^[0-9a-f]{40}$ ]]; then
  echo "::error title=release: bad sha::$what is not a full 40-character commit SHA"
  exit 1
fi
if [[ ! $REGISTRY =~ ^[a-z0-9][a-z0-9.-]*(:[0-9]+)?$ ]]; then
  echo "::error title=release: bad registry::the registry input is not a registry host"
  exit 1
fi
if [[ ! $PROMOTED_TAG =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
  echo "::error title=release: bad promoted-tag::the promoted-tag input is not an image tag"
  exit 1
fi
repositories=() pinned=() bare=()
IFS=$', \t\n' read -r -d '' -a entries <<<"$IMAGES" || true
for entry in "${entries[@]}"; do
  entry=${entry,,}
  digest=''
  if [[ $entry =~ ^(.+)@(sha256:[0-9a-f]{64})$ ]]; then
    entry=${BASH_REMATCH[1]} digest=${BASH_REMATCH[2]}
  fi
  if [[ $entry != */* ]]; then
    entry="$REGISTRY/${GITHUB_REPOSITORY_OWNER,,}/$entry"
  elif [[ ${entry%%/*} != *[.:]* && ${entry%%/*} != localhost ]]; then
    entry="$REGISTRY/$entry"
  fi
  if [[ ! $entry =~ ^[a-z0-9][a-z0-9.:-]*(/[a-z0-9][a-z0-9._-]*)+$ ]]; then
    echo "::error title=release: bad image::an entry of the images input is not an image repository or IMAGE@sha256:<digest>"
    exit 1
  fi
  if [[ -z $digest && -n $PROMOTION_RUN_ID ]]; then
    echo "::error title=release: unpinned record::run $PROMOTION_RUN_ID's promotion record lists an image without its digest"
    exit 1
  fi
  repositories+=("$entry")
  if [[ -n $digest ]]; then pinned+=("$entry@$digest"); else bare+=("$entry"); fi
done
{
  echo "sha=$sha"
  echo "tag=sha-${sha:0:7}"
  echo "pinned<<EOF_PINNED"
  if ((${#pinned[@]} > 0)); then printf '%s\n' "${pinned[@]}"; fi
  echo "EOF_PINNED"
  echo "bare<<EOF_BARE"
  if ((${#bare[@]} > 0)); then printf '%s\n' "${bare[@]}"; fi
  echo "EOF_BARE"
  if ((${#repositories[@]} > 0)); then echo "not-behind=${repositories[0]}:$PROMOTED_TAG"; else echo "not-behind="; fi
} >> "$GITHUB_OUTPUT"
echo "Releasing \`$sha\` ($from)." >> "$GITHUB_STEP_SUMMARY"
