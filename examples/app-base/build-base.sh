#!/usr/bin/env bash
# build-base.sh [--print-key]
#
# The Debian base every catalog app image starts from (jupyter-lab, tensorboard,
# finetune-job): Debian 12 "bookworm", mmdebstrap's minbase variant plus python3 and
# ca-certificates, from deb.debian.org, packed with umoci as ONE layer of an OCI image layout.
#
# Interface (what the app scripts rely on):
#   stdout, last line   the path of the cached OCI layout; its one image is tagged `bookworm`
#                       (one layer: the rootfs; config: PATH, LANG=C.UTF-8, cmd python3).
#   --print-key         print only the cache key (sha256 of this script,
#                       the package list, suite and architecture) and exit.
#   examples/app-base/image-lib.sh  sourced by app scripts: starts an app image from this layout
#                       and packs the app's files as a second layer (see that file).
#   The base layer is byte-identical for every app built on one machine from one cache, so
#   the registry stores it once.
#
# Cache: ${PLATFORM_IMAGE_CACHE:-/var/cache/platform-images}/app-base/<key>/layout. A second
# build on one machine returns at once; a fresh machine (empty cache) builds from scratch
# (about a minute: it downloads ~30 MiB of .debs). Concurrent builds are serialized by flock.
# Delete the folder to rebuild (for example to pick up Debian security updates).
#
# Deterministic: SOURCE_DATE_EPOCH (default 0) pins mmdebstrap's times and every file time
# in the layer, so the same Debian package versions give the same layer digest. The
# package versions come from the mirror at build time: the cache is what keeps one machine's
# base fixed between builds.
#
# Symlinks stay as Debian ships them, absolute ones included (/etc/alternatives/*): the
# platform's unpacker roots an image layer's absolute targets at the image's own root.
# Needs root (mmdebstrap --mode=root, umoci unpack keeping owners), mmdebstrap, umoci, tar, python3.
set -euo pipefail

suite=bookworm
arch=amd64
packages=(python3 ca-certificates)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
epoch=${SOURCE_DATE_EPOCH:-0}
cache=${PLATFORM_IMAGE_CACHE:-/var/cache/platform-images}
self=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")

[[ "$epoch" =~ ^[0-9]+$ ]] || { echo "error: SOURCE_DATE_EPOCH must be whole seconds, got '$epoch'" >&2; exit 2; }
key=$( { sha256sum <"$self"; printf '%s\n' "$suite" "$arch" "$epoch" "$mirror" "$security_mirror" "${packages[@]}"; } | sha256sum | cut -c1-16)
if [ "${1-}" = --print-key ]; then echo "$key"; exit 0; fi
[ $# -eq 0 ] || { echo "usage: $0 [--print-key]" >&2; exit 2; }

dest=$cache/app-base/$key
layout=$dest/layout
if [ -f "$layout/index.json" ]; then echo "$layout"; exit 0; fi

[ "$(id -u)" = 0 ] || { echo "error: building the base needs root (mmdebstrap --mode=root)" >&2; exit 1; }
for tool in mmdebstrap umoci tar flock; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool not found (apt-get install $tool; see scripts/install-deps.sh)" >&2; exit 1; }
done
mkdir -p "$dest"
exec 9>"$dest/lock"
flock 9
if [ -f "$layout/index.json" ]; then echo "$layout"; exit 0; fi   # built while we waited

work=$(mktemp -d "${TMPDIR:-/tmp}/app-base.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "==> mmdebstrap $suite (${packages[*]}) from $mirror, key $key" >&2
include=$(IFS=,; echo "${packages[*]}")
# Docs, man pages and translations are dropped (dpkg path-exclude): an app image has no use
# for them. apt's lists and caches go (mmdebstrap's default cleanup), as do logs.
SOURCE_DATE_EPOCH=$epoch mmdebstrap --quiet --mode=root --variant=minbase --architectures="$arch" \
  --include="$include" \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook='rm -rf "$1"/var/log/* "$1"/var/cache/ldconfig/aux-cache' \
  "$suite" "$work/rootfs.tar" \
  "deb $mirror $suite main" "deb $mirror $suite-updates main" "deb $security_mirror $suite-security main" >&2

partial=$dest/layout.partial
rm -rf "$partial"
umoci init --layout "$partial"
umoci new --image "$partial:bookworm"
umoci unpack --image "$partial:bookworm" "$work/bundle" >/dev/null
root=$work/bundle/rootfs
# /dev comes from the runtime (the local adapter mounts a tmpfs there); device nodes in a
# layer are refused by the platform's unpacker.
tar -xf "$work/rootfs.tar" -C "$root" --numeric-owner --exclude='./dev/*'
# Debian compiled the standard library's pycs at install time with source times, which the
# time pinning below would make stale (and the read-only root could never hold fresh ones):
# recompiled as unchecked-hash pycs, which carry no times.
find "$root"/usr/lib/python3* -name __pycache__ -type d -prune -exec rm -rf {} +
chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
  python3 -m compileall -q -j 1 --invalidation-mode unchecked-hash /usr/lib/python3 /usr/lib/python3.11 >/dev/null || true
find "$root" -exec touch -h -d "@$epoch" {} +
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
umoci repack --image "$partial:bookworm" --history.created "$created" \
  --history.created_by "examples/app-base/build-base.sh" \
  --history.comment "mmdebstrap --variant=minbase $suite: ${packages[*]}" "$work/bundle"
umoci config --image "$partial:bookworm" --no-history --created "$created" --os linux --architecture "$arch" \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.env LANG=C.UTF-8 \
  --config.workingdir / --config.cmd python3 \
  --config.label org.opencontainers.image.title=app-base \
  --config.label "org.opencontainers.image.description=Debian $suite minbase + ${packages[*]}"
umoci gc --layout "$partial"
mv "$partial" "$layout"
echo "$layout"
