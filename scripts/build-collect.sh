#!/usr/bin/env bash
# The "Collect the digests" step of .github/workflows/build-images.yml (job collect): merges the stages' digest files
# ($RUNNER_TEMP/digests/NAME.json) into the output `digests` (JSON image -> digest), writes the images table to the
# step summary, and reports every image that was not pushed with its own ::error line.
#
# Environment (the step's env): MATRIX (every image: [{name, image}]), TAG, PUSH, BUILD_RESULT, LATER_RESULTS (the
# results of build-2 and build-3); the runner's RUNNER_TEMP, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
# Exit 1 when an image was not pushed or a stage job failed or was cancelled.
set -euo pipefail
dir="$RUNNER_TEMP/digests"
digests='{}'
failed=0
{
  echo "### Images at \`$TAG\`"
  echo
  echo "| image | digest |"
  echo "| --- | --- |"
} >> "$GITHUB_STEP_SUMMARY"
while IFS=$'\t' read -r name image; do
  file="$dir/$name.json"
  if [[ $PUSH != true ]]; then
    echo "| \`$image\` | built, not pushed |" >> "$GITHUB_STEP_SUMMARY"
  elif [[ -s $file ]] && digest=$(jq -er --arg image "$image" '.[$image]' "$file"); then
    digests=$(jq -c --arg image "$image" --arg digest "$digest" '. + {($image): $digest}' <<<"$digests")
    echo "| \`$image:$TAG\` | \`$digest\` |" >> "$GITHUB_STEP_SUMMARY"
  else
    echo "::error title=push failed: $image::$image:$TAG was not built or not pushed; see the job Build $name"
    echo "| \`$image:$TAG\` | **not pushed** |" >> "$GITHUB_STEP_SUMMARY"
    failed=$((failed + 1))
  fi
done < <(jq -r '.[] | [.name, .image] | @tsv' <<<"$MATRIX")
echo "digests=$digests" >> "$GITHUB_OUTPUT"
if ((failed > 0)) || [[ $BUILD_RESULT != success || $LATER_RESULTS == *failure* || $LATER_RESULTS == *cancelled* ]]; then
  echo "::error title=build-images failed::$failed image(s) not pushed; build results: $BUILD_RESULT $LATER_RESULTS"
  exit 1
fi
