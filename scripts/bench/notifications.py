#!/usr/bin/env python3
"""Notification delivery latency against a running platformd (driven by scripts/bench-notifications.sh).

Two paths into the same Standard Webhooks receiver (scripts/webhooks/receiver.py, which
records each request's arrival time in milliseconds):

  direct    RUNS signed POSTs sent straight to the receiver by this script: the floor any
            delivery pays (HTTP, signature check, the record file); latency = arrival - send.
  outbox    COUNT launches of gpu-echo at once on the local adapter; each instance that
            becomes ready commits an `instance.ready` intent in the phase change's
            transaction, which the dispatcher fans out to a webhook intent and delivers;
            latency = arrival - the intent's creation (the time part of the event's ULID,
            `data.event_id` in the body, which is the outbox row's created_at).

Prints one table row per path: n, p50, p99, max in milliseconds. Run with the receiver's
venv python (it signs with the `standardwebhooks` library).

Environment: PLATFORMD, TOKEN, PROJECT, RECEIVER (http://127.0.0.1:PORT/hook), RECORD (the
receiver's record file), SECRET (the endpoint's whsec_ secret).
"""
import concurrent.futures
import datetime
import json
import os
import sys
import time
import urllib.error
import urllib.request

from standardwebhooks import Webhook

BASE = os.environ["PLATFORMD"]
TOKEN = os.environ["TOKEN"]
PROJECT = os.environ["PROJECT"]
RECEIVER = os.environ["RECEIVER"]
RECORD = os.environ["RECORD"]
WEBHOOK = Webhook(os.environ["SECRET"])
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def ulid_ms(text):
    value = 0
    for char in text[:10]:
        value = value * 32 + CROCKFORD.index(char)
    return value


def percentile(values, p):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def records():
    try:
        with open(RECORD) as record:
            return [json.loads(line) for line in record if line.strip()]
    except FileNotFoundError:
        return []


def direct(runs):
    sent = {}
    for n in range(runs):
        msg_id = f"direct_{n}"
        body = json.dumps({"type": "bench.direct", "timestamp": "", "data": {"n": n}})
        now = datetime.datetime.now(tz=datetime.timezone.utc)
        headers = {"webhook-id": msg_id, "webhook-timestamp": str(int(now.timestamp())),
                   "webhook-signature": WEBHOOK.sign(msg_id, now, body), "content-type": "application/json"}
        sent[msg_id] = time.time() * 1000
        with urllib.request.urlopen(urllib.request.Request(RECEIVER, data=body.encode(), headers=headers), timeout=10):
            pass
    arrived = {r["id"]: r["arrived_ms"] for r in records() if r["id"] in sent and r.get("verified")}
    return [arrived[i] - sent[i] for i in sent if i in arrived]


def outbox(count):
    body = {"app": "gpu-echo", "adapter": "local", "environment": "staging", "gpus": "0"}
    with concurrent.futures.ThreadPoolExecutor(max_workers=count) as pool:
        answers = list(pool.map(lambda _: call("POST", f"/v1/projects/{PROJECT}/instances", body), range(count)))
    launched = {record["id"] for status, record in answers if status == 201}
    refused = [record for status, record in answers if status != 201]
    if refused:
        print(f"notifications.py: {len(refused)} launches refused, e.g. {refused[0]}", file=sys.stderr)
    deadline = time.monotonic() + 300
    seen = {}
    while time.monotonic() < deadline:
        for r in records():
            payload = r.get("payload") or {}
            variables = (payload.get("data") or {}).get("variables") or {}
            if payload.get("type") == "instance.ready" and variables.get("instance") in launched and r.get("status", 204) < 300 \
                    and not r.get("duplicate"):
                seen.setdefault(variables["instance"], r["arrived_ms"] - ulid_ms(payload["data"]["event_id"]))
        if len(seen) == len(launched):
            break
        time.sleep(0.2)
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda i: call("POST", f"/v1/projects/{PROJECT}/instances/{i}/stop", {}), launched))
    if len(seen) < len(launched):
        print(f"notifications.py: only {len(seen)} of {len(launched)} ready notices arrived", file=sys.stderr)
    return list(seen.values())


def row(name, values):
    if not values:
        return f"{name:<46} {0:>5} {'-':>8} {'-':>8} {'-':>8}"
    return f"{name:<46} {len(values):>5} {percentile(values, 50):>8.1f} {percentile(values, 99):>8.1f} {max(values):>8.1f}"


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    poll = os.environ.get("OUTBOX_POLL_MS", "?")
    baseline = direct(runs)
    delivered = outbox(count)
    print(f"{'path (latency in ms)':<46} {'n':>5} {'p50':>8} {'p99':>8} {'max':>8}")
    print(row("direct signed POST → receiver", baseline))
    down = os.environ.get("DOWN", "0")
    print(row(f"intent → receiver (outbox, poll {poll} ms{', ' + down + ' down' if down != '0' else ''})", delivered))
    sys.exit(0 if delivered and len(delivered) == count else 1)
