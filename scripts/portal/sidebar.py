"""The doc ids a generated sidebars.js lists, in order (its exported object is plain JSON)."""
import json
import os
import re


def doc_ids(root):
    """Every doc id of every sidebar in ROOT/sidebars.js, in sidebar order.

    Raises ValueError when the file's exported object is not plain JSON."""
    text = open(os.path.join(root, "sidebars.js"), encoding="utf-8").read()
    match = re.search(r"module\.exports\s*=\s*(\{.*\})\s*;\s*$", text, re.S)
    if not match:
        raise ValueError("no `module.exports = {…};`")
    tree = json.loads(match.group(1))
    found = []

    def walk(node):
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if node.get("type") in ("doc", "ref"):
                found.append(node.get("id"))
            walk(node.get("items", []))

    for sidebar in tree.values():
        walk(sidebar)
    return found
