# shellcheck shell=bash
# scripts/lib/e2e.sh - the pieces scripts/container-e2e.sh, scripts/release-rehearsal.sh and bench/action-images.sh
# share: steps with timings and one failure line, a work directory with its own buildah storage, the JRE base image, a
# docker-registry on a free loopback port, the Jib build of the action image, and running an image the way the GitHub
# runner runs a container action (buildah run --isolation chroot, the runner's environment and /github mounts).
#
# Source it from the repository root after `set -Eeuo pipefail`, with E2E_NAME set (the prefix of failure lines);
# then `e2e_init [--keep]`. Globals it sets: work, arch, cache, reg, base_ref, revision, slim_ref, ctr, entrypoint,
# cmd, runner.

readonly E2E_HEAD_SHA=abc1234def5678901234567890abcdef12345678 # workflow_run.head_sha: the tag is sha-abc1234
readonly E2E_OTHER_SHA=0123456789abcdef0123456789abcdef01234567 # GITHUB_SHA: the default branch, never the one to use
readonly E2E_FAKE_TOKEN=ghs_e2eFakeTokenThatMustBeMasked0123456

keep=0 # 1: keep the work directory (--keep); 2: keep its logs (after a failure)
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
  echo "$E2E_NAME: FAILED in step '$step_name': $*" >&2
  if [[ -n "$work" ]] && ((keep == 0)); then
    echo "$E2E_NAME: logs kept in $work" >&2
    keep=2
  fi
  exit 1
}

e2e_cleanup() {
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
      rm -rf --one-file-system "$work/storage" "$work/run" "$work/registry" "$work/jib-cache" "$work/tree"
    else
      rm -rf --one-file-system "$work"
    fi
  fi
}

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
sum() { awk '{ s += $1 } END { print s + 0 }'; }

# Root, the tools (installed when missing), the work directory and its traps.
e2e_init() { # [--keep]
  [[ "${1:-}" == --keep ]] && keep=1
  trap 'fail "line $LINENO: $BASH_COMMAND (exit $?)"' ERR
  trap e2e_cleanup EXIT
  step "prerequisites"
  ((EUID == 0)) || fail "run as root: debootstrap and chroot need it"
  local -A package_of=([debootstrap]=debootstrap [buildah]=buildah [skopeo]=skopeo [docker-registry]=docker-registry
    [curl]=curl [git]=git)
  local missing=() tool
  for tool in "${!package_of[@]}"; do
    command -v "$tool" >/dev/null || [[ -x "/usr/sbin/$tool" ]] || missing+=("${package_of[$tool]}")
  done
  if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  export PATH="$PATH:/usr/sbin:/sbin"
  work=$(mktemp -d "${TMPDIR:-/tmp}/$E2E_NAME.XXXXXX")
  echo '{"default": [{"type": "insecureAcceptAnything"}]}' >"$work/policy.json"
  arch=$(dpkg --print-architecture)
  step_done
}

# The Debian-made JRE base image (scripts/jre-base-image.sh, cached): sets base_ref.
e2e_base_image() {
  step "base image"
  { scripts/jre-base-image.sh "$cache" 2>&1 >&3 | tee "$work/base.log" >&2; } 3>"$work/base.ref" ||
    fail "scripts/jre-base-image.sh"
  base_ref=$(<"$work/base.ref")
  if grep -q "cache hit" "$work/base.log"; then step_done "cache hit"; else step_done "built"; fi
}

# Sets VAR to a loopback port nothing listens on, for a server started later, and not one this function gave before.
# It lies below the kernel's ephemeral range (ip_local_port_range), which every outgoing connection takes its port
# from: a port there can be in use by a client connection, even one closed a minute ago (TIME_WAIT), and then the
# server's bind fails with "address already in use".
e2e_given_ports=" "
e2e_free_port() { # VAR
  local low candidate
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range
  ((low > 11024)) || low=32768 # an unusual range: keep to the default's lower part
  for _ in {1..50}; do
    candidate=$((10000 + RANDOM % (low - 10000)))
    [[ $e2e_given_ports != *" $candidate "* ]] || continue
    if ! (: </dev/tcp/127.0.0.1/"$candidate") 2>/dev/null; then
      e2e_given_ports+="$candidate "
      printf -v "$1" '%s' "$candidate"
      return
    fi
  done
  fail "no free loopback port"
}

# docker-registry on a free loopback port, with the base image (if any) as jre:17 and examples/hello as
# demo/hello:sha-abc1234: sets reg (HOST:PORT).
e2e_registry() {
  step "registry"
  local i port
  e2e_free_port port
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
  if [[ -n ${base_ref:-} ]]; then
    skopeo_ copy --quiet --dest-tls-verify=false "$base_ref" "docker://$reg/jre:17" ||
      fail "push the base image to $reg/jre:17"
  fi
  skopeo_ copy --quiet --all --dest-tls-verify=false oci:examples/hello:sha-abc1234 "docker://$reg/demo/hello:sha-abc1234" ||
    fail "push examples/hello to $reg/demo/hello:sha-abc1234"
  step_done "$reg"
}

# The action image built by Jib on jre:17 and pushed to the registry. Needs target/ writable (it runs package).
e2e_jib_build() { # REPOSITORY:TAG on the registry, e.g. gantry:e2e
  step "jib build"
  revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
  ./mvnw -B -q package -DskipTests jib:build \
    -Djib.from.image="$reg/jre:17" -Djib.from.platforms="linux/$arch" \
    -Djib.to.image="$reg/$1" -Djib.allowInsecureRegistries=true \
    -Djib.applicationCache="$work/jib-cache" -Djib.baseImageCache="$work/jib-cache" \
    -Dgantry.revision="$revision" >"$work/jib.log" 2>&1 || { tail -n 40 "$work/jib.log" >&2; fail "mvnw jib:build"; }
  step_done
}

# The Dockerfile's image, as `buildah bud` builds it here: on a debootstrapped stand-in for debian:bookworm-slim
# (scripts/jre-base-image.sh --slim, cached; Docker Hub is out of reach), the FROM lines pointed at it in a copy of the
# Dockerfile, ~/.m2 mounted for the Maven build, pushed to the registry. Needs the Debian archive (apt-get in the build).
e2e_dockerfile_build() { # REPOSITORY:TAG on the registry, e.g. gantry:dockerfile; [NAME=VALUE] build argument
  step "dockerfile build (buildah bud)"
  slim_ref=$(scripts/jre-base-image.sh --slim "$cache" 2>"$work/slim.log") || { cat "$work/slim.log" >&2; fail "the slim base"; }
  skopeo_ copy --quiet "$slim_ref" \
    "containers-storage:[vfs@$work/storage+$work/run]localhost/debian-standin:bookworm-slim" || fail "the slim base into storage"
  sed -E 's#^FROM debian:bookworm-slim@sha256:[0-9a-f]+#FROM localhost/debian-standin:bookworm-slim#' Dockerfile \
    >"$work/Dockerfile"
  grep -q '^FROM localhost/debian-standin' "$work/Dockerfile" || fail "no FROM debian:bookworm-slim@sha256:… to replace"
  mkdir -p "$HOME/.m2"
  local build_args=()
  [[ -z ${2:-} ]] || build_args=(--build-arg "$2")
  b bud --quiet --isolation chroot --network host --pull-never --layers=false --signature-policy "$work/policy.json" \
    "${build_args[@]}" --volume "$HOME/.m2:/root/.m2" -f "$work/Dockerfile" -t "localhost/$1" . >"$work/bud.log" 2>&1 ||
    { tail -n 40 "$work/bud.log" >&2; fail "buildah bud"; }
  b push --quiet --tls-verify=false --signature-policy "$work/policy.json" "localhost/$1" "docker://$reg/$1"
  b rmi --force "localhost/$1" localhost/debian-standin:bookworm-slim >/dev/null
  step_done
}

# A working container of IMAGE (a docker:// reference), as the runner pulls it: sets ctr, entrypoint and cmd.
e2e_container() { # IMAGE
  ctr=$(b from --quiet --tls-verify=false --signature-policy "$work/policy.json" "$1") || fail "buildah from $1"
  mapfile -t entrypoint < <(image_field '{{range .OCIv1.Config.Entrypoint}}{{println .}}{{end}}')
  mapfile -t cmd < <(image_field '{{range .OCIv1.Config.Cmd}}{{println .}}{{end}}')
  ((${#entrypoint[@]})) || fail "the image $1 has no entrypoint"
}
image_field() { b inspect --type container --format "$1" "$ctr"; }

# The runner's side: /github/{home,workflow,file_commands,workspace} are host directories, the file-command files
# exist (empty) before the step, the event is a workflow_run whose head_sha is E2E_HEAD_SHA. Sets runner,
# output_file, summary_file (in-container paths) and run_id.
e2e_runner() {
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
    "head_sha": "$E2E_HEAD_SHA",
    "run_number": 42,
    "run_attempt": 1,
    "workflow_id": 1234567,
    "head_commit": {"id": "$E2E_HEAD_SHA", "message": "Build the image", "timestamp": "2026-11-23T10:00:00Z"},
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
}

# The runner's environment for a promote of $reg/demo/hello (every input set, defaults included, secrets too).
runner_env() {
  printf '%s\n' \
    HOME=/github/home CI=true GITHUB_ACTIONS=true GITHUB_ACTION=__owner_gantry GITHUB_JOB=promote \
    GITHUB_REPOSITORY=acme/demo GITHUB_REPOSITORY_OWNER=acme GITHUB_REF=refs/heads/main GITHUB_SHA="$E2E_OTHER_SHA" \
    GITHUB_EVENT_NAME=workflow_run GITHUB_EVENT_PATH=/github/workflow/event.json GITHUB_WORKSPACE=/github/workspace \
    GITHUB_OUTPUT="$output_file" GITHUB_STEP_SUMMARY="$summary_file" GITHUB_API_URL=https://api.github.com \
    GITHUB_SERVER_URL=https://github.com RUNNER_OS=Linux RUNNER_TEMP=/home/runner/work/_temp \
    INPUT_COMMAND=promote "INPUT_IMAGES=$reg/demo/hello" INPUT_FROM= INPUT_TO=latest INPUT_SHA= \
    INPUT_REGISTRY-USERNAME= INPUT_REGISTRY-PASSWORD= "INPUT_GITHUB-TOKEN=$E2E_FAKE_TOKEN" INPUT_REPOSITORY= \
    INPUT_DRY-RUN=false INPUT_FORMAT= INPUT_DRAFT=false INPUT_PRERELEASE=false
}

# buildah run flags for the runner's mounts and environment (NAME=VALUE... overriding runner_env).
runner_flags() {
  local -A env=()
  local kv
  local defaults
  mapfile -t defaults < <(runner_env)
  for kv in "${defaults[@]}" "$@"; do
    env[${kv%%=*}]=${kv#*=}
  done
  # Chroot isolation has no network namespace of its own (buildah refuses any --network but host): loopback reaches
  # the registry here as the job's network reaches a real one on a runner.
  flags=(--isolation chroot --network host --workingdir /github/workspace
    --volume "$runner/_github_home:/github/home" --volume "$runner/_github_workflow:/github/workflow"
    --volume "$runner/_runner_file_commands:/github/file_commands" --volume "$runner/workspace:/github/workspace")
  for kv in "${!env[@]}"; do
    flags+=(--env "$kv=${env[$kv]}")
  done
}

run_action() { # NAME=VALUE... overriding the defaults; runs the image's entrypoint + cmd
  local flags
  runner_flags "$@"
  b run "${flags[@]}" "$ctr" -- "${entrypoint[@]}" "${cmd[@]}"
}

# The checks of one promote run of the action: exit 0, outputs, summary, the masked token, latest == sha-abc1234.
check_promote() { # STATUS STDOUT STDERR
  local status=$1 stdout=$2 stderr=$3 source_raw="$work/source.json" digest out summary promoted
  sed 's/^/  | /' "$stdout" "$stderr"
  ((status == 0)) || fail "the action exited $status"
  skopeo_ inspect --raw --tls-verify=false "docker://$reg/demo/hello:sha-abc1234" >"$source_raw"
  digest="sha256:$(sha256sum <"$source_raw" | cut -d' ' -f1)"
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
  grep -qF -- "--from sha-${E2E_HEAD_SHA:0:7}" "$stdout" ||
    fail "not promoted from sha-${E2E_HEAD_SHA:0:7} (workflow_run.head_sha)"
  grep -qx "::add-mask::$E2E_FAKE_TOKEN" "$stdout" || fail "the github-token input was not masked"
  if grep -v '^::add-mask::' "$stdout" "$stderr" "$out" "$summary" | grep -qF "$E2E_FAKE_TOKEN"; then
    fail "the token appears in the output"
  fi
  skopeo_ inspect --raw --tls-verify=false "docker://$reg/demo/hello:latest" >"$work/latest.json"
  cmp -s "$source_raw" "$work/latest.json" || fail ":latest is not byte-identical to :sha-abc1234 on the registry"
  echo "ok: exit 0, digests + promoted outputs, summary, latest == sha-abc1234 ($digest)"
}

# Wall times (ms, one per line) of RUNS runs of COMMAND inside one container run of $ctr, after one warm-up run;
# NAME=VALUE arguments before -- are the runner's environment and mounts (as run_action), else none.
time_in_container() { # RUNS [NAME=VALUE... --] COMMAND...
  local runs=$1 flags=(--isolation chroot --network host)
  shift
  if [[ " $* " == *" -- "* ]]; then
    local overrides=()
    while [[ $1 != -- ]]; do
      overrides+=("$1")
      shift
    done
    shift
    runner_flags "${overrides[@]}"
  fi
  # shellcheck disable=SC2016 # expanded by the container's bash
  b run "${flags[@]}" "$ctr" -- bash -c '
    for ((i = 0; i < '"$((runs + 1))"'; i++)); do
      s=$(date +%s%N); "$@" >/dev/null 2>&1 || exit 1; e=$(date +%s%N)
      ((i == 0)) || echo $(((e - s) / 1000000))
    done' timer "$@"
}
