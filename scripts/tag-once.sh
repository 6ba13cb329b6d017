#!/usr/bin/env bash
# Gives a freshly pushed image its build tag, once: the tag is created if it does not exist, left alone if it
# already names the same digest, and never moved to other bytes (a re-run that built different bytes fails and
# names both digests). build-images pushes by digest only, then runs this, so a `sha-<7>` that Stack Tests tested
# and Scan & Promote scanned can never be overwritten by a later build of the same commit.
#
# Usage: tag-once.sh IMAGE@sha256:<hex> TAG
# Registry access is skopeo's: its auth file (`skopeo login`, or REGISTRY_AUTH_FILE) and registries.conf.
# Exit codes: 0 tagged, or already that digest; 1 the tag names other bytes, or a registry operation failed;
# 2 bad arguments.
set -euo pipefail

if (($# != 2)); then
  echo "usage: tag-once.sh IMAGE@sha256:<hex> TAG" >&2
  exit 2
fi
pinned=$1 tag=$2
if [[ ! $pinned =~ ^([a-z0-9][a-z0-9._-]*(:[0-9]+)?(/[a-z0-9][a-z0-9._-]*)+)@(sha256:[0-9a-f]{64})$ ]]; then
  echo "tag-once: '$pinned' is not IMAGE@sha256:<64 hex>" >&2
  exit 2
fi
image=${BASH_REMATCH[1]} digest=${BASH_REMATCH[4]}
if [[ ! $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
  echo "tag-once: '$tag' is not an image tag" >&2
  exit 2
fi

err=$(mktemp) manifest=$(mktemp)
trap 'rm -f "$err" "$manifest"' EXIT
# The bytes the tag names now, hashed here as they are (a file keeps trailing newlines): for an index that is
# the index digest, as pushed.
if skopeo inspect --raw --retry-times 3 "docker://$image:$tag" >"$manifest" 2>"$err"; then
  current="sha256:$(sha256sum "$manifest" | cut -d' ' -f1)"
  if [[ $current == "$digest" ]]; then
    echo "tag-once: $image:$tag is already $digest: nothing to do"
    exit 0
  fi
  echo "::error title=build tag is immutable: $image:$tag::$image:$tag is $current; this build is $digest." \
    "A tag that was tested and scanned is never moved to other bytes: rebuild under a new commit."
  exit 1
elif ! grep -qiE 'manifest unknown|not found|name unknown' "$err"; then
  echo "tag-once: inspect $image:$tag failed: $(tr '\n' ' ' <"$err")" >&2
  exit 1
fi

# The tag does not exist: point it at exactly the pushed bytes (a registry-side copy within the repository).
if ! skopeo copy --all --preserve-digests --retry-times 3 --quiet "docker://$image@$digest" "docker://$image:$tag" \
  2>"$err"; then
  echo "tag-once: tag $image@$digest as $tag failed: $(tr '\n' ' ' <"$err")" >&2
  exit 1
fi
echo "tag-once: tagged $image:$tag -> $digest"
