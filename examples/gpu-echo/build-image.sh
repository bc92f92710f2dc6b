#!/usr/bin/env bash
# build-image.sh OUT_DIR [TAG]
#
# Builds the gpu-echo reference app as an OCI image layout at OUT_DIR, tagged TAG
# (default 1.0.0), with umoci: no registry, no daemon, no network. One layer:
#
#   /bin/start              the entry command (start.sh): httpd + echo-server + sshd, see below
#   /bin/busybox            a copy of the static busybox on this machine (/bin/busybox)
#   /bin/{sh,httpd,env,…}   symlinks to it
#   /bin/echo-server        echo-server.c, built here with gcc -static: WebSocket echo (--ws)
#                           and raw TCP echo (--tcp)
#   /usr/sbin/sshd, /usr/bin/ssh-keygen   copies of this machine's OpenSSH, with every shared
#                           library ldd lists for them and the dynamic loader, at the same paths
#   /usr/lib/gpu-echo/sshd-nopriv.so      sshd-nopriv.c: lets sshd run without the capabilities
#                           to change identities (see start.sh and sshd-nopriv.c)
#   /www/index.html         a page that points at the endpoints
#   /www/healthz            "ok"  (GET /healthz, the readiness probe)
#   /www/cgi-bin/gpus       CGI: JSON with CUDA_VISIBLE_DEVICES, NVIDIA_VISIBLE_DEVICES,
#                           PLATFORM_INSTANCE_ID and the hostname (GET /cgi-bin/gpus)
#   /www/cgi-bin/cookies    CGI: sets the cookies a careless or hostile app might (Path=/,
#                           a Domain, the platform's own session cookie name, a __Host- one),
#                           so tests can see the proxy scope or drop each
#   /etc/passwd, /etc/group (root, the sshd privilege-separation user, nobody),
#   /etc/nsswitch.conf and empty /tmp /run /proc /dev
#
# /bin/start reads PORT_HTTP, PORT_LIVE, PORT_ECHO, PORT_SSH (the ports the platform
# allocated for the manifest's endpoints; default 8080/8081/7000/2222) and runs busybox
# httpd on PORT_HTTP, echo-server --ws PORT_LIVE --tcp PORT_ECHO, and, when
# PLATFORM_SSH_USER_CA is set, sshd on PORT_SSH accepting certificates signed by that CA
# for the principal PLATFORM_INSTANCE_ID. The root file system may be read-only: start
# writes only under /run (a tmpfs at run time).
#
# busybox httpd runs CGI scripts with its own environment plus the CGI variables, so
# whatever the platform sets for the server (CUDA_VISIBLE_DEVICES, …) reaches the script.
#
# The config's cmd is `/bin/start`, which is also the manifest's command.
#
# Deterministic: file times, the config's creation time and history are pinned
# (SOURCE_DATE_EPOCH, default 0) and the C programs are built without paths or dates in
# them, so the same busybox, OpenSSH, gcc and libc give the same manifest digest.
# Prints the manifest digest (sha256:...) of OUT_DIR:TAG on the last line of stdout.
set -euo pipefail

usage() { echo "usage: $0 OUT_DIR [TAG]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
out=$1
tag=${2:-1.0.0}
busybox=${BUSYBOX:-/bin/busybox}
sshd=${SSHD:-/usr/sbin/sshd}
ssh_keygen=${SSH_KEYGEN:-/usr/bin/ssh-keygen}
epoch=${SOURCE_DATE_EPOCH:-0}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ ]] || { echo "error: '$tag' is not a valid OCI tag" >&2; exit 2; }
[[ "$epoch" =~ ^[0-9]+$ ]] || { echo "error: SOURCE_DATE_EPOCH must be whole seconds, got '$epoch'" >&2; exit 2; }
for tool in umoci python3 gcc ldd; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool not found (apt-get install $tool; gcc and ldd: gcc libc6-dev libc-bin)" >&2; exit 1; }
done
[ -x "$busybox" ] || { echo "error: $busybox not found (apt-get install busybox-static)" >&2; exit 1; }
for bin in "$sshd" "$ssh_keygen"; do
  [ -x "$bin" ] || { echo "error: $bin not found (apt-get install openssh-server)" >&2; exit 1; }
done
for src in echo-server.c sshd-nopriv.c start.sh; do
  [ -r "$here/$src" ] || { echo "error: $here/$src is missing" >&2; exit 1; }
done
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
mkdir -p "$root"/{bin,etc,tmp,run,proc,dev,var,usr/bin,usr/sbin,usr/lib/gpu-echo,www/cgi-bin}
chmod 1777 "$root/tmp"
# sshd records logins in /var/run/utmp and /var/log/{wtmp,lastlog}: on the writable /run.
ln -s ../run "$root/var/run"
ln -s ../run/log "$root/var/log"

cp "$busybox" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"
for applet in sh httpd env cat echo hostname sleep id kill ls ps mkdir chmod rm sed tr grep \
              head tail wc uname true false printf; do
  ln -s busybox "$root/bin/$applet"
done

install -m 0755 "$here/start.sh" "$root/bin/start"

# The C programs, built in the work folder under relative names (no absolute path in them),
# stripped. The static echo-server needs nothing; the preload library needs the libc below.
mkdir "$work/cc"
cp "$here/echo-server.c" "$here/sshd-nopriv.c" "$work/cc/"
(cd "$work/cc" && gcc -static -O2 -s -o echo-server echo-server.c \
  && gcc -shared -fPIC -O2 -s -o sshd-nopriv.so sshd-nopriv.c) \
  || { echo "error: compiling echo-server.c / sshd-nopriv.c failed (apt-get install gcc libc6-dev)" >&2; exit 1; }
install -m 0755 "$work/cc/echo-server" "$root/bin/echo-server"
install -m 0644 "$work/cc/sshd-nopriv.so" "$root/usr/lib/gpu-echo/sshd-nopriv.so"

# OpenSSH from this machine: the two programs, every library ldd lists for them and the
# dynamic loader, each at the path ldd names (symlinks resolved: plain files).
install -m 0755 "$sshd" "$root/usr/sbin/sshd"
install -m 0755 "$ssh_keygen" "$root/usr/bin/ssh-keygen"
libs=$(ldd "$sshd" "$ssh_keygen" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && NF > 1 {print $1}' | sort -u)
grep -qx /lib64/ld-linux-x86-64.so.2 <<<"$libs" || libs=$(printf '%s\n/lib64/ld-linux-x86-64.so.2' "$libs")
for lib in $libs; do
  [ -e "$lib" ] || { echo "error: ldd names $lib, which does not exist" >&2; exit 1; }
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
  chmod 0755 "$root$lib"
done

cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/:/bin/sh
sshd:x:74:74:sshd privilege separation:/run/sshd:/bin/false
nobody:x:65534:65534:nobody:/:/bin/false
PASSWD
printf 'root:x:0:\nsshd:x:74:\nnogroup:x:65534:\n' >"$root/etc/group"
printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n' >"$root/etc/nsswitch.conf"

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
<p>Its other endpoints: <code>live</code>, a WebSocket echo (any path; plain GET answers
text); <code>echo</code>, a raw TCP echo; <code>ssh</code>, an OpenSSH server that accepts
certificates from the platform's user CA issued for this instance.</p>
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

cat >"$root/www/cgi-bin/cookies" <<'CGI'
#!/bin/sh
# GET /cgi-bin/cookies: cookies an app might set. Behind the platform's proxy each must be
# scoped to the instance's prefix or dropped.
printf 'Content-Type: text/plain\r\n'
printf 'Set-Cookie: app_pref=dark; Path=/; HttpOnly\r\n'
printf 'Set-Cookie: app_wide=1; Domain=example.com; Path=/settings\r\n'
printf 'Set-Cookie: platform_connect=hijacked; Path=/\r\n'
printf 'Set-Cookie: __Host-app=1; Path=/; Secure\r\n'
printf '\r\ncookies set\n'
CGI
chmod 0755 "$root/www/cgi-bin/cookies"

# Pin every time stamp that ends up in the layer or the config.
find "$root" -exec touch -h -d "@$epoch" {} +
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)

umoci repack --image "$out:$tag" \
  --history.created "$created" --history.created_by "examples/gpu-echo/build-image.sh" \
  --history.comment "busybox-static, httpd, /www, echo-server, OpenSSH sshd, /bin/start" "$work/bundle"
umoci config --image "$out:$tag" --no-history \
  --created "$created" --author "platform-team" --os linux --architecture amd64 \
  --config.env PATH=/bin:/usr/bin:/usr/sbin \
  --config.workingdir / \
  --config.exposedports 8080/tcp --config.exposedports 8081/tcp \
  --config.exposedports 7000/tcp --config.exposedports 2222/tcp \
  --config.stopsignal SIGTERM \
  --config.cmd /bin/start \
  --config.label org.opencontainers.image.title=gpu-echo \
  --config.label "org.opencontainers.image.version=$tag" \
  --config.label "org.opencontainers.image.description=Reports the GPUs it was given; answers /healthz; WebSocket, TCP and SSH echo endpoints" \
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
