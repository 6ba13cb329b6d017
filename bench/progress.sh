#!/usr/bin/env bash
# bench/progress.sh - what progress costs: `gantry copy` of a ~200 MB image between two loopback registries,
# with --progress=none, plain and tty, in paired rounds.
#
# WHAT IT MEASURES
#   Two real CNCF distribution registries (`docker-registry`) on loopback. One image: a config and one layer of
#   SIZE_MB of seeded pseudo-random bytes (incompressible), pushed with skopeo to registry A. Every timed run is
#   one `java -jar gantry.jar copy --progress=MODE A/src/big:v1 B/rN-MODE/big:v1` (a new repository each time,
#   so every run streams every byte); stderr goes to a file (tty is forced, so the terminal renderer runs too).
#   The modes run in every round, the order rotated each round. After each run the destination digest is checked.
#   Wall time and CPU time (user + system, of the java process) are both taken: on a shared machine CPU time is the
#   steadier figure of what drawing progress costs.
#
# HOW TO RUN
#   ./mvnw -B -q package -DskipTests && bench/progress.sh [--rounds N] [--size-mb MB] [--jar PATH] [--keep]
#   Needs: docker-registry, skopeo, python3, java, curl.
#
# WHAT THE FIGURES MEAN
#   MODE_wall_median_ms, MODE_cpu_median_ms   median wall / CPU time of one copy (JVM start-up included)
#   ratio_MODE_over_none_wall|cpu             median of the per-round ratios MODE/none: 1.00 means no cost
#   The final block (from "== summary ==") is one key=value line per figure.

set -euo pipefail

script_dir=$(cd "$(dirname "$0")" && pwd)
repo_dir=$(cd "$script_dir/.." && pwd)
rounds=5
size_mb=200
jar="$repo_dir/target/gantry.jar"
keep=0
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --size-mb) size_mb=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "progress.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "progress.sh: invalid --rounds '$rounds'" >&2; exit 2; }
[[ "$size_mb" =~ ^[1-9][0-9]*$ ]] || { echo "progress.sh: invalid --size-mb '$size_mb'" >&2; exit 2; }
[[ -f "$jar" ]] || { echo "progress.sh: no jar at $jar (run ./mvnw -B -q package -DskipTests)" >&2; exit 2; }

die() { echo "progress.sh: $*" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/gantry-progress-bench.XXXXXX")
pids=()
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if ((keep)); then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
start_registry() { # NAME -> prints HOST:PORT
  local name=$1 port
  port=$(free_port)
  mkdir -p "$work/$name"
  cat >"$work/$name.yml" <<EOF
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: "$work/$name"
http:
  addr: 127.0.0.1:$port
  secret: gantry-bench-$name
EOF
  docker-registry serve "$work/$name.yml" >"$work/$name.log" 2>&1 &
  pids+=($!)
  for ((i = 0; i < 150; i++)); do
    curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/v2/" 2>/dev/null && { echo "127.0.0.1:$port"; return; }
    sleep 0.1
  done
  die "registry $name did not start (see $work/$name.log)"
}
a=$(start_registry a)
b=$(start_registry b)
cp -p "$jar" "$work/gantry.jar"

# The image: an OCI layout with one uncompressed tar layer of seeded random bytes.
python3 - "$work/oci" "$size_mb" <<'PY'
import hashlib, io, json, os, random, sys, tarfile
root, size = sys.argv[1], int(sys.argv[2]) * 1000 * 1000
os.makedirs(f"{root}/blobs/sha256", exist_ok=True)
def blob(data):
    d = hashlib.sha256(data).hexdigest()
    with open(f"{root}/blobs/sha256/{d}", "wb") as f:
        f.write(data)
    return "sha256:" + d
content = random.Random(2611).randbytes(size)
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
    info = tarfile.TarInfo("big.bin"); info.size = len(content); info.mtime = 0
    tar.addfile(info, io.BytesIO(content))
layer = buf.getvalue()
layer_digest = blob(layer)
config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [layer_digest]}}).encode()
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": blob(config), "size": len(config)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": layer_digest, "size": len(layer)}]}).encode()
index = {"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
    "digest": blob(manifest), "size": len(manifest), "annotations": {"org.opencontainers.image.ref.name": "v1"}}]}
json.dump(index, open(f"{root}/index.json", "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open(f"{root}/oci-layout", "w"))
PY
echo '{"default": [{"type": "insecureAcceptAnything"}]}' >"$work/policy.json"
skopeo --policy "$work/policy.json" copy -q --preserve-digests --dest-tls-verify=false "oci:$work/oci:v1" "docker://$a/src/big:v1"
digest=$(skopeo inspect --tls-verify=false --raw "docker://$a/src/big:v1" | sha256sum | cut -d' ' -f1)

modes=(none plain tty)
declare -A walls cpus
echo "copy of $(du -sh "$work/oci/blobs" | cut -f1) between two loopback registries, $rounds rounds, modes: ${modes[*]}"
for ((r = 1; r <= rounds; r++)); do
  order=("${modes[@]:r%3}" "${modes[@]:0:r%3}")
  line="round $r:"
  for mode in "${order[@]}"; do
    # Wall and CPU (user + system) time of the java process, measured by python around it.
    read -r wall cpu < <(python3 - "$work/gantry.jar" "$mode" "$a/src/big:v1" "$b/r$r-$mode/big:v1" "$work/out-$r-$mode" "$work/err-$r-$mode" <<'PY'
import resource, subprocess, sys, time
jar, mode, src, dst, out, err = sys.argv[1:]
before = resource.getrusage(resource.RUSAGE_CHILDREN)
start = time.monotonic()
code = subprocess.call(["java", "-jar", jar, "copy", "--progress=" + mode, src, dst], stdout=open(out, "w"), stderr=open(err, "w"))
wall = time.monotonic() - start
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
print(f"{wall * 1000:.0f} {cpu * 1000:.0f}" if code == 0 else "FAILED 0")
PY
)
    [[ "$wall" != FAILED ]] || die "copy failed: $(cat "$work/err-$r-$mode")"
    got=$(skopeo inspect --tls-verify=false --raw "docker://$b/r$r-$mode/big:v1" | sha256sum | cut -d' ' -f1)
    [[ "$got" == "$digest" ]] || die "round $r $mode: destination has sha256:$got, not sha256:$digest"
    walls[$r-$mode]=$wall
    cpus[$r-$mode]=$cpu
    line+="  $mode ${wall} ms (cpu ${cpu} ms)"
  done
  echo "$line"
done

python3 - "$rounds" "${modes[@]}" <<PY
import statistics, sys
rounds, modes = int(sys.argv[1]), sys.argv[2:]
figures = {"wall": {$(for k in "${!walls[@]}"; do printf '"%s": %s, ' "$k" "${walls[$k]}"; done)},
           "cpu": {$(for k in "${!cpus[@]}"; do printf '"%s": %s, ' "$k" "${cpus[$k]}"; done)}}
print("== summary ==")
for kind, t in figures.items():
    for m in modes:
        print(f"{m}_{kind}_median_ms={statistics.median(t[f'{r}-{m}'] for r in range(1, rounds + 1)):.0f}")
    for m in modes[1:]:
        ratios = [t[f"{r}-{m}"] / t[f"{r}-none"] for r in range(1, rounds + 1)]
        print(f"ratio_{m}_over_none_{kind}={statistics.median(ratios):.3f} (per round: {', '.join(f'{x:.2f}' for x in ratios)})")
PY
echo "stderr of the last plain run:"; sed 's/^/  /' "$work/err-$rounds-plain"
