#!/usr/bin/env bash
# scripts/rehearse.sh - the whole chain, rehearsed on this machine with the example application in examples/app
# (base -> backend and init built FROM base's digest, a worker on the backend image, a frontend), the way the
# workflows call each step. Run at the repository root after the jar is built (./mvnw -B package), as root.
#
# For each of three commits of a scratch git repository holding examples/app:
#   1. build and push sha-<7>: scripts/build-plan.sh orders the images of examples/app/.github/gantry.yml into
#      stages; each image is built with `buildah bud` (vfs storage), its earlier-stage image passed by digest
#      (scripts/build-contexts.sh: BASE=REGISTRY/acme/base@sha256:... as a build arg, since Debian's buildah 1.28
#      has no --build-context; labels org.opencontainers.image.base.name/.base.digest), pushed by digest and tagged
#      once with scripts/tag-once.sh; backend's (and init's) label is checked against base's digest, and its first
#      layers against base's layers, with skopeo;
#   2. `gantry resolve` sha-<7>, `gantry promote` sha-<7> -> latest (pinned to the resolved digests);
#   3. `gantry release` of the commit with its images by digest, against GitHub's REST API as WireMock answers it
#      (the fixtures of src/test/resources/github, the tags kept in a bare git repository that stands for GitHub's;
#      the tag GitHub would create is created there from the request gantry made);
#   4. the deploy: scripts/remote-deploy.sh (the Deploy step) sends scripts/deploy.sh over a real sshd on a free
#      loopback port, host key pinned by fingerprint, APP_ENV (with MAILJET_* and GRAFANA_ALERT_RECIPIENTS) on ssh's
#      standard input, IMAGES every released image by digest (as the workflow passes them, base included);
#      deploy.sh fetches the release tag, writes .env, pins every service that runs a released image to its digest
#      (the worker too: it runs the backend image), pulls, starts, migrates, checks /health; one line per service:
#      `deployed SERVICE REPOSITORY@sha256:<hex>`, each started by digest (not by a tag) and checked with skopeo
#      against the release tag in the registry.
# Commit 2 changes the backend and its schema: the digests move. Commit 3 breaks the backend's health: its deploy
# must roll back (exit 3) to commit 2's digests and settings, which is checked. Last, a manual rollback to commit 1
# (what Scan & Promote with rollback: true and then Release & Deploy do): sha-<7> of commit 1 promoted to latest
# again, `gantry release` finds the version commit 1 already has and writes nothing on GitHub, and that version is
# deployed (its migration takes the schema back) and checked like the others.
#
# What is not the real part, and why:
#   - docker: this machine has no Docker engine. The server's `docker` is scripts/lib/compose-standin.sh: it pulls
#     with skopeo by digest and runs each image's own files (its layers unpacked, its entrypoint and command, chroot
#     in a private mount namespace, volumes bind-mounted, host network), with compose's depends_on conditions and
#     healthchecks; ports are not mapped (each service listens on its host port itself).
#   - GitHub: WireMock (the jar the tests use, from ~/.m2) with GitHub-shaped answers; no Actions runner: each step's
#     script is called here with the environment the workflow gives it.
#   - Scan: no Trivy (no vulnerability database is reachable here); promote runs without the scan gate.
#   - Build contexts: a build arg instead of build-images' named context (buildah 1.28); one platform.
#
# Usage: scripts/rehearse.sh [--keep]   (--keep leaves the work directory: registry, server, logs)
# Exit 0 only when every step held; otherwise one line `rehearse: FAILED in step '...': ...` and exit 1.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
E2E_NAME=rehearse
# shellcheck source=scripts/lib/e2e.sh
. scripts/lib/e2e.sh

readonly OWNER=acme REPO=app
readonly SECRET_KEY=mj-api-key-Rehearsal-0123456789
readonly TOKEN=ghs_rehearsalFakeToken0123456789abcdef
readonly MONTH_FORMAT=YYYY.M.PATCH

jar=target/gantry.jar
sshd_pid='' wiremock_pid=''
images=() # the example's image names, in gantry.yml order

gantry() { java -jar "$jar" "$@"; }

# shellcheck source=scripts/lib/yaml-json.sh
. scripts/lib/yaml-json.sh


cleanup() {
  if [[ -n $work && -d $work/server/app ]]; then
    (cd "$work/server/app" && COMPOSE_STANDIN_STATE="$work/server/standin" "$root/scripts/lib/compose-standin.sh" compose down) \
      >/dev/null 2>&1 || true
  fi
  local pid
  for pid in "$sshd_pid" "$wiremock_pid"; do
    [[ -n $pid ]] || continue
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  e2e_cleanup
}

# Gantry's release reads the real clock for its CalVer version, and the GitHub stubs are made for this month and the
# last: a rehearsal begun in a month's last ten minutes (UTC) waits for the next month first.
wait_out_month_end() {
  local now next
  now=$(date -u +%s)
  next=$(date -u -d "$(date -u -d "@$now" +%Y-%m-01) +1 month" +%s)
  if ((next - now < 600)); then
    step "the month ends in $((next - now)) s: waiting for the next"
    sleep $((next - now + 1))
    step_done
  fi
}

await_http() { # URL SECONDS WHAT
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "$3 did not answer on $1 within $2 s"
}

digest_of() { # IMAGE:TAG -> sha256:<hex> of the bytes the registry answers
  echo "sha256:$(skopeo_ inspect --raw --tls-verify=false "docker://$1" | sha256sum | cut -d' ' -f1)"
}

# ---------------------------------------------------------------------------------------------------------------
# Set-up: tools, registry, GitHub, sshd, the repositories.

prerequisites() {
  [[ -f $jar ]] || fail "no $jar: build it first (./mvnw -B package -DskipTests)"
  local missing=() p
  for p in busybox-static yq openssh-server openssh-client jq; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  local version
  version=$(sed -n 's:.*<wiremock.version>\(.*\)</wiremock.version>.*:\1:p' pom.xml)
  wiremock_jar=$HOME/.m2/repository/org/wiremock/wiremock-standalone/$version/wiremock-standalone-$version.jar
  [[ -f $wiremock_jar ]] || fail "no wiremock-standalone jar in ~/.m2 (./mvnw -B test-compile fetches it)"
}

start_github() {
  step "GitHub (WireMock)"
  local port
  e2e_free_port port
  github="http://127.0.0.1:$port"
  java -jar "$wiremock_jar" --bind-address 127.0.0.1 --port "$port" --disable-banner --root-dir "$work/wiremock" \
    >"$work/wiremock.log" 2>&1 &
  wiremock_pid=$!
  mkdir -p "$work/wiremock/mappings" "$work/wiremock/__files"
  await_http "$github/__admin/health" 30 "WireMock"
  echo '[]' >"$work/releases.json"
  step_done "$github"
}

start_sshd() {
  step "sshd"
  local d=$work/sshd port i
  mkdir -p "$d" /run/sshd
  ssh-keygen -q -t ed25519 -N '' -C rehearse-host -f "$d/host_key"
  ssh-keygen -q -t ed25519 -N '' -C rehearse-deploy -f "$d/client_key"
  echo "restrict $(cat "$d/client_key.pub")" >"$d/authorized_keys"
  # The server's PATH puts the docker stand-in first; sshd's SetEnv gives every session the same environment.
  mkdir -p "$work/server/bin" "$work/server/standin"
  ln -s "$PWD/scripts/lib/compose-standin.sh" "$work/server/bin/docker"
  e2e_free_port port
  cat >"$d/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $port
AddressFamily inet
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
AuthenticationMethods publickey
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
AllowUsers root
StrictModes no
PermitTTY no
X11Forwarding no
AllowTcpForwarding no
UseDNS no
PrintMotd no
SetEnv PATH=$work/server/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin COMPOSE_STANDIN_STATE=$work/server/standin
EOF
  /usr/sbin/sshd -D -e -f "$d/sshd_config" >"$d/sshd.log" 2>&1 &
  sshd_pid=$!
  for i in {1..100}; do
    grep -qs "Server listening on 127.0.0.1 port $port" "$d/sshd.log" && break
    kill -0 "$sshd_pid" 2>/dev/null || fail "sshd exited: $(tail -n 3 "$d/sshd.log")"
    ((i < 100)) || fail "sshd did not listen on 127.0.0.1:$port within 10 s"
    sleep 0.1
  done
  ssh_port=$port
  host_fingerprint=$(ssh-keygen -l -E sha256 -f "$d/host_key.pub" | awk '{print $2}')
  step_done "127.0.0.1:$port, host key $host_fingerprint"
}

# The example's repository (what the developer pushes), its origin (what GitHub holds), and the server's clone.
start_repositories() {
  step "repositories"
  git init -q --bare -b main "$work/origin.git"
  git init -q -b main "$work/app"
  cp -a examples/app/. "$work/app/"
  git_app add -A
  git_app commit -q -m "example app"
  git_app remote add origin "$work/origin.git"
  git_app push -q origin main
  git clone -q "$work/origin.git" "$work/server/app"
  mapfile -t images < <(yaml_json examples/app/.github/gantry.yml | jq -r '.images[].name')
  step_done "${images[*]}"
}
git_app() { git -C "$work/app" -c user.name=Ada -c user.email=ada@acme.example "$@"; }

# ---------------------------------------------------------------------------------------------------------------
# The chain, once per commit.

# build-images: stages from build-plan.sh; each image built FROM the digests of its earlier stage, pushed by
# digest, tagged sha-<7> once. Sets built[NAME]=IMAGE@DIGEST.
build_and_push() {
  step "build and push $tag"
  local stages count n name image context file after args labels digest line key
  stages=$(yaml_json "$work/app/.github/gantry.yml" | jq -c '.images' | scripts/build-plan.sh "$reg" "$OWNER" "linux/$arch") ||
    fail "build-plan.sh refused the image list"
  count=$(jq length <<<"$stages")
  rm -rf "$work/digests" && mkdir -p "$work/digests"
  for ((n = 0; n < count; n++)); do
    while IFS=$'\t' read -r name image context file after; do
      args=(--build-arg "REVISION=$sha")
      labels=()
      # build-contexts.sh gives NAME=docker-image://IMAGE@DIGEST: here the build arg NAME in capitals.
      scripts/build-contexts.sh "$after" "$work/digests" >"$work/contexts.out" || fail "build-contexts.sh $name"
      while IFS= read -r line; do
        case $line in
          *=docker-image://*)
            key=${line%%=*}
            key=${key^^}
            args+=(--build-arg "${key//-/_}=${line#*=docker-image://}")
            ;;
          org.opencontainers.*) labels+=(--label "$line") ;;
        esac
      done <"$work/contexts.out"
      rm -rf "$work/ctx" && cp -a "$work/app/$context" "$work/ctx"
      if grep -q '^COPY busybox ' "$work/app/$file"; then cp /bin/busybox "$work/ctx/busybox"; fi
      b bud --quiet --isolation chroot --network host --layers=false --tls-verify=false \
        --signature-policy "$work/policy.json" -f "$work/app/$file" "${args[@]}" "${labels[@]}" \
        --label "org.opencontainers.image.revision=$sha" -t "localhost/$name:build" "$work/ctx" >"$work/bud-$name.log" 2>&1 ||
        { tail -n 20 "$work/bud-$name.log" >&2; fail "buildah bud $name"; }
      # Pushed by digest, as build-images pushes: an OCI layout first, then that manifest's digest to the registry.
      rm -rf "$work/push"
      b push --quiet --digestfile "$work/digest" --signature-policy "$work/policy.json" "localhost/$name:build" \
        "oci:$work/push:$name" >/dev/null
      digest=$(<"$work/digest")
      skopeo_ copy --quiet --preserve-digests --dest-tls-verify=false "oci:$work/push:$name" "docker://$image@$digest" ||
        fail "push $image@$digest"
      HOME=$work/home scripts/tag-once.sh "$image@$digest" "$tag" | sed 's/^/  /' || fail "tag-once.sh $image@$digest $tag"
      b rmi --force "localhost/$name:build" >/dev/null
      jq -n --arg image "$image" --arg digest "$digest" '{($image): $digest}' >"$work/digests/$name.json"
      built[$name]=$image@$digest
            line=$(jq -r 'keys | join(", ")' <<<"$after")
      echo "  stage $((n + 1)): $image@$digest${line:+ (FROM $line of this build)}"
    done < <(jq -r --argjson n "$n" '.[$n][] | [.name, .image, .context, .dockerfile, (.after | tojson)] | @tsv' <<<"$stages")
  done
  step_done
}

# The label names base's digest (what the build was given); the layers show the image really starts from it: base's
# layer diff_ids are the first of its own.
check_base_labels() {
  step "backend and init FROM base's digest"
  local name config label base_digest=${built[base]#*@} base_layers
  base_layers=$(skopeo_ inspect --config --tls-verify=false "docker://${built[base]}" | jq -c '.rootfs.diff_ids')
  for name in backend init; do
    config=$(skopeo_ inspect --config --tls-verify=false "docker://${built[$name]}")
    label=$(jq -r '.config.Labels["org.opencontainers.image.base.digest"] // ""' <<<"$config")
    [[ $label == "$base_digest" ]] || fail "$name's base.digest label is '$label', not base's $base_digest"
    jq -e --argjson base "$base_layers" '.rootfs.diff_ids[:($base | length)] == $base' <<<"$config" >/dev/null ||
      fail "$name's layers do not start with base's ($base_layers)"
    echo "  $name: org.opencontainers.image.base.digest=$label (base of this build); its first" \
      "$(jq length <<<"$base_layers") layer(s) are base's (skopeo inspect --config)"
  done
  step_done
}

resolve_and_promote() {
  step "resolve and promote $tag -> latest"
  local repos=() line pinned=()
  for name in "${images[@]}"; do repos+=("$reg/$OWNER/$name"); done
  gantry resolve --tag "$tag" "${repos[@]}" >"$work/resolved" || fail "gantry resolve"
  while IFS= read -r line; do
    [[ " ${built[*]} " == *" $line "* ]] || fail "gantry resolve printed $line, not what was pushed"
    pinned+=("$line")
  done <"$work/resolved"
  ((${#pinned[@]} == ${#images[@]})) || fail "gantry resolve printed ${#pinned[@]} lines for ${#images[@]} images"
  gantry promote --from "$tag" --to latest "${pinned[@]}" >"$work/promote.log" 2>&1 ||
    { cat "$work/promote.log" >&2; fail "gantry promote"; }
  for name in "${images[@]}"; do
    [[ $(digest_of "$reg/$OWNER/$name:latest") == "${built[$name]#*@}" ]] || fail "$name:latest is not ${built[$name]}"
  done
  echo "  latest -> $tag on ${#images[@]} images (checked with skopeo)"
  step_done
}

# GitHub's answers for this release: the repository's commits and tags as the bare origin holds them.
load_github() {
  local api=$github fixtures=src/test/resources/github c t object this_month last_month prefix refs tag_sha
  curl -fsS -X POST "$api/__admin/reset" >/dev/null
  fill() { # FIXTURE: the repository's placeholders filled in
    sed -e "s#{{api}}#$api#g" -e "s#{{owner}}#$OWNER#g" -e "s#{{repo}}#$REPO#g" -e 's#{{repoId}}#1296269#g' \
      -e 's#{{nodeId}}#MDM6UmVoZWFyc2Fs#g' "$fixtures/$1"
  }
  stub() { # JSON mapping
    curl -fsS -X POST -H 'Content-Type: application/json' --data-binary @- "$api/__admin/mappings" >/dev/null
  }
  answer() { # METHOD URL_PATH STATUS BODY [templated]
    jq -n --arg m "$1" --arg p "$2" --argjson s "$3" --arg b "$4" --arg t "${5:-}" '{request: {method: $m, urlPath: $p},
      response: ({status: $s, body: $b, headers: {"Content-Type": "application/json; charset=utf-8"}}
        + (if $t == "" then {} else {transformers: ["response-template"]} end))}' | stub
  }
  local repo_path=/repos/$OWNER/$REPO
  for c in $(git -C "$work/origin.git" rev-list --all); do
    answer GET "$repo_path/commits/$c" 200 "$(fill commit.json | sed "s#{{sha}}#$c#g")"
  done
  this_month=$(date -u +%Y.%-m.)
  last_month=$(date -u -d "$(date -u +%Y-%m-15) -1 month" +%Y.%-m.)
  for prefix in "$this_month" "$last_month"; do
    refs='[]'
    while IFS=' ' read -r t object; do
      [[ -n $t ]] || continue
      refs=$(jq -c --argjson r "$(fill ref.json | sed -e "s#{{tag}}#$t#g" -e "s#{{objectSha}}#$object#g" \
        -e 's#{{objectType}}#tag#' -e 's#{{objectKind}}#tags#')" '. + [$r]' <<<"$refs")
      c=$(git -C "$work/origin.git" rev-parse "refs/tags/$t^{commit}")
      answer GET "$repo_path/git/tags/$object" 200 "$(fill tag-object.json | sed -e "s#{{tag}}#$t#g" \
        -e "s#{{tagSha}}#$object#g" -e "s#{{commitSha}}#$c#g")"
    done < <(git -C "$work/origin.git" for-each-ref --sort=refname --format='%(refname:short) %(objectname)' "refs/tags/$prefix*")
    answer GET "$repo_path/git/matching-refs/tags/$prefix" 200 "$refs"
  done
  answer GET "$repo_path/releases" 200 "$(jq -c 'reverse' "$work/releases.json")"
  # The writes echo what was asked, as GitHub does; the tag object's sha is made up for this run.
  tag_sha=$(printf 'rehearsal tag %s %s' "$sha" "$(date +%s%N)" | sha1sum | cut -d' ' -f1)
  answer POST "$repo_path/git/tags" 201 "$(fill tag-object.json | sed -e "s#{{tagSha}}#$tag_sha#g" \
    -e "s#{{tag}}#{{jsonPath request.body '\$.tag'}}#g" -e "s#{{commitSha}}#{{jsonPath request.body '\$.object'}}#g")" t
  answer POST "$repo_path/git/refs" 201 "$(fill ref.json | sed -e "s#refs/tags/{{tag}}#{{jsonPath request.body '\$.ref'}}#g" \
    -e "s#{{objectSha}}#{{jsonPath request.body '\$.sha'}}#g" -e 's#{{objectType}}#tag#' -e 's#{{objectKind}}#tags#')" t
  answer POST "$repo_path/releases/generate-notes" 200 "$(jq -c '.body = "## What'"'"'s Changed\n* example change"' \
    "$fixtures/release-notes.json" | sed "s#{{tag}}#{{jsonPath request.body '\$.tag_name'}}#g")" t
  answer POST "$repo_path/releases" 201 "$(fill release.json | sed -e "s#{{releaseId}}#$((1000 + release_count))#g" \
    -e "s#{{tag}}#{{jsonPath request.body '\$.tag_name'}}#g" -e "s#{{sha}}#{{jsonPath request.body '\$.target_commitish'}}#g")" t
}

# One GitHub request body of this release, by method and path.
github_body() { # METHOD PATH_SUFFIX
  curl -fsS "$github/__admin/requests" | jq -c --arg m "$1" --arg p "/repos/$OWNER/$REPO$2" \
    '[.requests[] | .request | select(.method == $m and (.url | split("?")[0]) == $p) | .body | fromjson] | last // empty'
}

release() { # [already]: the commit is released already, and the release must reuse its version
  step "release $sha"
  local pinned=() name body object already writes unmatched # sets version
  for name in "${images[@]}"; do pinned+=(--image "${built[$name]}"); done
  load_github
  GITHUB_API_URL=$github GITHUB_TOKEN=$TOKEN gantry release --json --repository "$OWNER/$REPO" --sha "$sha" \
    --format "$MONTH_FORMAT" "${pinned[@]}" >"$work/release.out" 2>"$work/release.err" ||
    { cat "$work/release.out" "$work/release.err" >&2; fail "gantry release"; }
  unmatched=$(curl -fsS "$github/__admin/requests/unmatched" | jq -c '[.requests[] | "\(.method) \(.url)"]')
  [[ $unmatched == '[]' ]] || fail "gantry release made requests GitHub would not answer so: $unmatched"
  ! grep -q "$TOKEN" "$work/release.out" "$work/release.err" || fail "the GitHub token is in gantry release's output"
  version=$(jq -r '.version' "$work/release.out")
  already=$(jq -r '.alreadyReleased' "$work/release.out")
  writes=$(curl -fsS "$github/__admin/requests" | jq -c '[.requests[] | .request | select(.method != "GET") | .url]')
  if [[ ${1:-} == already ]]; then
    [[ $already == true && $version == "$2" ]] || fail "expected $sha to be released already as $2: $(<"$work/release.out")"
    [[ $writes == '[]' ]] || fail "a release of a released commit wrote to GitHub: $writes"
    echo "  already released as $version: nothing written on GitHub"
  else
    [[ $already == false ]] || fail "a new commit was reported as released already: $(<"$work/release.out")"
    body=$(github_body POST /git/tags)
    object=$(jq -r '.object' <<<"$body")
    [[ $(jq -r '.tag' <<<"$body") == "$version" && $object == "$sha" ]] || fail "the tag object is not $version on $sha: $body"
    [[ $(github_body POST /git/refs | jq -r .ref) == "refs/tags/$version" ]] || fail "no ref for $version"
    # What GitHub does on those requests: the annotated tag in the repository, the release in its list.
    git -C "$work/origin.git" -c user.name=github-actions -c user.email=actions@github.com \
      tag -a "$version" -m "Release $version" "$sha"
    release_count=$((release_count + 1))
    jq --arg t "$version" --arg c "$sha" --argjson id "$((1000 + release_count))" \
      '. + [{id: $id, tag_name: $t, target_commitish: $c, draft: false, html_url: "https://github.com/acme/app/releases/tag/\($t)"}]' \
      "$work/releases.json" >"$work/releases.tmp" && mv "$work/releases.tmp" "$work/releases.json"
    echo "  released $version on $sha: tag, GitHub release ($(jq length <<<"$writes") writes)"
  fi
  for name in "${images[@]}"; do
    [[ $(digest_of "$reg/$OWNER/$name:$version") == "${built[$name]#*@}" ]] || fail "$name:$version is not ${built[$name]}"
  done
  echo "  $version on ${#images[@]} images, the released digests (checked with skopeo)"
  step_done "$version"
}

app_env() { # the APP_ENV secret: the application's settings in dotenv format
  cat <<EOF
# The application's settings (the seed's MAILJET_* and GRAFANA_ALERT_RECIPIENTS), written as .env on the server.
IMAGE_PREFIX=$reg/$OWNER
BACKEND_PORT=$backend_port
FRONTEND_PORT=$frontend_port
MAILJET_API_KEY=$SECRET_KEY
MAILJET_SENDER="Example Shop <shop@acme.example>"
GRAFANA_ALERT_RECIPIENTS=ops@acme.example,ada@acme.example
EOF
}

# Every process's command line, sampled until $work/watching goes: each process whose one holds the secret.
watch_cmdlines() { # OUT
  printf '%s\n' "$SECRET_KEY" >"$work/secret.pattern"
  while [[ -e $work/watching ]]; do
    grep -alFf "$work/secret.pattern" /proc/[0-9]*/cmdline 2>/dev/null | while IFS= read -r f; do
      f=${f%/cmdline}
      printf 'pid %s (%s)\n' "${f#/proc/}" "$(cat "$f/comm" 2>/dev/null || echo gone)"
    done >>"$1" || true
    sleep 0.02
  done
}

# The Deploy step of release-and-deploy: scripts/remote-deploy.sh with the step's environment. Sets deploy_status.
deploy() { # EXPECTED_STATUS [HEALTH_TIMEOUT]
  step "deploy $version"
  local d=$work/runner list=() name out
  mkdir -p "$d"
  : >"$d/output" && : >"$d/summary"
  for name in "${images[@]}"; do list+=("${built[$name]}"); done
  deploy_status=0
  # The step's environment, exported by builtins: no value (the key, APP_ENV) is an argument of any process.
  touch "$work/watching"
  watch_cmdlines "$work/cmdline-hits" &
  local watcher=$!
  (
    export DEPLOY_HOST=127.0.0.1 DEPLOY_USER=root DEPLOY_SSH_KEY DEPLOY_HOST_FINGERPRINT=$host_fingerprint \
      SSH_PORT=$ssh_port DEPLOY_DIR=$work/server/app HEALTH_URL=http://127.0.0.1:$backend_port/health \
      HEALTH_TIMEOUT=${2:-60} IMAGE_TAG=$version GIT_TAG=$version IMAGES="${list[*]}" REGISTRY=$reg APP_ENV \
      APP_ENV_FILE=.env RUNNER_TEMP=$d GITHUB_OUTPUT=$d/output GITHUB_STEP_SUMMARY=$d/summary \
      MIGRATE_COMMAND="docker compose -f compose.yaml -f compose.gantry.yml run --rm backend migrate"
    DEPLOY_SSH_KEY=$(<"$work/sshd/client_key")
    APP_ENV=$(app_env)
    exec scripts/remote-deploy.sh
  ) >"$work/deploy-$version.log" 2>&1 || deploy_status=$?
  rm -f "$work/watching"
  wait "$watcher"
  if [[ -s $work/cmdline-hits ]]; then
    fail "the MAILJET_API_KEY value was on the command line of: $(sort -u "$work/cmdline-hits" | tr '\n' ' ')"
  fi
  sed 's/^/  | /' "$work/deploy-$version.log"
  out=$(cat "$work/deploy-$version.log" "$d/output" "$d/summary")
  [[ $out != *"$SECRET_KEY"* ]] || fail "the MAILJET_API_KEY value is in the deploy's output"
  ((deploy_status == $1)) || fail "remote-deploy.sh exited $deploy_status, expected $1"
  step_done "exit $deploy_status"
}

# What runs on the server, service by service, checked: every service was started by digest (its image in the
# compose files deploy.sh gave compose is REPOSITORY@sha256:..., not a tag), that digest is what the registry holds
# under the version running, and the services run exactly the released digests (the worker the backend's).
report_deployed() { # VERSION
  step "what runs on the server ($1)"
  local dir service ref want configured running=0
  for dir in "$work/server/standin/containers/example"/*; do
    service=${dir##*/}
    ref=$(<"$dir/image")
    configured=$(<"$dir/configured")
    [[ $configured == "$ref" ]] || fail "$service was not pinned to a digest: compose ran it as $configured"
    if [[ -f $dir/exit ]]; then
      [[ $(<"$dir/exit") == 0 ]] || fail "$service exited $(<"$dir/exit")"
    else
      kill -0 "$(<"$dir/pid")" 2>/dev/null || fail "$service is not running: $(tail -n 5 "$dir/log")"
      running=$((running + 1))
    fi
    want=$(digest_of "${ref%@*}:$1")
    [[ ${ref#*@} == "$want" ]] || fail "$service runs ${ref#*@}, but ${ref%@*}:$1 is $want"
    case $service in backend | frontend | init)
      [[ $ref == "${built[$service]}" ]] || fail "$service runs $ref, released ${built[$service]}" ;;
    worker)
      [[ $ref == "${built[backend]}" ]] || fail "the worker runs $ref, not the backend's ${built[backend]}" ;;
    esac
    echo "deployed $service $ref"
  done
  echo "  each started by digest, the digest $1 names in the registry (skopeo inspect --raw)"
  ((running == 3)) || fail "$running services running, expected backend, worker and frontend"
  curl -fsS "http://127.0.0.1:$backend_port/health" >/dev/null || fail "/health does not answer"
  curl -fsS "http://127.0.0.1:$frontend_port/" | grep -q 'example frontend' || fail "the frontend does not answer"
  settings=$work/server/app/.env
  [[ $(stat -c %a "$settings") == 600 && $(<"$settings") == "$(app_env)" ]] || fail ".env is not APP_ENV, mode 0600"
  grep -q "^version=$1$" "$work/server/app/.gantry-deployed-tag" || fail "the state file does not record $1"
  step_done
}

commit() { # MESSAGE: commits the app's tree and pushes it; sets sha and tag
  git_app add -A
  git_app commit -q -m "$1"
  git_app push -q origin main
  sha=$(git_app rev-parse HEAD)
  tag=sha-${sha:0:7}
}

chain() { # EXPECTED_DEPLOY_STATUS [HEALTH_TIMEOUT]
  build_and_push
  check_base_labels
  resolve_and_promote
  release
  deploy "$@"
}

# ---------------------------------------------------------------------------------------------------------------

root=$PWD
e2e_init "${1:-}"
trap cleanup EXIT
prerequisites
wait_out_month_end
e2e_registry
# scripts/tag-once.sh speaks to the registry through skopeo's registries.conf: plain HTTP to this one (skopeo 1.9
# reads $HOME/.config/containers/registries.conf and ignores CONTAINERS_REGISTRIES_CONF).
mkdir -p "$work/home/.config/containers"
printf '[[registry]]\nlocation = "%s"\ninsecure = true\n' "$reg" >"$work/home/.config/containers/registries.conf"
start_github
start_sshd
start_repositories
backend_port="" frontend_port=""
e2e_free_port backend_port
e2e_free_port frontend_port
release_count=0
declare -A built=()

sha=$(git_app rev-parse HEAD) && tag=sha-${sha:0:7}
echo "== commit 1: $sha"
chain 0
report_deployed "$version"
first_sha=$sha first_version=$version
declare -A first=()
for name in "${images[@]}"; do first[$name]=${built[$name]}; done

echo "== commit 2: the backend changes (new page, schema 3)"
sed -i 's/example backend/example backend, second commit/' "$work/app/backend/www/index.html"
sed -i 's/^ENV SCHEMA_VERSION=2/ENV SCHEMA_VERSION=3/' "$work/app/backend/Containerfile"
commit "backend: schema 3"
chain 0
report_deployed "$version"
good_version=$version
declare -A second=()
for name in "${images[@]}"; do
  second[$name]=${built[$name]}
  if [[ ${first[$name]#*@} == "${second[$name]#*@}" ]]; then echo "  $name: unchanged ${second[$name]#*@}"; else
    echo "  $name: ${first[$name]#*@} -> ${second[$name]#*@}"; fi
done
[[ ${first[backend]} != "${second[backend]}" ]] || fail "the backend's digest did not move with its change"

echo "== commit 3: the backend never reports healthy; the deploy must roll back to $good_version"
sed -i 's|echo ok >/srv/www/health$|echo ok >/srv/www/healthy|' "$work/app/backend/backend.sh"
grep -q 'healthy$' "$work/app/backend/backend.sh" || fail "could not break the backend"
commit "backend: /health moved by mistake"
chain 3 6
for name in "${images[@]}"; do built[$name]=${second[$name]}; done
# The rolled-back server runs commit 2's digests under its version: the same checks as after its deploy.
report_deployed "$good_version"

echo "== manual rollback to commit 1 (Scan & Promote with rollback: true, then Release & Deploy)"
for name in "${images[@]}"; do built[$name]=${first[$name]}; done
sha=$first_sha && tag=sha-${sha:0:7}
resolve_and_promote
release already "$first_version"
deploy 0
report_deployed "$first_version"

echo "== timings"
printf '%s\n' "${timings[@]}"
echo "rehearse: every step held"
