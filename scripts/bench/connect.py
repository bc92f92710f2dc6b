#!/usr/bin/env python3
"""Figures for scripts/bench-connect.sh (it sets the environment): `proxy` runs wrk against
the instance directly and through platformd's proxy and prints both and the difference;
`sessions` has wrk open connect sessions from CONCURRENCY connections and prints the spread."""
import os
import re
import subprocess
import sys


def wrk(url, headers=(), script=None, connections=None):
    args = ["wrk", f"-t{os.environ['THREADS']}", f"-c{connections or os.environ['CONNECTIONS']}", f"-d{os.environ['DURATION']}s", "--latency"]
    if script:
        args += ["-s", script]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run(args + [url], check=True, capture_output=True, text=True).stdout
    def latency(label):
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)  # 201 counts as 2xx
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p50": latency("50%"), "p99": latency("99%"),
            "non2xx": int(errors.group(1)) if errors else 0, "socket_errors": socket_errors.group(1) if socket_errors else "none"}


def start_perf(name):
    """With BENCH_PERF=1, `perf record` of platformd for DURATION seconds (the wrk run that follows)."""
    if os.environ.get("BENCH_PERF") != "1":
        return None
    data = os.path.join(os.environ["BENCH_WORK"], f"{name}.perf")
    process = subprocess.Popen(["perf", "record", "-q", "-F", "499", "-g", "-o", data, "-p", os.environ["PLATFORMD_PID"],
                                "--", "sleep", os.environ["DURATION"]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, data


def report_perf(perf, what):
    """Prints platformd's self time by binary, then by symbol (>= 0.8 %)."""
    process, data = perf
    process.wait()
    for sort, limit in (("dso", "0"), ("dso,symbol", "0.8")):
        report = subprocess.run(["perf", "report", "-q", "-i", data, "--no-children", "--sort", sort, "-g", "none",
                                 "--percent-limit", limit, "--stdio"], capture_output=True, text=True).stdout
        print(f"perf ({what}, self time, by {sort}):")
        print("\n".join(line[:160] for line in report.splitlines() if line.strip())[:6000])


def proxy():
    """Two loads, each direct then proxied: CONNECTIONS connections (throughput, the CPU
    saturated) and LATENCY_CONNECTIONS (latency below saturation, where added p99 means
    what the proxy adds rather than queueing for the cores wrk and platformd share)."""
    bearer = [f"Authorization: Bearer {os.environ['SESSION_TOKEN']}"]
    for label, connections in (("throughput", None), ("latency", os.environ.get("LATENCY_CONNECTIONS", "2"))):
        direct = wrk(os.environ["DIRECT_URL"], connections=connections)
        perf = start_perf("proxy") if label == "throughput" else None
        proxied = wrk(os.environ["PROXY_URL"], bearer, connections=connections)
        if perf:
            report_perf(perf, "connect proxy, throughput run")
        haproxy = wrk(os.environ["HAPROXY_URL"], connections=connections) if os.environ.get("HAPROXY_URL") else None
        print(f"-- {label} run: {connections or os.environ['CONNECTIONS']} connections")
        rows = [("direct ", direct), ("proxied", proxied)] + ([("haproxy", haproxy)] if haproxy else [])
        for name, row in rows:
            print(f"{name}  {row['rps']:9.0f} req/s   p50 {row['p50']:7.3f} ms   p99 {row['p99']:7.3f} ms   "
                  f"non-2xx {row['non2xx']}   socket errors {row['socket_errors']}")
        print(f"added    p50 {proxied['p50'] - direct['p50']:+.3f} ms   p99 {proxied['p99'] - direct['p99']:+.3f} ms   "
              f"throughput {100 * proxied['rps'] / direct['rps']:.0f}% of direct  (goals: >= 20000 req/s proxied, <= 2 ms added p99)")
        if haproxy:
            print(f"haproxy adds p50 {haproxy['p50'] - direct['p50']:+.3f} ms   p99 {haproxy['p99'] - direct['p99']:+.3f} ms   "
                  f"platformd's proxy does {100 * proxied['rps'] / haproxy['rps']:.0f}% of haproxy's req/s")


def sessions():
    """wrk with CONCURRENCY connections, each POSTing connect requests back to back (one
    session per request) for DURATION seconds: the same generator as the proxy run."""
    url = f"{os.environ['PLATFORMD']}/v1/projects/{os.environ['PROJECT']}/instances/{os.environ['INSTANCE']}/connect"
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "connect-session.lua")
    os.environ["CONNECTIONS"], os.environ["THREADS"] = os.environ["CONCURRENCY"], "1"
    perf = start_perf("sessions")
    row = wrk(url, script=script)
    if perf:
        report_perf(perf, "session creation")
    print(f"sessions {row['rps']:7.0f} created/s with {os.environ['CONCURRENCY']} concurrent callers: "
          f"p50 {row['p50']:.2f} ms  p99 {row['p99']:.2f} ms  non-2xx {row['non2xx']}  (goal: p99 <= 5 ms)")


if __name__ == "__main__":
    {"proxy": proxy, "sessions": sessions}[sys.argv[1]]()
