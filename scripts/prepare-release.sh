#!/usr/bin/env bash
# scripts/prepare-release.sh OWNER DIGEST - turn a default-branch checkout of Gantry into a release, in place.
#        scripts/prepare-release.sh --check [OWNER]   - only look for what a release must not contain.
#
# Run at the repository root, on a clean git work tree whose HEAD is the commit to release. A commit cannot name its
# own SHA, so the release is three layers, each pinning the one below (README: "What a release of Gantry contains"):
#   A  commit: action.yml says `image: docker://ghcr.io/<owner>/gantry@<DIGEST>` (was `image: Dockerfile`);
#   B  commit: the reusable workflows take the action and scripts/deploy.sh from <owner>/gantry at A (the defaults of
#      their gantry-repository and gantry-ref inputs, were OWNER/gantry and v1);
#   C  left in the work tree for the caller to commit (the release commit, tagged with the version, where v1 moves):
#      the templates call <owner>/gantry/.github/workflows/...@B (were OWNER/gantry/...@v1).
# Then it checks action.yml, .github/workflows/ and workflows-templates/ and exits 1 if any `OWNER/gantry` or
# `ghcr.io/OWNER` placeholder, any image but docker://...@sha256:<64 hex>, or any movable reference to Gantry is left:
# a `uses:` of <owner>/gantry or OWNER/gantry at anything but a 40-hex commit, a gantry-ref default that is not one.
#
# OWNER: a GitHub user or organization (acme); DIGEST: sha256:<64 lower-case hex>, the action image's index digest.
# Exit codes: 0 released tree ready; 1 the tree is not what this script expects, or something is left (each finding
# printed as FILE:LINE: TEXT); 2 bad arguments (one line, nothing touched). Commits A and B use the git identity
# configured, else "Gantry release".
set -euo pipefail

die() {
  echo "prepare-release: $*" >&2
  exit 1
}
usage() {
  echo "prepare-release: $1 (usage: scripts/prepare-release.sh OWNER sha256:<64 hex> | --check [OWNER])" >&2
  exit 2
}
valid_owner() { [[ $1 =~ ^[A-Za-z0-9]([A-Za-z0-9]|-[A-Za-z0-9]){0,38}$ ]]; }

# Every finding, one per line, as FILE:LINE: TEXT. OWNER (optional) is the owner the release is for.
findings() {
  local owner=${1:-}
  local files=(action.yml) f
  shopt -s nullglob
  files+=(.github/workflows/*.yml .github/workflows/*.yaml workflows-templates/*.yml workflows-templates/*.yaml)
  shopt -u nullglob
  for f in "${files[@]}"; do
    awk -v file="$f" -v owner="$owner" '
      function report(why) { printf "%s:%d: %s: %s\n", file, FNR, why, $0 }
      # N lower-case hex digits and nothing else (mawk has no {N} intervals).
      function hex(s, n) { return length(s) == n && s !~ /[^0-9a-f]/ }
      # Gantry is OWNER/gantry (the placeholder) or the release owner'"'"'s gantry, any case for the owner.
      function gantry(s,   l) {
        l = tolower(s)
        return index(s, "OWNER/gantry") > 0 || (owner != "" && index(l, tolower(owner) "/gantry") > 0)
      }
      /OWNER\/gantry|ghcr\.io\/OWNER([^A-Za-z0-9_]|$)/ { report("placeholder") }
      file == "action.yml" && /^[ \t]*image:/ {
        value = $0
        sub(/^[ \t]*image:[ \t]*["'"'"']?/, "", value)
        sub(/["'"'"']?[ \t]*(#.*)?$/, "", value)
        if (value !~ /^docker:\/\/[^@ \t]+@sha256:/ || !hex(substr(value, index(value, "@sha256:") + 8), 64)) {
          report("image not pinned by digest")
        }
      }
      /^[ \t]*(-[ \t]+)?uses:/ {
        value = $0
        sub(/^[ \t]*(-[ \t]+)?uses:[ \t]*["'"'"']?/, "", value)
        sub(/["'"'"']?[ \t]*(#.*)?$/, "", value)
        if (gantry(value) && !(index(value, "@") && hex(substr(value, match(value, /@[^@]*$/) + 1), 40))) {
          report("movable reference to Gantry")
        }
      }
      # The default of the gantry-ref input: the first default: under a gantry-ref: key.
      /^[ \t]*gantry-ref:[ \t]*$/ { in_ref = 1; ref_indent = match($0, /[^ ]/); next }
      in_ref && match($0, /[^ ]/) <= ref_indent && $0 !~ /^[ \t]*$/ { in_ref = 0 }
      in_ref && /^[ \t]*default:/ {
        value = $0
        sub(/^[ \t]*default:[ \t]*["'"'"']?/, "", value)
        sub(/["'"'"']?[ \t]*(#.*)?$/, "", value)
        if (!hex(value, 40)) { report("movable gantry-ref default") }
        in_ref = 0
      }
    ' "$f"
  done
}

check() { # [OWNER]: prints the findings and fails if there is any
  local found
  found=$(findings "${1:-}")
  if [[ -n $found ]]; then
    printf '%s\n' "$found" | sed 's/^/prepare-release: left in /' >&2
    echo "prepare-release: FAILED: $(wc -l <<<"$found") placeholder(s) or movable reference(s) left" >&2
    return 1
  fi
}

# --- arguments ----------------------------------------------------------------------------------------------------
if [[ ${1:-} == --check ]]; then
  (($# <= 2)) || usage "--check takes at most an OWNER"
  [[ -z ${2:-} ]] || valid_owner "$2" || usage "bad OWNER '$2': a GitHub user or organization name such as acme"
  [[ -f action.yml ]] || die "no action.yml here: run at the repository root"
  check "${2:-}"
  echo "prepare-release: no placeholder or movable reference to Gantry"
  exit 0
fi
(($# == 2)) || usage "expected OWNER and DIGEST, got $# argument(s)"
owner=$1
digest=$2
valid_owner "$owner" || usage "bad OWNER '$owner': a GitHub user or organization name such as acme"
[[ $digest =~ ^sha256:[0-9a-f]{64}$ ]] || usage "bad DIGEST '$digest': sha256: and 64 lower-case hex digits"

# --- the tree must be a clean default-branch checkout ---------------------------------------------------------------
[[ -f action.yml && -d .github/workflows && -d workflows-templates ]] ||
  die "no action.yml, .github/workflows and workflows-templates here: run at the repository root"
git rev-parse --verify --quiet HEAD >/dev/null || die "not a git work tree with a commit"
[[ -z $(git status --porcelain --untracked-files=no) ]] || die "the work tree has uncommitted changes: release a commit"
(($(grep -c '^  image: Dockerfile$' action.yml) == 1)) ||
  die "action.yml has no \`  image: Dockerfile\` line: not a default-branch tree (already prepared?)"

image="ghcr.io/${owner,,}/gantry"
git_() {
  if [[ -n $(git config user.email || true) ]]; then
    git "$@"
  else
    git -c user.name="Gantry release" -c user.email="gantry-release@users.noreply.github.com" "$@"
  fi
}
# Reusable workflows that declare the inputs; templates that call Gantry.
mapfile -t reusable < <(grep -l '^      gantry-repository:$' .github/workflows/*.yml || true)
mapfile -t templates < <(grep -l 'OWNER/gantry/\.github/workflows/' workflows-templates/*.yml || true)
((${#reusable[@]})) || die "no reusable workflow in .github/workflows declares a gantry-repository input"

# --- A: the action image, pinned by digest --------------------------------------------------------------------------
sed -i "s|^  image: Dockerfile\$|  image: docker://$image@$digest|" action.yml
git_ commit -q -m "Release: the action runs $image@$digest" -- action.yml
image_commit=$(git rev-parse HEAD)

# --- B: the reusable workflows take the action and scripts/deploy.sh from A -----------------------------------------
for f in "${reusable[@]}"; do
  awk -v repo="$owner/gantry" -v sha="$image_commit" '
    /^      gantry-(repository|ref):$/ { input = $1; sub(/:$/, "", input); print; next }
    /^      [^ ]/ { input = "" }
    input == "gantry-repository" && /^        default: OWNER\/gantry$/ { print "        default: " repo; next }
    input == "gantry-ref" && /^        default: v1$/ { print "        default: " sha; next }
    { print }
  ' "$f" >"$f.tmp"
  cat "$f.tmp" >"$f" # keeps the mode
  rm -f "$f.tmp"
done
git_ commit -q -m "Release: the reusable workflows take Gantry from $owner/gantry@$image_commit" -- "${reusable[@]}"
workflows_commit=$(git rev-parse HEAD)

# --- C: the templates call the reusable workflows of B (left for the caller to commit) ------------------------------
for f in "${templates[@]}"; do
  sed -i -E "s#OWNER/gantry/(\\.github/workflows/[A-Za-z0-9._-]+)@v1([[:space:]]|\$)#$owner/gantry/\\1@$workflows_commit\\2#g" "$f"
done

check "$owner"
echo "prepare-release: action image $image@$digest"
echo "prepare-release: A $image_commit (action.yml), B $workflows_commit (reusable workflows); the templates in the work tree call B"
