#!/usr/bin/env bash
# scripts/appcds-archive.sh - the AppCDS archive the action image ships (Dockerfile), made the same way by
# bench/promote.sh for its "shipped flags" runs, so the benchmark measures what the image runs.
#
# One static archive of the classes loaded by two training runs: a promote on a copy of an OCI layout run as the
# action (inputs, event payload, outputs, summary) and a promote against a registry (the HTTP client; nothing listens
# on port 9, the run fails after setting up its client). The two class lists are merged without repeats: JDK 17's
# -Xshare:dump crashes on a repeated lambda entry. The archive is checked with -Xshare:on (fails instead of warning).
# An archive only matches the jar path and JVM it was made with: run this with the java and the jar path that will use it.
#
# Usage: scripts/appcds-archive.sh JAVA JAR ARCHIVE LAYOUT
#   JAVA     the java launcher that will run the jar (e.g. /opt/java/bin/java)
#   JAR      the jar, at the path it will run from
#   ARCHIVE  the archive to write
#   LAYOUT   an OCI layout holding tag sha-abc1234 (examples/hello); copied, never written
set -euo pipefail

(($# == 4)) || { echo "usage: appcds-archive.sh JAVA JAR ARCHIVE LAYOUT" >&2; exit 2; }
java=$1 jar=$2 jsa=$3 layout=$4
[[ -f "$jar" ]] || { echo "appcds-archive.sh: no jar at $jar" >&2; exit 2; }
[[ -f "$layout/index.json" ]] || { echo "appcds-archive.sh: no OCI layout at $layout" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/gantry-appcds.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$layout" "$work/hello"
cd "$work"
printf '{"workflow_run":{"head_sha":"abc1234def5678901234567890abcdef12345678"}}' >event.json
env INPUT_COMMAND=promote INPUT_IMAGES=oci:hello INPUT_TO=latest GITHUB_EVENT_NAME=workflow_run \
  GITHUB_EVENT_PATH=event.json GITHUB_OUTPUT=output GITHUB_STEP_SUMMARY=summary \
  "$java" -Xshare:off -XX:DumpLoadedClassList=action.classes -jar "$jar" action >/dev/null
"$java" -Xshare:off -XX:DumpLoadedClassList=registry.classes -jar "$jar" \
  promote --from sha-abc1234 --to latest 127.0.0.1:9/training >/dev/null 2>&1 || true
awk '!seen[$0]++' action.classes registry.classes >gantry.classes
"$java" -Xshare:dump -XX:SharedClassListFile=gantry.classes -XX:SharedArchiveFile="$jsa" -jar "$jar" >dump.log 2>&1 ||
  { tail -n 20 dump.log >&2; exit 1; }
"$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:on -XX:SharedArchiveFile="$jsa" -jar "$jar" --version >/dev/null
