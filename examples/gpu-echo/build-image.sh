#!/usr/bin/env bash
# build-image.sh OUT_DIR [TAG]
#
# Builds the gpu-echo reference app as an OCI image layout at OUT_DIR, tagged TAG
# (default 1.0.0), with umoci: no registry, no daemon, no network. One layer:
#
#   /bin/busybox            a copy of the static busybox on this machine (/bin/busybox)
#   /bin/{sh,httpd,env,cat,echo,hostname,sleep}   symlinks to it
#   /www/index.html         a page that points at the two endpoints
#   /www/healthz            "ok"  (GET /healthz, the readiness probe)
#   /www/cgi-bin/gpus       CGI: JSON with CUDA_VISIBLE_DEVICES, NVIDIA_VISIBLE_DEVICES,
#                           PLATFORM_INSTANCE_ID and the hostname (GET /cgi-bin/gpus)
#   /etc/passwd, /etc/group and empty /tmp /proc /dev
#
# busybox httpd runs CGI scripts with its own environment plus the CGI variables, so
# whatever the platform sets for the server (CUDA_VISIBLE_DEVICES, …) reaches the script.
#
# The config's cmd is `/bin/busybox httpd -f -v -p 8080 -h /www`; the platform replaces
# it with the manifest's command, which listens on the port it allocated (${ports.http}).
#
# Deterministic: file times, the config's creation time and history are pinned
# (SOURCE_DATE_EPOCH, default 0), so the same busybox gives the same manifest digest.
# Prints the manifest digest (sha256:...) of OUT_DIR:TAG on the last line of stdout.
set -euo pipefail

usage() { echo "usage: $0 OUT_DIR [TAG]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
out=$1
tag=${2:-1.0.0}
busybox=${BUSYBOX:-/bin/busybox}
epoch=${SOURCE_DATE_EPOCH:-0}

[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ ]] || { echo "error: '$tag' is not a valid OCI tag" >&2; exit 2; }
[[ "$epoch" =~ ^[0-9]+$ ]] || { echo "error: SOURCE_DATE_EPOCH must be whole seconds, got '$epoch'" >&2; exit 2; }
for tool in umoci python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool not found (apt-get install $tool)" >&2; exit 1; }
done
[ -x "$busybox" ] || { echo "error: $busybox not found (apt-get install busybox-static)" >&2; exit 1; }
applets=$("$busybox" --list 2>/dev/null || true)   # no `| grep -q`: SIGPIPE + pipefail
if ! grep -qx httpd <<<"$applets"; then
  echo "error: $busybox has no httpd applet" >&2; exit 1
fi
if command -v file >/dev/null 2>&1 && ! grep -q 'statically linked' <<<"$(file -L "$busybox")"; then
  echo "error: $busybox is not statically linked; the image has no libc (apt-get install busybox-static)" >&2; exit 1
fi
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
  echo "error: $out exists and is not empty" >&2; exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gpu-echo-image.XXXXXX")
trap 'rm -rf "$work"' EXIT

mkdir -p "$out"
rmdir "$out"                       # umoci init wants to create the layout itself
umoci init --layout "$out"
umoci new --image "$out:$tag"
# The layer is made by unpack + repack rather than `umoci insert`: umoci 0.4.7's insert
# writes a tar without its end-of-archive blocks (umoci#436, fixed upstream in #534),
# which GNU tar and Python's tarfile refuse; repack closes the archive properly.
umoci unpack --rootless --image "$out:$tag" "$work/bundle" >/dev/null
root=$work/bundle/rootfs
mkdir -p "$root"/{bin,etc,tmp,proc,dev,www/cgi-bin}
chmod 1777 "$root/tmp"

cp "$busybox" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"
for applet in sh httpd env cat echo hostname sleep; do
  ln -s busybox "$root/bin/$applet"
done

printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

printf 'ok\n' >"$root/www/healthz"

cat >"$root/www/index.html" <<'HTML'
<!doctype html>
<html><head><meta charset="utf-8"><title>gpu-echo</title></head>
<body>
<h1>gpu-echo</h1>
<p>The platform's GPU reference app.</p>
<ul>
<li><a href="cgi-bin/gpus">cgi-bin/gpus</a> &mdash; the GPUs this instance was given (JSON)</li>
<li><a href="healthz">healthz</a> &mdash; readiness</li>
</ul>
</body></html>
HTML

cat >"$root/www/cgi-bin/gpus" <<'CGI'
#!/bin/sh
# GET /cgi-bin/gpus: the GPUs this instance was given, as JSON. busybox httpd hands the
# script its own environment plus the CGI variables, so what the platform set for the
# server (CUDA_VISIBLE_DEVICES, NVIDIA_VISIBLE_DEVICES, PLATFORM_INSTANCE_ID) is here.
PATH=/bin
json() { printf '%s' "$1" | busybox sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | busybox tr -d '\000-\037'; }
printf 'Content-Type: application/json\r\n\r\n'
printf '{"app":"gpu-echo","cuda_visible_devices":"%s","nvidia_visible_devices":"%s","instance":"%s","hostname":"%s"}\n' \
  "$(json "${CUDA_VISIBLE_DEVICES-}")" "$(json "${NVIDIA_VISIBLE_DEVICES-}")" \
  "$(json "${PLATFORM_INSTANCE_ID-}")" "$(json "$(hostname)")"
CGI
chmod 0755 "$root/www/cgi-bin/gpus"

# Pin every time stamp that ends up in the layer or the config.
find "$root" -exec touch -h -d "@$epoch" {} +
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)

umoci repack --image "$out:$tag" \
  --history.created "$created" --history.created_by "examples/gpu-echo/build-image.sh" \
  --history.comment "busybox-static, httpd, /www" "$work/bundle"
umoci config --image "$out:$tag" --no-history \
  --created "$created" --author "platform-team" --os linux --architecture amd64 \
  --config.env PATH=/bin \
  --config.workingdir / \
  --config.exposedports 8080/tcp \
  --config.stopsignal SIGTERM \
  --config.cmd /bin/busybox --config.cmd httpd --config.cmd -f --config.cmd -v \
  --config.cmd -p --config.cmd 8080 --config.cmd -h --config.cmd /www \
  --config.label org.opencontainers.image.title=gpu-echo \
  --config.label "org.opencontainers.image.version=$tag" \
  --config.label "org.opencontainers.image.description=Reports the GPUs it was given; answers /healthz" \
  --manifest.annotation org.opencontainers.image.title=gpu-echo \
  --manifest.annotation "org.opencontainers.image.version=$tag" \
  --manifest.annotation "org.opencontainers.image.created=$created"
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
