#!/usr/bin/env bash
# scripts/launcher-archive.sh - bin/gantry's AppCDS archive for a jar just built, made by the build itself
# (`./mvnw package` runs it right after the jar is written), so the first bin/gantry run after a build already starts
# with it instead of paying for the dump at exit.
#
# It is bin/gantry's own first run, with GANTRY_CDS_DIR pointing at DIR: the README's first command (a promote on a
# copy of examples/hello, in a temporary directory), and the archive that run writes at exit, named as the launcher
# names every archive (the jar's and java's paths, sizes, mtimes and inodes). bin/gantry looks in the jar's own cds/
# directory before the user's cache, and uses an archive there only when its name matches this jar and this java.
# DIR is emptied first: the archive of an earlier build of the jar never matches again.
#
# Usage: scripts/launcher-archive.sh JAR DIR
# Silent when it works (`ls DIR` shows the archive; none when bin/gantry runs plain java -jar here: GANTRY_CDS=0, a
# JAVA_TOOL_OPTIONS-like variable set, no base CDS archive in the JDK). Exits 1 with the run's output when the
# promote itself fails (the jar cannot do the README's first command), which fails the build; 2 on bad arguments.
set -euo pipefail

(($# == 2)) || { echo "usage: launcher-archive.sh JAR DIR" >&2; exit 2; }
repo=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
jar=$(readlink -f -- "$1")
dir=$2
[[ -f "$jar" ]] || { echo "launcher-archive.sh: no jar at $1" >&2; exit 2; }

rm -rf -- "$dir"
mkdir -p -- "$dir"
dir=$(cd -- "$dir" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/gantry-launcher-archive.XXXXXX")
trap 'rm -rf -- "$work"' EXIT
cp -r -- "$repo/examples/hello" "$work/demo"

if ! GANTRY_JAR=$jar GANTRY_CDS_DIR=$dir "$repo/bin/gantry" \
  promote --from sha-abc1234 --to latest "oci:$work/demo" >"$work/out" 2>&1; then
  echo "launcher-archive.sh: the promote on a copy of examples/hello failed:" >&2
  cat "$work/out" >&2
  exit 1
fi
