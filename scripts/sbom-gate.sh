#!/usr/bin/env bash
# The "Gate on the findings" step of .github/workflows/sbom.yml (job sbom): the SBOM's package count and Grype's
# findings at or above the cutoff, in the step summary and the output `findings`; fails the job on findings when told.
#
# Environment (the step's env): SARIF (Grype's), SBOM (the SPDX JSON), TARGET, CUTOFF, FAIL (true|false); the
# runner's GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
# Exit 0 with no findings, or with findings and FAIL not true (one ::warning line); 1 with findings and FAIL true.
set -euo pipefail
packages=$(jq '.packages | length' "$SBOM")
# Grype marks findings at or above the cutoff as level "error".
findings=$(jq '[.runs[].results[]? | select(.level == "error")] | length' "$SARIF")
echo "findings=$findings" >> "$GITHUB_OUTPUT"
{
  echo "### SBOM: \`$TARGET\`"
  echo
  echo "SPDX JSON with **$packages** packages (artifact \`$(basename "$SBOM")\`); Grype findings at or above \`$CUTOFF\`: **$findings**"
} >> "$GITHUB_STEP_SUMMARY"
if ((findings > 0)); then
  if [[ $FAIL == true ]]; then
    echo "::error title=Grype: $findings finding(s) in $TARGET::at or above $CUTOFF; see code scanning (grype-*)"
    exit 1
  fi
  echo "::warning title=Grype: $findings finding(s) in $TARGET::at or above $CUTOFF (not failing: fail-build is false)"
fi
