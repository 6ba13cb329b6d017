#!/usr/bin/env bash
# The "Gate on the findings" step of .github/workflows/scan-and-promote.yml (job scan, one leg): counts Trivy's
# CRITICAL/HIGH findings with a fix in the leg's SARIF, writes them to the step summary, and blocks the promotion
# unless told not to.
#
# Environment (the step's env): IMAGE, PINNED (IMAGE@sha256:...), PLATFORM, SARIF (the file), BLOCK (true|false);
# the runner's GITHUB_STEP_SUMMARY.
# Exit 0 with no findings, or with findings and BLOCK not true (one ::warning line); 1 with findings and BLOCK true
# (one ::error line naming the rules).
set -euo pipefail
# Trivy writes CRITICAL and HIGH as level "error".
findings=$(jq '[.runs[].results[]? | select(.level == "error")] | length' "$SARIF")
rules=$(jq -r '[.runs[].results[]? | select(.level == "error") | .ruleId] | unique | .[:20] | join(", ")' "$SARIF")
{
  echo "### Trivy: \`$PINNED\`${PLATFORM:+ ($PLATFORM)}"
  echo
  echo "CRITICAL/HIGH findings with a fix: **$findings**${rules:+ ($rules)}"
} >> "$GITHUB_STEP_SUMMARY"
if ((findings == 0)); then
  exit 0
fi
if [[ $BLOCK == true ]]; then
  echo "::error title=Trivy: $findings finding(s) in $IMAGE::promotion blocked: $rules"
  exit 1
fi
echo "::warning title=Trivy: $findings finding(s) in $IMAGE::not blocking (block-on-findings is false): $rules"
