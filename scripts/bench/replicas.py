#!/usr/bin/env python3
"""Figures for scripts/bench-replicas.sh (it sets the environment): `run` measures the loads
through BASE_URL and prints one JSON line per load; `table FILE` prints single vs pair."""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def wrk(url, script=None):
    args = ["wrk", "-t2", f"-c{os.environ['CONNECTIONS']}", f"-d{os.environ['DURATION']}s", "--latency",
            "-H", f"Authorization: Bearer {os.environ['TOKEN']}"]
    if script:
        args += ["-s", script]
    out = subprocess.run(args + [url], check=True, capture_output=True, text=True).stdout

    def latency(label):
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": latency("50%"),
            "p99": latency("99%"), "non2xx": int(errors.group(1)) if errors else 0}


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
