#!/usr/bin/env bash
# inventory.sh ROOTFS DIGEST TAG
#
# gpu-echo's inventory-only vulnerability-scan evidence, run by examples/publish.sh instead of
# its generic inventory (examples/publish-inventory.py) because this image is not a Debian
# rootfs: busybox-static, two programs built from this folder, and OpenSSH with its libraries
# copied from the build machine, each named by the Debian package it came from. Offline: no
# CVE database is consulted, and the report says so. Prints the JSON on stdout.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: inventory.sh ROOTFS DIGEST TAG" >&2; exit 2; }
rootfs=$1 digest=$2 tag=$3
  bb_version=$("$rootfs/bin/busybox" 2>/dev/null | head -n 1 || true)
  deb_version=$(dpkg-query -W -f '${Version}' busybox-static 2>/dev/null || true)
  python3 - "$rootfs" "$digest" "$tag" "$bb_version" "$deb_version" <<'PY'
import datetime, hashlib, json, os, subprocess, sys
rootfs, digest, tag, bb_version, deb_version = sys.argv[1:]
files = []
for top, dirs, names in os.walk(rootfs):
    dirs.sort()
    for n in sorted(names):
        p = os.path.join(top, n)
        if os.path.islink(p) or not os.path.isfile(p):
            continue
        with open(p, "rb") as f:
            files.append({"path": "/" + os.path.relpath(p, rootfs), "sha256": hashlib.sha256(f.read()).hexdigest()})
# Built from this checkout's sources; and OpenSSH with its libraries, copied from this machine:
# one component per Debian package they came from (dpkg -S), when dpkg knows them.
built = [{"name": n, "version": tag, "package": None, "path": p, "source": "examples/gpu-echo/" + src}
         for n, p, src in [("echo-server", "/bin/echo-server", "echo-server.c"),
                           ("sshd-nopriv", "/usr/lib/gpu-echo/sshd-nopriv.so", "sshd-nopriv.c")]]
def dpkg_package(path):
    for candidate in (path, "/usr" + path, os.path.realpath(path)):
        try:
            out = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True).stdout
        except OSError:
            return None
        if out.strip():
            return out.split(":", 1)[0].strip()
    return None
copied, seen = [], {}
for f in files:
    path = f["path"]
    if not (path in ("/usr/sbin/sshd", "/usr/bin/ssh-keygen") or path.startswith(("/lib/", "/lib64/"))):
        continue
    pkg = dpkg_package(path)
    if pkg and pkg in seen:
        continue
    try:
        version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg], capture_output=True, text=True).stdout.strip() if pkg else ""
    except OSError:
        version = ""
    seen[pkg] = True
    copied.append({"name": pkg or os.path.basename(path), "version": version or None,
                   "package": f"{pkg} {version}" if pkg and version else None, "path": path})
print(json.dumps({
    "subject": digest, "app": "gpu-echo", "version": tag,
    "scanner": {"name": "examples/gpu-echo/publish.sh inventory", "database": None,
                "note": "offline: no vulnerability database was consulted; attach a real scanner report with --scan-report"},
    "components": [{"name": "busybox", "version": bb_version, "package": "busybox-static " + deb_version if deb_version else None,
                    "path": "/bin/busybox"}] + built + copied,
    "files": files,
    "findings": [],
    "finishedAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
}, indent=2))
PY
