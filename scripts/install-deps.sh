#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine (as root) lacks to build and test the platform.
# Swift 6.3 itself is not an apt package: it is expected at /opt/swift or on PATH.
set -euo pipefail

need_apt=()
# skopeo, umoci, docker-registry: real OCI clients and the reference registry (OCI tests and
# scripts/bench-registry.sh); libarchive: layer tarballs; openssl: key and digest checks;
# slurm + munge: the real one-node cluster (scripts/slurm/cluster.sh) the Slurm tests use.
# gcc + libc6-dev and openssh-server: the reference app's static echo server and its sshd;
# openssh-client: the connect tests' ssh; wrk and haproxy: scripts/bench-connect.sh (the proxy's peer).
# iproute2 + iptables: the local adapter's per-instance network namespace, veth and firewall.
# libcmark-gfm(-extensions)-dev: the portal preview; chromium + chromium-driver: the portal's
# browser test (Selenium); jq and git: the commands of the portal's onboarding track.
# libyaml-dev: measuring YAML documents before they are expanded (Sources/CYAMLLimits).
# mmdebstrap: the catalog apps' Debian base image (examples/app-base/build-base.sh).
for pkg in ca-certificates curl postgresql-15 util-linux \
           skopeo umoci docker-registry libarchive-dev libarchive-tools openssl zstd xz-utils bzip2 \
           slurmctld slurmd slurm-client munge runc bubblewrap busybox-static iproute2 iptables \
           gcc libc6-dev openssh-server openssh-client wrk haproxy \
           libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev chromium chromium-driver jq git mmdebstrap; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
# python3-venv: the Python SDK's pinned generator and smoke run in a virtual environment
# (scripts/sdk/python.sh); Debian's python3 has no ensurepip without it.
python3 -c "import ensurepip" >/dev/null 2>&1 || dpkg -s python3-venv >/dev/null 2>&1 || need_apt+=(python3-venv)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "==> apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # docker-registry's maintainer script starts its SysV service when there is no systemd,
  # leaving a daemon on :5000; deny service starts for the install unless a policy exists.
  policy_rc=/usr/sbin/policy-rc.d
  added_policy=0
  if [ ! -e "$policy_rc" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy_rc" && chmod 0755 "$policy_rc" && added_policy=1
    trap '[ "$added_policy" = 1 ] && rm -f "$policy_rc"' EXIT
  fi
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need_apt[@]}"
  if [ "$added_policy" = 1 ]; then rm -f "$policy_rc"; added_policy=0; fi
fi

# The OpenAPI document is checked with the reference validator (PyPI) before the tests;
# oras (OCI 1.1 artifacts/referrers, scripts/oci/oras_referrers.py) and securesystemslib
# (signature interop) are PyPI-only too.
need_pip=()
python3 -c "import openapi_spec_validator" >/dev/null 2>&1 || need_pip+=(openapi-spec-validator)
python3 -c "import oras.provider" >/dev/null 2>&1 || need_pip+=(oras)
python3 -c "import securesystemslib" >/dev/null 2>&1 || need_pip+=(securesystemslib)
# The portal's MDX check (scripts/portal/check_mdx.py): a real MDX v3 compiler (mdxjs-rs) and YAML.
python3 -c "import mdxjs_py" >/dev/null 2>&1 || need_pip+=(--pre mdxjs-py)
python3 -c "import yaml" >/dev/null 2>&1 || need_pip+=(pyyaml)
# The portal's browser test drives headless Chromium with Selenium.
python3 -c "import selenium" >/dev/null 2>&1 || need_pip+=(selenium)
# The console's browser suite (scripts/console/browser_journeys.py) runs axe-core through it.
python3 -c "import axe_selenium_python" >/dev/null 2>&1 || need_pip+=(axe-selenium-python)
# The bounded API fuzzing step (scripts/schemathesis/run.sh) needs schemathesis 4.
command -v schemathesis >/dev/null 2>&1 || need_pip+=("schemathesis>=4,<5")
if [ "${#need_pip[@]}" -gt 0 ]; then
  echo "==> pip install ${need_pip[*]}"
  python3 -m pip install -q "${need_pip[@]}" || python3 -m pip install -q --break-system-packages "${need_pip[@]}"
fi

# The S3 blob-store driver's tests run against moto's S3 server (PyPI), in its own virtual
# environment: moto pins its own boto3/werkzeug/flask, which must not move the system's.
moto_venv=/var/cache/platform-tools/moto-5.2.6
if [ ! -x "$moto_venv/bin/moto_server" ] || [ ! -e "$moto_venv/.complete" ]; then
  echo "==> moto[server] 5.2.6 into $moto_venv"
  rm -rf "$moto_venv"
  mkdir -p "$(dirname "$moto_venv")"
  python3 -m venv "$moto_venv"
  "$moto_venv/bin/pip" install -q 'moto[server]==5.2.6'
  touch "$moto_venv/.complete"   # a half-done install (killed pip) is redone
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "==> using Swift from /opt/swift/usr/bin"
  else
    echo "error: Swift 6.3 is required (swift not on PATH and not in /opt/swift)." >&2
    echo "       Install a Swift 6.3 toolchain for Debian 12 from swift.org and put it on PATH." >&2
    exit 1
  fi
fi
