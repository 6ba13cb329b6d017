#!/usr/bin/env bash
# bench/action-images.sh - the two ways to build the action image, measured side by side on this machine:
#   jib:        ./mvnw jib:build (pom.xml) on the Debian-made JRE base (scripts/jre-base-image.sh), as
#               scripts/container-e2e.sh builds it;
#   dockerfile: the Dockerfile (jlinked JRE + AppCDS) built by `buildah bud` on a debootstrapped stand-in for
#               debian:bookworm-slim (scripts/jre-base-image.sh --slim: Docker Hub is out of reach here), with the
#               FROM lines pointed at the stand-in in a copy of the Dockerfile and ~/.m2 mounted for the Maven build.
# Both pushed to one loopback docker-registry; then, in rounds that alternate the images, each inside its own container
# (buildah run --isolation chroot, the runner's environment and mounts as scripts/lib/e2e.sh sets them):
#   `java -version` with the image's own java (the bare JVM start), `gantry --version` with the entrypoint's flags,
#   and a whole action promote of a two-platform image against the registry (the entrypoint as the runner runs it).
# Prints the compressed size (the base's layers and Gantry's own) and the medians with their ratios to the bare JVM
# start in the same container, and Dockerfile over Jib. Only this machine's architecture can be built here.
# Needs root and what scripts/container-e2e.sh needs; network to the Debian archive (apt-get in the Dockerfile).
# Usage: bench/action-images.sh [--keep] [ROUNDS] [RUNS]   (defaults 3 rounds of 5 runs each)
set -Eeuo pipefail
cd "$(dirname "$0")/.."
E2E_NAME=action-images
# shellcheck source=scripts/lib/e2e.sh
. scripts/lib/e2e.sh

keep_arg=""
[[ ${1:-} == --keep ]] && { keep_arg=--keep; shift; }
rounds=${1:-3}
runs=${2:-5}
[[ $rounds =~ ^[1-9][0-9]?$ && $runs =~ ^[1-9][0-9]?$ ]] || { echo "action-images: ROUNDS and RUNS are 1-99" >&2; exit 2; }

e2e_init "$keep_arg"
e2e_base_image
e2e_registry
e2e_jib_build gantry:jib

e2e_dockerfile_build gantry:dockerfile

# ---------------------------------------------------------------------------------------------------------------
step "sizes"
size_of() { # TAG BASE_LAYERS -> "total own" in bytes (compressed, as pushed)
  local sizes
  mapfile -t sizes < <(skopeo_ inspect --raw --tls-verify=false "docker://$reg/gantry:$1" | layer_sizes)
  local total own=0 i
  total=$(printf '%s\n' "${sizes[@]}" | sum)
  for ((i = $2; i < ${#sizes[@]}; i++)); do own=$((own + sizes[i])); done
  echo "$total $own"
}
jre_layers=$(skopeo_ inspect --raw --tls-verify=false "docker://$reg/jre:17" | layer_sizes | wc -l)
slim_layers=$(skopeo_ inspect --raw "$slim_ref" | layer_sizes | wc -l)
read -r jib_total jib_own < <(size_of jib "$jre_layers")
read -r df_total df_own < <(size_of dockerfile "$slim_layers")
step_done

# ---------------------------------------------------------------------------------------------------------------
step "start-up, $rounds rounds of $runs runs"
e2e_runner
declare -A ms=()
measure() { # IMAGE: appends this round's times of the three commands to ms[IMAGE.*]
  e2e_container "docker://$reg/gantry:$1"
  local java_bin=${entrypoint[0]}
  local version=("${entrypoint[@]:0:${#entrypoint[@]}-1}" --version)
  ms[$1.java]+=" $(time_in_container "$runs" "$java_bin" -version | tr '\n' ' ')"
  ms[$1.version]+=" $(time_in_container "$runs" "${version[@]}" | tr '\n' ' ')"
  ms[$1.promote]+=" $(time_in_container "$runs" INPUT_COMMAND=promote -- "${entrypoint[@]}" "${cmd[@]}" | tr '\n' ' ')"
  b rm "$ctr" >/dev/null
}
for ((r = 0; r < rounds; r++)); do
  measure jib
  measure dockerfile
done
med() { tr ' ' '\n' <<<"${ms[$1]}" | grep . | median; }
step_done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "== action images on linux/$arch ($rounds rounds × $runs runs, medians; ratios to the bare JVM start in the same image)"
printf '  %-11s %12s %12s %16s %16s %16s\n' image compressed "gantry's own" "java -version" "gantry --version" "action promote"
for image in jib dockerfile; do
  if [[ $image == jib ]]; then total=$jib_total own=$jib_own; else total=$df_total own=$df_own; fi
  j=$(med "$image.java") v=$(med "$image.version") p=$(med "$image.promote")
  printf '  %-11s %12s %12s %13s ms %9s ms (%sx) %9s ms (%sx)\n' "$image" "$(kib "$total")" "$(kib "$own")" "$j" \
    "$v" "$(ratio "$v" "$j")" "$p" "$(ratio "$p" "$j")"
done
echo "  dockerfile / jib: compressed $(ratio "$df_total" "$jib_total"), --version $(ratio "$(med dockerfile.version)" \
  "$(med jib.version)"), promote $(ratio "$(med dockerfile.promote)" "$(med jib.promote)")"
echo "  (bases here are stand-ins: Jib's is Debian's openjdk-17-jre-headless, not eclipse-temurin:17-jre; the"
echo "   Dockerfile's is debootstrap minbase, not debian:bookworm-slim)"
printf '  %s\n' "${timings[@]}"
