#!/usr/bin/env python3
"""relative-symlinks.py ROOT

Rewrites every symlink under ROOT (a root file system being packed into an image layer) so its
target is relative and lexically plain: zero or more leading `..`, then normal names, never
leaving ROOT. Why: the platform's layer extractor (Sources/ArchiveImport/SafeExtractor.swift)
refuses absolute targets and `..` after a normal component, as any symlink that could point
out of the unpacked root; Debian's packages ship absolute ones (/etc/alternatives/*, the
dynamic loader). A target is resolved as the kernel would inside ROOT (absolute = from ROOT,
relative = from the link's folder) and written back relative to the link's folder, so every
link still reaches the same file. Prints how many it rewrote.
"""
import os, sys

root = os.path.abspath(sys.argv[1])
changed = 0
for folder, dirs, files in os.walk(root):
    for name in dirs + files:
        link = os.path.join(folder, name)
        if not os.path.islink(link):
            continue
        target = os.readlink(link)
        where = os.path.normpath(os.path.join(root, target.lstrip("/")) if target.startswith("/") else os.path.join(folder, target))
        if where != root and not where.startswith(root + os.sep):
            where = root  # a target above / resolves to / in the image, as the kernel does
        fixed = os.path.relpath(where, folder)
        if fixed != target:
            os.unlink(link)
            os.symlink(fixed, link)
            changed += 1
print(f"relative-symlinks.py: rewrote {changed} symlinks under {root}", file=sys.stderr)
