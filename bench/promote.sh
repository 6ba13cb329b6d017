#!/usr/bin/env bash
# bench/promote.sh - wall time and registry round trips of `gantry promote` vs. a skopeo loop.
#
# WHAT IT MEASURES
#   Promoting 4 multi-arch images (OCI index -> 2 platform manifests -> 3 small layers each) from
#   tag sha-abc1234 to tag latest, against a real CNCF distribution registry (`docker-registry`)
#   on loopback, optionally behind /work/shared/tools/latency-proxy.py to simulate a WAN RTT.
#     gantry : ONE process:  java -jar gantry.jar promote --from sha-abc1234 --to latest IMG1..IMG4
#     skopeo : the usual peer, a shell loop of 4 processes:
#              skopeo copy --all --preserve-digests docker://IMGn:sha-abc1234 docker://IMGn:latest
#     shipped: the same gantry promote as the action image runs it: the JVM flags of the Dockerfile's ENTRYPOINT
#              and an AppCDS archive made here by scripts/appcds-archive.sh, the script the Dockerfile runs
#   and the start-up floor of the same run, next to a hello-world JVM (`java -jar hello.jar`, made here with javac):
#     gantry --version, gantry promote --help, and the README's first command, `bin/gantry promote --from
#     sha-abc1234 --to latest oci:COPY` on a fresh copy of examples/hello (an OCI layout, no network; the ledger
#     record included), three ways: as the README runs it, right after the build (bin/gantry with the archive
#     `./mvnw package` makes, made here the same way by scripts/launcher-archive.sh for the benchmark's jar copy);
#     with plain `java -jar`; and through bin/gantry with no archive yet (GANTRY_CDS_DIR empty: the first run of a
#     jar copied elsewhere, which writes the archive at exit).
#   Both tools talk to the proxy port (the registry port itself when --rtt-ms 0). Before every timed
#   run, `latest` of every image is reset (untimed) to a different index (a 5th "dummy" image, PUT
#   straight at the registry port), so each timed run really moves the tag. Rounds alternate the
#   tools, and the order is swapped every round (G S | S G | G S ...). After every run, :latest and
#   :sha-abc1234 of every image must have byte-identical manifests (sha256 of `skopeo inspect --raw`),
#   otherwise the script aborts.
#   Images are built without Docker: python3 writes one OCI image layout per image, and
#   `skopeo copy --all --preserve-digests oci:DIR:TAG docker://...` pushes it (directly, no proxy).
#
# HOW TO RUN
#   cd /work/main && mvn -B -q package -DskipTests && bench/promote.sh [options]
#   Needs: docker-registry (Debian package docker-registry), skopeo, python3, a JDK (java, javac, jar), curl.
#
# OPTIONS
#   --rounds N         timed rounds (default 7); each round = 1 gantry run, 1 shipped-flags gantry run,
#                      1 skopeo loop, then hello world, `--version`, `promote --help` and the three layout promotes
#   --rtt-ms MS        extra round-trip time added by the latency proxy (default 25; 0 = no proxy)
#   --jar PATH         Gantry jar (default: <repo>/target/gantry.jar; not built by this script)
#   --java-opts "..."  JVM options for every java invocation but bin/gantry's (which takes none; it runs the java on
#                      PATH), e.g. "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
#   --cds              make an AppCDS archive first (one untimed promote with -XX:ArchiveClassesAtExit,
#                      on top of --java-opts) and run every timed java with -XX:SharedArchiveFile=it
#   --check            exit 1 if a target below is missed (default: report only, exit 0)
#   --shipped-opts ".." the shipped JVM flags (default: the -X flags of the Dockerfile's ENTRYPOINT but its archive;
#                      the archive made by scripts/appcds-archive.sh for the benchmark's own jar copy is added to them)
#   --keep             keep the temp dir (registry storage and log, OCI layouts, per-run output)
#   -h, --help         this text
#   The jar is copied into the temp dir first, so a rebuild of target/ mid-run cannot break the run.
#   That is also why an archive passed as --java-opts "-XX:SharedArchiveFile=..." made against
#   target/gantry.jar does not match (the JVM only warns and runs without it): use --cds instead.
#   Environment: LATENCY_PROXY overrides the proxy script (default: shared/tools/latency-proxy.py next to the
#   repository, or two levels up for a worktree under wt/).
#
# WHAT THE FIGURES MEAN
#   gantry/skopeo median_ms, min_ms, max_ms
#       wall time (ms) of one full promotion of all 4 images (gantry: one JVM process; skopeo: the
#       whole 4-process loop), over --rounds runs, JVM start-up included.
#   ratio gantry/skopeo      median(gantry) / median(skopeo); below 1 means gantry is faster.
#   ratio_plain, ratio_shipped   the same for plain `java -jar` (plus --java-opts) and for the shipped flags.
#   hello                    median wall time of a hello-world `java -jar hello.jar` (no options): the bare JVM.
#   startup_ratio            median(`java [--java-opts] -jar gantry.jar --version`) / median(hello).
#   help_ratio               median(`gantry promote --help`) / median(hello).
#   layout_ratio             median(the README's first command: bin/gantry promote --from sha-abc1234 --to latest
#                            oci:COPY, with the archive the build makes) / median(hello).
#   layout_ratio_plain       median(the same promote with plain `java [--java-opts] -jar gantry.jar`) / median(hello).
#                            No target. (Before 30 November both layout figures were taken with --no-record, and
#                            layout_ratio was the plain one: the README's first command was then plain java -jar.)
#   layout_first_ratio       median(the same bin/gantry promote with no archive yet, which dumps one at exit)
#                            / median(layout): what a first run of a jar without the build's archive costs. No target.
#   *_cpu_ratio              the same start-up figures in CPU time (user + system of the java process, JIT and GC
#                            threads included) over hello world's: no target, but a busy machine moves them much
#                            less than wall time, which it can spread 2-4x within a run.
#   idempotent               gantry run again right after a promotion (nothing to move): its median
#                            time, its requests, and writes (PUT/POST/PATCH/DELETE) which must be 0.
#   requests per (image,tag) registry requests of one run, counted from the registry's own access log
#                            (one combined-format line per HTTP request, errors included), divided by
#                            4 (4 images x 1 target tag), split by method; /v2/ pings count too.
#                            The breakdown under each counted run groups them by method, endpoint
#                            (ping, manifests:TAG, manifests:DIGEST, blobs, uploads) and status.
#   targets                  requests<=3 (gantry, per image,tag), no writes when idempotent, ratio_plain<=0.20,
#                            ratio_shipped<=0.15, startup_ratio<=2.0, help_ratio<=2.0, layout_ratio<=3.0 (the
#                            README's first command; layout_ratio_plain and layout_first_ratio have none).
#                            Only ratios taken in this run are targets: absolute times move 3x between machines.
#   The final block (from "== summary ==") is stable and greppable: one `key=value` line per figure.

set -euo pipefail

script_dir=$(cd "$(dirname "$0")" && pwd)
repo_dir=$(cd "$script_dir/.." && pwd)

rounds=7
rtt_ms=25
jar="$repo_dir/target/gantry.jar"
java_opts=""
check=0
keep=0
cds=0
if [[ -n "${LATENCY_PROXY:-}" ]]; then
  latency_proxy=$LATENCY_PROXY
elif [[ -f "$repo_dir/../shared/tools/latency-proxy.py" ]]; then
  latency_proxy="$repo_dir/../shared/tools/latency-proxy.py"
else
  latency_proxy="$repo_dir/../../shared/tools/latency-proxy.py"
fi
# The image's own flags: the quoted -X... words of the Dockerfile's ENTRYPOINT, its archive path left out (the
# benchmark makes its own archive, for its own jar copy, with the same script).
shipped_opts=$(sed -n '/^ENTRYPOINT/,/\]/p' "$repo_dir/Dockerfile" | grep -o '"-X[^"]*"' | tr -d '"' |
  grep -v '^-XX:SharedArchiveFile=' | tr '\n' ' ')

readonly FROM_TAG=sha-abc1234
readonly TO_TAG=latest
readonly RESET_TAG=bench-reset
readonly NIMAGES=4
readonly TARGET_REQUESTS=3
readonly TARGET_RATIO_PLAIN=0.20
readonly TARGET_RATIO_SHIPPED=0.15
readonly TARGET_STARTUP_RATIO=2.0
readonly TARGET_HELP_RATIO=2.0
readonly TARGET_LAYOUT_RATIO=3.0

usage() {
  sed -n '2,/^$/p' "$0" | sed -e 's/^# \{0,1\}//' -e '/^set -euo/d'
}

die() {
  echo "promote.sh: error: $*" >&2
  exit 2
}

while (($# > 0)); do
  case "$1" in
    --rounds) rounds="${2:?--rounds needs a value}"; shift 2 ;;
    --rounds=*) rounds="${1#*=}"; shift ;;
    --rtt-ms) rtt_ms="${2:?--rtt-ms needs a value}"; shift 2 ;;
    --rtt-ms=*) rtt_ms="${1#*=}"; shift ;;
    --jar) jar="${2:?--jar needs a value}"; shift 2 ;;
    --jar=*) jar="${1#*=}"; shift ;;
    --java-opts) java_opts="${2?--java-opts needs a value}"; shift 2 ;;
    --java-opts=*) java_opts="${1#*=}"; shift ;;
    --check) check=1; shift ;;
    --shipped-opts) shipped_opts="${2?--shipped-opts needs a value}"; shift 2 ;;
    --shipped-opts=*) shipped_opts="${1#*=}"; shift ;;
    --cds) cds=1; shift ;;
    --keep) keep=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done

[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer, got '$rounds'"
[[ "$rtt_ms" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--rtt-ms must be a number of milliseconds, got '$rtt_ms'"
[[ -f "$jar" ]] || die "Gantry jar not found: $jar (build it: cd $repo_dir && mvn -B -q package -DskipTests, or pass --jar PATH)"
for tool in docker-registry skopeo python3 java javac jar curl; do
  command -v "$tool" >/dev/null 2>&1 || die "required command not found: $tool"
done
use_proxy=0
if [[ ! "$rtt_ms" =~ ^0+([.]0+)?$ ]]; then
  use_proxy=1
  [[ -f "$latency_proxy" ]] || die "latency proxy not found: $latency_proxy (set LATENCY_PROXY, or --rtt-ms 0)"
fi
read -r -a java_args <<<"$java_opts"
read -r -a shipped_args <<<"$shipped_opts"
[[ -d "$repo_dir/examples/hello" ]] || die "examples/hello not found in $repo_dir"
[[ -x "$repo_dir/scripts/appcds-archive.sh" ]] || die "scripts/appcds-archive.sh not found in $repo_dir"
[[ -x "$repo_dir/bin/gantry" ]] || die "bin/gantry not found in $repo_dir"

# ---------------------------------------------------------------------------------------------
# temp dir, processes, cleanup
# ---------------------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/gantry-bench.XXXXXX")
registry_pid=""
proxy_pid=""

# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  local status=$?
  local pid
  for pid in "$proxy_pid" "$registry_pid"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if ((keep)); then
    echo "promote.sh: kept $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_http() { # URL PID NAME
  local i
  for ((i = 0; i < 150; i++)); do
    if curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null; then
      return 0
    fi
    kill -0 "$2" 2>/dev/null || die "$3 exited during start-up (see $work)"
    sleep 0.1
  done
  die "$3 did not answer $1 within 15 s"
}

now_us() {
  local t=$EPOCHREALTIME
  echo "${t/[.,]/}"
}

ms_of() { # START_US END_US -> milliseconds with one decimal
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1000 }'
}

# ---------------------------------------------------------------------------------------------
# registry (+ latency proxy)
# ---------------------------------------------------------------------------------------------
reg_port=$(free_port)
reg="127.0.0.1:$reg_port"
reg_log="$work/registry.log"
mkdir -p "$work/storage" "$work/runs"
# Benchmark a snapshot of the jar: target/ may be rebuilt by someone else while this runs.
cp -p "$jar" "$work/gantry.jar"
jar_src=$jar
jar="$work/gantry.jar"
# The bare JVM: hello world in a jar of its own.
mkdir -p "$work/hello"
printf 'public class H { public static void main(String[] a) { System.out.println("hello"); } }\n' >"$work/hello/H.java"
javac -d "$work/hello" "$work/hello/H.java"
jar --create --file "$work/hello.jar" --main-class H -C "$work/hello" H.class
# The layout the README's first command promotes in (a fresh copy before every run).
cp -r "$repo_dir/examples/hello" "$work/layout-src"
cat >"$work/registry.yml" <<EOF
version: 0.1
log:
  level: info
  formatter: text
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: "$work/storage"
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $reg
  secret: gantry-bench-http-secret
EOF
docker-registry serve "$work/registry.yml" >"$reg_log" 2>&1 &
registry_pid=$!
wait_http "http://$reg/v2/" "$registry_pid" "docker-registry"

if ((use_proxy)); then
  proxy_port=$(free_port)
  python3 "$latency_proxy" "$proxy_port" 127.0.0.1 "$reg_port" "$rtt_ms" >"$work/proxy.log" 2>&1 &
  proxy_pid=$!
  endpoint="127.0.0.1:$proxy_port"
  wait_http "http://$endpoint/v2/" "$proxy_pid" "latency proxy"
else
  endpoint="$reg"
fi

cat >"$work/policy.json" <<'EOF'
{"default": [{"type": "insecureAcceptAnything"}]}
EOF
skopeo_() {
  skopeo --policy "$work/policy.json" "$@"
}

# ---------------------------------------------------------------------------------------------
# test images: OCI layouts written by python3, pushed with skopeo straight to the registry port
# ---------------------------------------------------------------------------------------------
python3 - "$work/oci" "$NIMAGES" "$FROM_TAG" "$RESET_TAG" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile

root, nimages, tag, reset_tag = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
PLATFORMS = [("amd64", None), ("arm64", "v8")]
LAYERS = 3


def write_blob(layout, data):
    digest = hashlib.sha256(data).hexdigest()
    path = os.path.join(layout, "blobs", "sha256", digest)
    with open(path, "wb") as f:
        f.write(data)
    return "sha256:" + digest


def desc(media_type, digest, data, **extra):
    d = {"mediaType": media_type, "digest": digest, "size": len(data)}
    d.update(extra)
    return d


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=True).encode()


def layer_tar(name, payload):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = len(payload), 0, 0o644
        tar.addfile(info, io.BytesIO(payload))
    return buf.getvalue()


def make_image(name, ref_tag):
    layout = os.path.join(root, name)
    os.makedirs(os.path.join(layout, "blobs", "sha256"))
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    manifests = []
    for arch, variant in PLATFORMS:
        layers, diff_ids = [], []
        for i in range(LAYERS):
            raw = layer_tar(f"bench/{name}/{arch}/layer{i}.bin", os.urandom(2048 + 1024 * i))
            gz = gzip.compress(raw, mtime=0)
            diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
            layers.append(desc("application/vnd.oci.image.layer.v1.tar+gzip", write_blob(layout, gz), gz))
        platform = {"architecture": arch, "os": "linux"}
        if variant:
            platform["variant"] = variant
        config = dumps(dict(platform, created="2024-01-01T00:00:00Z",
                            config={"Cmd": ["/bin/true"]},
                            rootfs={"type": "layers", "diff_ids": diff_ids}))
        manifest = dumps({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": desc("application/vnd.oci.image.config.v1+json", write_blob(layout, config), config),
            "layers": layers,
        })
        manifests.append(desc("application/vnd.oci.image.manifest.v1+json",
                              write_blob(layout, manifest), manifest, platform=platform))
    index = dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                   "manifests": manifests})
    index_desc = desc("application/vnd.oci.image.index.v1+json", write_blob(layout, index), index,
                      annotations={"org.opencontainers.image.ref.name": ref_tag})
    with open(os.path.join(layout, "index.json"), "wb") as f:
        f.write(dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                       "manifests": [index_desc]}))


for n in range(1, nimages + 1):
    make_image(f"img{n}", tag)
make_image("dummy", reset_tag)
PY

images_reg=()   # image references at the registry port (setup, reset, verification)
images_bench=() # image references at the benchmark endpoint (proxy, or registry when --rtt-ms 0)
for ((n = 1; n <= NIMAGES; n++)); do
  images_reg+=("$reg/bench/img$n")
  images_bench+=("$endpoint/bench/img$n")
done

for ((n = 1; n <= NIMAGES; n++)); do
  skopeo_ copy -q --all --preserve-digests --dest-tls-verify=false \
    "oci:$work/oci/img$n:$FROM_TAG" "docker://$reg/bench/img$n:$FROM_TAG" >/dev/null
  # The dummy index goes into every repository, so `latest` can be pointed at it by a manifest PUT.
  skopeo_ copy -q --all --preserve-digests --dest-tls-verify=false \
    "oci:$work/oci/dummy:$RESET_TAG" "docker://$reg/bench/img$n:$RESET_TAG" >/dev/null
done
reset_manifest="$work/reset-index.json"
reset_type="application/vnd.oci.image.index.v1+json"
skopeo_ inspect --raw --tls-verify=false "docker://$reg/bench/img1:$RESET_TAG" >"$reset_manifest"

digest_of() { # IMAGE_AT_REGISTRY TAG -> sha256 of the raw manifest bytes
  skopeo_ inspect --raw --tls-verify=false "docker://$1:$2" | sha256sum | cut -d' ' -f1
}
source_digests=()
for ((n = 0; n < NIMAGES; n++)); do
  source_digests+=("$(digest_of "${images_reg[n]}" "$FROM_TAG")")
done
reset_digest=$(sha256sum "$reset_manifest" | cut -d' ' -f1)
for ((n = 0; n < NIMAGES; n++)); do
  [[ "${source_digests[n]}" != "$reset_digest" ]] || die "reset index equals the source index of img$((n + 1))"
done

# Point `latest` of every image at the dummy index (untimed, at the registry port).
reset_latest() {
  local n
  for ((n = 1; n <= NIMAGES; n++)); do
    curl -fsS -o /dev/null -X PUT -H "Content-Type: $reset_type" --data-binary "@$reset_manifest" \
      "http://$reg/v2/bench/img$n/manifests/$TO_TAG" || die "could not reset bench/img$n:$TO_TAG"
  done
}

# Every image's :latest must hold exactly the bytes of its :sha-abc1234.
verify_promoted() { # WHAT
  local n got
  for ((n = 0; n < NIMAGES; n++)); do
    got=$(digest_of "${images_reg[n]}" "$TO_TAG")
    if [[ "$got" != "${source_digests[n]}" ]]; then
      die "after $1: ${images_reg[n]}:$TO_TAG manifest sha256 $got != :$FROM_TAG ${source_digests[n]}"
    fi
  done
}

# ---------------------------------------------------------------------------------------------
# the runs
# ---------------------------------------------------------------------------------------------
run_seq=0
last_ms=""
last_cpu_ms=""
run_gantry() { # LABEL
  local out="$work/runs/$((++run_seq))-$1" t0 t1
  t0=$(now_us)
  # --no-record: the skopeo loop keeps no ledger either (what records cost: README, "What records cost in requests").
  if ! java "${java_args[@]}" -jar "$jar" promote --no-record --from "$FROM_TAG" --to "$TO_TAG" "${images_bench[@]}" \
    >"$out.out" 2>"$out.err"; then
    cat "$out.out" "$out.err" >&2
    die "gantry promote failed ($1)"
  fi
  t1=$(now_us)
  last_ms=$(ms_of "$t0" "$t1")
}

run_skopeo() { # LABEL
  local out="$work/runs/$((++run_seq))-$1" t0 t1 n
  t0=$(now_us)
  for ((n = 1; n <= NIMAGES; n++)); do
    if ! skopeo_ copy --all --preserve-digests --src-tls-verify=false --dest-tls-verify=false \
      "docker://$endpoint/bench/img$n:$FROM_TAG" "docker://$endpoint/bench/img$n:$TO_TAG" \
      >>"$out.out" 2>>"$out.err"; then
      cat "$out.out" "$out.err" >&2
      die "skopeo copy failed ($1, img$n)"
    fi
  done
  t1=$(now_us)
  last_ms=$(ms_of "$t0" "$t1")
}

run_shipped() { # LABEL: the promote with the shipped JVM flags
  local out="$work/runs/$((++run_seq))-$1" t0 t1
  t0=$(now_us)
  if ! java "${java_args[@]}" "${shipped_args[@]}" -jar "$jar" promote --no-record --from "$FROM_TAG" --to "$TO_TAG" \
    "${images_bench[@]}" >"$out.out" 2>"$out.err"; then
    cat "$out.out" "$out.err" >&2
    die "gantry promote with the shipped flags failed ($1)"
  fi
  t1=$(now_us)
  last_ms=$(ms_of "$t0" "$t1")
}

run_timed() { # WHAT COMMAND... (output discarded, must exit 0); sets last_ms and last_cpu_ms (user + system)
  local what=$1 t0 t1 TIMEFORMAT='%3U %3S'
  shift
  t0=$(now_us)
  { time "$@" >"$work/runs/last-$what.out" 2>&1; } 2>"$work/runs/last-$what.cpu" ||
    { cat "$work/runs/last-$what.out" >&2; die "$what failed"; }
  t1=$(now_us)
  last_ms=$(ms_of "$t0" "$t1")
  last_cpu_ms=$(awk '{ printf "%.1f", ($1 + $2) * 1000 }' "$work/runs/last-$what.cpu")
}

run_hello() { run_timed hello java -jar "$work/hello.jar"; }
run_version() { run_timed version java "${java_args[@]}" -jar "$jar" --version; }
run_help() { run_timed help java "${java_args[@]}" -jar "$jar" promote --help; }
# bin/gantry as the README runs it, on the benchmark's jar copy and the java on PATH, with one setting of where its
# archives are: XDG_CACHE_HOME=DIR (a cache that stays empty while the build's archive, in $work/cds beside the jar
# copy, matches), or GANTRY_CDS_DIR=DIR (in place of both: no archive for this jar yet).
# shellcheck disable=SC2317 # called through layout_promote's "$@"
launcher() { # NAME=DIR ARGS...
  local where=$1
  shift
  env JAVA_HOME= "$where" GANTRY_JAR="$jar" "$repo_dir/bin/gantry" "$@"
}
layout_promote() { # WHAT COMMAND... (a promote on a fresh copy of examples/hello; must move the tag)
  local what=$1
  shift
  rm -rf "$work/layout" && cp -r "$work/layout-src" "$work/layout"
  run_timed "$what" "$@" promote --from "$FROM_TAG" --to "$TO_TAG" "oci:$work/layout"
  grep -q '^promoted ' "$work/runs/last-$what.out" || die "the $what promote moved nothing: $(cat "$work/runs/last-$what.out")"
}
run_layout() { layout_promote layout launcher XDG_CACHE_HOME="$work/xdg"; }
run_layout_plain() { layout_promote layout_plain java "${java_args[@]}" -jar "$jar"; }
run_layout_first() {
  rm -rf "$work/cds-first"
  layout_promote layout_first launcher GANTRY_CDS_DIR="$work/cds-first"
  compgen -G "$work/cds-first/gantry-*.jsa" >/dev/null || die "bin/gantry's first run made no archive"
}

# Registry access-log lines (Apache combined format: one per HTTP request) appended since byte offset.
log_size() { stat -c %s "$reg_log"; }
requests_since() { # OFFSET -> "METHOD STATUS URI" lines
  sleep 0.3 # the access log is written after the response has been sent
  tail -c "+$(($1 + 1))" "$reg_log" |
    sed -nE 's/^[^ ]+ [^ ]+ [^ ]+ \[[^]]*\] "([A-Z]+) ([^ ]+) HTTP\/[0-9.]+" ([0-9]{3}) .*/\1 \3 \2/p'
}

# Per (image,tag) figures of one counted run: "total HEAD GET PUT other writes".
count_requests() { # FILE
  awk -v div="$NIMAGES" '
    { total++; m[$1]++; if ($1 != "HEAD" && $1 != "GET") writes++ }
    END {
      other = total - m["HEAD"] - m["GET"] - m["PUT"]
      printf "%.2f %.2f %.2f %.2f %.2f %d %d\n", total / div, m["HEAD"] / div, m["GET"] / div,
        m["PUT"] / div, other / div, writes, total
    }' "$1"
}

# "METHOD kind status count" breakdown of a counted run,
# kind = ping | manifests:TAG | manifests:DIGEST | blobs | uploads | other.
breakdown() { # FILE
  awk '{
      kind = "other"
      if ($3 == "/v2/") kind = "ping"
      else if ($3 ~ /\/manifests\//) {
        ref = $3; sub(/.*\/manifests\//, "", ref)
        kind = "manifests:" (ref ~ /^sha256:/ ? "DIGEST" : ref)
      }
      else if ($3 ~ /\/blobs\/uploads/) kind = "uploads"
      else if ($3 ~ /\/blobs\//) kind = "blobs"
      c[$1 " " kind " " $2]++
    }
    END { for (k in c) printf "    %-40s %d\n", k, c[k] }' "$1" | sort
}

echo "== gantry promote benchmark =="
echo "jar: $jar_src ($(java "${java_args[@]}" -jar "$jar" --version 2>&1 | head -n1))"
echo "java: $(java -version 2>&1 | head -n1)   java-opts: ${java_opts:-(none)}   cds: $( ((cds)) && echo on || echo off)"
echo "shipped flags: ${shipped_opts:-(none)}"
echo "skopeo: $(skopeo --version)   registry: $(docker-registry --version 2>&1 | head -n1)"
echo "registry: $reg   endpoint: $endpoint   rtt: ${rtt_ms} ms$( ((use_proxy)) || echo ' (no proxy)')"
echo "images: $NIMAGES x OCI index (2 platforms x 3 layers)   $FROM_TAG -> $TO_TAG   rounds: $rounds"
echo

# --- optional AppCDS archive, dumped at the exit of one untimed promote ---
if ((cds)); then
  reset_latest
  jsa="$work/gantry.jsa"
  java "${java_args[@]}" -XX:ArchiveClassesAtExit="$jsa" -jar "$jar" promote --no-record --from "$FROM_TAG" \
    --to "$TO_TAG" "${images_bench[@]}" >"$work/runs/cds-dump.out" 2>&1 ||
    { cat "$work/runs/cds-dump.out" >&2; die "AppCDS dump run failed"; }
  verify_promoted "AppCDS dump run"
  java_args+=(-XX:SharedArchiveFile="$jsa")
  # -Xshare:on fails instead of silently running without the archive.
  java "${java_args[@]}" -Xshare:on -jar "$jar" --version >/dev/null 2>&1 || die "the AppCDS archive does not load"
  echo "AppCDS archive: $(du -h "$jsa" | cut -f1)"
fi

# --- the action image's archive, made by the Dockerfile's own script for this jar copy ---
"$repo_dir/scripts/appcds-archive.sh" "$(command -v java)" "$jar" "$work/shipped.jsa" "$repo_dir/examples/hello" \
  >"$work/runs/shipped-archive.out" 2>&1 || { cat "$work/runs/shipped-archive.out" >&2; die "scripts/appcds-archive.sh failed"; }
shipped_args+=(-XX:SharedArchiveFile="$work/shipped.jsa")
echo "shipped AppCDS archive (scripts/appcds-archive.sh): $(du -h "$work/shipped.jsa" | cut -f1)"

# --- bin/gantry's archive, made for the jar copy as `./mvnw package` makes it for target/gantry.jar ---
"$repo_dir/scripts/launcher-archive.sh" "$jar" "$work/cds" >"$work/runs/launcher-archive.out" 2>&1 ||
  { cat "$work/runs/launcher-archive.out" >&2; die "scripts/launcher-archive.sh failed"; }
launcher_jsa=$(compgen -G "$work/cds/gantry-*.jsa") || die "scripts/launcher-archive.sh made no archive in $work/cds"
# -Xshare:on fails instead of running without it: the archive is valid for this jar and JVM.
java -XX:SharedArchiveFile="$launcher_jsa" -Xshare:on -jar "$jar" --version >/dev/null 2>&1 ||
  die "bin/gantry's archive does not load: $launcher_jsa"
echo "bin/gantry AppCDS archive: $(du -h "$launcher_jsa" | cut -f1)"

# --- one counted run of each tool (also the warm-up) ---
reset_latest
mark=$(log_size)
run_gantry counted
requests_since "$mark" >"$work/requests-gantry.txt"
verify_promoted "counted gantry run"
read -r g_req g_head g_get g_put g_other g_writes g_total < <(count_requests "$work/requests-gantry.txt")
echo "counted gantry run: $g_total requests, ${last_ms} ms"
breakdown "$work/requests-gantry.txt"

reset_latest
mark=$(log_size)
run_skopeo counted
requests_since "$mark" >"$work/requests-skopeo.txt"
verify_promoted "counted skopeo loop"
read -r s_req s_head s_get s_put s_other s_writes s_total < <(count_requests "$work/requests-skopeo.txt")
echo "counted skopeo loop: $s_total requests, ${last_ms} ms"
breakdown "$work/requests-skopeo.txt"
echo

# --- timed rounds: the order of the tools rotates and the start-up runs alternate every round ---
gantry_ms=()
shipped_ms=()
skopeo_ms=()
hello_ms=()
startup_ms=()
help_ms=()
layout_ms=()
layout_plain_ms=()
layout_first_ms=()
hello_cpu=()
startup_cpu=()
help_cpu=()
layout_cpu=()
layout_plain_cpu=()
for ((r = 1; r <= rounds; r++)); do
  case $((r % 3)) in
    1) order=(gantry shipped skopeo) ;;
    2) order=(skopeo gantry shipped) ;;
    *) order=(shipped skopeo gantry) ;;
  esac
  line="round $r:"
  for tool in "${order[@]}"; do
    reset_latest
    case "$tool" in
      gantry) run_gantry "round$r"; gantry_ms+=("$last_ms") ;;
      shipped) run_shipped "round$r"; shipped_ms+=("$last_ms") ;;
      *) run_skopeo "round$r"; skopeo_ms+=("$last_ms") ;;
    esac
    line+=" $tool=${last_ms}ms"
    verify_promoted "$tool run in round $r"
  done
  if ((r % 2 == 1)); then
    starts=(hello version help layout layout_plain layout_first)
  else
    starts=(layout_first layout_plain layout help version hello)
  fi
  for what in "${starts[@]}"; do
    case "$what" in
      hello) run_hello; hello_ms+=("$last_ms"); hello_cpu+=("$last_cpu_ms") ;;
      version) run_version; startup_ms+=("$last_ms"); startup_cpu+=("$last_cpu_ms") ;;
      help) run_help; help_ms+=("$last_ms"); help_cpu+=("$last_cpu_ms") ;;
      layout) run_layout; layout_ms+=("$last_ms"); layout_cpu+=("$last_cpu_ms") ;;
      layout_plain) run_layout_plain; layout_plain_ms+=("$last_ms"); layout_plain_cpu+=("$last_cpu_ms") ;;
      *) run_layout_first; layout_first_ms+=("$last_ms") ;;
    esac
    line+=" $what=${last_ms}ms"
  done
  echo "$line"
done
echo

# --- idempotent: gantry again with every latest already at the source (nothing to write) ---
verify_promoted "idempotent precondition"
mark=$(log_size)
run_gantry idempotent-counted
requests_since "$mark" >"$work/requests-idempotent.txt"
read -r i_req i_head i_get i_put i_other i_writes i_total < <(count_requests "$work/requests-idempotent.txt")
idem_ms=("$last_ms")
for ((r = 2; r <= rounds; r++)); do
  run_gantry "idempotent$r"
  idem_ms+=("$last_ms")
done
verify_promoted "idempotent runs"
echo "idempotent gantry runs: ${idem_ms[*]} ms; counted run: $i_total requests"
breakdown "$work/requests-idempotent.txt"
echo

stats() { # VALUES... -> "median min max"
  printf '%s\n' "$@" | sort -g | awk '
    { v[NR] = $1 }
    END {
      med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%.1f %.1f %.1f\n", med, v[1], v[NR]
    }'
}
read -r g_med g_min g_max < <(stats "${gantry_ms[@]}")
read -r s_med s_min s_max < <(stats "${skopeo_ms[@]}")
read -r p_med p_min p_max < <(stats "${shipped_ms[@]}")
read -r v_med v_min v_max < <(stats "${startup_ms[@]}")
read -r w_med w_min w_max < <(stats "${hello_ms[@]}")
read -r h_med h_min h_max < <(stats "${help_ms[@]}")
read -r l_med l_min l_max < <(stats "${layout_ms[@]}")
read -r lp_med lp_min lp_max < <(stats "${layout_plain_ms[@]}")
read -r lf_med lf_min lf_max < <(stats "${layout_first_ms[@]}")
read -r i_med i_min i_max < <(stats "${idem_ms[@]}")
ratio_of() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ratio=$(ratio_of "$g_med" "$s_med")
ratio_shipped=$(ratio_of "$p_med" "$s_med")
startup_ratio=$(ratio_of "$v_med" "$w_med")
help_ratio=$(ratio_of "$h_med" "$w_med")
layout_ratio=$(ratio_of "$l_med" "$w_med")
layout_ratio_plain=$(ratio_of "$lp_med" "$w_med")
layout_first_ratio=$(ratio_of "$lf_med" "$l_med")
cpu_med() { stats "$@" | cut -d' ' -f1; }
hello_cpu_med=$(cpu_med "${hello_cpu[@]}")
startup_cpu_ratio=$(ratio_of "$(cpu_med "${startup_cpu[@]}")" "$hello_cpu_med")
help_cpu_ratio=$(ratio_of "$(cpu_med "${help_cpu[@]}")" "$hello_cpu_med")
layout_cpu_ratio=$(ratio_of "$(cpu_med "${layout_cpu[@]}")" "$hello_cpu_med")
layout_plain_cpu_ratio=$(ratio_of "$(cpu_med "${layout_plain_cpu[@]}")" "$hello_cpu_med")

verdict() { # CONDITION(awk expr on x) VALUE
  if awk -v x="$2" "BEGIN { exit !($1) }"; then echo PASS; else echo FAIL; fi
}
t_req=$(verdict "x <= $TARGET_REQUESTS" "$g_req")
t_ratio=$(verdict "x <= $TARGET_RATIO_PLAIN" "$ratio")
t_shipped=$(verdict "x <= $TARGET_RATIO_SHIPPED" "$ratio_shipped")
t_startup=$(verdict "x <= $TARGET_STARTUP_RATIO" "$startup_ratio")
t_help=$(verdict "x <= $TARGET_HELP_RATIO" "$help_ratio")
t_layout=$(verdict "x <= $TARGET_LAYOUT_RATIO" "$layout_ratio")
t_idem=$( ((i_writes == 0)) && echo PASS || echo FAIL)

echo "== summary =="
echo "config rtt_ms=$rtt_ms rounds=$rounds images=$NIMAGES cds=$cds java_opts=\"$java_opts\""
echo "gantry median_ms=$g_med min_ms=$g_min max_ms=$g_max"
echo "gantry_shipped median_ms=$p_med min_ms=$p_min max_ms=$p_max flags=\"$shipped_opts\" (+ the AppCDS archive of scripts/appcds-archive.sh)"
echo "skopeo median_ms=$s_med min_ms=$s_min max_ms=$s_max"
echo "ratio gantry/skopeo=$ratio"
echo "ratio_plain=$ratio"
echo "ratio_shipped=$ratio_shipped"
echo "hello (java -jar hello.jar) median_ms=$w_med min_ms=$w_min max_ms=$w_max"
echo "startup (--version) median_ms=$v_med min_ms=$v_min max_ms=$v_max"
echo "startup_ratio=$startup_ratio"
echo "help (promote --help) median_ms=$h_med min_ms=$h_min max_ms=$h_max"
echo "help_ratio=$help_ratio"
echo "layout promote (the README's first command: bin/gantry after the build) median_ms=$l_med min_ms=$l_min max_ms=$l_max"
echo "layout_ratio=$layout_ratio"
echo "layout promote (plain java -jar) median_ms=$lp_med min_ms=$lp_min max_ms=$lp_max"
echo "layout_ratio_plain=$layout_ratio_plain"
echo "layout promote (bin/gantry, no archive yet: dumps one) median_ms=$lf_med min_ms=$lf_min max_ms=$lf_max"
echo "layout_first_ratio=$layout_first_ratio"
echo "cpu (user + system, JIT threads included; much less moved by load than wall time; no target):" \
  "hello median_ms=$hello_cpu_med startup_cpu_ratio=$startup_cpu_ratio help_cpu_ratio=$help_cpu_ratio" \
  "layout_cpu_ratio=$layout_cpu_ratio layout_plain_cpu_ratio=$layout_plain_cpu_ratio"
echo "idempotent gantry median_ms=$i_med min_ms=$i_min max_ms=$i_max" \
  "requests=$i_req (HEAD $i_head, GET $i_get, PUT $i_put, other $i_other) writes=$i_writes [$t_idem]"
echo "requests per (image,tag): gantry=$g_req (HEAD $g_head, GET $g_get, PUT $g_put, other $g_other)" \
  "skopeo=$s_req (HEAD $s_head, GET $s_get, PUT $s_put, other $s_other)"
echo "requests total: gantry=$g_total skopeo=$s_total gantry_writes=$g_writes skopeo_writes=$s_writes"
echo "targets: requests<=$TARGET_REQUESTS [$t_req], idempotent writes=0 [$t_idem]," \
  "ratio_plain<=$TARGET_RATIO_PLAIN [$t_ratio], ratio_shipped<=$TARGET_RATIO_SHIPPED [$t_shipped]," \
  "startup_ratio<=$TARGET_STARTUP_RATIO [$t_startup], help_ratio<=$TARGET_HELP_RATIO [$t_help]," \
  "layout_ratio<=$TARGET_LAYOUT_RATIO (the README's first command) [$t_layout]"

if ((check)) && [[ "$t_req $t_idem $t_ratio $t_shipped $t_startup $t_help $t_layout" == *FAIL* ]]; then
  exit 1
fi
exit 0
