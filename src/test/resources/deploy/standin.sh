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
set -uo pipefail

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
  "docker compose "*" ps")
    printf 'NAME    IMAGE                     STATUS\n'
    printf 'app-1   example/app:%s   Up 3 seconds (unhealthy)\n' "${IMAGE_TAG-}"
    ;;
  "docker compose "*" logs "*)
    printf 'app-1  | stand-in log line %s\n' 1 2 3
    ;;
esac
exit 0
