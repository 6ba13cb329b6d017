#!/usr/bin/env bash
# The "Post the result to the webhook" step of .github/workflows/scan-and-promote.yml and release-and-deploy.yml
# (job notify): posts the Jenkins seed's JSON {status, job, build, image, tag, url} to NOTIFY_WEBHOOK_URL.
#
# Environment (the step's env): WEBHOOK_URL (a secret; empty: no notification), RESULTS (toJSON(needs.*.result)),
# IMAGE, TAG; the runner's GITHUB_REPOSITORY, GITHUB_WORKFLOW, GITHUB_RUN_NUMBER, GITHUB_RUN_ID, GITHUB_SERVER_URL,
# RUNNER_TEMP. status: failure if any job failed, else cancelled if any was cancelled, else success.
# The URL goes to curl in its config on standard input, never on a command line. Exit 0 even when the webhook
# refuses (one ::warning line): a notification never fails the run.
set -euo pipefail
if [[ -z $WEBHOOK_URL ]]; then
  echo "No NOTIFY_WEBHOOK_URL secret: no notification."
  exit 0
fi
status=$(jq -r 'if any(.[]; . == "failure") then "failure" elif any(.[]; . == "cancelled") then "cancelled" else "success" end' <<<"$RESULTS")
jq -n --arg status "$status" --arg job "$GITHUB_REPOSITORY/$GITHUB_WORKFLOW" --arg build "$GITHUB_RUN_NUMBER" \
  --arg image "$IMAGE" --arg tag "$TAG" --arg url "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID" \
  '{status: $status, job: $job, build: $build, image: $image, tag: $tag, url: $url}' > "$RUNNER_TEMP/notify.json"
# The URL is a secret: curl reads it from its config on stdin, never from its command line.
if ! printf 'url = "%s"\n' "$WEBHOOK_URL" | curl --config - --fail --silent --show-error --max-time 15 \
    --retry 3 --header 'Content-Type: application/json' --data "@$RUNNER_TEMP/notify.json"; then
  echo "::warning title=notification failed::the webhook did not accept the notification"
fi
