#!/usr/bin/env bash
# scripts/container-e2e.sh - proof that the packaged action works, with no Docker daemon and no outside registry.
#
#   1. a Java 17 base image from Debian packages (scripts/jre-base-image.sh, cached in ~/.cache/gantry-e2e), pushed
#      to a docker-registry this script starts on a free loopback port;
#   2. the action image built on it by Jib: ./mvnw package jib:build -Djib.from.image=… -Djib.to.image=…;
#   3. examples/hello pushed to the same registry as demo/hello:sha-abc1234;
#   4. the action image run the way the GitHub runner runs a container action: its own entrypoint, the runner's
#      environment (INPUT_*, GITHUB_*, a workflow_run event whose head_sha is abc1234…), /github/* bind mounts from
#      host directories, host network (buildah run --isolation chroot);
#   5. checks: exit code 0, the step outputs (digests, promoted) in $GITHUB_OUTPUT, the step summary, latest
#      byte-identical to sha-abc1234 on the registry (skopeo); then a bad input: exit code 2 and an ::error line.
# Prints timings, the image's compressed size and `gantry --version` start-up inside the container.
# Needs root (debootstrap, chroot); installs debootstrap, buildah, skopeo, docker-registry and curl when missing.
# Usage: scripts/container-e2e.sh [--keep]   (--keep leaves the work directory: registry data, runner files, logs)
# Environment: GANTRY_E2E_CACHE (default ~/.cache/gantry-e2e) holds the base image between runs.
set -Eeuo pipefail
cd "$(dirname "$0")/.."

readonly HEAD_SHA=abc1234def5678901234567890abcdef12345678 # workflow_run.head_sha: the tag is sha-abc1234
readonly OTHER_SHA=0123456789abcdef0123456789abcdef01234567 # GITHUB_SHA: the default branch, never the one to use
readonly VERSION_RUNS=5

keep=0 # 1: keep the work directory (--keep); 2: keep its logs (after a failure)
[[ "${1:-}" == --keep ]] && keep=1
cache=${GANTRY_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gantry-e2e}
work=""
registry_pid=""
step_name="start"
step_started=0
timings=()

now_ms() {
  local t=${EPOCHREALTIME/[.,]/}
  echo $((t / 1000))
}
step() {
  step_name=$1
  step_started=$(now_ms)
  echo "== $step_name"
}
step_done() { # [NOTE]: records the step's wall time
  local ms=$(($(now_ms) - step_started))
  timings+=("$(printf '%-40s %3d.%d s' "$step_name${1:+ ($1)}" $((ms / 1000)) $((ms % 1000 / 100)))")
}
fail() {
  echo "container-e2e: FAILED in step '$step_name': $*" >&2
  if [[ -n "$work" ]] && ((keep == 0)); then
    echo "container-e2e: logs kept in $work" >&2
    keep=2
  fi
  exit 1
}
trap 'fail "line $LINENO: $BASH_COMMAND (exit $?)"' ERR

cleanup() {
  if [[ -n "$registry_pid" ]]; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
  fi
  if [[ -n "$work" ]]; then
    b rm --all >/dev/null 2>&1 || true
    if ((keep == 1)); then
      echo "work directory kept: $work"
      return
    fi
    b rmi --all --force >/dev/null 2>&1 || true
    if ((keep == 2)); then
      rm -rf --one-file-system "$work/storage" "$work/run" "$work/registry" "$work/jib-cache"
    else
      rm -rf --one-file-system "$work"
    fi
  fi
}
trap cleanup EXIT

b() { buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs "$@"; }
skopeo_() { skopeo --policy "$work/policy.json" "$@"; }

# A step output from the runner's file format: NAME<<DELIMITER, the value's lines, DELIMITER.
output() { # NAME FILE
  awk -v name="$1" '
    d == "" && index($0, name "<<") == 1 { d = substr($0, length(name) + 3); next }
    d != "" && $0 == d { exit }
    d != "" { print }
  ' "$2"
}

# The "size" fields after "layers" in a compact image manifest: each layer's compressed size, in order.
layer_sizes() { sed 's/.*"layers"//' | grep -o '"size":[0-9]*' | cut -d: -f2; }
kib() { echo "$((($1 + 512) / 1024)) KiB"; }

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# ---------------------------------------------------------------------------------------------------------------
step "prerequisites"
((EUID == 0)) || fail "run as root: debootstrap and chroot need it"
declare -A package_of=([debootstrap]=debootstrap [buildah]=buildah [skopeo]=skopeo [docker-registry]=docker-registry
  [curl]=curl)
missing=()
for tool in "${!package_of[@]}"; do
  command -v "$tool" >/dev/null || [[ -x "/usr/sbin/$tool" ]] || missing+=("${package_of[$tool]}")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin:/sbin"
work=$(mktemp -d "${TMPDIR:-/tmp}/gantry-e2e.XXXXXX")
echo '{"default": [{"type": "insecureAcceptAnything"}]}' >"$work/policy.json"
arch=$(dpkg --print-architecture)
step_done

# ---------------------------------------------------------------------------------------------------------------
step "base image"
{ scripts/jre-base-image.sh "$cache" 2>&1 >&3 | tee "$work/base.log" >&2; } 3>"$work/base.ref" ||
  fail "scripts/jre-base-image.sh"
base_ref=$(<"$work/base.ref")
if grep -q "cache hit" "$work/base.log"; then step_done "cache hit"; else step_done "built"; fi

# ---------------------------------------------------------------------------------------------------------------
step "registry"
port=""
for _ in {1..20}; do
  candidate=$((20000 + RANDOM % 40000))
  if ! (: </dev/tcp/127.0.0.1/"$candidate") 2>/dev/null; then
    port=$candidate
    break
  fi
done
[[ -n "$port" ]] || fail "no free loopback port"
reg="127.0.0.1:$port"
cat >"$work/registry.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: "$work/registry"
  delete:
    enabled: true
http:
  addr: $reg
  secret: gantry-e2e-http-secret
EOF
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for i in {1..100}; do
  curl -fsS -o /dev/null --max-time 1 "http://$reg/v2/" 2>/dev/null && break
  kill -0 "$registry_pid" 2>/dev/null || fail "docker-registry exited: $(tail -n 3 "$work/registry.log")"
  ((i < 100)) || fail "docker-registry did not answer on $reg within 10 s"
  sleep 0.1
done
skopeo_ copy --quiet --dest-tls-verify=false "$base_ref" "docker://$reg/jre:17" ||
  fail "push the base image to $reg/jre:17"
skopeo_ copy --quiet --all --dest-tls-verify=false oci:examples/hello:sha-abc1234 "docker://$reg/demo/hello:sha-abc1234" ||
  fail "push examples/hello to $reg/demo/hello:sha-abc1234"
step_done "$reg"

# ---------------------------------------------------------------------------------------------------------------
step "jib build"
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
./mvnw -B -q package -DskipTests jib:build \
  -Djib.from.image="$reg/jre:17" -Djib.from.platforms="linux/$arch" \
  -Djib.to.image="$reg/gantry:e2e" -Djib.allowInsecureRegistries=true \
  -Djib.applicationCache="$work/jib-cache" -Djib.baseImageCache="$work/jib-cache" \
  -Dgantry.revision="$revision" >"$work/jib.log" 2>&1 || { tail -n 40 "$work/jib.log" >&2; fail "mvnw jib:build"; }
step_done

# ---------------------------------------------------------------------------------------------------------------
step "pull and inspect the action image"
ctr=$(b from --quiet --tls-verify=false --signature-policy "$work/policy.json" "docker://$reg/gantry:e2e") ||
  fail "buildah from $reg/gantry:e2e"
image_field() { b inspect --type container --format "$1" "$ctr"; }
mapfile -t entrypoint < <(image_field '{{range .OCIv1.Config.Entrypoint}}{{println .}}{{end}}')
mapfile -t cmd < <(image_field '{{range .OCIv1.Config.Cmd}}{{println .}}{{end}}')
user=$(image_field '{{.OCIv1.Config.User}}')
label() { image_field "{{index .OCIv1.Config.Labels \"org.opencontainers.image.$1\"}}"; }
echo "entrypoint: ${entrypoint[*]}${cmd[*]:+ (cmd: ${cmd[*]})}"
echo "user: ${user:-<default>}  labels: source=$(label source) revision=$(label revision) version=$(label version)"
((${#entrypoint[@]})) || fail "the image has no entrypoint"
[[ "${entrypoint[-1]}" == action ]] || fail "the entrypoint does not end in 'action': ${entrypoint[*]}"
[[ "$user" == 0 || "$user" == root || -z "$user" ]] || fail "the image runs as '$user', not root"
[[ "$(label revision)" == "$revision" ]] || fail "label revision is '$(label revision)', expected $revision"
[[ "$(label version)" =~ ^[0-9] ]] || fail "label version is '$(label version)'"
[[ "$(label source)" =~ ^https:// ]] || fail "label source is '$(label source)' (pom.xml: property gantry.source)"
# Jib's layers, named by their history comments: dependencies apart from classes, so a code change re-pushes KBs.
manifest=$(skopeo_ inspect --raw --tls-verify=false "docker://$reg/gantry:e2e")
mapfile -t sizes < <(layer_sizes <<<"$manifest")
mapfile -t names < <(image_field '{{range .OCIv1.History}}{{if not .EmptyLayer}}{{println .Comment}}{{end}}{{end}}')
((${#sizes[@]} == ${#names[@]})) || fail "${#sizes[@]} layers but ${#names[@]} history entries"
image_bytes=0
layers=""
for i in "${!sizes[@]}"; do
  image_bytes=$((image_bytes + sizes[i]))
  layers+="${layers:+, }${names[i]:-base} $(kib "${sizes[i]}")"
done
[[ " ${names[*]} " == *" dependencies "*" classes "* ]] || fail "no separate dependencies and classes layers: ${names[*]}"
echo "layers: $layers"
step_done

# ---------------------------------------------------------------------------------------------------------------
# The runner's side: /github/{home,workflow,file_commands,workspace} are host directories, the file-command files
# exist (empty) before the step, every input is set (defaults included), secrets too.
runner="$work/runner"
mkdir -p "$runner/_github_home" "$runner/_github_workflow" "$runner/_runner_file_commands" "$runner/workspace"
cat >"$runner/_github_workflow/event.json" <<EOF
{
  "action": "completed",
  "workflow_run": {
    "id": 9876543210,
    "name": "build",
    "event": "push",
    "status": "completed",
    "conclusion": "success",
    "head_branch": "main",
    "head_sha": "$HEAD_SHA",
    "run_number": 42,
    "run_attempt": 1,
    "workflow_id": 1234567,
    "head_commit": {"id": "$HEAD_SHA", "message": "Build the image", "timestamp": "2026-11-23T10:00:00Z"},
    "repository": {"id": 1, "name": "demo", "full_name": "acme/demo"},
    "head_repository": {"id": 1, "name": "demo", "full_name": "acme/demo"}
  },
  "workflow": {"id": 1234567, "name": "build", "path": ".github/workflows/build.yml"},
  "repository": {"id": 1, "name": "demo", "full_name": "acme/demo", "default_branch": "main"},
  "sender": {"login": "octocat", "id": 583231, "type": "User"}
}
EOF
run_id=$(cat /proc/sys/kernel/random/uuid)
output_file="/github/file_commands/set_output_$run_id"
summary_file="/github/file_commands/step_summary_$run_id"
: >"$runner/_runner_file_commands/set_output_$run_id"
: >"$runner/_runner_file_commands/step_summary_$run_id"
readonly FAKE_TOKEN=ghs_e2eFakeTokenThatMustBeMasked0123456

action_flags=() # set by set_action_flags: buildah run flags that start the container as the runner does
set_action_flags() { # NAME=VALUE... overriding the defaults below
  local defaults=(
    HOME=/github/home CI=true GITHUB_ACTIONS=true GITHUB_ACTION=__owner_gantry GITHUB_JOB=promote
    GITHUB_REPOSITORY=acme/demo GITHUB_REPOSITORY_OWNER=acme GITHUB_REF=refs/heads/main GITHUB_SHA="$OTHER_SHA"
    GITHUB_EVENT_NAME=workflow_run GITHUB_EVENT_PATH=/github/workflow/event.json GITHUB_WORKSPACE=/github/workspace
    GITHUB_OUTPUT="$output_file" GITHUB_STEP_SUMMARY="$summary_file" GITHUB_API_URL=https://api.github.com
    GITHUB_SERVER_URL=https://github.com RUNNER_OS=Linux RUNNER_TEMP=/home/runner/work/_temp
    INPUT_COMMAND=promote "INPUT_IMAGES=$reg/demo/hello" INPUT_FROM= INPUT_TO=latest INPUT_SHA=
    INPUT_REGISTRY-USERNAME= INPUT_REGISTRY-PASSWORD= "INPUT_GITHUB-TOKEN=$FAKE_TOKEN" INPUT_REPOSITORY=
    INPUT_DRY-RUN=false INPUT_FORMAT= INPUT_DRAFT=false INPUT_PRERELEASE=false
  )
  local -A env=()
  local kv
  for kv in "${defaults[@]}" "$@"; do
    env[${kv%%=*}]=${kv#*=}
  done
  # Chroot isolation has no network namespace of its own (buildah refuses any --network but host): loopback reaches
  # the registry here as the job's network reaches a real one on a runner.
  action_flags=(--isolation chroot --network host --workingdir /github/workspace
    --volume "$runner/_github_home:/github/home" --volume "$runner/_github_workflow:/github/workflow"
    --volume "$runner/_runner_file_commands:/github/file_commands" --volume "$runner/workspace:/github/workspace")
  for kv in "${!env[@]}"; do
    action_flags+=(--env "$kv=${env[$kv]}")
  done
}

run_action() { # NAME=VALUE... overriding the defaults; runs the image's entrypoint + cmd
  set_action_flags "$@"
  b run "${action_flags[@]}" "$ctr" -- "${entrypoint[@]}" "${cmd[@]}"
}

# ---------------------------------------------------------------------------------------------------------------
step "action run: promote"
source_raw="$work/source.json"
skopeo_ inspect --raw --tls-verify=false "docker://$reg/demo/hello:sha-abc1234" >"$source_raw"
digest="sha256:$(sha256sum <"$source_raw" | cut -d' ' -f1)"
status=0
run_action >"$work/stdout" 2>"$work/stderr" || status=$?
step_done
sed 's/^/  | /' "$work/stdout" "$work/stderr"
((status == 0)) || fail "the action exited $status"

out="$runner/_runner_file_commands/set_output_$run_id"
summary="$runner/_runner_file_commands/step_summary_$run_id"
grep -q '^digests<<ghadelimiter_' "$out" || fail "no digests<<ghadelimiter_… in \$GITHUB_OUTPUT: $(cat "$out")"
[[ "$(output digests "$out")" == "{\"$reg/demo/hello\":\"$digest\"}" ]] ||
  fail "output digests is '$(output digests "$out")', expected $reg/demo/hello -> $digest"
promoted=$(output promoted "$out")
[[ "$promoted" == *"\"image\":\"$reg/demo/hello\""*"\"tag\":\"latest\""*"\"digest\":\"$digest\""* ]] ||
  fail "output promoted is '$promoted'"
grep -qF "\`$reg/demo/hello\`" "$summary" || fail "the step summary does not name $reg/demo/hello"
grep -qF "docker pull $reg/demo/hello:latest" "$summary" || fail "the step summary has no docker pull line"
grep -qF -- "--from sha-${HEAD_SHA:0:7}" "$work/stdout" || fail "not promoted from sha-${HEAD_SHA:0:7} (workflow_run.head_sha)"
grep -qx "::add-mask::$FAKE_TOKEN" "$work/stdout" || fail "the github-token input was not masked"
if grep -v '^::add-mask::' "$work/stdout" "$work/stderr" "$out" "$summary" | grep -qF "$FAKE_TOKEN"; then
  fail "the token appears in the output"
fi
skopeo_ inspect --raw --tls-verify=false "docker://$reg/demo/hello:latest" >"$work/latest.json"
cmp -s "$source_raw" "$work/latest.json" || fail ":latest is not byte-identical to :sha-abc1234 on the registry"
echo "ok: exit 0, digests + promoted outputs, summary, latest == sha-abc1234 ($digest)"

# ---------------------------------------------------------------------------------------------------------------
step "action run: bad input"
status=0
run_action INPUT_IMAGES= >"$work/stdout-bad" 2>"$work/stderr-bad" || status=$?
step_done
sed 's/^/  | /' "$work/stdout-bad" "$work/stderr-bad"
((status == 2)) || fail "a bad input exited $status, expected 2"
grep -q '^::error title=' "$work/stdout-bad" || fail "no ::error title=… line on stdout"
echo "ok: exit 2 and an ::error annotation"

# ---------------------------------------------------------------------------------------------------------------
step "start-up in the container"
# The entrypoint's JVM with --version instead of action, and plain java; each timed inside one container run.
with_flags=("${entrypoint[@]:0:${#entrypoint[@]}-1}" --version)
plain=(java -cp @/app/jib-classpath-file dev.gantry.Main --version)
run_flags=()
time_in_container() { # COMMAND... -> one wall time (ms) per line; buildah run flags in run_flags (default: none)
  # shellcheck disable=SC2016 # expanded by the container's bash
  b run --isolation chroot --network host "${run_flags[@]}" "$ctr" -- bash -c '
    for ((i = 0; i < '"$((VERSION_RUNS + 1))"'; i++)); do
      s=$(date +%s%N); "$@" >/dev/null 2>&1 || exit 1; e=$(date +%s%N)
      ((i == 0)) || echo $(((e - s) / 1000000))
    done' timer "$@"
}
version=$(b run --isolation chroot "$ctr" -- "${with_flags[@]}")
with_ms=$(time_in_container "${with_flags[@]}" | median) || fail "${with_flags[*]}"
plain_ms=$(time_in_container "${plain[@]}" | median) || fail "${plain[*]}"
# `gantry action` as the runner starts it (a promote of the test image, idempotent after the first run) beside a bare
# JVM, `java -version`, in the same container: the ratio is what the action's start-up costs over the JVM's own.
set_action_flags
run_flags=("${action_flags[@]:4}") # the runner's mounts and environment (isolation and network are set already)
action_ms=$(time_in_container "${entrypoint[@]}" "${cmd[@]}" | median) || fail "gantry action, timed"
run_flags=()
bare_ms=$(time_in_container java -version | median) || fail "java -version"
action_ratio=$(awk -v a="$action_ms" -v b="$bare_ms" 'BEGIN { printf "%.2f", a / b }')
run_started=$(now_ms)
b run --isolation chroot "$ctr" -- "${with_flags[@]}" >/dev/null
run_ms=$(($(now_ms) - run_started))
step_done
[[ "$version" == "gantry $(label version)" ]] ||
  fail "--version in the image says '$version', the image's version label is $(label version)"

# ---------------------------------------------------------------------------------------------------------------
echo
echo "== container e2e passed: the promote run and the bad-input run"
printf '  %s\n' "${timings[@]}"
echo "  image $reg/gantry:e2e: $(kib "$image_bytes") compressed: $layers"
echo "  '$version' in the container, median of $VERSION_RUNS: $with_ms ms with the entrypoint's JVM flags," \
  "$plain_ms ms plain java; $run_ms ms for a whole buildah run"
echo "  gantry action (a registry promote) in the container, median of $VERSION_RUNS: $action_ms ms;" \
  "java -version: $bare_ms ms; action_startup_ratio=$action_ratio"
echo "container-e2e: 2 passed, 0 failed"
