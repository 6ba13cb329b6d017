#!/usr/bin/env bash
# Recording stand-in for `docker` and `git` on the test's server, installed as bin/docker and bin/git next to
# state/. Only bash builtins, so it also works on the narrow PATH of the wget test.
#
# Per call it appends to state/:
#   calls.log    one line: time<TAB>tool<TAB>cwd<TAB>IMAGE_TAG<TAB>args (space-joined)<TAB>stdin (\n escaped)<TAB>
#                what `docker compose -f compose.gantry.yml ...` read in that file (\n escaped; empty otherwise)
#   env.log      its exported environment
#   up-settings.log  at each `docker compose ... up`: "=== IMAGE_TAG=TAG", then the .env in the working directory
#                as it was (nothing when there is none)
#   procs.log    one line (\\n escaped) per process on the machine with its command line, and one per ancestor
#                of the stand-in with its environment
# It fails (exit 1) when a line of state/fail-on, read as a bash pattern, matches "TOOL ARGS IMAGE_TAG=TAG".
# `docker compose -f FILE... config --format json` answers as compose does, for the compose files of the tests
# (`services:`, two-space service names, `image:` four spaces in; ${VAR}, ${VAR:-default} and ${VAR-default} filled
# from the environment): the services in file order, each with its image (a later file's image wins), printed one
# member per line with two-space indents and a nested object in each service, as compose's own JSON.
set -uo pipefail

# ${VAR}, ${VAR:-default} and ${VAR-default} in $1 filled from the environment, into $filled.
interpolate() {
  local rest=$1 name op default
  filled=''
  while [[ $rest =~ ^([^$]*)\$\{([A-Za-z_][A-Za-z0-9_]*)((:?-)([^}]*))?\}(.*)$ ]]; do
    filled+=${BASH_REMATCH[1]}
    name=${BASH_REMATCH[2]} op=${BASH_REMATCH[4]} default=${BASH_REMATCH[5]} rest=${BASH_REMATCH[6]}
    if [[ -z ${!name+set} || ($op == :- && -z ${!name}) ]]; then
      [[ -n $op ]] && filled+=$default
    else
      filled+=${!name}
    fi
  done
  filled+=$rest
}

compose_config() {
  local files=() file line service='' section='' names=() filled
  local -A images=()
  shift # compose
  while [[ ${1:-} == -f ]]; do
    files+=("$2")
    shift 2
  done
  for file in "${files[@]}"; do
    while IFS= read -r line || [[ -n $line ]]; do
      if [[ $line =~ ^([a-z_]+):[[:space:]]*$ ]]; then
        section=${BASH_REMATCH[1]}
      elif [[ $section == services && $line =~ ^\ \ ([A-Za-z0-9._-]+):[[:space:]]*$ ]]; then
        service=${BASH_REMATCH[1]}
        [[ -n ${images[$service]+set} ]] || names+=("$service")
        images[$service]=${images[$service]:-}
      elif [[ $section == services && $line =~ ^\ \ \ \ image:[[:space:]]*(.*[^[:space:]])[[:space:]]*$ ]]; then
        interpolate "${BASH_REMATCH[1]}"
        images[$service]=$filled
      fi
    done <"$file"
  done
  printf '{\n  "name": "app",\n  "services": {\n'
  local n=0 comma
  for service in "${names[@]}"; do
    n=$((n + 1)) comma=,
    ((n < ${#names[@]})) || comma=''
    printf '    "%s": {\n      "command": [\n        "serve",\n        "{"\n      ],\n' "$service"
    [[ -z ${images[$service]} ]] || printf '      "image": "%s",\n' "${images[$service]}"
    printf '      "networks": {\n        "default": null\n      }\n    }%s\n' "$comma"
  done
  printf '  },\n  "networks": {\n    "default": {\n      "name": "app_default"\n    }\n  }\n}\n'
}

tool=${0##*/}
state=$(cd "${0%/*}/../state" && pwd) || exit 97
stdin=''
IFS= read -r -d '' stdin || true
args="$*"
escaped=${stdin//$'\n'/\\n}
override=''
if [[ " $args " == *" -f compose.gantry.yml "* ]]; then
  IFS= read -r -d '' override <compose.gantry.yml || true
  override=${override//$'\n'/\\n}
fi
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$EPOCHREALTIME" "$tool" "$PWD" "${IMAGE_TAG-<unset>}" "$args" "$escaped" \
  "$override" >>"$state/calls.log"

if [[ "$tool $args" == "docker compose "*" up "* ]]; then
  settings=''
  [[ -f .env ]] && { IFS= read -r -d '' settings <.env || true; }
  printf '=== IMAGE_TAG=%s\n%s' "${IMAGE_TAG-}" "$settings" >>"$state/up-settings.log"
fi

{
  printf '=== %s %s\n' "$tool" "$args"
  export -p
} >>"$state/env.log"

{
  printf '=== %s %s\n' "$tool" "$args"
  for file in /proc/[0-9]*/cmdline; do
    words=()
    mapfile -d '' -t words <"$file" 2>/dev/null || continue
    line="${words[*]}"
    ((${#words[@]})) && printf 'cmdline %s: %s\n' "${file//[^0-9]/}" "${line//$'\n'/\\n}"
  done
  pid=$$
  while [[ $pid =~ ^[0-9]+$ ]] && ((pid > 1)); do
    words=()
    mapfile -d '' -t words <"/proc/$pid/environ" 2>/dev/null
    line="${words[*]}"
    printf 'environ %s: %s\n' "$pid" "${line//$'\n'/\\n}"
    ppid=''
    while read -r key value; do
      if [[ $key == PPid: ]]; then
        ppid=$value
        break
      fi
    done <"/proc/$pid/status"
    pid=$ppid
  done
} >>"$state/procs.log" 2>/dev/null

call="$tool $args IMAGE_TAG=${IMAGE_TAG-}"
if [[ -f $state/fail-on ]]; then
  while IFS= read -r pattern; do
    # shellcheck disable=SC2053 # the line is a pattern on purpose
    if [[ -n $pattern && $call == $pattern ]]; then
      printf '%s: failing as told (%s)\n' "$tool" "$pattern" >&2
      exit 1
    fi
  done <"$state/fail-on"
fi

case "$tool $args" in
  "docker login "*) echo "Login Succeeded" ;;
  "docker compose "*" config --format json") compose_config "$@" ;;
  "docker compose "*" ps")
    printf 'NAME    IMAGE                     STATUS\n'
    printf 'app-1   example/app:%s   Up 3 seconds (unhealthy)\n' "${IMAGE_TAG-}"
    ;;
  "docker compose "*" logs "*)
    printf 'app-1  | stand-in log line %s\n' 1 2 3
    ;;
esac
exit 0
