#!/usr/bin/env bash
# scripts/self-release-branch.sh push|drop - the temporary branch of .github/workflows/release.yml (job publish):
# `push` pushes the release commits to refs/heads/gantry-release/<run id> (the version tag will hold them, and they
# must be on the remote before Gantry tags them); `drop` deletes that branch again (nothing to delete is fine).
#
# Environment (the step's env): GH_TOKEN (the job's token), COMMIT (push: the release commit, 40 hex); the runner's
# GITHUB_RUN_ID. Run in the checkout whose `origin` is the repository.
# The token reaches git through a credential helper that reads the environment: never an argument, never printed.
# Exit 2 with one ::error line naming the bad value (nothing pushed); git's exit code when the push fails.
set -euo pipefail
: "${GH_TOKEN?}" "${GITHUB_RUN_ID?}"
mode=${1:-}
if [[ ! $GITHUB_RUN_ID =~ ^[0-9]+$ ]]; then
  echo "::error title=release: bad run id::GITHUB_RUN_ID $(printf '%q' "$GITHUB_RUN_ID") is not a number"
  exit 2
fi
branch="refs/heads/gantry-release/$GITHUB_RUN_ID"
# shellcheck disable=SC2016 # $GH_TOKEN is expanded by the helper's shell
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=credential.helper \
  GIT_CONFIG_VALUE_0='!f() { echo username=x-access-token; echo "password=$GH_TOKEN"; }; f'
case $mode in
  push)
    if [[ ! ${COMMIT:-} =~ ^[0-9a-f]{40}$ ]]; then
      echo "::error title=release: bad commit::the commit $(printf '%q' "${COMMIT:-}") is not 40 lower-case hex"
      exit 2
    fi
    git push -q origin "$COMMIT:$branch"
    ;;
  drop)
    git push -q origin --delete "$branch" || true
    ;;
  *)
    echo "::error title=release: bad mode::$(printf '%q' "$mode") is not push or drop (usage: scripts/self-release-branch.sh push|drop)"
    exit 2
    ;;
esac
