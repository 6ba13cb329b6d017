#!/usr/bin/env bash
# The named build contexts of one image of build-images: each image it is built `after` (an earlier stage of the
# same build) as NAME=docker-image://IMAGE@DIGEST, so `FROM NAME` builds on exactly the bytes that stage pushed;
# with one such image, also the OCI labels org.opencontainers.image.base.name and .base.digest.
#
#   scripts/build-contexts.sh AFTER_JSON DIGEST_DIR >>"$GITHUB_OUTPUT"
#
# AFTER_JSON: {"base": "ghcr.io/acme/base"} (build-plan.sh's `after`); DIGEST_DIR holds the earlier stages'
# NAME.json files ({"IMAGE": "sha256:..."}). Prints the step outputs `contexts` and `labels` (one per line).
# Exit 1 naming the image when an earlier stage left no digest for it (it failed or was not pushed); 2 on bad use.
set -euo pipefail

if (($# != 2)); then
  echo "usage: build-contexts.sh AFTER_JSON DIGEST_DIR" >&2
  exit 2
fi
after=$1 dir=$2
if ! pairs=$(jq -er 'to_entries[] | [.key, .value] | @tsv' <<<"$after" 2>/dev/null) && [[ $after != '{}' ]]; then
  echo "build-contexts: AFTER_JSON is not a JSON object of name -> image" >&2
  exit 2
fi

contexts=() labels=()
while IFS=$'\t' read -r name image; do
  [[ -n $name ]] || continue
  digest=''
  if [[ -s $dir/$name.json ]]; then
    digest=$(jq -r --arg image "$image" '.[$image] // ""' "$dir/$name.json")
  fi
  if [[ ! $digest =~ ^sha256:[0-9a-f]{64}$ ]]; then
    echo "build-contexts: $image ($name) has no digest from this build: its stage failed or did not push" >&2
    exit 1
  fi
  contexts+=("$name=docker-image://$image@$digest")
  labels=("org.opencontainers.image.base.name=$image@$digest" "org.opencontainers.image.base.digest=$digest")
done <<<"$pairs"
if ((${#contexts[@]} != 1)); then
  labels=()
fi

echo "contexts<<EOF_CONTEXTS"
if ((${#contexts[@]})); then printf '%s\n' "${contexts[@]}"; fi
echo "EOF_CONTEXTS"
echo "labels<<EOF_LABELS"
if ((${#labels[@]})); then printf '%s\n' "${labels[@]}"; fi
echo "EOF_LABELS"
