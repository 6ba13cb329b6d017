#!/usr/bin/env bash
# scripts/jre-base-image.sh [--slim] [CACHE_DIR] - a Java 17 runtime base image made from Debian packages only, no
# registry. --slim: no packages at all, a stand-in for debian:bookworm-slim (bench/action-images.sh builds the
# Dockerfile on it, since Docker Hub is out of reach here).
#
# debootstrap --variant=minbase bookworm, then openjdk-17-jre-headless and ca-certificates installed with apt-get in
# a chroot, committed with buildah (vfs storage in a temp dir) into an OCI image layout under CACHE_DIR (default
# ~/.cache/gantry-e2e). The layout is keyed by the suite, the architecture, the package list and this script, so a
# second run finds it and builds nothing. Prints the layout reference (oci:DIR:17) on stdout; progress on stderr.
# Needs root, debootstrap and buildah. Used by scripts/container-e2e.sh as the base image that Jib builds on.
set -Eeuo pipefail

readonly SUITE=bookworm
PACKAGES=(openjdk-17-jre-headless ca-certificates)
TAG=17
NAME=jre17
if [[ ${1:-} == --slim ]]; then
  PACKAGES=()
  TAG=bookworm-slim
  NAME=debian-slim
  shift
fi
readonly PACKAGES TAG NAME

log() { echo "jre-base-image: $*" >&2; }
die() {
  log "FAILED: $*"
  exit 1
}

# The Debian archive this machine already uses (deb822 .sources or one-line .list), else deb.debian.org.
debian_mirror() {
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list)
  awk '
    function pick(uri, suite) {
      if (suite ~ /^[a-z]+$/ && uri ~ /\/debian\/?$/) { print uri; found = 1; exit }
    }
    /^[ \t]*#/ { next }
    /^[ \t]*$/ { uris = ""; suites = ""; next }
    /^URIs:/ { uris = $2 }
    /^Suites:/ { suites = $0; sub(/^Suites:[ \t]*/, "", suites) }
    uris != "" && suites != "" { n = split(suites, s, /[ \t]+/); for (i = 1; i <= n; i++) pick(uris, s[i]); uris = ""; suites = "" }
    /^deb[ \t]/ { sub(/\[[^]]*\][ \t]*/, ""); pick($2, $3) }
  ' "${files[@]}" 2>/dev/null | head -n 1 | grep . || echo http://deb.debian.org/debian
}

export PATH="$PATH:/usr/sbin:/sbin"
cache=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/gantry-e2e}
arch=$(dpkg --print-architecture)
key=$({ printf '%s\n' "$SUITE" "$arch" "${PACKAGES[@]}"; cat "$0"; } | sha256sum | cut -c1-16)
layout="$cache/$NAME-$key"

if [[ -f "$layout/index.json" ]]; then
  log "cache hit: $layout"
  echo "oci:$layout:$TAG"
  exit 0
fi

((EUID == 0)) || die "needs root (debootstrap, chroot, mount)"
for tool in debootstrap buildah chroot; do
  command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install debootstrap buildah)"
done
mkdir -p "$cache"
mirror=$(debian_mirror)
work=$(mktemp -d "${TMPDIR:-/tmp}/gantry-jre.XXXXXX")
partial=$(mktemp -d "$cache/.$NAME-partial.XXXXXX") # a concurrent run cannot see or break a half-written layout
rootfs=""
echo '{"default": [{"type": "insecureAcceptAnything"}]}' >"$work/policy.json"

b() { buildah --root "$work/storage" --runroot "$work/run" --storage-driver vfs "$@"; }

# Whatever is still mounted inside the root file system goes first (deepest first); rm never crosses into a mount.
unmount_rootfs() {
  [[ -n "$rootfs" ]] || return 0
  local m
  awk -v root="$rootfs/" 'index($5, root) == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r m; do
    umount -l "$m" || true
  done
}
cleanup() {
  unmount_rootfs
  b rm --all >/dev/null 2>&1 || true
  b rmi --all --force >/dev/null 2>&1 || true
  rm -rf --one-file-system "$work" "$partial"
}
trap cleanup EXIT
trap 'die "line $LINENO: $BASH_COMMAND"' ERR

started=$SECONDS
log "building $SUITE${PACKAGES[*]:+ + ${PACKAGES[*]}} from $mirror (cache miss: $layout)"
ctr=$(b from --quiet scratch)
rootfs=$(b mount "$ctr")

debootstrap --variant=minbase "$SUITE" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap $SUITE from $mirror"; }
log "debootstrap done ($((SECONDS - started)) s)"

cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
mount -t proc proc "$rootfs/proc"
if ((${#PACKAGES[@]})); then
  chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" \
    >"$work/apt.log" 2>&1 || { tail -n 30 "$work/apt.log" >&2; die "apt-get install ${PACKAGES[*]}"; }
  chroot "$rootfs" java -version 2>&1 | sed -n 1p >&2
fi
chroot "$rootfs" apt-get clean
unmount_rootfs
# Smaller and deterministic where it is free: no package lists, caches, docs, or this machine's resolver.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/log/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs/etc/resolv.conf"
log "packages installed ($((SECONDS - started)) s)"

java_home=()
((${#PACKAGES[@]} == 0)) || java_home=(--env "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$arch")
b config --os linux --arch "$arch" \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  "${java_home[@]}" --env LANG=C.UTF-8 \
  --cmd '["/bin/bash"]' \
  --label "org.opencontainers.image.description=Debian $SUITE minbase${PACKAGES[*]:+ + ${PACKAGES[*]}} (gantry container e2e)" \
  "$ctr"
b unmount "$ctr" >/dev/null
b commit --quiet "$ctr" "jre:$TAG" >/dev/null
# gzip-compressed layers in the cache, so pushing them to a registry later is a plain copy.
b push --quiet --signature-policy "$work/policy.json" "jre:$TAG" "oci:$partial:$TAG"
rm -rf "$cache/$NAME"-* # older keys: one base image of each kind is enough
mv -T "$partial" "$layout"
log "built in $((SECONDS - started)) s: $layout ($(du -sh "$layout" | cut -f1))"
echo "oci:$layout:$TAG"
