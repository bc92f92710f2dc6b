#!/usr/bin/env python3
"""publish-inventory.py ROOTFS DIGEST TAG APP

The inventory-only vulnerability-scan evidence examples/publish.sh attaches for an app that has
no examples/<app>/inventory.sh and no --scan-report: every Debian package the image's dpkg
database lists and every Python distribution (*.dist-info) in it, with versions, so a reviewer
(or a scanner run later against the same list) sees exactly what shipped. Offline, no CVE
database is consulted, and the report says so rather than claiming a clean scan. File hashes
are summarised (count and bytes), not listed: a Python image holds tens of thousands of files.
"""
import datetime, glob, json, os, sys

rootfs, digest, tag, app = sys.argv[1:5]

components = []
status = os.path.join(rootfs, "var/lib/dpkg/status")
if os.path.exists(status):
    for stanza in open(status, errors="replace").read().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in stanza.splitlines() if ": " in line and not line.startswith(" "))
        if fields.get("Package") and "installed" in fields.get("Status", ""):
            components.append({"name": fields["Package"], "version": fields.get("Version"),
                               "package": f"{fields['Package']} {fields.get('Version', '')}".strip(), "source": "dpkg"})
for metadata in sorted(glob.glob(os.path.join(rootfs, "**/*.dist-info/METADATA"), recursive=True)):
    fields = {}
    for line in open(metadata, errors="replace"):
        if not line.strip():
            break
        if ": " in line:
            key, value = line.rstrip("\n").split(": ", 1)
            fields.setdefault(key, value)
    if fields.get("Name"):
        components.append({"name": fields["Name"], "version": fields.get("Version"), "package": None, "source": "pypi",
                           "path": "/" + os.path.relpath(os.path.dirname(metadata), rootfs)})

count, size = 0, 0
for top, dirs, names in os.walk(rootfs):
    for n in names:
        p = os.path.join(top, n)
        if os.path.isfile(p) and not os.path.islink(p):
            count += 1
            size += os.path.getsize(p)

print(json.dumps({
    "subject": digest, "app": app, "version": tag,
    "scanner": {"name": "examples/publish-inventory.py", "database": None,
                "note": "offline: no vulnerability database was consulted; attach a real scanner report with --scan-report"},
    "components": components,
    "files": {"count": count, "bytes": size},
    "findings": [],
    "finishedAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
}, indent=2))
