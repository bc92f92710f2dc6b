#!/usr/bin/env python3
"""publish-smoke.py --bundle DIR --manifest FILE --digest D --tag T --ready-minutes N --work DIR

The generic smoke test examples/publish.sh runs for an app that has no examples/<app>/smoke.sh:
it starts the manifest's command in a bubblewrap sandbox of the unpacked image (read-only root,
tmpfs /tmp and /run, host network, like the platform's adapters) and waits for what the
manifest itself calls ready, so the ready-within evidence an artifact carries is measured, not
claimed:

- `health.readiness` (else `health.startup`): an HTTP GET of its path on an http endpoint
  (2xx or 3xx passes, redirects not followed, as the platform's prober does; under
  /i/{instance}/{action} when a `pathPrefix: keep` action serves that endpoint), a TCP
  connect on any other endpoint;
- no probe, `mode: job`: the job exits 0 within readyWithinMinutes;
- no probe, any other mode: the process is still running 5 s after its start.

It substitutes `${params.NAME}` (defaults; a required parameter without one stops it),
`${ports.ENDPOINT}`, `${connect.ACTION.path}` and `${instance.id}` and sets PORT_<ENDPOINT>,
PORT and PLATFORM_INSTANCE_ID the way LaunchSpecBuilder does. What a developer's machine
cannot give is replaced and the report says so (`substitutes`): each secret gets a random
placeholder value (file under /run/secrets, and the variable when `env: true`), and each volume
an empty writable directory. After ready it sends SIGTERM and records whether the app stopped.

Prints the evidence JSON on stdout; exits 1 (with the report on stderr) when it is not ready.
"""
import argparse, datetime, http.client, json, os, re, secrets, signal, socket, subprocess, sys, time

try:
    import yaml
except ImportError:
    sys.exit("publish-smoke.py: python3 yaml is missing (apt-get install python3-yaml)")


def free_ports(count):
    socks = [socket.socket() for _ in range(count)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def substitute(text, variables):
    def one(m):
        if m.group(1) not in variables:
            sys.exit(f"publish-smoke.py: {text!r} uses ${{{m.group(1)}}}, which is not a parameter with a default, "
                     "port or instance field; pass --ready-report FILE to publish.sh")
        return variables[m.group(1)]
    return re.sub(r"\$\{([^}]*)\}", one, str(text))


def probe_once(kind, port, path, timeout):
    try:
        if kind == "http":
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            conn.request("GET", path)
            status = conn.getresponse().status
            conn.close()
            return 200 <= status < 400, status
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True, "connected"
    except OSError as e:
        return False, str(e)


def main():
    a = argparse.ArgumentParser()
    for name in ("bundle", "manifest", "digest", "tag", "ready-minutes", "work"):
        a.add_argument("--" + name, required=True)
    args = a.parse_args()
    m = yaml.safe_load(open(args.manifest))
    app = m["metadata"]["name"]
    minutes = int(args.ready_minutes)
    rootfs = os.path.join(args.bundle, "rootfs")
    runtime = json.load(open(os.path.join(args.bundle, "config.json")))
    instance = "publish-smoke-" + datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dt%H%M%Sz")

    endpoints = m.get("endpoints") or []
    ports = dict(zip([e["name"] for e in endpoints], free_ports(len(endpoints))))
    variables = {"instance.id": instance}
    variables.update({f"ports.{n}": str(p) for n, p in ports.items()})
    variables.update({f"connect.{c['name']}.path": f"/i/{instance}/{c['name']}/" for c in m.get("connect") or []})
    for p in m.get("params") or []:
        if "default" in p:
            d = p["default"]
            variables[f"params.{p['name']}"] = ("true" if d else "false") if isinstance(d, bool) else str(d)

    # The image's own environment (PATH, a venv's variables) first, as the adapters do, then the manifest's.
    env = dict(e.split("=", 1) for e in runtime.get("process", {}).get("env", []) if "=" in e)
    env.update({k: substitute(v, variables) for k, v in (m.get("env") or {}).items()})
    env["PLATFORM_INSTANCE_ID"] = instance
    for n, p in ports.items():
        env["PORT_" + re.sub(r"[^A-Za-z0-9]", "_", n).upper()] = str(p)
    if endpoints:
        env["PORT"] = str(ports[endpoints[0]["name"]])
    command = [substitute(w, variables) for w in (m.get("command") or runtime["process"]["args"])]
    command += [substitute(w, variables) for w in m.get("args") or []]

    status_path = os.path.join(args.work, "bwrap-status.json")
    status_fd = os.open(status_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    bwrap = ["bwrap", "--json-status-fd", str(status_fd), "--ro-bind", rootfs, "/", "--proc", "/proc", "--dev", "/dev",
             "--tmpfs", "/tmp", "--tmpfs", "/run", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
             "--hostname", f"{app}-smoke", "--die-with-parent", "--clearenv"]
    if os.getuid() != 0:
        bwrap.insert(1, "--unshare-user-try")
    substitutes = {"secrets": [], "volumes": []}
    if m.get("secrets"):
        folder = os.path.join(args.work, "secrets")
        os.makedirs(folder, mode=0o700, exist_ok=True)
        for s in m["secrets"]:
            value = secrets.token_hex(16)
            with open(os.path.join(folder, s["name"]), "w") as f:
                f.write(value)
            if s.get("env"):
                env[s["name"]] = value
            substitutes["secrets"].append({"name": s["name"], "ref": s["ref"], "value": "random placeholder"})
        bwrap += ["--ro-bind", folder, "/run/secrets"]
    for v in m.get("volumes") or []:
        host = os.path.join(args.work, "volumes", v["name"])
        os.makedirs(host, exist_ok=True)
        # The bundle is this run's own copy, so making the mount point there changes no image.
        os.makedirs(os.path.join(rootfs, v["mountPath"].lstrip("/")), exist_ok=True)
        bwrap += ["--ro-bind" if v.get("readOnly") else "--bind", host, v["mountPath"]]
        substitutes["volumes"].append({"name": v["name"], "mountPath": v["mountPath"], "value": "empty directory"})
    for k, v in env.items():
        bwrap += ["--setenv", k, v]
    cwd = runtime.get("process", {}).get("cwd") or "/"
    bwrap += ["--chdir", cwd, "--"] + command

    health = m.get("health") or {}
    probe = health.get("readiness") or health.get("startup")
    kinds = {e["name"]: ("http" if e.get("protocol", "http") == "http" else "tcp") for e in endpoints}
    log = open(os.path.join(args.work, "smoke-app.log"), "wb")
    started = time.monotonic()
    proc = subprocess.Popen(bwrap, stdout=log, stderr=subprocess.STDOUT, pass_fds=(status_fd,))
    os.close(status_fd)
    deadline = started + minutes * 60
    ready_s, answer, exit_status = None, None, None
    if probe:
        kind, port, path = kinds.get(probe["endpoint"], "tcp"), ports.get(probe["endpoint"]), probe.get("path", "/")
        # Like the platform: behind a `pathPrefix: keep` action the app serves under /i/{instance}/{action}/.
        kept = [c["name"] for c in m.get("connect") or [] if c.get("pathPrefix") == "keep" and c["endpoint"] == probe["endpoint"]]
        if kept:
            path = f"/i/{instance}/{kept[0]}" + path
        if port is None:
            sys.exit(f"publish-smoke.py: the probe's endpoint {probe['endpoint']!r} is not an endpoint of the manifest")
        timeout = probe.get("timeoutSeconds", 1)
        while time.monotonic() < deadline and proc.poll() is None:
            ok, answer = probe_once(kind, port, path, timeout)
            if ok:
                ready_s = time.monotonic() - started
                break
            time.sleep(0.2)
        probe_report = {"endpoint": probe["endpoint"], "kind": kind, "path": path if kind == "http" else None}
        check = f"readiness probe ({kind} {path if kind == 'http' else 'connect'} on endpoint {probe['endpoint']}) passes"
    elif m.get("mode") == "job":
        try:
            exit_status = proc.wait(timeout=max(1, deadline - time.monotonic()))
            if exit_status == 0:
                ready_s = time.monotonic() - started
        except subprocess.TimeoutExpired:
            pass
        probe_report = {"kind": "job-exit"}
        check = "the job (no readiness probe) exits 0"
    else:
        time.sleep(5)
        if proc.poll() is None:
            ready_s = time.monotonic() - started
        probe_report = {"kind": "still-running-after-5s"}
        check = "the app (no readiness probe) is still running 5 s after its start"
    checks = [{"name": check, "passed": ready_s is not None, "response": answer if probe else exit_status}]

    if proc.poll() is None:
        # SIGTERM to the app (the child of bwrap's init, whose host pid --json-status-fd gives).
        app_pid = None
        try:
            child = json.loads(open(status_path).readline())["child-pid"]
            app_pid = int(open(f"/proc/{child}/task/{child}/children").read().split()[0])
        except (OSError, ValueError, KeyError, IndexError):
            pass
        stop_started, stopped = time.monotonic(), None
        if app_pid:
            os.kill(app_pid, signal.SIGTERM)
            try:
                stopped = proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        stop_ms = int((time.monotonic() - stop_started) * 1000)
        checks.append({"name": "SIGTERM stops the app within 10 s", "passed": stopped is not None,
                       "response": {"exitStatus": stopped, "stoppedAfterMs": stop_ms}})
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    ready = ready_s is not None and ready_s <= minutes * 60
    report = {
        "app": app, "version": args.tag, "subject": args.digest,
        "test": "examples/publish.sh generic readiness smoke test (examples/publish-smoke.py)",
        "environment": "local bubblewrap sandbox of the image's rootfs, host network (not a platform instance)",
        "host": socket.gethostname(),
        "probe": probe_report,
        "substitutes": substitutes,
        "readyWithinMinutes": minutes,
        "observedReadySeconds": round(ready_s, 3) if ready_s is not None else None,
        "ready": ready,
        "checks": checks,
        "passed": ready and all(c["passed"] for c in checks),
        "finishedAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    print(json.dumps(report, indent=2))
    if not report["passed"]:
        sys.stderr.write(open(os.path.join(args.work, "smoke-app.log"), errors="replace").read()[-4000:])
        print(json.dumps(report, indent=2), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
