#!/usr/bin/env bash
# Runs one released version on this server with docker compose, checks its health, rolls back if it is not
# healthy. It runs on the server, sent over SSH by the release workflow, for example:
#
#   { printf 'export REGISTRY_TOKEN=%q\n' "$TOKEN"; cat scripts/deploy.sh; } |
#     ssh deploy@host 'DEPLOY_DIR=/srv/app IMAGE_TAG=2026.11.0 HEALTH_URL=http://127.0.0.1:8080/health bash -s'
#
# Settings (environment):
#   DEPLOY_DIR        required  the checkout holding the compose file, which refers to ${IMAGE_TAG}
#   IMAGE_TAG         required  the version to run, e.g. 2026.11.0
#   HEALTH_URL        required  http(s) URL that answers 2xx once the new version is healthy
#   HEALTH_TIMEOUT    120       seconds to wait for a 2xx before rolling back
#   HEALTH_REQUEST_TIMEOUT 10   seconds one health request may take (never past HEALTH_TIMEOUT)
#   REGISTRY          ghcr.io   registry to log in to
#   REGISTRY_USER, REGISTRY_TOKEN  optional; when the token is set it goes to `docker login --password-stdin`
#                     on standard input and nowhere else (it is removed from the environment at once)
#   GIT_REF           main      branch or tag to `git pull --ff-only` from origin
#   PRUNE_UNTIL       72h       `docker image prune -af --filter until=...` after a healthy deploy
#   MIGRATE_COMMAND   optional  run by bash in DEPLOY_DIR after `up` and before the health check
#
# Exit codes: 0 deployed and healthy; 1 a step failed before `up` (the running containers were not touched)
# or after the health check passed (record, prune); 2 bad settings or missing tools, nothing was run;
# 3 a step from `up` on failed and the last healthy tag was started again; 4 a step from `up` on failed and
# there was nothing to roll back to, or the rollback failed.
set -euo pipefail
# Tracing would print the token; every step says what it runs instead.
{ set +x; } 2>/dev/null

readonly TAG_FILE=.gantry-deployed-tag
readonly LOG_LINES=50
readonly POLL_SECONDS=2

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
  GIT_REF=${GIT_REF:-main}
  PRUNE_UNTIL=${PRUNE_UNTIL:-72h}
  MIGRATE_COMMAND=${MIGRATE_COMMAND:-}

  if [[ -z $DEPLOY_DIR ]]; then
    problems+=("DEPLOY_DIR is not set: the directory with the compose file")
  elif [[ ! -d $DEPLOY_DIR ]]; then
    problems+=("DEPLOY_DIR $DEPLOY_DIR is not a directory")
  fi
  if [[ -z $IMAGE_TAG ]]; then
    problems+=("IMAGE_TAG is not set: the version to deploy, e.g. 2026.11.0")
  elif [[ ! $IMAGE_TAG =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
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
  [[ $GIT_REF =~ ^[A-Za-z0-9_][A-Za-z0-9._/-]*$ ]] ||
    problems+=("GIT_REF '$GIT_REF' is not a branch or tag name")
  [[ $PRUNE_UNTIL =~ ^[0-9][0-9A-Za-z:.+-]*$ ]] ||
    problems+=("PRUNE_UNTIL '$PRUNE_UNTIL' is not a duration or timestamp, e.g. 72h")
  if [[ -n $registry_token && -z $REGISTRY_USER ]]; then
    problems+=("REGISTRY_TOKEN is set but REGISTRY_USER is not")
  fi

  local tool
  for tool in git docker; do
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

# The tag recorded by the last healthy deploy, or nothing.
recorded_tag() {
  local tag=''
  if [[ -f $TAG_FILE ]]; then
    read -r tag <"$TAG_FILE" || true
  fi
  if [[ -n $tag && ! $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
    complain "ignoring $DEPLOY_DIR/$TAG_FILE: '$tag' is not an image tag"
    tag=''
  fi
  printf '%s' "$tag"
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
  [[ $(type -t "$1") == function ]] || say "$name: $*"
  "$@" || status=$?
  ((status == 0)) || complain "FAILED: step '$name' exited $status"
  return "$status"
}

# A step before `up` failed: nothing that runs was changed.
untouched() {
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
  docker compose ps || true
  say "last $LOG_LINES log lines per container:"
  docker compose logs --no-color --tail "$LOG_LINES" || true
}

# Starts the last healthy tag again and exits 3, or exits 4 when that is not possible.
roll_back() {
  show_containers
  if [[ -z $previous_tag ]]; then
    complain "not rolled back: no healthy tag recorded in $DEPLOY_DIR/$TAG_FILE; $IMAGE_TAG stays up"
    exit 4
  fi
  if [[ $previous_tag == "$IMAGE_TAG" ]]; then
    complain "not rolled back: the last healthy tag is $IMAGE_TAG itself"
    exit 4
  fi
  say "rollback: IMAGE_TAG=$previous_tag docker compose up -d --remove-orphans"
  if IMAGE_TAG=$previous_tag docker compose up -d --remove-orphans; then
    complain "rolled back to $previous_tag; $IMAGE_TAG was not deployed"
    exit 3
  fi
  complain "FAILED: rollback to $previous_tag failed; $IMAGE_TAG may still be running"
  exit 4
}

record_tag() {
  printf '%s\n' "$IMAGE_TAG" >"$TAG_FILE.tmp" && mv -f "$TAG_FILE.tmp" "$TAG_FILE"
}

main() {
  # Children never see the token, whatever they print or pass on.
  registry_token=${REGISTRY_TOKEN:-}
  unset REGISTRY_TOKEN
  # Sent as `bash -s`, the rest of this script is on stdin: no command may read it.
  exec </dev/null

  read_settings
  if ! cd "$DEPLOY_DIR"; then
    complain "cannot enter DEPLOY_DIR $DEPLOY_DIR: nothing was run"
    exit 2
  fi
  previous_tag=$(recorded_tag)
  export IMAGE_TAG
  say "deploying $IMAGE_TAG in $DEPLOY_DIR (last healthy: ${previous_tag:-none})"

  step "git pull" git pull --ff-only origin "$GIT_REF" || untouched
  if [[ -n $registry_token ]]; then
    step "registry login" registry_login || untouched
  else
    say "registry login: skipped, REGISTRY_TOKEN is not set"
  fi
  step "compose pull" docker compose pull || untouched

  # From here on the server runs something new: any failure rolls back.
  step "compose up" docker compose up -d --remove-orphans || roll_back
  if [[ -n $MIGRATE_COMMAND ]]; then
    step "migrations" bash -c "$MIGRATE_COMMAND" || roll_back
  fi
  health_check || roll_back

  if ! record_tag; then
    complain "FAILED: step 'record tag': cannot write $DEPLOY_DIR/$TAG_FILE; $IMAGE_TAG is up and healthy"
    exit 1
  fi
  if ! step "prune" docker image prune -af --filter "until=$PRUNE_UNTIL"; then
    complain "$IMAGE_TAG is up and healthy; only the prune failed"
    exit 1
  fi
  say "deployed $IMAGE_TAG: healthy"
}

main "$@"
