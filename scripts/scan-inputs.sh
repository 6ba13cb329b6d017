#!/usr/bin/env bash
# The "Check the inputs" step of .github/workflows/scan-and-promote.yml (job plan): checks the commit, the ref, the
# registry, the image list and the target tags, and writes the step outputs the plan job passes on.
#
# Environment (the step's env): SHA (40 hex), REF (refs/heads/... or refs/tags/...), IMAGES (names, OWNER/NAME or
# HOST/PATH, each optionally IMAGE@sha256:<digest>; commas or whitespace between), REGISTRY (the host of bare names),
# TO (target tags; the first is what runs now); the runner's GITHUB_REPOSITORY_OWNER, GITHUB_EVENT_NAME, GITHUB_OUTPUT
# and GITHUB_STEP_SUMMARY. The Docker Scan & Promote template passes its event's values straight through (a
# workflow_run's head_sha, or a manual run's sha input): this is where they are checked.
# Step outputs: sha, tag (sha-<7>), ref, images (one repository per line), pins (the IMAGE@sha256:... the caller
# pinned), not-behind (the first image at the first target tag: what runs now).
# Exit 1 with one ::error line naming the bad input, before any output is written.
set -euo pipefail
: "${SHA?}" "${REF?}" "${IMAGES?}" "${REGISTRY?}" "${TO?}" # the step's env (empty is checked below)
sha=${SHA,,}
if [[ ! $sha =~ ^[0-9a-f]{40}$ ]]; then
  echo "::error title=scan-and-promote: bad sha::the sha input is not a full 40-character commit SHA"
  exit 1
fi
if [[ ! $REF =~ ^refs/(heads|tags)/[A-Za-z0-9._/-]+$ ]]; then
  echo "::error title=scan-and-promote: bad ref::the ref input is not refs/heads/... or refs/tags/..."
  exit 1
fi
if [[ ! $REGISTRY =~ ^[a-z0-9][a-z0-9.-]*(:[0-9]+)?$ ]]; then
  echo "::error title=scan-and-promote: bad registry::the registry input is not a registry host"
  exit 1
fi
images=()
IFS=$', \t\n' read -r -d '' -a entries <<<"$IMAGES" || true
pins=()
for entry in "${entries[@]}"; do
  entry=${entry,,}
  pin=''
  # IMAGE@sha256:<digest>: the caller's pin, which sha-<7> must still name (checked after the resolve).
  if [[ $entry =~ ^(.+)@(sha256:[0-9a-f]{64})$ ]]; then
    entry=${BASH_REMATCH[1]} pin=${BASH_REMATCH[2]}
  fi
  if [[ $entry != */* ]]; then
    entry="$REGISTRY/${GITHUB_REPOSITORY_OWNER,,}/$entry"
  elif [[ ${entry%%/*} != *[.:]* && ${entry%%/*} != localhost ]]; then
    entry="$REGISTRY/$entry"
  fi
  if [[ ! $entry =~ ^[a-z0-9][a-z0-9.:-]*(/[a-z0-9][a-z0-9._-]*)+$ ]]; then
    echo "::error title=scan-and-promote: bad image::an entry of the images input is not an image repository or IMAGE@sha256:<digest>"
    exit 1
  fi
  images+=("$entry")
  [[ -z $pin ]] || pins+=("$entry@$pin")
done
if ((${#images[@]} == 0)); then
  echo "::error title=scan-and-promote: no images::the images input is empty"
  exit 1
fi
if [[ $(printf '%s\n' "${images[@]##*/}" | sort -u | wc -l) != "${#images[@]}" ]]; then
  echo "::error title=scan-and-promote: duplicate names::two images share a last path segment (SARIF categories would clash)"
  exit 1
fi
IFS=$', \t\n' read -r -d '' -a targets <<<"$TO" || true
if [[ ! ${targets[0]:-} =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
  echo "::error title=scan-and-promote: bad to::the to input does not start with a tag"
  exit 1
fi
{
  echo "sha=$sha"
  echo "tag=sha-${sha:0:7}"
  echo "ref=$REF"
  echo "images<<EOF_IMAGES"
  printf '%s\n' "${images[@]}"
  echo "EOF_IMAGES"
  echo "pins<<EOF_PINS"
  if ((${#pins[@]} > 0)); then printf '%s\n' "${pins[@]}"; fi
  echo "EOF_PINS"
  # What runs now: the first image at the first target tag; its revision label is the current commit.
  echo "not-behind=${images[0]}:${targets[0]}"
} >> "$GITHUB_OUTPUT"
echo "Scanning and promoting \`$sha\` ($REF, $GITHUB_EVENT_NAME)." >> "$GITHUB_STEP_SUMMARY"
