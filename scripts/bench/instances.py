#!/usr/bin/env python3
"""Launch benchmarks against a running platformd (driven by scripts/bench-instances.sh).

  instances.py slurm-overhead --runs N   platform launch → `running` versus raw sbatch of the
                                         same rendered job script → RUNNING, same poll interval
  instances.py concurrent --count N      N launches at once on the local adapter; all must
                                         reach `ready`; failures and times are printed

Environment: PLATFORMD (base URL), TOKEN (API key), PROJECT (project id), SLURM_CONF,
DATA_DIR (platformd's data dir), POLL_MS (poll interval, default 20).
"""
import concurrent.futures
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request

BASE = os.environ["PLATFORMD"]
TOKEN = os.environ["TOKEN"]
PROJECT = os.environ["PROJECT"]
POLL = int(os.environ.get("POLL_MS", "20")) / 1000


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def wait_phase(instance, phases, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _, record = call("GET", f"/v1/projects/{PROJECT}/instances/{instance}")
        if record["phase"] in phases:
            return record
        time.sleep(POLL)
    raise SystemExit(f"{instance} did not reach {phases}")


def percentile(values, p):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def slurm(*args):
    return subprocess.run(list(args), capture_output=True, text=True, env=dict(os.environ), check=False)


def wait_node_idle(timeout=30):
    """Both paths start from an idle node: a job right after a cancelled one waits for the
    node's cleanup, which would measure Slurm's epilog, not the launch path."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = slurm("scontrol", "show", "node", "-o").stdout
        if "State=IDLE " in shown and "COMPLETING" not in shown and "ALLOCATED" not in shown and "MIXED" not in shown:
            return
        time.sleep(0.05)
    raise SystemExit("the Slurm node did not become idle")


def align_to_second(offset=0.1):
    """slurmctld allocates pending jobs on a cycle of about one second; starting both paths at
    the same point of that cycle keeps Slurm's share of the wait equal, so the difference is
    the platform's."""
    now = time.time()
    time.sleep((1 - (now % 1)) + offset if (now % 1) > offset else offset - (now % 1))


def slurm_overhead(runs):
    body = {"app": "gpu-echo", "adapter": "slurm", "environment": "staging", "gpus": "h100:1"}
    platform, raw, admission = [], [], []
    script = None
    for run in range(runs):
        wait_node_idle()
        align_to_second()
        started = time.monotonic()
        status, record = call("POST", f"/v1/projects/{PROJECT}/instances", body)
        if status != 201:
            raise SystemExit(f"launch refused: {record}")
        admission.append((time.monotonic() - started) * 1000)
        wait_phase(record["id"], {"running", "ready", "failed"})
        platform.append((time.monotonic() - started) * 1000)
        if script is None:
            script = os.path.join(os.environ["DATA_DIR"], "runtime", "slurm", record["id"], "job.sbatch")
            with open(script) as f:
                text = f.read()
            raw_folder = os.path.join(os.environ["DATA_DIR"], "runtime", "slurm", "RAW-BENCH")
            os.makedirs(raw_folder, exist_ok=True)
            raw_script = os.path.join(raw_folder, "job.sbatch")
            with open(raw_script, "w") as f:
                f.write(text.replace(record["id"], "RAW-BENCH"))
        call("POST", f"/v1/projects/{PROJECT}/instances/{record['id']}/stop", {})
        wait_phase(record["id"], {"stopped", "failed"})

        wait_node_idle()
        align_to_second()
        started = time.monotonic()
        submitted = slurm("sbatch", "--parsable", raw_script)
        job = submitted.stdout.strip().split(";")[0]
        if not job:
            raise SystemExit(f"raw sbatch failed: {submitted.stderr}")
        while True:
            shown = slurm("scontrol", "show", "job", "-o", job).stdout
            if "JobState=RUNNING" in shown:
                break
            if "JobState=PENDING" not in shown and "JobState=CONFIGURING" not in shown:
                raise SystemExit(f"the raw job did not run: {shown}")
            time.sleep(POLL)
        raw.append((time.monotonic() - started) * 1000)
        slurm("scancel", job)
        while "JobState=RUNNING" in slurm("scontrol", "show", "job", "-o", job).stdout or \
                "JobState=COMPLETING" in slurm("scontrol", "show", "job", "-o", job).stdout:
            time.sleep(POLL)
    added = [p - r for p, r in zip(platform, raw)]
    result = {
        "runs": runs, "poll_ms": POLL * 1000,
        "platform_ms": {"p50": round(statistics.median(platform), 1), "p95": round(percentile(platform, 95), 1)},
        "raw_sbatch_ms": {"p50": round(statistics.median(raw), 1), "p95": round(percentile(raw, 95), 1)},
        "added_ms": {"p50": round(statistics.median(added), 1), "p95": round(percentile(added, 95), 1)},
        "p95_difference_ms": round(percentile(platform, 95) - percentile(raw, 95), 1),
        "admission_ms": {"p50": round(statistics.median(admission), 1), "p95": round(percentile(admission, 95), 1)},
        "goal_added_p95_ms": 50,
    }
    print(json.dumps(result, indent=2))


def concurrent_launches(count):
    body = {"app": "gpu-echo", "adapter": "local", "environment": "staging", "gpus": "0"}
    started = time.monotonic()

    def launch(_):
        status, record = call("POST", f"/v1/projects/{PROJECT}/instances", body)
        return status, record

    with concurrent.futures.ThreadPoolExecutor(max_workers=count) as pool:
        answers = list(pool.map(launch, range(count)))
    accepted = [record["id"] for status, record in answers if status == 201]
    refused = [record for status, record in answers if status != 201]
    admitted_s = time.monotonic() - started
    outcome = {}
    deadline = time.monotonic() + 300
    pending = set(accepted)
    while pending and time.monotonic() < deadline:
        _, listed = call("GET", f"/v1/projects/{PROJECT}/instances")
        for record in listed:
            if record["id"] in pending and record["phase"] in ("ready", "failed", "stopped"):
                outcome[record["id"]] = record
                pending.discard(record["id"])
        time.sleep(0.2)
    ready_s = time.monotonic() - started
    failed = [r for r in outcome.values() if r["phase"] != "ready"]
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda i: call("POST", f"/v1/projects/{PROJECT}/instances/{i}/stop", {}), accepted))
    print(json.dumps({
        "launches": count, "accepted": len(accepted), "refused": len(refused), "ready": count - len(refused) - len(failed) - len(pending),
        "failed": len(failed), "still_pending": len(pending), "admitted_all_s": round(admitted_s, 2), "all_ready_s": round(ready_s, 2),
        "failures": [{"id": r["id"], "reason": r.get("reason"), "message": r.get("message")} for r in failed][:5]
                    + [r for r in refused][:5],
    }, indent=2))
    if refused or failed or pending:
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    if sys.argv[1] == "slurm-overhead":
        slurm_overhead(int(sys.argv[3]) if len(sys.argv) > 3 else 20)
    elif sys.argv[1] == "concurrent":
        concurrent_launches(int(sys.argv[3]) if len(sys.argv) > 3 else 100)
    else:
        raise SystemExit(__doc__)
