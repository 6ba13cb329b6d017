#!/usr/bin/env bash
# scripts/release-rehearsal.sh - a release of Gantry rehearsed on this machine, with no GitHub and no outside registry.
#
#   1. the action image a release ships, built from the Dockerfile by buildah bud (on a debootstrapped stand-in for
#      debian:bookworm-slim, scripts/lib/e2e.sh; --jib: the Jib image instead, quicker) and pushed to a docker-registry
#      on a free loopback port as OWNER/gantry:sha-<7>, then promoted by Gantry itself to a CalVer-shaped version tag,
#      as .github/workflows/release.yml does on ghcr.io;
#   2. a git copy of the work tree (action.yml, .github/, workflows-templates/, scripts/) turned into a release by
#      scripts/prepare-release.sh OWNER DIGEST, DIGEST being the pushed image's;
#   3. (a) actionlint and action-validator (.ci/lint) pass on the release tree, and so do the workflow policy and the
#      release rules (ReleaseTreeTest run on that tree): no placeholder, no movable reference to Gantry;
#      (b) the image the release's action.yml names is pulled by that digest and run with buildah run --isolation
#      chroot the way the runner runs a container action, and promotes a test image (the container e2e checks);
#      (c) the pulled image's digest is the one written into action.yml, and the version tag's;
#      (d) the image was built stamped with its repository (GANTRY_REPOSITORY, as release.yml passes it), and
#      `gantry init --dry-run` run in it writes callers of OWNER/gantry's reusable workflows, no placeholder.
# The release names ghcr.io/OWNER/gantry@DIGEST; here the same repository path and digest are pulled from the loopback
# registry, the only host that differs.
# Needs root and what scripts/container-e2e.sh needs, plus the linters (npm ci --prefix .ci/lint) and Maven's
# dependencies (run after ./mvnw verify, as .ci/run does).
# Usage: scripts/release-rehearsal.sh [--keep] [--jib]
set -Eeuo pipefail
cd "$(dirname "$0")/.."
E2E_NAME=release-rehearsal
# shellcheck source=scripts/lib/e2e.sh
. scripts/lib/e2e.sh

readonly OWNER=acme-rehearsal
readonly VERSION=2026.11.0 # what `gantry release` would name this month's first release

keep_arg="" jib=0
for arg in "$@"; do
  case $arg in
    --keep) keep_arg=--keep ;;
    --jib) jib=1 ;;
    *) echo "release-rehearsal: unknown argument '$arg' (--keep, --jib)" >&2; exit 2 ;;
  esac
done
e2e_init "$keep_arg"
head=$(git rev-parse HEAD)
if ((jib)); then
  e2e_base_image
  e2e_registry
  e2e_jib_build "$OWNER/gantry:sha-${head:0:7}"
else
  e2e_registry
  # As release.yml builds it: stamped with the repository it is published from (gantry init names it).
  e2e_dockerfile_build "$OWNER/gantry:sha-${head:0:7}" "GANTRY_REPOSITORY=$OWNER/gantry"
  [[ -f target/gantry.jar ]] || ./mvnw -B -q package -DskipTests >"$work/package.log" 2>&1 ||
    { tail -n 40 "$work/package.log" >&2; fail "mvnw package"; }
fi

# ---------------------------------------------------------------------------------------------------------------
step "promote the action image with Gantry"
java -jar target/gantry.jar promote --from "sha-${head:0:7}" --to "$VERSION" "$reg/$OWNER/gantry" >"$work/promote.log" 2>&1 ||
  { cat "$work/promote.log" >&2; fail "gantry promote sha-${head:0:7} -> $VERSION"; }
sed 's/^/  | /' "$work/promote.log"
raw=$(skopeo_ inspect --raw --tls-verify=false "docker://$reg/$OWNER/gantry:$VERSION")
digest="sha256:$(printf '%s' "$raw" | sha256sum | cut -d' ' -f1)"
echo "pushed $reg/$OWNER/gantry:$VERSION $digest"
step_done

# ---------------------------------------------------------------------------------------------------------------
step "prepare the release tree"
tree="$work/tree"
mkdir -p "$tree"
git ls-files -co --exclude-standard -z -- action.yml .github workflows-templates scripts | xargs -0 cp --parents -t "$tree"
export GIT_AUTHOR_NAME=rehearsal GIT_AUTHOR_EMAIL=rehearsal@example.com
export GIT_COMMITTER_NAME=rehearsal GIT_COMMITTER_EMAIL=rehearsal@example.com
git -C "$tree" init -q
git -C "$tree" add -A
git -C "$tree" commit -q -m "the default branch at $head"
root=$PWD
(cd "$tree" && "$root/scripts/prepare-release.sh" "$OWNER" "$digest") || fail "scripts/prepare-release.sh $OWNER $digest"
(cd "$tree" && "$root/scripts/prepare-release.sh" --check "$OWNER") || fail "prepare-release.sh --check on the release tree"
step_done

# ---------------------------------------------------------------------------------------------------------------
step "(a) linters and policy on the release tree"
.ci/lint/lint-workflows.sh "$tree" >"$work/lint.log" 2>&1 || { cat "$work/lint.log" >&2; fail "the linters on the release tree"; }
grep -E '^actionlint:|passed lint checks' "$work/lint.log" | sed 's/^/  | /'
./mvnw -B -q test -Dtest=ReleaseTreeTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dgantry.release.tree="$tree" -Dgantry.release.owner="$OWNER" -Dgantry.release.digest="$digest" \
  >"$work/policy.log" 2>&1 || { tail -n 60 "$work/policy.log" >&2; fail "ReleaseTreeTest on the release tree"; }
report=target/surefire-reports/TEST-dev.gantry.workflows.ReleaseTreeTest.xml
echo "  | ReleaseTreeTest: $(grep -o '<testsuite [^>]*' "$report" | grep -o 'tests="[0-9]*" errors="[0-9]*" skipped="[0-9]*" failures="[0-9]*"')"
step_done

# ---------------------------------------------------------------------------------------------------------------
step "(b) the release's action image promotes"
image=$(awk '/^  image:/ { print $2 }' "$tree/action.yml")
[[ $image == "docker://ghcr.io/$OWNER/gantry@$digest" ]] || fail "action.yml says image: $image"
local_image="docker://$reg/${image#docker://ghcr.io/}"
echo "action.yml: image: $image (pulled as $local_image)"
e2e_container "$local_image"
e2e_runner
status=0
run_action INPUT_COMMAND=promote >"$work/stdout" 2>"$work/stderr" || status=$?
check_promote "$status" "$work/stdout" "$work/stderr"
step_done

# ---------------------------------------------------------------------------------------------------------------
step "(c) the pulled image is the one action.yml names"
pulled=$(b inspect --type container --format '{{.FromImageDigest}}' "$ctr")
[[ $pulled == "$digest" ]] || fail "buildah pulled $pulled, action.yml names $digest"
echo "ok: pulled $pulled == action.yml's digest == $OWNER/gantry:$VERSION"
step_done

# ---------------------------------------------------------------------------------------------------------------
step "(d) gantry init in the release's image names this Gantry"
if ((jib)); then
  echo "skipped: the Jib image is not what a release ships"
else
  # The entrypoint without its last word (action): the image's java and jar, as any command runs them.
  b run --isolation chroot --network host "$ctr" -- "${entrypoint[@]:0:${#entrypoint[@]}-1}" \
    init --dry-run --images api --default-branch main --dir / >"$work/init.log" 2>&1 ||
    { cat "$work/init.log" >&2; fail "gantry init --dry-run in the image"; }
  uses=$(grep -Eo 'uses: [^ ]+/\.github/workflows/[^ ]+' "$work/init.log" | sort -u)
  [[ -n $uses ]] || fail "gantry init in the image wrote no caller of a reusable workflow"
  if grep -v "^uses: $OWNER/gantry/" <<<"$uses"; then fail "gantry init in the image calls another Gantry (above)"; fi
  while read -r line; do echo "  | $line"; done <<<"$uses"
fi
step_done

echo
echo "== release rehearsal passed"
printf '  %s\n' "${timings[@]}"
echo "release-rehearsal: 4 passed, 0 failed"
