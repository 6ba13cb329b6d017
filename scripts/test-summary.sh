#!/usr/bin/env bash
# The "Test summary" step of .github/workflows/ci.yml (Gantry's own CI): the totals of the Surefire and Failsafe
# reports (target/*-reports/TEST-*.xml) as markdown on standard output (the step appends it to the step summary),
# or "No test reports.". Run at the repository root.
set -euo pipefail
shopt -s nullglob
reports=(target/surefire-reports/TEST-*.xml target/failsafe-reports/TEST-*.xml)
if ((${#reports[@]} == 0)); then
  echo "No test reports."
  exit 0
fi
# Each report's root element carries tests="N" failures="N" errors="N" skipped="N".
grep -ho '<testsuite [^>]*>' "${reports[@]}" | awk '
  { for (i = 1; i <= NF; i++) if (split($i, kv, "=") == 2) { gsub(/"/, "", kv[2]); n[kv[1]] += kv[2] } }
  END { printf "### Tests\n\n%d tests, %d failures, %d errors, %d skipped\n", n["tests"], n["failures"], n["errors"], n["skipped"] }
'
