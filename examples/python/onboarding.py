#!/usr/bin/env python3
"""The onboarding path through the generated Python SDK (sdk/python/platform-client).

Against a live platformd: authenticate with an admin key, create a tenant and a project, a
service account and a key for it; then, as that service account, register the reference app
(manifests/apps/gpu-echo.yaml) and list the catalog, launch it, read its events and stop it.
Launching needs the app's artifact in the registry at its required trust: with --appctl the
program publishes it first the way a developer does (examples/gpu-echo/publish.sh: build,
push, sign, evidence, promote to staging; needs umoci, and runc to run it). Without --appctl it
stops after the catalog and says so.

One line per step; the first failing step ends the program with exit 1 and its reason.
Run by scripts/sdk/python.sh smoke (CI: scripts/test.sh).
"""
import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from platform_client import AuthenticatedClient
from platform_client.api.catalog import list_apps, register_app
from platform_client.api.iam import create_key, create_project, create_service_account, create_tenant, whoami
from platform_client.api.instances import get_instance, launch_instance, list_instance_events, stop_instance
from platform_client.models import (
    AppRegistration,
    Caller,
    InstanceRecord,
    IssuedKey,
    KeyRequest,
    LaunchRequest,
    NameRequest,
    Project,
    ServiceAccount,
    ServiceAccountRequest,
    Tenant,
)

ROOT = Path(__file__).resolve().parents[2]
STEP = 0


def step(name, call, expected_status, expected_type):
    """Runs one SDK call, checks its HTTP status and parsed type, prints one line, returns the value."""
    global STEP
    STEP += 1
    try:
        response = call()
    except Exception as error:  # noqa: BLE001 - a transport error or an unparsable body fails the step too
        fail(name, f"{type(error).__name__}: {error}")
    if response.status_code != expected_status or not isinstance(response.parsed, expected_type):
        fail(name, f"HTTP {int(response.status_code)} (expected {expected_status}): {response.content[:300]!r}")
    return response.parsed


def ok(text):
    print(f"[{STEP}] ok: {text}", flush=True)


def fail(name, reason):
    print(f"[{STEP}] FAILED: {name}: {reason}", flush=True)
    sys.exit(1)


def check(name, condition, reason):
    if not condition:
        fail(name, reason)


def wait_phase(client, project, instance_id, phases, seconds):
    deadline = time.monotonic() + seconds
    while True:
        instance = get_instance.sync(project, instance_id, client=client)
        if isinstance(instance, InstanceRecord) and (instance.phase.value in phases or time.monotonic() > deadline):
            return instance
        time.sleep(0.2)


def main():
    global STEP
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--admin-key-file", required=True)
    parser.add_argument("--work", required=True, help="folder for the publish log and the signing key")
    parser.add_argument("--appctl", help="appctl binary: publish examples/gpu-echo, then launch, read events, stop")
    args = parser.parse_args()
    admin_key = Path(args.admin_key_file).read_text().strip()
    admin = AuthenticatedClient(base_url=args.server, token=admin_key, raise_on_unexpected_status=False)

    caller = step("authenticate (GET /v1/whoami)", lambda: whoami.sync_detailed(client=admin), 200, Caller)
    ok(f"authenticated as {caller.principal_name} ({caller.principal_kind}, {len(caller.scopes)} scopes)")

    tenant = step("create tenant", lambda: create_tenant.sync_detailed(client=admin, body=NameRequest(name="sdk")), 201, Tenant)
    ok(f"tenant {tenant.name} {tenant.id}")
    project = step("create project", lambda: create_project.sync_detailed(
        tenant.id, client=admin, body=NameRequest(name="apps")), 201, Project)
    ok(f"project {project.name} {project.id}")

    account = step("create service account", lambda: create_service_account.sync_detailed(
        project.id, client=admin, body=ServiceAccountRequest(name="onboarding", role="developer")), 201, ServiceAccount)
    ok(f"service account {account.name} {account.id}")
    scopes = ["apps:catalog:register", "apps:catalog:read", "apps:instance:launch", "apps:instance:read"]
    issued = step("create key", lambda: create_key.sync_detailed(client=admin, body=KeyRequest(
        service_account=account.id, expires_in_seconds=3600, scopes=scopes)), 201, IssuedKey)
    check("create key", sorted(issued.info.scopes) == sorted(scopes), f"scopes {issued.info.scopes}")
    ok(f"key {issued.info.id} for {account.name} ({', '.join(scopes)})")

    developer = AuthenticatedClient(base_url=args.server, token=issued.key, raise_on_unexpected_status=False)
    me = step("authenticate with the new key", lambda: whoami.sync_detailed(client=developer), 200, Caller)
    check("authenticate with the new key", me.principal_id == account.id, f"principal {me.principal_id}")
    ok(f"the new key authenticates as {me.principal_name}")

    manifest = (ROOT / "manifests/apps/gpu-echo.yaml").read_text()
    app = step("register app", lambda: register_app.sync_detailed(
        project.id, client=developer, body=AppRegistration(file="gpu-echo.yaml", manifest=manifest)), 201, object)
    check("register app", getattr(app, "name", None) == "gpu-echo", f"registered {app!r}")
    ok(f"registered app {app.name} {app.version} ({app.digest[:19]}…)")
    apps = step("list apps", lambda: list_apps.sync_detailed(project.id, client=developer), 200, list)
    check("list apps", any(a.name == "gpu-echo" for a in apps), f"catalog {[a.name for a in apps]}")
    ok(f"catalog lists {', '.join(sorted(a.name for a in apps))}")

    if not args.appctl:
        print("skipped: launch, events, stop (no --appctl: the gpu-echo artifact cannot be published here)", flush=True)
        return

    STEP_NAME = "publish the gpu-echo artifact (examples/gpu-echo/publish.sh, a fixture: appctl as the admin)"
    STEP += 1
    env = dict(os.environ, APPCTL=args.appctl, APPCTL_TOKEN=admin_key, XDG_CONFIG_HOME=f"{args.work}/xdg")
    try:
        with open(f"{args.work}/publish.log", "w") as log:
            published = subprocess.run(
                ["bash", str(ROOT / "examples/gpu-echo/publish.sh"), "--project", f"{tenant.name}/{project.name}", "--to", "staging",
                 "--server", args.server, "--key", f"{args.work}/gpu-echo-signing.pem"],
                check=False, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=75)
    except subprocess.TimeoutExpired:
        fail(STEP_NAME, f"publish.sh ran over 75 s (log {args.work}/publish.log)")
    check(STEP_NAME, published.returncode == 0, f"publish.sh exited {published.returncode} (log {args.work}/publish.log)")
    ok("published gpu-echo 1.0.0 and promoted it to staging")

    instance = step("launch", lambda: launch_instance.sync_detailed(
        project.id, client=developer, body=LaunchRequest(app="gpu-echo", environment="staging", gpus="0")), 201, InstanceRecord)
    ok(f"launched instance {instance.id} ({instance.phase.value})")
    # scripts/sdk/python.sh stops it through the API should a later step fail.
    Path(args.work, "instance").write_text(f"{project.id}/instances/{instance.id}")
    STEP += 1
    instance = wait_phase(developer, project.id, instance.id, {"ready", "failed", "stopped", "succeeded"}, 30)
    check("wait for ready", instance.phase.value == "ready", f"phase {instance.phase.value}: {instance.message}")
    ok(f"instance {instance.id} is ready on {instance.adapter}")

    events = step("read events", lambda: list_instance_events.sync_detailed(
        project.id, instance.id, client=developer), 200, list)
    phases = [e.phase.value for e in events]
    check("read events", "ready" in phases and [e.seq for e in events] == sorted(e.seq for e in events),
          f"events {phases}")
    ok(f"events: {' -> '.join(phases)}")

    stopped = step("stop", lambda: stop_instance.sync_detailed(
        project.id, instance.id, client=developer), 200, InstanceRecord)
    ok(f"stop requested ({stopped.phase.value})")
    STEP += 1
    final = wait_phase(developer, project.id, instance.id, {"stopped", "failed", "succeeded"}, 30)
    check("wait for stopped", final.phase.value == "stopped", f"phase {final.phase.value}: {final.message}")
    Path(args.work, "instance.stopped").touch()
    later = list_instance_events.sync(project.id, instance.id, client=developer, after=events[-1].seq)
    ok(f"instance {final.id} is stopped (later events: {' -> '.join(e.phase.value for e in later or [])})")


if __name__ == "__main__":
    main()
