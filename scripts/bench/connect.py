#!/usr/bin/env python3
"""Figures for scripts/bench-connect.sh (it sets the environment): `proxy` runs wrk against
the instance directly and through platformd's proxy and prints both and the difference;
`sessions` opens connect sessions CONCURRENCY at a time and prints the latency spread."""
import concurrent.futures
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request


def wrk(url, headers=()):
    args = ["wrk", f"-t{os.environ['THREADS']}", f"-c{os.environ['CONNECTIONS']}", f"-d{os.environ['DURATION']}s", "--latency"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run(args + [url], check=True, capture_output=True, text=True).stdout
    def latency(label):
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p50": latency("50%"), "p99": latency("99%"),
            "non2xx": int(errors.group(1)) if errors else 0, "socket_errors": socket_errors.group(1) if socket_errors else "none"}


def proxy():
    direct = wrk(os.environ["DIRECT_URL"])
    proxied = wrk(os.environ["PROXY_URL"], [f"Authorization: Bearer {os.environ['SESSION_TOKEN']}"])
    for name, row in (("direct ", direct), ("proxied", proxied)):
        print(f"{name}  {row['rps']:9.0f} req/s   p50 {row['p50']:7.3f} ms   p99 {row['p99']:7.3f} ms   "
              f"non-2xx {row['non2xx']}   socket errors {row['socket_errors']}")
    print(f"added    p50 {proxied['p50'] - direct['p50']:+.3f} ms   p99 {proxied['p99'] - direct['p99']:+.3f} ms   "
          f"throughput {100 * proxied['rps'] / direct['rps']:.0f}% of direct  (goals: >= 3000 req/s proxied, <= 2 ms added p99)")


def sessions():
    url = f"{os.environ['PLATFORMD']}/v1/projects/{os.environ['PROJECT']}/instances/{os.environ['INSTANCE']}/connect"
    body = json.dumps({"action": os.environ["ACTION"]}).encode()

    def one(_):
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Authorization": f"Bearer {os.environ['TOKEN']}", "Content-Type": "application/json"})
        started = time.perf_counter()
        with urllib.request.urlopen(request) as response:
            response.read()
            assert response.status == 201
        return (time.perf_counter() - started) * 1000

    concurrency, rounds = int(os.environ["CONCURRENCY"]), int(os.environ["ROUNDS"])
    latencies = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(concurrency)))          # warm-up round, not counted
        for _ in range(rounds):
            latencies += list(pool.map(one, range(concurrency)))
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    print(f"sessions {len(latencies)} created, {concurrency} at a time: p50 {p(0.5):.2f} ms  p99 {p(0.99):.2f} ms  "
          f"max {latencies[-1]:.2f} ms  mean {statistics.mean(latencies):.2f} ms  (goal: p99 <= 5 ms)")


if __name__ == "__main__":
    {"proxy": proxy, "sessions": sessions}[sys.argv[1]]()
