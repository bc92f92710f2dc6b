#!/usr/bin/env bash
# make-image.sh OUTDIR [SIZE_MB]
#
# Builds an OCI image layout at OUTDIR with one tag, `v1`, using umoci (rootless, no
# daemon; works as root too): one layer with a small file (/hello.txt), and when SIZE_MB
# is given, a second layer holding SIZE_MB MiB of random bytes (/payload.bin) so that
# umoci's gzip cannot shrink it (the compressed layer is ~SIZE_MB MiB as well).
# Prints the manifest digest (sha256:...) of OUTDIR:v1 on the last line of stdout.
#
# Use it with e.g. `skopeo copy --dest-tls-verify=false oci:OUTDIR:v1 docker://HOST/ns/app:v1`.
set -euo pipefail

usage() { echo "usage: $0 OUTDIR [SIZE_MB]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
out=$1
size_mb=${2:-}
if [ -n "$size_mb" ] && ! [[ "$size_mb" =~ ^[0-9]+$ ]]; then
  echo "error: SIZE_MB must be a whole number of MiB, got '$size_mb'" >&2; exit 2
fi
command -v umoci >/dev/null 2>&1 || { echo "error: umoci not found (apt-get install umoci)" >&2; exit 1; }
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
  echo "error: $out exists and is not empty" >&2; exit 1
fi

tag=v1
work=$(mktemp -d "${TMPDIR:-/tmp}/make-image.XXXXXX")
trap 'rm -rf "$work"' EXIT

mkdir -p "$out"
rmdir "$out"                       # umoci init wants to create the layout itself
umoci init --layout "$out"
umoci new --image "$out:$tag"

printf 'hello from make-image.sh\n' >"$work/hello.txt"
umoci insert --rootless --image "$out:$tag" "$work/hello.txt" /hello.txt

if [ -n "$size_mb" ] && [ "$size_mb" -gt 0 ]; then
  head -c "$((size_mb * 1024 * 1024))" /dev/urandom >"$work/payload.bin"
  # umoci tars and gzips the new layer itself (application/vnd.oci.image.layer.v1.tar+gzip).
  umoci insert --rootless --image "$out:$tag" "$work/payload.bin" /payload.bin
  rm -f "$work/payload.bin"
fi

umoci config --image "$out:$tag" --config.cmd /hello.txt
# umoci keeps superseded blobs around; drop them so the layout holds just this image.
umoci gc --layout "$out"

python3 - "$out" "$tag" <<'PY'
import json, sys
layout, tag = sys.argv[1], sys.argv[2]
with open(f"{layout}/index.json") as f:
    index = json.load(f)
for m in index.get("manifests", []):
    if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag:
        print(m["digest"])
        break
else:
    sys.exit(f"error: tag {tag} not found in {layout}/index.json")
PY
