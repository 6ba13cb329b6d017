#!/usr/bin/env bash
# The "Plan the scans" step of .github/workflows/scan-and-promote.yml (job plan): stops when sha-<7> no longer names
# a digest the caller pinned, logs skopeo in to each registry (password on standard input), and writes the scan
# matrix of scripts/scan-legs.sh (one leg per image and platform) as the step output `matrix`.
#
# Environment (the step's env): PINNED (IMAGE@sha256:... per line, from the resolve), CALLER_PINS (the caller's
# IMAGE@sha256:... per line), TAG, SCAN_PLATFORMS, REGISTRY_USERNAME, REGISTRY_PASSWORD; the runner's GITHUB_OUTPUT.
# Exit 1 with one ::error line when a pin moved (nothing scanned or promoted), or when a login or scan-legs.sh fails.
set -euo pipefail
while IFS= read -r pin; do
  if [[ -n $pin ]] && ! grep -qxF "$pin" <<<"$PINNED"; then
    echo "::error title=scan-and-promote: tag moved::${pin%@*}:$TAG is not the pinned ${pin#*@}: nothing was scanned or promoted"
    exit 1
  fi
done <<<"$CALLER_PINS"
# skopeo reads the index; its login goes to the runner's auth file, the password on stdin.
while IFS= read -r host; do
  printf '%s' "$REGISTRY_PASSWORD" | skopeo login --username "$REGISTRY_USERNAME" --password-stdin "$host" >/dev/null
done < <(sed -n 's|/.*||p' <<<"$PINNED" | sort -u)
matrix=$("$(dirname "$0")/scan-legs.sh" "$SCAN_PLATFORMS" <<<"$PINNED")
echo "matrix=$matrix" >> "$GITHUB_OUTPUT"
