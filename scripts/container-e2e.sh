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
E2E_NAME=container-e2e
# shellcheck source=scripts/lib/e2e.sh
. scripts/lib/e2e.sh

readonly VERSION_RUNS=5

e2e_init "${1:-}"
e2e_base_image
e2e_registry
e2e_jib_build gantry:e2e

# ---------------------------------------------------------------------------------------------------------------
step "pull and inspect the action image"
e2e_container "docker://$reg/gantry:e2e"
user=$(image_field '{{.OCIv1.Config.User}}')
label() { image_field "{{index .OCIv1.Config.Labels \"org.opencontainers.image.$1\"}}"; }
echo "entrypoint: ${entrypoint[*]}${cmd[*]:+ (cmd: ${cmd[*]})}"
echo "user: ${user:-<default>}  labels: source=$(label source) revision=$(label revision) version=$(label version)"
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

e2e_runner

# ---------------------------------------------------------------------------------------------------------------
step "action run: promote"
status=0
run_action >"$work/stdout" 2>"$work/stderr" || status=$?
step_done
check_promote "$status" "$work/stdout" "$work/stderr"

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
version=$(b run --isolation chroot "$ctr" -- "${with_flags[@]}")
with_ms=$(time_in_container "$VERSION_RUNS" "${with_flags[@]}" | median) || fail "${with_flags[*]}"
plain_ms=$(time_in_container "$VERSION_RUNS" "${plain[@]}" | median) || fail "${plain[*]}"
# `gantry action` as the runner starts it (a promote of the test image, idempotent after the first run) beside a bare
# JVM, `java -version`, in the same container: the ratio is what the action's start-up costs over the JVM's own.
action_ms=$(time_in_container "$VERSION_RUNS" INPUT_COMMAND=promote -- "${entrypoint[@]}" "${cmd[@]}" | median) ||
  fail "gantry action, timed"
bare_ms=$(time_in_container "$VERSION_RUNS" java -version | median) || fail "java -version"
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
