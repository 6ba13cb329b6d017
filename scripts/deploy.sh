#!/usr/bin/env bash
# Runs one released version on this server with docker compose, checks its health, rolls back if it is not
# healthy. It runs on the server, sent over SSH by the release workflow, for example:
#
#   { printf 'export REGISTRY_TOKEN=%q\n' "$TOKEN"; cat scripts/deploy.sh; } |
#     ssh deploy@host 'DEPLOY_DIR=/srv/app IMAGE_TAG=2026.11.0 HEALTH_URL=http://127.0.0.1:8080/health \
#       IMAGES="ghcr.io/acme/api@sha256:..." bash -s'
#
# The release is the git tag GIT_TAG (checked out detached: the compose file of the release, not of a branch head)
# and the digests in IMAGES: each IMAGE@sha256:... runs as the compose service named after the image's last path
# segment (ghcr.io/acme/api -> service `api`) and as every other service whose `image:` names the same repository
# (any tag or none; Docker Hub's short names count as their long ones: nginx = docker.io/library/nginx), as
# `docker compose config` reads the checkout's compose files (after the settings are written: they may fill its
# variables). They are pinned through a generated override file compose.gantry.yml
# (`services: {api: {image: ghcr.io/acme/api@sha256:...}, worker: {image: ...}}`) given to compose after the
# checkout's own files; a digest that no service runs (a base image) is named and left out of it.
# The state file DEPLOY_DIR/.gantry-deployed-tag records the last healthy deploy (version=, tag=, commit=, one
# image= line per digest); a rollback restores that checkout and those digests.
#
# Settings (environment):
#   DEPLOY_DIR        required  the git checkout holding the compose file
#   IMAGE_TAG         required  the version to run, e.g. 2026.11.0 (also exported for compose files using it)
#   GIT_TAG           IMAGE_TAG the release's git tag, fetched from origin and checked out detached
#   IMAGES            optional  the released images by digest, IMAGE@sha256:<64 hex>, whitespace-separated
#   HEALTH_URL        required  http(s) URL that answers 2xx once the new version is healthy
#   HEALTH_TIMEOUT    120       seconds to wait for a 2xx before rolling back
#   HEALTH_REQUEST_TIMEOUT 10   seconds one health request may take (never past HEALTH_TIMEOUT)
#   REGISTRY          ghcr.io   registry to log in to
#   REGISTRY_USER, REGISTRY_TOKEN  optional; when the token is set it goes to `docker login --password-stdin`
#                     on standard input and nowhere else (it is removed from the environment at once)
#   PRUNE_UNTIL       72h       `docker image prune -af --filter until=...` after a healthy deploy
#   MIGRATE_COMMAND   optional  run by bash in DEPLOY_DIR after `up` and before the health check
#   APP_ENV           optional  the application's settings in dotenv format (NAME=VALUE lines, # comments, blank
#                     lines), sent like the token: an `export APP_ENV=...` line on standard input, removed from the
#                     environment at once, never an argument or printed. Written byte for byte, mode 0600, through
#                     a temporary file renamed over APP_ENV_FILE before `compose pull`, and kept per version as
#                     .gantry-settings-VERSION.env (0600) beside the state file; a rollback (or a failure before
#                     `up`) puts back the settings of the version it returns to. A quoted value that does not close
#                     on its own line (a multi-line value) is refused: write \n inside double quotes instead.
#                     Empty or unset: APP_ENV_FILE is left exactly as it is (settings managed by hand keep working).
#   APP_ENV_FILE      .env      the file in DEPLOY_DIR the settings go to (compose reads .env by itself; services
#                     get it with `env_file: .env`)
#
# Exit codes: 0 deployed and healthy; 1 a step failed before `up` (the running containers were not touched, the
# checkout was put back) or after the health check passed (record, prune); 2 bad settings or missing tools,
# nothing was run; 3 a step from `up` on failed and the last healthy release (checkout and digests) was started
# again; 4 a step from `up` on failed and there was nothing to roll back to, or the rollback failed.
set -euo pipefail
# Tracing would print the token; every step says what it runs instead.
{ set +x; } 2>/dev/null

readonly TAG_FILE=.gantry-deployed-tag
readonly SETTINGS_PREFIX=.gantry-settings-
readonly OVERRIDE=compose.gantry.yml
readonly DIGEST_REF='^[a-z0-9][a-z0-9._-]*(:[0-9]+)?(/[a-z0-9][a-z0-9._-]*)+@sha256:[0-9a-f]{64}$'
readonly TAG_NAME='^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$'
readonly LOG_LINES=50
readonly POLL_SECONDS=2
declare -A service_image=()

say() { printf 'deploy: %s\n' "$*"; }
complain() { printf 'deploy: %s\n' "$*" >&2; }

# Reads and checks the settings; prints every problem and exits 2 before anything runs.
read_settings() {
  local problems=()
  DEPLOY_DIR=${DEPLOY_DIR:-}
  IMAGE_TAG=${IMAGE_TAG:-}
  HEALTH_URL=${HEALTH_URL:-}
  HEALTH_TIMEOUT=${HEALTH_TIMEOUT:-120}
  HEALTH_REQUEST_TIMEOUT=${HEALTH_REQUEST_TIMEOUT:-10}
  REGISTRY=${REGISTRY:-ghcr.io}
  REGISTRY_USER=${REGISTRY_USER:-}
  GIT_TAG=${GIT_TAG:-$IMAGE_TAG}
  IMAGES=${IMAGES:-}
  PRUNE_UNTIL=${PRUNE_UNTIL:-72h}
  MIGRATE_COMMAND=${MIGRATE_COMMAND:-}
  APP_ENV_FILE=${APP_ENV_FILE:-.env}

  if [[ -z $DEPLOY_DIR ]]; then
    problems+=("DEPLOY_DIR is not set: the directory with the compose file")
  elif [[ ! -d $DEPLOY_DIR ]]; then
    problems+=("DEPLOY_DIR $DEPLOY_DIR is not a directory")
  fi
  if [[ -z $IMAGE_TAG ]]; then
    problems+=("IMAGE_TAG is not set: the version to deploy, e.g. 2026.11.0")
  elif [[ ! $IMAGE_TAG =~ $TAG_NAME ]]; then
    problems+=("IMAGE_TAG '$IMAGE_TAG' is not an image tag (letters, digits, _ . -; at most 128)")
  fi
  if [[ -z $HEALTH_URL ]]; then
    problems+=("HEALTH_URL is not set: the URL that answers 2xx when the service is healthy")
  elif [[ ! $HEALTH_URL =~ ^https?://[^[:space:]]+$ ]]; then
    problems+=("HEALTH_URL must be an http:// or https:// URL")
  fi
  [[ $HEALTH_TIMEOUT =~ ^[1-9][0-9]{0,5}$ ]] ||
    problems+=("HEALTH_TIMEOUT '$HEALTH_TIMEOUT' is not a whole number of seconds")
  [[ $HEALTH_REQUEST_TIMEOUT =~ ^[1-9][0-9]{0,5}$ ]] ||
    problems+=("HEALTH_REQUEST_TIMEOUT '$HEALTH_REQUEST_TIMEOUT' is not a whole number of seconds")
  [[ $REGISTRY =~ ^[A-Za-z0-9][A-Za-z0-9.:/_-]*$ ]] ||
    problems+=("REGISTRY '$REGISTRY' is not a registry host, e.g. ghcr.io")
  [[ $GIT_TAG =~ ^[A-Za-z0-9_][A-Za-z0-9._/-]{0,127}$ && $GIT_TAG != *..* ]] ||
    problems+=("GIT_TAG '$GIT_TAG' is not a tag name")
  images=()
  local image service seen=' '
  for image in $IMAGES; do
    if [[ ! $image =~ $DIGEST_REF ]]; then
      problems+=("IMAGES entry '$image' is not IMAGE@sha256:<64 hex>")
      continue
    fi
    service=${image%@*}
    service=${service##*/}
    if [[ $seen == *" $service "* ]]; then
      problems+=("IMAGES has two images for the compose service '$service'")
    fi
    seen+="$service "
    images+=("$image")
  done
  [[ $PRUNE_UNTIL =~ ^[0-9][0-9A-Za-z:.+-]*$ ]] ||
    problems+=("PRUNE_UNTIL '$PRUNE_UNTIL' is not a duration or timestamp, e.g. 72h")
  [[ $APP_ENV_FILE =~ ^\.?[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ && $APP_ENV_FILE != .gantry* ]] ||
    problems+=("APP_ENV_FILE '$APP_ENV_FILE' is not a file name in DEPLOY_DIR, e.g. .env")
  check_app_env
  if [[ -n $registry_token && -z $REGISTRY_USER ]]; then
    problems+=("REGISTRY_TOKEN is set but REGISTRY_USER is not")
  fi

  local tool
  for tool in git docker mv rm; do
    command -v "$tool" >/dev/null || problems+=("$tool is not on PATH")
  done
  # curl bounds a whole request with --max-time; wget only bounds idle time, so timeout(1) bounds it.
  if command -v curl >/dev/null; then
    http_client=curl
  elif command -v wget >/dev/null && command -v timeout >/dev/null; then
    http_client=wget
  else
    problems+=("the health check needs curl (or wget and timeout) on PATH")
  fi

  if ((${#problems[@]})); then
    local problem
    for problem in "${problems[@]}"; do
      complain "$problem"
    done
    complain "bad settings: nothing was run"
    exit 2
  fi
}

# Adds to problems every line of APP_ENV that is not blank, a comment or NAME=VALUE, by number only: the value
# is a secret. A quoted value must close on its line (compose would read on into the next lines).
check_app_env() {
  [[ -n $app_env ]] || return 0
  local line value number=0
  local double='^"([^"\\]|\\.)*"([[:space:]]+#.*)?$' single="^'[^']*'([[:space:]]+#.*)?$"
  while IFS= read -r line || [[ -n $line ]]; do
    number=$((number + 1))
    [[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
    if [[ ! $line =~ ^(export[[:space:]]+)?[A-Za-z_][A-Za-z0-9_]*= ]]; then
      problems+=("APP_ENV line $number is not NAME=VALUE, a # comment or blank")
      continue
    fi
    value=${line#*=}
    if [[ $value == \"* && ! $value =~ $double ]] || [[ $value == \'* && ! $value =~ $single ]]; then
      problems+=("APP_ENV line $number: a quoted value must close on its line (multi-line values are refused;" \
        "write \\n inside double quotes)")
    fi
  done <<<"$app_env"
}

# The last healthy deploy from the state file into previous_version, previous_tag, previous_commit and
# previous_images. An older file holds just a version; anything unreadable is ignored (nothing to roll back to).
read_state() {
  previous_version='' previous_tag='' previous_commit='' previous_images=()
  [[ -f $TAG_FILE ]] || return 0
  local line key value bad=''
  while IFS= read -r line || [[ -n $line ]]; do
    [[ -n $line ]] || continue
    if [[ $line != *=* ]]; then
      key=version value=$line # the one-line file of earlier versions
    else
      key=${line%%=*} value=${line#*=}
    fi
    case $key in
      version) [[ $value =~ $TAG_NAME ]] && previous_version=$value || bad=$line ;;
      tag) [[ $value =~ ^[A-Za-z0-9_][A-Za-z0-9._/-]{0,127}$ ]] && previous_tag=$value || bad=$line ;;
      commit) [[ $value =~ ^[0-9a-f]{40,64}$ ]] && previous_commit=$value || bad=$line ;;
      image) [[ $value =~ $DIGEST_REF ]] && previous_images+=("$value") || bad=$line ;;
      *) bad=$line ;;
    esac
  done <"$TAG_FILE"
  if [[ -n $bad ]]; then
    complain "ignoring $DEPLOY_DIR/$TAG_FILE: '$bad' is not a line it writes"
    previous_version='' previous_tag='' previous_commit='' previous_images=()
  fi
}

# Writes $2 to the file $1 in DEPLOY_DIR, mode 0600, atomically: a fresh temporary file (umask 077, noclobber),
# renamed over $1. printf is a builtin: the content is never an argument of any process.
write_private() {
  local tmp="$1.gantry-tmp"
  rm -f -- "$tmp" && (umask 077 && set -C && printf '%s' "$2" >"$tmp") && mv -f -- "$tmp" "$1"
}

# The settings of this deploy: kept for its version, then put in APP_ENV_FILE.
write_settings() {
  say "settings: APP_ENV ($(wc_lines "$app_env") line(s)) -> $DEPLOY_DIR/$APP_ENV_FILE, mode 0600"
  write_private "$SETTINGS_PREFIX$IMAGE_TAG.env" "$app_env" && write_private "$APP_ENV_FILE" "$app_env"
}

wc_lines() {
  local lines=()
  mapfile -t lines <<<"$1"
  printf '%d' "${#lines[@]}"
}

# Puts back the settings kept for version $1; without any, APP_ENV_FILE stays as it is (and says so).
restore_settings() {
  local kept="$SETTINGS_PREFIX$1.env" content=''
  if [[ ! -f $kept ]]; then
    complain "settings: none kept for $1; $APP_ENV_FILE is left as it is"
    return 0
  fi
  IFS= read -r -d '' content <"$kept" || true
  if write_private "$APP_ENV_FILE" "$content"; then
    say "settings: $APP_ENV_FILE is back to the settings of $1"
  else
    complain "FAILED: could not put back the settings of $1 in $APP_ENV_FILE"
    return 1
  fi
}

# Keeps the settings of this version and of the previous one (the one a rollback returns to); removes the rest.
prune_settings() {
  local kept
  for kept in "$SETTINGS_PREFIX"*.env; do
    [[ -f $kept ]] || continue
    case $kept in
      "$SETTINGS_PREFIX$IMAGE_TAG.env" | "$SETTINGS_PREFIX$previous_version.env") ;;
      *) rm -f -- "$kept" ;;
    esac
  done
}

# The checkout's own compose files, as compose would pick them, into release_files; then compose_files: those and
# the override when there is one.
find_compose_files() {
  local name
  release_files=()
  for name in compose.yaml compose.yml docker-compose.yaml docker-compose.yml; do
    if [[ -f $name ]]; then
      release_files+=(-f "$name")
      break
    fi
  done
  if ((${#release_files[@]} == 0)); then
    complain "no compose file (compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml) in the checkout"
    return 1
  fi
  for name in compose.override.yaml compose.override.yml docker-compose.override.yaml docker-compose.override.yml; do
    if [[ -f $name ]]; then
      release_files+=(-f "$name")
      break
    fi
  done
  compose_files=("${release_files[@]}")
  if [[ -f $OVERRIDE ]]; then
    compose_files+=(-f "$OVERRIDE")
  fi
}

# The repository a reference names, as Docker reads it: no tag, no digest, Docker Hub's short forms made whole
# (nginx -> docker.io/library/nginx, acme/api -> docker.io/acme/api, index.docker.io/... -> docker.io/...).
repository_of() {
  local ref=${1%%@*}
  [[ ${ref##*/} != *:* ]] || ref=${ref%:*}
  case ${ref%%/*} in
    "$ref") ref=docker.io/library/$ref ;;
    *.* | *:* | localhost) ref=${ref/#index.docker.io\//docker.io/} ;;
    *) ref=docker.io/$ref ;;
  esac
  [[ $ref != docker.io/* || ${ref#docker.io/} == */* ]] || ref=docker.io/library/${ref#docker.io/}
  printf '%s' "$ref"
}

# The services of the release's compose files and the image each names, as compose reads them (variables filled
# from the environment and .env): `docker compose config --format json`, into service_names (file order) and
# service_image. Compose (like jq) prints one member per line, so a line that ends in { or [ opens a level and one
# that starts with } or ] closes it; the output is held in a variable only (env_file values are in it).
read_services() {
  local json line key value depth=0 section='' service=''
  service_names=()
  service_image=()
  json=$(docker compose "${release_files[@]}" config --format json) || {
    complain "docker compose ${release_files[*]} config failed"
    return 1
  }
  while IFS= read -r line; do
    line=${line#"${line%%[![:space:]]*}"}
    [[ $line != [\]\}]* ]] || depth=$((depth - 1))
    key='' value=$line
    if [[ $line =~ ^\"([^\"\\]*)\":[[:space:]]*(.*)$ ]]; then
      key=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
    fi
    if ((depth == 1)); then
      section=$key
    elif ((depth == 2)) && [[ $section == services && -n $key ]]; then
      service=$key
      service_names+=("$service")
    elif ((depth == 3)) && [[ $section == services && $key == image && $value =~ ^\"([^\"\\]+)\",?$ ]]; then
      service_image[$service]=${BASH_REMATCH[1]}
    fi
    [[ $value != *[\{\[] ]] || depth=$((depth + 1))
  done <<<"$json"
  if ((depth != 0 || ${#service_names[@]} == 0)); then
    complain "cannot read the services in the output of docker compose config --format json"
    return 1
  fi
}

# Pins every service of the release's compose files that runs one of the digests given as arguments
# (IMAGE@sha256:...): the service named after the image's last path segment, and every service whose image is the
# same repository (any tag or none); the name comes first (a service `api` runs api's digest whatever its image).
# The override holds those services, in compose's order (it is removed when there are none); then compose_files is
# set. A digest no service runs is named and left out: an override entry would make compose start a new service.
pin_digests() {
  local image service repository
  local -A pinned=()
  local order=() unused=()
  find_compose_files || return 1
  service_names=()
  if (($# > 0)); then
    say "pin digests: docker compose ${release_files[*]} config --format json (the services' images)"
    read_services || return 1
  fi
  for service in "${service_names[@]}"; do
    for image in "$@"; do
      [[ $service == "$(name_of "$image")" ]] && pinned[$service]=$image && break
    done
    if [[ -z ${pinned[$service]:-} && -n ${service_image[$service]:-} ]]; then
      repository=$(repository_of "${service_image[$service]}")
      for image in "$@"; do
        [[ $(repository_of "$image") == "$repository" ]] && pinned[$service]=$image && break
      done
    fi
    [[ -z ${pinned[$service]:-} ]] || order+=("$service")
  done
  for image in "$@"; do
    [[ " ${pinned[*]} " == *" $image "* ]] || unused+=("$image")
  done
  if ((${#order[@]} == 0)); then
    say "pin digests: none; the compose files run as they are: ${release_files[*]}"
    rm -f "$OVERRIDE"
  else
    {
      printf '# Written by Gantry scripts/deploy.sh: the released digests, for every service that runs one. Do not edit.\n'
      printf 'services:\n'
      for service in "${order[@]}"; do
        printf '  %s:\n    image: %s\n' "$service" "${pinned[$service]}"
      done
    } >"$OVERRIDE.tmp" && mv -f "$OVERRIDE.tmp" "$OVERRIDE" || return 1
    for service in "${order[@]}"; do
      say "pin: $service ${pinned[$service]}"
    done
  fi
  if ((${#unused[@]})); then
    say "pin digests: no service runs ${unused[*]}"
  fi
  find_compose_files && say "compose files: ${compose_files[*]}"
}

# The compose service an image is named for: its last path segment (ghcr.io/acme/api@sha256:... -> api).
name_of() {
  local name=${1%@*}
  printf '%s' "${name##*/}"
}

compose() {
  docker compose "${compose_files[@]}" "$@"
}

# Checks out $1 (a commit or ref) detached.
switch_to() {
  git -c advice.detachedHead=false checkout --quiet --detach "$1"
}

registry_login() {
  say "registry login: docker login $REGISTRY -u $REGISTRY_USER --password-stdin"
  # printf is a builtin: the token is never an argument of any process.
  printf '%s' "$registry_token" | docker login "$REGISTRY" -u "$REGISTRY_USER" --password-stdin
}

# Runs one step; on failure says which step failed and returns its status.
step() {
  local name=$1 status=0
  shift
  if [[ $1 == compose ]]; then
    say "$name: docker compose ${compose_files[*]} ${*:2}"
  elif [[ $(type -t "$1") != function ]]; then
    say "$name: $*"
  fi
  "$@" || status=$?
  ((status == 0)) || complain "FAILED: step '$name' exited $status"
  return "$status"
}

# The override as this run found it: the same bytes, or none.
put_back_override() {
  if ((start_override_found)); then
    printf '%s' "$start_override" >"$OVERRIDE.tmp" && mv -f "$OVERRIDE.tmp" "$OVERRIDE"
  else
    rm -f "$OVERRIDE"
  fi
}

# A step before `up` failed: nothing that runs was changed; the checkout and the override go back as they were.
untouched() {
  if ((switched)) && [[ -n $start_commit ]]; then
    if switch_to "$start_commit" && put_back_override; then
      complain "the checkout is back at $start_commit"
    else
      complain "FAILED: could not put the checkout back at $start_commit"
    fi
  fi
  if ((settings_written)) && [[ -n $previous_version ]]; then
    restore_settings "$previous_version" || true
  fi
  complain "the running containers were not touched"
  exit 1
}

# Wall-clock milliseconds into $now (bash has no monotonic clock).
clock() {
  if [[ -n ${EPOCHREALTIME:-} ]]; then
    local micros=${EPOCHREALTIME/[.,]/}
    now=$((micros / 1000))
  else
    now=$((SECONDS * 1000)) # bash < 5: whole seconds
  fi
}

# Milliseconds as seconds with three decimals, for curl, timeout and sleep.
seconds() {
  printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
}

# One health request of at most $1 milliseconds; sets probe_result.
probe() {
  local limit code status=0
  limit=$(seconds "$1")
  if [[ $http_client == curl ]]; then
    code=$(curl --silent --output /dev/null --write-out '%{http_code}' \
      --max-time "$limit" --connect-timeout "$limit" "$HEALTH_URL") || status=$?
    if [[ $code == 2[0-9][0-9] ]]; then
      probe_result="HTTP $code"
      return 0
    fi
    if [[ $code =~ ^[1-9] ]]; then
      probe_result="HTTP $code"
    elif ((status == 28)); then
      probe_result="no answer within $limit s"
    else
      probe_result="no answer (curl exit $status)"
    fi
    return 1
  fi
  # wget's -T bounds each read, not the request (busybox wget takes whole seconds): timeout(1) bounds it all.
  timeout "$limit" wget -q -O /dev/null -T $((($1 + 999) / 1000)) "$HEALTH_URL" || status=$?
  case $status in
    0) probe_result="2xx" ;;
    124) probe_result="no answer within $limit s" ;;
    8) probe_result="an HTTP error status" ;;
    *) probe_result="no answer (wget exit $status)" ;;
  esac
  return "$status"
}

# Polls HEALTH_URL until it answers 2xx or HEALTH_TIMEOUT seconds have passed; no request outlasts that.
health_check() {
  local now start deadline left attempts=0
  local request_ms=$((HEALTH_REQUEST_TIMEOUT * 1000)) poll_ms=$((POLL_SECONDS * 1000))
  clock
  start=$now
  deadline=$((start + HEALTH_TIMEOUT * 1000))
  say "health check: $HEALTH_URL, up to $HEALTH_TIMEOUT s, with $http_client"
  probe_result="no answer"
  while clock && left=$((deadline - now)) && ((left > 0)); do
    attempts=$((attempts + 1))
    if probe $((left < request_ms ? left : request_ms)); then
      clock
      say "healthy: $probe_result after $(seconds $((now - start))) s"
      return 0
    fi
    clock
    left=$((deadline - now))
    ((left > 0)) || break
    sleep "$(seconds $((left < poll_ms ? left : poll_ms)))"
  done
  complain "FAILED: step 'health check': no 2xx from $HEALTH_URL within $HEALTH_TIMEOUT s" \
    "(requests: $attempts, last: $probe_result)"
  return 1
}

show_containers() {
  say "docker compose ps:"
  compose ps || true
  say "last $LOG_LINES log lines per container:"
  compose logs --no-color --tail "$LOG_LINES" || true
}

# Starts the last healthy release again (its checkout, its digests) and exits 3, or exits 4 when that is not
# possible.
roll_back() {
  show_containers
  if [[ -z $previous_version ]]; then
    complain "not rolled back: no healthy version recorded in $DEPLOY_DIR/$TAG_FILE; $IMAGE_TAG stays up"
    exit 4
  fi
  if [[ $previous_version == "$IMAGE_TAG" ]]; then
    complain "not rolled back: the last healthy version is $IMAGE_TAG itself"
    exit 4
  fi
  # The recorded commit; an older state file has none, and then the checkout as this run found it.
  local commit=${previous_commit:-$start_commit}
  say "rollback: git checkout --detach $commit, ${#previous_images[@]} digest(s), IMAGE_TAG=$previous_version" \
    "docker compose up -d --remove-orphans"
  if switch_to "$commit" && restore_settings "$previous_version" &&
    IMAGE_TAG=$previous_version pin_digests "${previous_images[@]}" &&
    IMAGE_TAG=$previous_version compose up -d --remove-orphans; then
    complain "rolled back to $previous_version; $IMAGE_TAG was not deployed"
    exit 3
  fi
  complain "FAILED: rollback to $previous_version failed; $IMAGE_TAG may still be running"
  exit 4
}

record_state() {
  {
    printf 'version=%s\ntag=%s\ncommit=%s\n' "$IMAGE_TAG" "$GIT_TAG" "$commit"
    if ((${#images[@]})); then
      printf 'image=%s\n' "${images[@]}"
    fi
  } >"$TAG_FILE.tmp" && mv -f "$TAG_FILE.tmp" "$TAG_FILE"
}

main() {
  # Children never see the token, whatever they print or pass on.
  registry_token=${REGISTRY_TOKEN:-}
  unset REGISTRY_TOKEN
  # Nor the application's settings.
  app_env=${APP_ENV:-}
  unset APP_ENV
  # Sent as `bash -s`, the rest of this script is on stdin: no command may read it.
  exec </dev/null

  read_settings
  if ! cd "$DEPLOY_DIR"; then
    complain "cannot enter DEPLOY_DIR $DEPLOY_DIR: nothing was run"
    exit 2
  fi
  read_state
  export IMAGE_TAG
  say "deploying $IMAGE_TAG (git tag $GIT_TAG, ${#images[@]} digest(s)) in $DEPLOY_DIR" \
    "(last healthy: ${previous_version:-none}${previous_tag:+, git tag $previous_tag})"

  # What to put back if a step before `up` fails.
  switched=0 settings_written=0
  start_commit=$(git rev-parse --verify --quiet 'HEAD^{commit}') || start_commit=''
  start_override='' start_override_found=0
  if [[ -f $OVERRIDE ]]; then
    start_override_found=1
    IFS= read -r -d '' start_override <"$OVERRIDE" || true
  fi
  step "git fetch" git fetch --quiet --no-tags --force origin "refs/tags/$GIT_TAG:refs/tags/$GIT_TAG" || untouched
  commit=$(git rev-parse --verify --quiet "refs/tags/$GIT_TAG^{commit}") || commit=''
  if [[ -z $commit ]]; then
    complain "FAILED: step 'git fetch': the tag $GIT_TAG names no commit"
    untouched
  fi
  switched=1
  step "git checkout" switch_to "$commit" || untouched
  say "checked out $GIT_TAG ($commit)"
  if [[ -n $app_env ]]; then
    settings_written=1
    step "settings" write_settings || untouched
  else
    say "settings: APP_ENV is not set; $APP_ENV_FILE is left as it is"
  fi
  if [[ -n $registry_token ]]; then
    step "registry login" registry_login || untouched
  else
    say "registry login: skipped, REGISTRY_TOKEN is not set"
  fi
  step "pin digests" pin_digests "${images[@]}" || untouched
  step "compose pull" compose pull || untouched

  # From here on the server runs something new: any failure rolls back.
  step "compose up" compose up -d --remove-orphans || roll_back
  if [[ -n $MIGRATE_COMMAND ]]; then
    step "migrations" bash -c "$MIGRATE_COMMAND" || roll_back
  fi
  health_check || roll_back

  if ! record_state; then
    complain "FAILED: step 'record tag': cannot write $DEPLOY_DIR/$TAG_FILE; $IMAGE_TAG is up and healthy"
    exit 1
  fi
  prune_settings
  if ! step "prune" docker image prune -af --filter "until=$PRUNE_UNTIL"; then
    complain "$IMAGE_TAG is up and healthy; only the prune failed"
    exit 1
  fi
  say "deployed $IMAGE_TAG: healthy"
}

main "$@"
