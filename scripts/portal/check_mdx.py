#!/usr/bin/env python3
"""check_mdx.py PORTAL_DIR: the checks a Docusaurus v3 build would fail on, without npm.

- every docs/**/*.md(x) page compiles with a real MDX v3 compiler (PyPI mdxjs-py, mdxjs-rs), and
  has no `{`/`}` outside code (an expression compiles but fails at render when undefined);
- front matter is YAML with only Docusaurus's keys, with their types, and an `id` without `/`;
- every _category_.json has only Docusaurus's keys, and a valid `link`;
- every doc id sidebars.js names exists, and every relative link between pages resolves.

Prints one line per problem (`FILE: problem`) and exits 1 when there is any, 0 otherwise."""
import json
import os
import re
import sys

import mdxjs_py
import yaml

from sidebar import doc_ids

FRONT_MATTER = {"id": str, "title": str, "sidebar_label": str, "sidebar_position": (int, float), "slug": str,
                "description": str, "tags": list, "keywords": list, "hide_table_of_contents": bool,
                "pagination_next": (str, type(None)), "pagination_prev": (str, type(None)), "custom_edit_url": (str, type(None)),
                "toc_min_heading_level": int, "toc_max_heading_level": int, "sidebar_class_name": str, "draft": bool}
CATEGORY = {"label", "description", "position", "collapsed", "collapsible", "className", "link", "customProps"}


def doc_id(relative, front):
    folder = os.path.dirname(relative)
    base = front.get("id") or re.sub(r"^\d+-", "", os.path.splitext(os.path.basename(relative))[0])
    return f"{folder}/{base}" if folder else base


def check(root):
    problems, ids, links = [], {}, []
    docs = os.path.join(root, "docs")
    for folder, _, names in sorted(os.walk(docs)):
        for name in sorted(names):
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, docs)
            if name == "_category_.json":
                try:
                    category = json.load(open(path))
                except ValueError as error:
                    problems.append(f"{path}: not JSON: {error}")
                    continue
                for key in sorted(set(category) - CATEGORY):
                    problems.append(f"{path}: unknown _category_ key {key!r}")
                link = category.get("link")
                if link is not None and link.get("type") not in ("doc", "generated-index"):
                    problems.append(f"{path}: link.type must be doc or generated-index")
                continue
            if not name.endswith((".md", ".mdx")):
                continue
            text = open(path, encoding="utf-8").read()
            front, body = {}, text
            match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
            if match:
                try:
                    front = yaml.safe_load(match.group(1)) or {}
                except yaml.YAMLError as error:
                    problems.append(f"{path}: front matter is not YAML: {error}")
                body = text[match.end():]
            for key, value in front.items():
                if key not in FRONT_MATTER:
                    problems.append(f"{path}: unknown front matter key {key!r}")
                elif not isinstance(value, FRONT_MATTER[key]) or isinstance(value, bool) and FRONT_MATTER[key] in ((int, float), int):
                    problems.append(f"{path}: front matter {key!r} has the wrong type ({type(value).__name__})")
            if "/" in str(front.get("id", "")):
                problems.append(f"{path}: front matter id must not contain '/'")
            if "<!--" in body:
                problems.append(f"{path}: HTML comment (MDX v3 refuses them; use {{/* */}})")
            try:
                mdxjs_py.compile(body)
            except Exception as error:  # the compiler raises its own error type
                problems.append(f"{path}: MDX does not compile: {error}")
            ids[doc_id(relative, front)] = path
            prose = re.sub(r"```.*?```", "", body, flags=re.S)
            prose = re.sub(r"`[^`]*`", "", prose)
            if re.search(r"[{}]", prose):
                problems.append(f"{path}: bare {{ or }} in prose (an MDX expression; write &#123; or use inline code)")
            for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", prose):
                if not re.match(r"^[a-z]+:", target):
                    links.append((path, relative, target))
    for path, relative, target in links:
        base = os.path.dirname(relative)
        resolved = os.path.normpath(os.path.join(base, target)).replace(os.sep, "/")
        resolved = re.sub(r"\.mdx?$", "", resolved)
        if resolved not in ids:
            problems.append(f"{path}: link to {target!r} resolves to no page ({resolved})")
    sidebars = os.path.join(root, "sidebars.js")
    if os.path.exists(sidebars):
        try:
            listed = doc_ids(root)
        except ValueError as error:
            listed = []
            problems.append(f"{sidebars}: the exported object is not plain JSON: {error}")
        for item in listed:
            if item not in ids:
                problems.append(f"{sidebars}: sidebar names doc {item!r}, which does not exist")
    return problems, len(ids)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: check_mdx.py PORTAL_DIR")
    found, pages = check(sys.argv[1])
    for line in found:
        print(line)
    print(f"{pages} pages checked, {len(found)} problem(s)", file=sys.stderr)
    sys.exit(1 if found else 0)
