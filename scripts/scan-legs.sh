#!/usr/bin/env bash
# Plans the Trivy legs of a promotion: one per pinned image, and for an index one per platform scanned.
#
# Usage: scan-legs.sh [PLATFORMS] < pinned
#   stdin      the pinned images, IMAGE@sha256:<hex>, one per line (what `gantry resolve` printed)
#   PLATFORMS  comma- or space-separated os/arch[/variant] to scan in every index; default every linux/* platform
#              of the index (attestation manifests, platform unknown/unknown, are never scanned)
# Prints a JSON array: {"image", "ref" (the pinned reference), "name" (the last path segment), "platform" (empty for
# a single manifest), "key" (NAME or NAME-OS-ARCH[-VARIANT]: the SARIF category is trivy-KEY)}.
# Registry access is skopeo's (its auth file and registries.conf). Exit 1 when a requested platform is not in an
# index, an index has no linux platform, or a manifest cannot be read; 2 on bad input.
set -euo pipefail

wanted=()
IFS=$', \t\n' read -r -d '' -a wanted <<<"${1:-}" || true
for platform in "${wanted[@]}"; do
  if [[ ! $platform =~ ^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$ ]]; then
    echo "scan-legs: '$platform' is not a platform os/arch[/variant]" >&2
    exit 2
  fi
done
wanted_json=$(printf '%s\n' "${wanted[@]}" | jq -Rnc '[inputs | select(. != "")]')

legs='[]'
while IFS= read -r pinned || [[ -n $pinned ]]; do
  [[ -n $pinned ]] || continue
  if [[ ! $pinned =~ ^([a-z0-9][a-z0-9._-]*(:[0-9]+)?(/[a-z0-9][a-z0-9._-]*)+)@sha256:[0-9a-f]{64}$ ]]; then
    echo "scan-legs: '$pinned' is not IMAGE@sha256:<64 hex>" >&2
    exit 2
  fi
  image=${BASH_REMATCH[1]}
  if ! manifest=$(skopeo inspect --raw --retry-times 3 "docker://$pinned"); then
    echo "scan-legs: cannot read the manifest of $pinned" >&2
    exit 1
  fi
  if ! leg=$(jq -ce --arg image "$image" --arg ref "$pinned" --argjson wanted "$wanted_json" '
      ($image | split("/") | last) as $name
      | def platform: [.os, .architecture] + (if .variant then [.variant] else [] end) | join("/");
      if has("manifests") then
        [.manifests[] | select(.platform.os == "linux") | .platform | platform] as $linux
        | (if ($wanted | length) > 0 then $wanted else $linux end) as $scan
        | ($scan - $linux) as $missing
        | if ($missing | length) > 0 then error("\($ref) has no platform \($missing | join(", ")) (it has: \($linux | join(", ")))")
          elif ($scan | length) == 0 then error("\($ref) is an index without linux platforms")
          else [$scan[] | {image: $image, ref: $ref, name: $name, platform: .,
                           key: "\($name)-\(gsub("/"; "-"))"}] end
      else [{image: $image, ref: $ref, name: $name, platform: "", key: $name}] end
    ' <<<"$manifest" 2>&1); then
    echo "scan-legs: ${leg#jq: error (at <stdin>:*): }" >&2
    exit 1
  fi
  legs=$(jq -c --argjson leg "$leg" '. + $leg' <<<"$legs")
done
if [[ $legs == '[]' ]]; then
  echo "scan-legs: no pinned images on standard input" >&2
  exit 2
fi
printf '%s\n' "$legs"
