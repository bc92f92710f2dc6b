#!/usr/bin/env python3
"""Helper of scripts/bench/app-images.sh (see there for what is measured and why).

app_images.py --base URL --token T --project P --app A --manifest F --layout DIR --tag T --data DIR
    one app on a fresh platformd: sets its secrets, launches it cold and warm on the local
    adapter, prints one JSON line of figures.
app_images.py --table RESULTS.jsonl
    prints the table of every app's line.
"""
import argparse, base64, datetime, json, os, secrets, subprocess, sys, time, urllib.error, urllib.request

import yaml


def call(base, token, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        text = e.read()
        try:
            return e.code, json.loads(text)
        except ValueError:
            return e.code, text.decode(errors="replace")


def image_bytes(layout, tag):
    """The image as stored: its manifest's config plus every layer (compressed), by descriptor sizes."""
    index = json.load(open(os.path.join(layout, "index.json")))
    manifests = index["manifests"]
    pick = [m for m in manifests if (m.get("annotations") or {}).get("org.opencontainers.image.ref.name") == tag] or manifests
    digest = pick[0]["digest"]
    manifest = json.load(open(os.path.join(layout, "blobs", *digest.split(":", 1))))
    return digest, manifest["config"]["size"] + sum(layer["size"] for layer in manifest["layers"])


def unpacked(data):
    """The local adapter's unpacked images: DATA/runtime/local/images/<hex>/rootfs."""
    root = os.path.join(data, "runtime", "local", "images")
    if not os.path.isdir(root):
        return {}
    return {name: os.path.join(root, name, "rootfs") for name in os.listdir(root)
            if os.path.isdir(os.path.join(root, name, "rootfs"))}


def millis(at):
    return datetime.datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp() * 1000


def launch_until(args, target_phases, timeout=900):
    """Launches once; returns (server ms from the launch's first event to the target phase, client ms, phase)."""
    started = time.monotonic()
    status, record = call(args.base, args.token, "POST", f"/v1/projects/{args.project}/instances",
                          {"app": args.app, "adapter": "local", "environment": "staging", "gpus": "0"})
    if status != 201:
        sys.exit(f"app_images.py: {args.app}: launch refused ({status}): {record}")
    instance = record["id"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _, record = call(args.base, args.token, "GET", f"/v1/projects/{args.project}/instances/{instance}")
        if record["phase"] in target_phases or record["phase"] in ("failed", "stopped", "succeeded"):
            break
        time.sleep(0.05)
    client_ms = (time.monotonic() - started) * 1000
    _, events = call(args.base, args.token, "GET", f"/v1/projects/{args.project}/instances/{instance}/events")
    events = events.get("items", events) if isinstance(events, dict) else events
    reached = [e for e in events if e["phase"] in target_phases]
    server_ms = millis(reached[0]["at"]) - millis(record["createdAt"]) if reached else None
    return instance, record["phase"], server_ms, client_ms, record.get("message")


def stop(args, instance):
    call(args.base, args.token, "POST", f"/v1/projects/{args.project}/instances/{instance}/stop", {})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        _, record = call(args.base, args.token, "GET", f"/v1/projects/{args.project}/instances/{instance}")
        if record["phase"] in ("stopped", "failed", "succeeded"):
            return
        time.sleep(0.1)


def measure(args):
    manifest = yaml.safe_load(open(args.manifest))
    for secret in manifest.get("secrets") or []:
        name = secret["ref"].rsplit("/", 1)[1]
        value = base64.b64encode(secrets.token_hex(16).encode()).decode()
        status, reply = call(args.base, args.token, "PUT", f"/v1/projects/{args.project}/secrets/{name}",
                             {"valueBase64": value, "purpose": "app-runtime"})
        if status >= 300:
            sys.exit(f"app_images.py: {args.app}: cannot set secret {name} ({status}): {reply}")
    target = {"running", "succeeded"} if manifest.get("mode") == "job" else {"ready"}
    digest, stored = image_bytes(args.layout, args.tag)
    before = unpacked(args.data)
    if before:
        sys.exit(f"app_images.py: {args.app}: the image cache is not empty before the cold launch: {sorted(before)}")
    cold = launch_until(args, target)
    after = unpacked(args.data)
    rootfs = next(iter(after.values()), None)
    rootfs_bytes = int(subprocess.run(["du", "-sb", rootfs], capture_output=True, text=True).stdout.split()[0]) if rootfs else None
    stop(args, cold[0])
    warm = launch_until(args, target)
    warm_cache_hit = unpacked(args.data) == after and bool(after)
    stop(args, warm[0])
    result = {
        "app": args.app, "tag": args.tag, "digest": digest, "imageBytes": stored, "rootfsBytes": rootfs_bytes,
        "until": "/".join(sorted(target)),
        "cold": {"phase": cold[1], "serverMs": cold[2], "clientMs": round(cold[3]), "message": cold[4], "cacheBefore": len(before)},
        "warm": {"phase": warm[1], "serverMs": warm[2], "clientMs": round(warm[3]), "message": warm[4], "cacheHit": warm_cache_hit},
    }
    print(json.dumps(result))
    if cold[1] not in target or warm[1] not in target:
        print(f"app_images.py: {args.app}: cold ended {cold[1]} ({cold[4]}), warm {warm[1]} ({warm[4]})", file=sys.stderr)
        sys.exit(1)


def table(path):
    def mib(n):
        return f"{n / 1048576:.1f} MiB" if n is not None else "?"

    def secs(run):
        if run["serverMs"] is None:
            return f"{run['phase']}"
        return f"{run['serverMs'] / 1000:.2f} s ({run['clientMs'] / 1000:.2f})"
    print(f"{'app':<14} {'image (compressed)':>19} {'rootfs (unpacked)':>18} {'until':>15} {'cold start':>17} {'warm start':>17}")
    for line in open(path):
        r = json.loads(line)
        if "note" in r:
            print(f"{r['app']:<14} {r['note']}")
            continue
        print(f"{r['app']:<14} {mib(r['imageBytes']):>19} {mib(r['rootfsBytes']):>18} {r['until']:>15} "
              f"{secs(r['cold']):>17} {secs(r['warm']):>17}")
    print("cold: first launch after the push on a fresh platformd (no unpacked rootfs); warm: the second launch "
          "(rootfs already unpacked). Seconds from the launch request to the phase by the server's event times "
          "(client-polled in brackets); image bytes as stored (config + compressed layers).")


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--table")
    for name in ("base", "token", "project", "app", "manifest", "layout", "tag", "data"):
        a.add_argument("--" + name)
    args = a.parse_args()
    if args.table:
        table(args.table)
    else:
        measure(args)


if __name__ == "__main__":
    main()
