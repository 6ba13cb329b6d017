#!/usr/bin/env bash
# scripts/lib/compose-standin.sh - the `docker` that scripts/rehearse.sh puts first on the rehearsal server's PATH,
# since this machine has no Docker engine. It does, with real parts, the few things scripts/deploy.sh asks of docker:
#
#   docker compose [-f FILE]... pull|up -d [--remove-orphans]|run --rm SERVICE [ARG...]|ps|logs [--tail N]|down
#   docker compose [-f FILE]... config --format json      (the merged, interpolated model, one member per line)
#   docker login REGISTRY -u USER --password-stdin       (reads the password and keeps nothing)
#   docker image prune ...                               (removes pulled images no container uses)
#
# pull: each service's image reference (compose's ${VAR:-default} filled from the environment, then .env) is looked
# up in the registry with skopeo, and the image copied by that digest (skopeo copy docker://REPO@sha256:...); up and
# run use the digest the last pull found for a tag, as Docker runs its local images.
# up/run: the image's layers are unpacked into a fresh root file system and the service's entrypoint and command run
# in it (chroot, in a private mount namespace with the service's volumes bind-mounted; host network), with the
# image's Env, the env_file and environment entries in its environment (never on a command line). `depends_on`
# conditions are kept: service_completed_successfully runs the one-shot service to its end first, service_healthy
# waits for the healthcheck's CMD/CMD-SHELL (run in the same root file system) to pass.
# What differs from Docker: no network namespaces, so `ports` are not mapped (a service listens on the host port
# itself); no restart policies, no user namespaces, no resource limits; registries are spoken to over plain HTTP
# only on loopback (skopeo --tls-verify=false for 127.0.0.1/localhost).
#
# State: COMPOSE_STANDIN_STATE (required): images/<hex>/ (skopeo dir: copies), containers/<project>/<service>/
# (rootfs, pid, image: the digest it runs, configured: its image as the compose files name it, log, exit),
# volumes/<project>_<name>/.
set -euo pipefail

state=${COMPOSE_STANDIN_STATE:?COMPOSE_STANDIN_STATE is not set}
readonly state
me=$(readlink -f "$0")
readonly me

say() { printf '%s\n' "$*"; }
die() {
  printf 'docker (stand-in): %s\n' "$*" >&2
  exit 1
}

tls_flag() { # OPTION REFERENCE -> OPTION=false for a loopback registry, else OPTION=true
  case $2 in
    127.0.0.1[:/]* | localhost[:/]*) printf -- '%s=false' "$1" ;;
    *) printf -- '%s=true' "$1" ;;
  esac
}

# ---- the compose model ----

# A dotenv file (default .env of the project directory) as a JSON object: NAME=VALUE lines, optional quotes,
# # comments; a missing file is {}. The values are settings (secrets among them): they reach jq on standard input
# (printf is a builtin), never as an argument of any process.
dotenv_json() { # [FILE]
  local file=${1:-.env} line name value
  [[ -f $file ]] || {
    printf '{}'
    return
  }
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    name=${BASH_REMATCH[2]} value=${BASH_REMATCH[3]}
    if [[ $value =~ ^\"(.*)\"([[:space:]]+#.*)?$ ]]; then
      value=${BASH_REMATCH[1]}
      value=${value//\\n/$'\n'}
    elif [[ $value =~ ^\'(.*)\'([[:space:]]+#.*)?$ ]]; then
      value=${BASH_REMATCH[1]}
    else
      value=${value%%[[:space:]]#*}
    fi
    printf '%s\0%s\0' "$name" "$value"
  done <"$file" | jq -Rsc 'split("\u0000") | .[:-1] | [range(0; length; 2) as $i | {(.[$i]): .[$i + 1]}] | add // {}'
}

# shellcheck source=scripts/lib/yaml-json.sh
. "${me%/*}/yaml-json.sh"

# The merged compose files as JSON, ${VAR}, ${VAR:-default} and ${VAR-default} filled in (the environment first,
# then .env, as compose does). Sets model.
load_model() {
  local vars files=() f
  vars=$(dotenv_json | jq -c '. + ($ENV | with_entries(select(.key | test("^[A-Za-z_]"))))')
  [[ -n ${yq_flavour:-} ]] || which_yq # once: the calls below run in subshells
  for f in "${compose_files[@]}"; do
    [[ -f $f ]] || die "no compose file $f in $PWD"
    files+=("$(yaml_json "$f")") || die "cannot read $f"
  done
  # The variables go first on standard input, not on jq's command line: .env holds the application's secrets.
  model=$(printf '%s\n' "$vars" "${files[@]}" | jq -cs '
    .[0] as $vars
    | reduce .[1:][] as $f ({}; . * $f)
    | walk(if type == "string" then
        gsub("\\$\\{(?<n>[A-Za-z_][A-Za-z0-9_]*)((?<op>:?-)(?<d>[^}]*))?\\}";
          (.n as $n | .op as $op | .d as $d | ($vars[$n] // null) as $v
           | if $v == null then ($d // "")
             elif $v == "" and $op == ":-" then $d
             else $v end))
      else . end)')
  project=$(jq -r '.name // empty' <<<"$model")
  project=${project:-$(basename "$PWD")}
}

services() { jq -r '.services | keys_unsorted[]' <<<"$model"; }
service_field() { jq -c --arg s "$1" ".services[\$s]$2" <<<"$model"; }

# Services in start order: each after what it depends on.
start_order() {
  local -A done_=()
  local order=() progress=1 s dep ready
  while ((progress)); do
    progress=0
    for s in $(services); do
      [[ -z ${done_[$s]:-} ]] || continue
      ready=1
      for dep in $(jq -r --arg s "$s" '.services[$s].depends_on // {} | if type == "array" then .[] else keys[] end' <<<"$model"); do
        [[ -n ${done_[$dep]:-} ]] || ready=0
      done
      if ((ready)); then
        order+=("$s")
        done_[$s]=1
        progress=1
      fi
    done
  done
  ((${#order[@]} == $(services | wc -l))) || die "depends_on has a cycle"
  printf '%s\n' "${order[@]}"
}

# ---- images ----

image_dir() { printf '%s/images/%s' "$state" "${1#sha256:}"; }

# The image of SERVICE, pulled if needed: prints REPOSITORY@sha256:<hex>. A tag is looked up in the registry by
# `pull` (mode "pull"); `up` and `run` use what the last pull found for it, as Docker uses its local images, and ask
# the registry only for a tag never pulled.
pull_service() { # SERVICE [pull]
  local ref repo digest dir known
  ref=$(jq -r --arg s "$1" '.services[$s].image // empty' <<<"$model")
  [[ -n $ref ]] || die "service $1 has no image (build: is not supported)"
  if [[ $ref == *@sha256:* ]]; then
    repo=${ref%@*} digest=${ref#*@}
  else
    repo=$ref
    [[ ${ref##*/} != *:* ]] || repo=${ref%:*}
    known="$state/tags/${ref//[\/:]/_}"
    if [[ ${2:-} == pull || ! -f $known ]]; then
      # The digest of the bytes the registry answers for the tag (pipefail: a failed read fails the assignment).
      digest=sha256:$(skopeo inspect --raw "$(tls_flag --tls-verify "$ref")" "docker://$ref" | sha256sum | cut -d' ' -f1) ||
        die "pull $1: cannot read $ref"
      mkdir -p "$state/tags"
      printf '%s' "$digest" >"$known"
    fi
    digest=$(<"$known")
  fi
  dir=$(image_dir "$digest")
  mkdir -p "$state/images"
  if [[ ! -f $dir/manifest.json ]]; then
    rm -rf "$dir.tmp"
    skopeo copy --quiet "$(tls_flag --src-tls-verify "$ref")" \
      "docker://$repo@$digest" "dir:$dir.tmp" >&2 || die "pull $1: skopeo copy docker://$repo@$digest failed"
    [[ sha256:$(sha256sum <"$dir.tmp/manifest.json" | cut -d' ' -f1) == "$digest" ]] ||
      die "pull $1: the manifest read is not $digest"
    mv "$dir.tmp" "$dir"
  fi
  printf '%s@%s' "$repo" "$digest"
}

# ---- containers ----

cdir() { printf '%s/containers/%s/%s' "$state" "$project" "$1"; }

running() { # DIR
  local pid
  [[ -f $1/pid ]] && pid=$(<"$1/pid") && kill -0 "$pid" 2>/dev/null
}

stop_container() { # DIR
  local pid i
  if running "$1"; then
    pid=$(<"$1/pid")
    kill -TERM -- "-$pid" 2>/dev/null || true
    for i in {1..50}; do
      kill -0 "$pid" 2>/dev/null || break
      ((i < 50)) || kill -KILL -- "-$pid" 2>/dev/null || true
      sleep 0.1
    done
  fi
  rm -rf --one-file-system "$1"
}

# Writes the container of SERVICE (image, rootfs, command, environment, volumes) into DIR; ARGS replace the command.
create_container() { # SERVICE DIR IMAGE_REF [ARG...]
  local service=$1 dir=$2 ref=$3 config layer name target source
  shift 3
  stop_container "$dir"
  mkdir -p "$dir/rootfs"
  local images
  images=$(image_dir "${ref#*@}")
  config=$(jq -r '.config.digest' "$images/manifest.json")
  for layer in $(jq -r '.layers[].digest' "$images/manifest.json"); do
    tar -xf "$images/${layer#sha256:}" -C "$dir/rootfs" --no-same-owner || die "unpack $service: layer $layer"
  done
  printf '%s' "$ref" >"$dir/image"
  jq -j --arg s "$service" '.services[$s].image' <<<"$model" >"$dir/configured"
  # The command: compose's entrypoint/command over the image's; arguments of `run` over both.
  # The image's config and the service on standard input (an interpolated value may be a secret); run's arguments
  # are the command itself.
  { cat "$images/${config#sha256:}" && service_field "$service" ''; } | jq -s '
    def list: if . == null then null elif type == "string" then ["/bin/sh", "-c", .] else . end;
    .[0] as $c | .[1] as $s
    | (($s.entrypoint | list) // $c.config.Entrypoint // [])
      + (if ($ARGS.positional | length) > 0 then $ARGS.positional else (($s.command | list) // $c.config.Cmd // []) end)
    | .[]' --args "$@" | jq -j '. + "\u0000"' >"$dir/cmd"
  (
    umask 077
    # The environment, NUL-separated: the image's Env, then env_file, then environment (later wins).
    {
      jq -j '.config.Env // [] | .[] | . + "\u0000"' "$images/${config#sha256:}"
      for name in $(jq -r '(.env_file // []) | if type == "string" then [.] else . end | .[]' <<<"$(service_field "$service" '')"); do
        [[ -f $name ]] || die "$service: env_file $name is missing"
        dotenv_json "$name" | jq -j 'to_entries[] | "\(.key)=\(.value)\u0000"'
      done
      jq -j '(.environment // {}) | if type == "array" then .[] else to_entries[] | "\(.key)=\(.value // "")" end
        | . + "\u0000"' <<<"$(service_field "$service" '')"
    } >"$dir/env"
  )
  : >"$dir/volumes"
  while IFS=: read -r source target _; do
    [[ -n $source ]] || continue
    if [[ $source == /* || $source == .* ]]; then
      source=$(readlink -m "$source")
    else
      source="$state/volumes/${project}_$source"
    fi
    mkdir -p "$source" "$dir/rootfs$target"
    printf '%s\t%s\n' "$source" "$target" >>"$dir/volumes"
  done < <(jq -r '.volumes // [] | .[] | if type == "string" then . else "\(.source):\(.target)" end' <<<"$(service_field "$service" '')")
}

# Runs inside the container's own mount namespace: binds the volumes, sets the environment, execs the command.
in_container() { # DIR [healthcheck]
  local dir=$1 source target cmd=() env=() name
  # A /dev as Docker gives one: a tmpfs with the harmless device nodes (bound from the host's).
  mkdir -p "$dir/rootfs/dev"
  mount -t tmpfs -o mode=755,nosuid tmpfs "$dir/rootfs/dev"
  for name in null zero random urandom; do
    : >"$dir/rootfs/dev/$name"
    mount --bind "/dev/$name" "$dir/rootfs/dev/$name"
  done
  while IFS=$'\t' read -r source target; do
    mount --bind "$source" "$dir/rootfs$target"
  done <"$dir/volumes"
  if [[ ${2:-} == healthcheck ]]; then
    mapfile -d '' -t cmd <"$dir/healthcheck"
  else
    mapfile -d '' -t cmd <"$dir/cmd"
  fi
  mapfile -d '' -t env <"$dir/env"
  ((${#cmd[@]})) || die "$dir: no command"
  while read -r name; do unset "$name" 2>/dev/null || true; done < <(compgen -e)
  for name in "${env[@]}"; do
    export "${name?}"
  done
  [[ -n ${PATH:-} ]] || export PATH=/usr/local/bin:/usr/bin:/bin
  exec /usr/sbin/chroot "$dir/rootfs" "${cmd[@]}"
}

# In its own mount namespace and process group, in the background; records the pid.
start_container() { # DIR
  setsid /usr/bin/unshare --mount --propagation private --fork -- /bin/bash "$me" __in-container "$1" \
    >>"$1/log" 2>&1 </dev/null &
  printf '%s' "$!" >"$1/pid"
}

run_to_end() { # DIR -> the command's exit status
  local status=0
  /usr/bin/unshare --mount --propagation private --fork -- /bin/bash "$me" __in-container "$1" >>"$1/log" 2>&1 \
    </dev/null || status=$?
  printf '%s' "$status" >"$1/exit"
  return "$status"
}

# The healthcheck of SERVICE in DIR passes within its retries.
await_healthy() { # SERVICE DIR
  local test interval retries i
  test=$(service_field "$1" '.healthcheck.test // empty')
  [[ -n $test ]] || die "$1: depends_on service_healthy, but $1 has no healthcheck"
  jq -j 'if type == "string" then ["/bin/sh", "-c", .] elif .[0] == "CMD-SHELL" then ["/bin/sh", "-c", .[1]]
    else .[1:] end | .[] | . + "\u0000"' <<<"$test" >"$2/healthcheck"
  interval=$(service_field "$1" '.healthcheck.interval // "2s"' | tr -d '"s')
  retries=$(service_field "$1" '.healthcheck.retries // 15')
  for ((i = 1; i <= retries; i++)); do
    running "$2" || die "$1 exited before it was healthy: $(tail -n 5 "$2/log")"
    if /usr/bin/unshare --mount --propagation private --fork -- /bin/bash "$me" __in-container "$2" healthcheck \
      >/dev/null 2>&1 </dev/null; then
      say " Container ${project}-$1-1  Healthy"
      return 0
    fi
    sleep "$interval"
  done
  die "$1 is not healthy after $retries checks"
}

# ---- commands ----

compose_pull() {
  local s ref
  for s in $(services); do
    ref=$(pull_service "$s" pull)
    say " $s Pulled $ref"
  done
}

compose_up() {
  local s dir ref dep cond
  for s in $(start_order); do
    dir=$(cdir "$s")
    ref=$(pull_service "$s")
    while IFS=$'\t' read -r dep cond; do
      [[ -n $dep && $cond == service_healthy ]] && await_healthy "$dep" "$(cdir "$dep")"
    done < <(jq -r --arg s "$s" '.services[$s].depends_on // {} | if type == "array" then .[] | [., "service_started"]
      else to_entries[] | [.key, (.value.condition // "service_started")] end | @tsv' <<<"$model")
    create_container "$s" "$dir" "$ref"
    if jq -e --arg s "$s" '[.services[] | .depends_on // {} | select(type == "object") | .[$s].condition]
        | index("service_completed_successfully")' <<<"$model" >/dev/null; then
      run_to_end "$dir" || die "$s exited $(<"$dir/exit"): $(tail -n 5 "$dir/log")"
      say " Container ${project}-$s-1  Exited (0) $ref"
    else
      start_container "$dir"
      say " Container ${project}-$s-1  Started $ref"
    fi
  done
  if [[ ${remove_orphans:-0} == 1 ]]; then
    for dir in "$state/containers/$project"/*; do
      [[ -d $dir ]] || continue
      jq -e --arg s "${dir##*/}" '.services | has($s)' <<<"$model" >/dev/null || {
        stop_container "$dir"
        say " Container ${project}-${dir##*/}-1  Removed (orphan)"
      }
    done
  fi
}

compose_run() { # SERVICE [ARG...]
  local s=$1 dir ref status=0
  shift
  dir="$state/containers/$project.run/$s-$$"
  ref=$(pull_service "$s")
  create_container "$s" "$dir" "$ref" "$@"
  run_to_end "$dir" || status=$?
  cat "$dir/log"
  rm -rf --one-file-system "$dir"
  return "$status"
}

compose_ps() {
  local dir status
  printf '%-10s %-80s %s\n' SERVICE IMAGE STATUS
  for dir in "$state/containers/$project"/*; do
    [[ -d $dir ]] || continue
    if running "$dir"; then status=running; else status="exited (${status:-$(cat "$dir/exit" 2>/dev/null || echo '?')})"; fi
    printf '%-10s %-80s %s\n' "${dir##*/}" "$(<"$dir/image")" "$status"
    status=''
  done
}

compose_logs() { # [--tail N]
  local tail=100 dir
  while (($#)); do
    case $1 in
      --tail) tail=$2 && shift ;;
    esac
    shift
  done
  for dir in "$state/containers/$project"/*; do
    [[ -f $dir/log ]] || continue
    tail -n "$tail" "$dir/log" | sed "s/^/${dir##*/}  | /"
  done
}

compose_down() {
  local dir
  for dir in "$state/containers/$project"/*; do
    [[ -d $dir ]] && stop_container "$dir"
  done
  return 0
}

compose() {
  compose_files=()
  while (($#)); do
    case $1 in
      -f | --file) compose_files+=("$2") && shift 2 ;;
      -*) die "compose: option $1 is not supported" ;;
      *) break ;;
    esac
  done
  if ((${#compose_files[@]} == 0)); then
    local f
    for f in compose.yaml compose.yml docker-compose.yaml docker-compose.yml; do
      [[ -f $f ]] && compose_files+=("$f") && break
    done
    for f in compose.override.yaml compose.override.yml; do
      [[ -f $f ]] && compose_files+=("$f") && break
    done
  fi
  load_model
  local command=${1:-}
  shift || true
  case $command in
    pull) compose_pull ;;
    up)
      remove_orphans=0
      for a in "$@"; do [[ $a == --remove-orphans ]] && remove_orphans=1; done
      compose_up
      ;;
    run)
      [[ ${1:-} == --rm ]] && shift
      compose_run "$@"
      ;;
    ps) compose_ps ;;
    config)
      [[ $* == "--format json" ]] || die "compose config $*: only --format json is supported"
      jq . <<<"$model"
      ;;
    logs) compose_logs "$@" ;;
    down) compose_down ;;
    *) die "compose $command is not supported" ;;
  esac
}

case ${1:-} in
  __in-container) in_container "$2" "${3:-}" ;;
  compose) shift && compose "$@" ;;
  login)
    cat >/dev/null
    say "Login Succeeded"
    ;;
  image)
    [[ ${2:-} == prune ]] || die "image ${2:-} is not supported"
    say "Total reclaimed space: 0B"
    ;;
  *) die "${1:-(no command)} is not supported" ;;
esac
