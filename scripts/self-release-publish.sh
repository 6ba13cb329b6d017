#!/usr/bin/env bash
# The "Publish and move v1" step of .github/workflows/release.yml (job finish, Gantry's own release): publishes the
# draft release of VERSION as the latest release, then points the tag v1 at the release commit (moved if it exists,
# created if not), over GitHub's REST API.
#
# Environment (the step's env): GH_TOKEN (the job's token, contents: write), VERSION (the release's tag), COMMIT (the
# release commit, 40 hex); the runner's GITHUB_REPOSITORY, GITHUB_API_URL and GITHUB_STEP_SUMMARY.
# The token reaches curl on standard input (a header read with -H @-): never an argument, never printed.
# Exit 2 with one ::error line naming the bad value (no request made); 1 with one ::error line when GitHub refuses.
set -euo pipefail
: "${GH_TOKEN?}" "${VERSION?}" "${COMMIT?}" "${GITHUB_REPOSITORY?}" "${GITHUB_API_URL?}"
bad() {
  echo "::error title=release: bad $1::$2 $(printf '%q' "$3") $4"
  exit 2
}
[[ $VERSION =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ ]] || bad version "the version" "$VERSION" "is not a tag name"
[[ $COMMIT =~ ^[0-9a-f]{40}$ ]] || bad commit "the commit" "$COMMIT" "is not 40 lower-case hex"
[[ $GITHUB_REPOSITORY =~ ^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$ ]] ||
  bad repository "the repository" "$GITHUB_REPOSITORY" "is not OWNER/NAME"
[[ $GITHUB_API_URL =~ ^https?://[A-Za-z0-9.:-]+(/[A-Za-z0-9._/-]*)?$ ]] ||
  bad api "GITHUB_API_URL" "$GITHUB_API_URL" "is not an http(s) URL"

body=$(mktemp)
trap 'rm -f "$body"' EXIT
status=''
# api METHOD PATH [JSON]: the response body in $body, its status in $status.
api() {
  local args=(-sS -o "$body" -w '%{http_code}' -X "$1" -H 'Accept: application/vnd.github+json'
    -H 'X-GitHub-Api-Version: 2022-11-28' -H @-)
  if (($# > 2)); then args+=(-H 'Content-Type: application/json' --data "$3"); fi
  status=$(printf 'Authorization: Bearer %s\n' "$GH_TOKEN" | curl "${args[@]}" "$GITHUB_API_URL/repos/$GITHUB_REPOSITORY$2")
}
refused() {
  echo "::error title=release: publish failed::$1 answered HTTP $status"
  exit 1
}

# The draft is not found by its tag (releases/tags/TAG answers only published ones): list, newest first.
api GET "/releases?per_page=100"
[[ $status == 200 ]] || refused "listing the releases"
id=$(jq -r --arg v "$VERSION" 'first(.[] | select(.tag_name == $v) | .id) // empty' "$body")
if [[ ! $id =~ ^[0-9]+$ ]]; then
  echo "::error title=release: no release::no release is tagged $VERSION"
  exit 1
fi
api PATCH "/releases/$id" '{"draft": false, "make_latest": "true"}'
[[ $status == 200 ]] || refused "publishing release $VERSION"

api GET "/git/ref/tags/v1"
case $status in
  200)
    api PATCH "/git/refs/tags/v1" "$(jq -nc --arg sha "$COMMIT" '{sha: $sha, force: true}')"
    [[ $status == 200 ]] || refused "moving v1"
    ;;
  404)
    api POST "/git/refs" "$(jq -nc --arg sha "$COMMIT" '{ref: "refs/tags/v1", sha: $sha}')"
    [[ $status == 201 ]] || refused "creating v1"
    ;;
  *) refused "looking v1 up" ;;
esac
echo "Published \`$VERSION\`; \`v1\` is now \`$COMMIT\`." >> "$GITHUB_STEP_SUMMARY"
