#!/usr/bin/env bash
# publish.sh --project TENANT/PROJECT [options]
#
# Builds the gpu-echo image, smoke-tests it locally, pushes it to a running platformd,
# registers its manifest, signs it, attaches the evidence the promotion gates ask for and
# promotes it to staging, the way a developer would with appctl. Production is reached only
# through a release (separation of duties): `--to production` also creates the release
# candidate and shows its gates; another principal approves it and a platform-control key
# promotes it (`appctl release approve|promote`).
# Re-running it for the same tag is safe: the image is rebuilt bit for bit, the push skips
# blobs the registry has, the same manifest registers as a no-op, a signature or evidence
# already there by the same key is not added again, and states already reached are skipped.
#
# Options:
#   --project P          project to publish into (required): TENANT/PROJECT by names (acme/vision),
#                        or its id as `appctl project list` shows it; the image goes to P/gpu-echo
#   --tag TAG            image tag (default 1.0.0; the manifest's artifact.reference uses 1.0.0)
#   --to STATE           staging | production (default staging; production: staging, then a release
#                        candidate for production whose gates are shown; exits 3 until another
#                        principal approves it and platform control promotes it)
#   --key FILE           PEM ECDSA P-256 private signing key (default
#                        ${XDG_CONFIG_HOME:-~/.config}/appctl/signing-keys/gpu-echo.pem); generated
#                        with `appctl signing-key generate` when missing, and its public key
#                        (FILE.pub) registered in the project unless it already is
#   --key-name NAME      name for a newly registered key (default gpu-echo-$USER@$(hostname))
#   --source-repo URL    provenance source repository (default: git remote `origin`, else file://CHECKOUT)
#   --source-commit SHA  provenance source commit (default: git rev-parse HEAD)
#   --ready-report FILE  ready-within evidence to attach instead of running the local smoke test
#   --scan-report FILE   vulnerability-scan evidence (a scanner's JSON report); without it an
#                        inventory-only report of the image is attached (no CVE database offline)
#   --server URL         platformd URL (sets APPCTL_SERVER for every appctl call)
#   --context NAME       appctl context (sets APPCTL_CONTEXT)
#   -h, --help           this text
#
# Environment: APPCTL (the appctl binary, default `appctl`), APPCTL_SERVER, APPCTL_TOKEN,
# APPCTL_CONTEXT, APPCTL_CONFIG (read by appctl itself). Without them appctl uses its
# current context (`appctl context add … --use` and `appctl login`).
#
# Needs: appctl, umoci, python3, curl, and bwrap for the smoke test (or --ready-report).
# Progress goes to stderr; the final `appctl artifact status` to stdout. Exit 0 when the
# artifact reached the target state, non-zero (with the reason) otherwise.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/../.." && pwd)
manifest=$repo_root/manifests/apps/gpu-echo.yaml
app=gpu-echo

APPCTL=${APPCTL:-appctl}
project=""
tag=1.0.0
target=staging
key_file=""
key_name=""
source_repo=""
source_commit=""
ready_report=""
scan_report=""

step_no=0
steps=10
say()  { printf 'publish.sh: %s\n' "$*" >&2; }
step() { step_no=$((step_no + 1)); printf '==> [%d/%d] %s\n' "$step_no" "$steps" "$*" >&2; }
warn() { printf 'publish.sh: warning: %s\n' "$*" >&2; }
die()  { printf 'publish.sh: error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit "${1:-2}"; }

need_value() { [ $# -ge 2 ] && [ -n "$2" ] || { printf 'publish.sh: error: %s needs a value\n' "$1" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case $1 in
    --project)       need_value "$@"; project=$2; shift 2 ;;
    --tag)           need_value "$@"; tag=$2; shift 2 ;;
    --to)            need_value "$@"; target=$2; shift 2 ;;
    --key)           need_value "$@"; key_file=$2; shift 2 ;;
    --key-name)      need_value "$@"; key_name=$2; shift 2 ;;
    --source-repo)   need_value "$@"; source_repo=$2; shift 2 ;;
    --source-commit) need_value "$@"; source_commit=$2; shift 2 ;;
    --ready-report)  need_value "$@"; ready_report=$2; shift 2 ;;
    --scan-report)   need_value "$@"; scan_report=$2; shift 2 ;;
    --server)        need_value "$@"; export APPCTL_SERVER=$2; shift 2 ;;
    --context)       need_value "$@"; export APPCTL_CONTEXT=$2; shift 2 ;;
    -h|--help)       usage 0 ;;
    *) printf 'publish.sh: error: unknown argument %s (see --help)\n' "$1" >&2; exit 2 ;;
  esac
done

[ -n "$project" ] || { printf 'publish.sh: error: --project TENANT/PROJECT is required (see --help)\n' >&2; exit 2; }
case $target in
  staging|promoted:staging)       target=staging ;;
  production|promoted:production) target=production ;;
  *) printf 'publish.sh: error: --to must be staging or production, not %s\n' "$target" >&2; exit 2 ;;
esac
[[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ ]] || { printf "publish.sh: error: '%s' is not a valid tag\n" "$tag" >&2; exit 2; }
for f in "$ready_report" "$scan_report"; do
  [ -z "$f" ] || [ -r "$f" ] || { printf 'publish.sh: error: cannot read %s\n' "$f" >&2; exit 2; }
done

command -v "$APPCTL" >/dev/null 2>&1 || die "appctl not found ('$APPCTL'); put it on PATH or set APPCTL=/path/to/appctl"
for tool in umoci python3 curl; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found; it is needed to build and check the image"
done
if [ -z "$ready_report" ] && ! command -v bwrap >/dev/null 2>&1; then
  die "bwrap not found: the smoke test that produces the ready-within evidence runs the image with it (apt-get install bubblewrap), or pass --ready-report FILE"
fi
[ -r "$manifest" ] || die "cannot read the manifest $manifest"

# appctl and the registry take a project by names, TENANT/PROJECT (the repository is then
# TENANT/PROJECT/gpu-echo), or by id; an id goes to the registry in lower case, as OCI names are.
case $project in
  */*) repo=$project/$app ;;
  *)   repo=$(printf '%s' "$project" | tr '[:upper:]' '[:lower:]')/$app ;;
esac

if [ -z "$key_file" ]; then
  key_file=${XDG_CONFIG_HOME:-$HOME/.config}/appctl/signing-keys/gpu-echo.pem
fi
: "${key_name:=gpu-echo-${USER:-$(id -un 2>/dev/null || echo dev)}@$(hostname 2>/dev/null || echo host)}"

work=$(mktemp -d "${TMPDIR:-/tmp}/gpu-echo-publish.XXXXXX")
smoke_pid=""
cleanup() {
  if [ -n "$smoke_pid" ]; then kill "$smoke_pid" 2>/dev/null || true; wait "$smoke_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# appctl with a failure message naming the step; its own "Error: … (code)" line is already on stderr.
ctl() {
  local what=$1; shift
  local rc=0
  "$APPCTL" "$@" || rc=$?
  if [ "$rc" -ne 0 ]; then
    case $rc in
      69) die "$what: platformd is unreachable or not ready (appctl exit 69); check APPCTL_SERVER / --server / the current context" ;;
      77) die "$what: refused (appctl exit 77: credentials or a gate; see the Error line above)" ;;
      78) die "$what: appctl is not configured (exit 78); run 'appctl context add NAME --server URL --use' and 'appctl login', or pass --server and set APPCTL_TOKEN" ;;
      *)  die "$what failed (appctl exit $rc)" ;;
    esac
  fi
}

# json FILE PYTHON-EXPR: evaluate EXPR with `d` = the parsed file; prints str/int, or JSON.
json() {
  python3 - "$1" "$2" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    d = json.load(f)
v = eval(sys.argv[2], {"d": d})
if isinstance(v, (dict, list)):
    print(json.dumps(v))
elif v is None:
    print("")
elif isinstance(v, bool):
    print("true" if v else "false")
else:
    print(v)
PY
}

manifest_version=$(sed -n 's/^  version: *//p' "$manifest" | head -n 1 | tr -d '"'"'"' ')
ready_minutes=$(sed -n 's/^  readyWithinMinutes: *//p' "$manifest" | head -n 1 | tr -d ' ')
: "${ready_minutes:=2}"
if [ "$tag" != "$manifest_version" ]; then
  warn "tag $tag differs from the manifest's version $manifest_version (artifact.reference examples/gpu-echo:$manifest_version)"
fi

# ---------------------------------------------------------------------------------------
step "checking the server and credentials"
ctl "appctl whoami" whoami -o json >"$work/whoami.json"
say "as $(json "$work/whoami.json" 'd.get("principalName") or d.get("principalId")') against ${APPCTL_SERVER:-the ${APPCTL_CONTEXT:-current} context}"

# ---------------------------------------------------------------------------------------
step "building the image ($app:$tag) with umoci"
bash "$script_dir/build-image.sh" "$work/image" "$tag" >"$work/build.out" \
  || die "build-image.sh failed"
digest=$(tail -n 1 "$work/build.out")
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || die "build-image.sh printed no digest (got '$digest')"
say "image $digest"

# ---------------------------------------------------------------------------------------
step "smoke test: run the manifest's command in a sandbox, wait for /healthz, check /cgi-bin/gpus, live and echo"
umoci unpack --rootless --image "$work/image:$tag" "$work/bundle" >/dev/null 2>"$work/unpack.err" \
  || { cat "$work/unpack.err" >&2; die "umoci unpack failed"; }
rootfs=$work/bundle/rootfs
if [ -n "$ready_report" ]; then
  cp "$ready_report" "$work/ready-within.json"
  say "using $ready_report as ready-within evidence; smoke test skipped"
else
  # A free loopback port per endpoint, passed as PORT_<ENDPOINT> the way the platform does.
  read -r port port_live port_echo port_ssh < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(4)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])') || die "cannot pick free ports"
  # The manifest's command; ${ports.NAME}, should it use any, replaced like the platform does.
  python3 - "$manifest" "http=$port" "live=$port_live" "echo=$port_echo" "ssh=$port_ssh" >"$work/command" <<'PY' \
    || die "cannot read the command from $manifest"
import json, re, sys
text = open(sys.argv[1]).read()
ports = dict(a.split("=", 1) for a in sys.argv[2:])
m = re.search(r'^command:\s*(\[.*\])\s*$', text, re.M)
if not m:
    sys.exit("no one-line `command: [...]` in the manifest")
args = [re.sub(r"\$\{ports\.([a-z0-9-]+)\}", lambda p: ports.get(p.group(1), p.group(0)), a) for a in json.loads(m.group(1))]
left = [a for a in args if "${" in a]
if left:
    sys.exit(f"unsupported substitution left in the command: {left}")
print("\n".join(args))
PY
  mapfile -t command <"$work/command"
  smoke_instance="publish-smoke-$(date -u +%Y%m%dT%H%M%SZ)"
  userns=()
  [ "$(id -u)" -eq 0 ] || userns=(--unshare-user-try)
  started_ns=$(date +%s%N)
  # Like the platform's adapters: read-only root, tmpfs /tmp and /run, host network.
  # No PLATFORM_SSH_USER_CA: /bin/start leaves sshd off.
  bwrap "${userns[@]}" --json-status-fd 3 --ro-bind "$rootfs" / --proc /proc --dev /dev --tmpfs /tmp --tmpfs /run \
    --unshare-pid --unshare-ipc --unshare-uts --hostname gpu-echo-smoke --die-with-parent \
    --clearenv --setenv PATH /bin:/usr/bin:/usr/sbin --setenv CUDA_VISIBLE_DEVICES 0,1 \
    --setenv NVIDIA_VISIBLE_DEVICES GPU-smoke-0,GPU-smoke-1 --setenv PLATFORM_INSTANCE_ID "$smoke_instance" \
    --setenv PORT_HTTP "$port" --setenv PORT_LIVE "$port_live" --setenv PORT_ECHO "$port_echo" \
    --setenv PORT_SSH "$port_ssh" \
    -- "${command[@]}" >"$work/httpd.log" 2>&1 3>"$work/bwrap-status.json" &
  smoke_pid=$!
  deadline=$(( $(date +%s) + ready_minutes * 60 ))
  ready_ms=""
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if ! kill -0 "$smoke_pid" 2>/dev/null; then
      cat "$work/httpd.log" >&2; die "the server exited during the smoke test"
    fi
    if [ "$(curl -s -o "$work/healthz" -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true)" = 200 ]; then
      ready_ms=$(( ($(date +%s%N) - started_ns) / 1000000 )); break
    fi
    sleep 0.1
  done
  [ -n "$ready_ms" ] || { cat "$work/httpd.log" >&2; die "/healthz did not answer 200 within ${ready_minutes} min"; }
  curl -sf "http://127.0.0.1:$port/cgi-bin/gpus" >"$work/gpus.json" \
    || { cat "$work/httpd.log" >&2; die "GET /cgi-bin/gpus failed"; }
  # Endpoint live (the WebSocket echo server answers a plain GET) and endpoint echo (raw TCP).
  live_code=$(curl -s -o "$work/live.txt" -w '%{http_code}' "http://127.0.0.1:$port_live/" || true)
  python3 - "$port_echo" >"$work/tcp-echo.json" <<'PY' || true
import json, os, socket, sys, threading
data = os.urandom(256 * 1024)
got, error = bytearray(), None
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
    def send():
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
    t = threading.Thread(target=send, daemon=True)
    t.start()
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    t.join(10)
    s.close()
except OSError as e:
    error = str(e)
print(json.dumps({"sent": len(data), "received": len(got), "equal": bytes(got) == data, "error": error}))
PY
  # Stop it the way the platform does: SIGTERM to the app (inside the sandbox: the child of
  # bwrap's init, whose host pid --json-status-fd gives), then it must exit 0 promptly.
  sandbox_pid=$(sed -n 's/.*"child-pid": *\([0-9]*\).*/\1/p' "$work/bwrap-status.json" | head -n 1)
  app_pid=""
  [ -z "$sandbox_pid" ] || app_pid=$(cat /proc/"$sandbox_pid"/task/*/children 2>/dev/null | awk '{print $1; exit}')
  stop_ms=-1 stop_status=-1
  if [ -n "$app_pid" ]; then
    stop_started=$(date +%s%N)
    kill -TERM "$app_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$smoke_pid" 2>/dev/null || break; sleep 0.05; done
    if ! kill -0 "$smoke_pid" 2>/dev/null; then
      stop_status=0; wait "$smoke_pid" || stop_status=$?
      stop_ms=$(( ($(date +%s%N) - stop_started) / 1000000 )); smoke_pid=""
    fi
  fi
  if [ -n "$smoke_pid" ]; then kill "$smoke_pid" 2>/dev/null || true; wait "$smoke_pid" 2>/dev/null || true; smoke_pid=""; fi
  python3 - "$work/gpus.json" "$work/healthz" "$smoke_instance" "$ready_ms" "$ready_minutes" "$digest" "$tag" \
    "$(hostname 2>/dev/null || echo unknown)" "$live_code" "$work/live.txt" "$work/tcp-echo.json" "$stop_status" "$stop_ms" \
    >"$work/ready-within.json" <<'PY' || { cat "$work/httpd.log" >&2; die "the smoke test failed"; }
import json, sys, datetime
gpus_file, health_file, instance, ready_ms, minutes, digest, tag, host = sys.argv[1:9]
live_code, live_file, tcp_file, stop_status, stop_ms = sys.argv[9:]
try:
    gpus = json.load(open(gpus_file))
except ValueError as e:
    sys.exit(f"/cgi-bin/gpus is not JSON: {e}: {open(gpus_file).read()!r}")
try:
    live_body = open(live_file, errors="replace").read()
except OSError:
    live_body = ""
try:
    tcp = json.load(open(tcp_file))
except (OSError, ValueError):
    tcp = {"error": "no result"}
checks = [
    {"name": "GET /healthz answers 200 ok", "passed": open(health_file).read().strip() == "ok"},
    {"name": "GET /cgi-bin/gpus reports the devices it was given",
     "passed": gpus.get("app") == "gpu-echo" and gpus.get("cuda_visible_devices") == "0,1"
               and gpus.get("nvidia_visible_devices") == "GPU-smoke-0,GPU-smoke-1"
               and gpus.get("instance") == instance,
     "response": gpus},
    {"name": "GET / on endpoint live (WebSocket echo server) answers 200",
     "passed": live_code == "200" and live_body.startswith("echo-server:"),
     "response": live_body.strip()},
    {"name": "endpoint echo returns every byte sent (raw TCP echo, 256 KiB)",
     "passed": tcp.get("equal") is True, "response": tcp},
    {"name": "SIGTERM stops the app with status 0 within 5 s",
     "passed": stop_status == "0" and 0 <= int(stop_ms) <= 5000,
     "response": {"exitStatus": int(stop_status), "stoppedAfterMs": int(stop_ms)}},
]
ready_s = int(ready_ms) / 1000
report = {
    "app": "gpu-echo", "version": tag, "subject": digest,
    "test": "examples/gpu-echo/publish.sh smoke test",
    "environment": "local bubblewrap sandbox of the image's rootfs, host network (not a platform instance)",
    "host": host,
    "probe": {"endpoint": "http", "path": "/healthz"},
    "readyWithinMinutes": int(minutes),
    "observedReadySeconds": ready_s,
    "ready": ready_s <= int(minutes) * 60,
    "checks": checks,
    "passed": all(c["passed"] for c in checks) and ready_s <= int(minutes) * 60,
    "finishedAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
}
print(json.dumps(report, indent=2))
if not report["passed"]:
    print(json.dumps(report, indent=2), file=sys.stderr)
    sys.exit("smoke test checks failed")
PY
  say "ready after ${ready_ms} ms; /cgi-bin/gpus: $(cat "$work/gpus.json"); live, echo answered; stopped on TERM in ${stop_ms} ms"
fi

if [ -n "$scan_report" ]; then
  cp "$scan_report" "$work/vulnerability-scan.json"
else
  warn "no --scan-report: the vulnerability-scan evidence will be an inventory of the image, not a CVE database scan"
  bb_version=$("$rootfs/bin/busybox" 2>/dev/null | head -n 1 || true)
  deb_version=$(dpkg-query -W -f '${Version}' busybox-static 2>/dev/null || true)
  python3 - "$rootfs" "$digest" "$tag" "$bb_version" "$deb_version" >"$work/vulnerability-scan.json" <<'PY'
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
fi

# ---------------------------------------------------------------------------------------
step "pushing to $repo:$tag"
ctl "appctl artifact push" artifact push "$work/image" "$repo:$tag" -o json >"$work/push.json"
pushed=$(json "$work/push.json" 'd["digest"]')
[ "$pushed" = "$digest" ] || die "the registry stored $pushed, not the built $digest"
say "pushed $(json "$work/push.json" 'd["bytesPushed"]') bytes, $(json "$work/push.json" 'd["blobsSkipped"]') blobs already there"
ref=$repo@$digest

# ---------------------------------------------------------------------------------------
step "registering ${manifest#"$repo_root"/} in project $project"
ctl "appctl app register (a changed manifest needs a new metadata.version)" \
  app register "$manifest" --project "$project" >&2

# ---------------------------------------------------------------------------------------
step "signing key $key_file"
if [ ! -e "$key_file" ]; then
  mkdir -p "$(dirname "$key_file")"
  chmod 0700 "$(dirname "$key_file")" 2>/dev/null || true
  ctl "appctl signing-key generate" signing-key generate --out "$key_file" >&2
elif [ ! -e "$key_file.pub" ]; then
  command -v openssl >/dev/null 2>&1 || die "$key_file.pub is missing and openssl is not there to derive it"
  openssl pkey -in "$key_file" -pubout -out "$key_file.pub" 2>/dev/null || die "cannot read $key_file as a PEM private key"
  say "derived $key_file.pub"
fi
ctl "appctl signing-key list" signing-key list --project "$project" -o json >"$work/keys.json"
python3 - "$work/keys.json" "$key_file.pub" >"$work/key-match" <<'PY'
import json, sys
keys = json.load(open(sys.argv[1]))
mine = "".join(open(sys.argv[2]).read().split())
for k in keys:
    if "".join(k.get("publicKeyPEM", "").split()) == mine:
        print(k["id"], k.get("status", ""), k.get("name", ""))
        break
PY
if [ -s "$work/key-match" ]; then
  read -r key_id key_status key_registered_name <"$work/key-match"
  [ "$key_status" = active ] || die "the project has this public key as '$key_registered_name' ($key_id) but it is $key_status; use another --key"
  say "already trusted by the project as '$key_registered_name' ($key_id)"
else
  ctl "appctl signing-key add" signing-key add --project "$project" --name "$key_name" --public-key "$key_file.pub" -o json >"$work/key-added.json"
  key_id=$(json "$work/key-added.json" 'd["id"]')
  say "registered as '$key_name' ($key_id)"
fi

# ---------------------------------------------------------------------------------------
# valid_by_me TYPE: is there a valid DSSE referrer of evidence TYPE signed with our key?
status_json() { ctl "appctl artifact status" artifact status "$ref" -o json >"$work/status.json"; }
valid_by_me() {
  json "$work/status.json" "any(s.get('valid') and s.get('keyId') == '$key_id' and s.get('evidenceType') == '$1' for s in d.get('signatures', []) + d.get('evidence', []))"
}

step "signing $ref"
status_json
if [ "$(valid_by_me slsa-provenance)" = true ]; then
  say "already signed with $key_id; not signing again"
else
  if [ -z "$source_repo" ]; then
    source_repo=$(git -C "$repo_root" remote get-url origin 2>/dev/null || true)
    : "${source_repo:=file://$repo_root}"
  fi
  if [ -z "$source_commit" ]; then
    source_commit=$(git -C "$repo_root" rev-parse HEAD 2>/dev/null || true)
    [ -n "$source_commit" ] || die "no git commit to name in the provenance; pass --source-commit SHA"
    if [ -n "$(git -C "$repo_root" status --porcelain -- examples/gpu-echo manifests/apps/gpu-echo.yaml 2>/dev/null)" ]; then
      warn "examples/gpu-echo or its manifest has uncommitted changes; the provenance names $source_commit"
    fi
  fi
  ctl "appctl artifact sign" artifact sign "$ref" --key "$key_file" \
    --source-repo "$source_repo" --source-commit "$source_commit" >&2
  status_json
fi

# ---------------------------------------------------------------------------------------
step "attaching the evidence the gates up to promoted:$target ask for"
# What the gates still miss, by evidence type (the registry decides; nothing is hard-coded).
gates="'verified', 'promoted:staging'"
[ "$target" = production ] && gates="$gates, 'promoted:production'"
missing=$(json "$work/status.json" "' '.join(sorted({m.split()[1] for g in d['gates'] if g['to'] in ($gates) for m in g['missing'] if m.startswith('evidence: ')}))")
if [ -z "$missing" ]; then
  say "nothing missing"
fi
for type in $missing; do
  case $type in
    ready-within)       file=$work/ready-within.json ;;
    vulnerability-scan) file=$work/vulnerability-scan.json ;;
    slsa-provenance)    die "the signature by $key_id does not count as slsa-provenance evidence; see 'appctl artifact status $ref'" ;;
    *)                  die "a gate asks for '$type' evidence, which publish.sh cannot produce; attach it with 'appctl evidence attach $ref FILE --type $type --key KEY.pem' and re-run" ;;
  esac
  ctl "appctl evidence attach $type" evidence attach "$ref" "$file" --type "$type" --key "$key_file" >&2
done
status_json

# ---------------------------------------------------------------------------------------
rank() {
  case $1 in
    registered) echo 0 ;; verified) echo 1 ;; promoted:staging) echo 2 ;; promoted:production) echo 3 ;;
    *) echo -1 ;;
  esac
}
promote_to() {  # promote_to staging|production
  local want=promoted:$1 state
  state=$(json "$work/status.json" 'd["state"]')
  case $state in
    quarantined|revoked) die "$ref is $state; a developer cannot promote it (an administrator releases it with 'appctl artifact promote $ref --to registered')" ;;
  esac
  if [ "$(rank "$state")" -ge "$(rank "$want")" ]; then
    say "already $state; skipping"
    return
  fi
  ctl "appctl artifact promote --to $1" artifact promote "$ref" --to "$1" >&2
  status_json
}
step "promoting to staging"
promote_to staging
step "production: a release candidate"
if [ "$target" = production ]; then
  if [ "$(json "$work/status.json" 'd["state"]')" = promoted:production ]; then
    say "already promoted:production; skipping"
  else
    # A project key cannot promote to production: it needs release:promote (platform control)
    # and a passing release decision, which needs an approval by someone who did not sign.
    branch=$(git -C "$repo_root" rev-parse --abbrev-ref HEAD 2>/dev/null || echo main)
    sha=$source_commit
    [[ "$sha" =~ ^[0-9a-f]{40}$ ]] || sha=$(printf '%s' "$source_commit" | sha1sum | cut -c1-40)
    ctl "appctl release create" release create --project "$project" --environment production --artifact "$ref" \
      --source-sha "$sha" --branch "$branch" -o json >"$work/release.json"
    release=$(json "$work/release.json" 'd["id"]')
    "$APPCTL" release gates "$release" --project "$project" >&2 || true
    say "release $release is a candidate for production: attach its evidence ('appctl release evidence add $release --project $project …'),"
    say "have another principal approve it ('appctl release approve $release --project $project --comment …') and promote it"
    say "with a platform-control key ('appctl release promote $release --project $project')"
    exit 3
  fi
else
  say "skipped (--to staging; production goes through a release)"
fi

# ---------------------------------------------------------------------------------------
final=$(json "$work/status.json" 'd["state"]')
case $target in
  staging)    [ "$(rank "$final")" -ge 2 ] || die "$ref ended $final, not promoted:staging" ;;
  production) [ "$final" = promoted:production ] || die "$ref ended $final, not promoted:production" ;;
esac
say "done: $repo:$tag = $digest is $final"
"$APPCTL" artifact status "$ref"
