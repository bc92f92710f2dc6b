#!/usr/bin/env python3
"""Figures for scripts/bench-replicas.sh (it sets the environment): `run` measures the loads
through BASE_URL and prints one JSON line per load; `table FILE` prints single vs pair."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import connect  # noqa: E402  (the same wrk runner and parsing as bench-connect.sh)


def wrk(url, script=None):
    """connect.py's wrk run (req/s, p50/p99, non-2xx) with the admin key as bearer."""
    os.environ.setdefault("THREADS", "2")
    return connect.wrk(url, headers=[f"Authorization: Bearer {os.environ['TOKEN']}"], script=script)


def run():
    base, project, instance = os.environ["BASE_URL"], os.environ["PROJECT"], os.environ["INSTANCE"]
    os.environ["ACTION"] = "live"
    loads = {
        "read": (f"{base}/v1/projects/{project}/instances", None),
        "sessions": (f"{base}/v1/projects/{project}/instances/{instance}/connect", os.path.join(HERE, "connect-session.lua")),
    }
    for load, (url, script) in loads.items():
        print(json.dumps({"setup": os.environ["SETUP"], "load": load, **wrk(url, script)}), flush=True)


def table(path):
    rows = [json.loads(line) for line in open(path)]
    by = {(row["setup"], row["load"]): row for row in rows}
    print(f"{'load':<10} {'setup':<8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for load in ("read", "sessions"):
        for setup in ("single", "pair"):
            row = by[(setup, load)]
            print(f"{load:<10} {setup:<8} {row['rps']:9.0f} {row['p50']:8.2f} {row['p99']:8.2f} {row['non2xx']:8d}")
        print(f"{load:<10} {'pair/single':<12} {by[('pair', load)]['rps'] / by[('single', load)]['rps']:5.2f}x")


if __name__ == "__main__":
    run() if sys.argv[1] == "run" else table(sys.argv[2])
