#!/usr/bin/env bash
# The "Check the inputs" step of .github/workflows/sbom.yml (job sbom): checks the name, the severity cutoff and the
# image reference or path, and names what to catalogue.
#
# Environment (the step's env): SCAN_PATH (a directory inside the repository, used when IMAGE is empty), IMAGE (NAME,
# OWNER/NAME or HOST/PATH, with :TAG (default latest) and/or @sha256:...; the repository lower-cased), NAME, REGISTRY
# (the host of a bare name), CUTOFF; the runner's GITHUB_REPOSITORY_OWNER, RUNNER_TEMP and GITHUB_OUTPUT.
# Step outputs: image (the full reference, or empty for a path), target (the image or the path), sbom (the file).
# Exit 1 with one ::error line naming the bad input, before any output is written.
set -euo pipefail
if [[ ! $NAME =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]]; then
  echo "::error title=sbom: bad name::the name input must be letters, digits, . _ -"
  exit 1
fi
if [[ ! $CUTOFF =~ ^(negligible|low|medium|high|critical)$ ]]; then
  echo "::error title=sbom: bad cutoff::severity-cutoff must be negligible, low, medium, high or critical"
  exit 1
fi
image=''
if [[ -n $IMAGE ]]; then
  # NAME, OWNER/NAME or HOST/PATH, then :TAG (default latest) and/or @DIGEST; the repository lower-cased.
  ref=$IMAGE tag='' digest=''
  if [[ $ref == *@* ]]; then
    digest="@${ref#*@}"
    ref=${ref%%@*}
  fi
  if [[ ${ref##*/} == *:* ]]; then
    tag=":${ref##*:}"
    ref=${ref%:*}
  fi
  ref=${ref,,}
  if [[ $ref != */* ]]; then
    ref="$REGISTRY/${GITHUB_REPOSITORY_OWNER,,}/$ref"
  elif [[ ${ref%%/*} != *[.:]* && ${ref%%/*} != localhost ]]; then
    ref="$REGISTRY/$ref"
  fi
  [[ -n $tag$digest ]] || tag=":latest"
  image="$ref$tag$digest"
fi
if [[ -n $image && ! $image =~ ^[a-z0-9][a-z0-9.:-]*(/[a-z0-9][a-z0-9._-]*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?$ ]]; then
  echo "::error title=sbom: bad image::the image input is not an image reference"
  exit 1
fi
if [[ -z $image && ( $SCAN_PATH == /* || $SCAN_PATH == *..* ) ]]; then
  echo "::error title=sbom: bad path::the path input must stay inside the repository"
  exit 1
fi
{
  echo "image=$image"
  echo "target=${image:-$SCAN_PATH}"
  echo "sbom=$RUNNER_TEMP/sbom-$NAME.spdx.json"
} >> "$GITHUB_OUTPUT"
