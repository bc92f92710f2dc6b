#!/usr/bin/env python3
"""run_guides.py PAGE.mdx [PAGE.mdx ...] | --portal DIR: the portal's guides as tests.

With --portal, the pages are the onboarding track and the how-tos of DIR, in the order its
sidebars.js lists them (what a reader follows).

Runs the `bash title="Run"` blocks of the given pages, in order, in ONE bash session (so a
variable one step sets is there for the next, as in a reader's terminal), with `set -e` and
`pipefail`: a command that fails stops the run. After a block, the `text title="Expected
output"` block that follows it must match what the block printed (stdout and stderr): each
of its lines must appear, in order, as a whole line, where `…` stands for any text.

Environment: whatever the pages' prerequisites name (PLATFORM_SERVER, PLATFORM_ADMIN_KEY,
appctl on PATH); the working directory is the checkout. Prints one line per step and, for a
failure, what was printed; exits 1 when any step fails, 0 otherwise."""
import os
import re
import subprocess
import sys
import tempfile

from sidebar import doc_ids

BLOCK = re.compile(r'^```(\w+) title="([^"]+)"\n(.*?)^```\n', re.S | re.M)
HEADING = re.compile(r"^#{2,3} (.+)$", re.M)


def steps(path):
    """(page, heading, commands, expected lines or None) for every Run block."""
    text = open(path, encoding="utf-8").read()
    found = []
    for match in BLOCK.finditer(text):
        language, title, body = match.groups()
        if title == "Run" and language == "bash":
            headings = HEADING.findall(text, 0, match.start())
            found.append([os.path.basename(path), headings[-1] if headings else "", body, None])
        elif title == "Expected output" and found and found[-1][3] is None and found[-1][0] == os.path.basename(path):
            found[-1][3] = body.splitlines()
    return found


def pattern(line):
    """`…` is any text; a run of spaces is any run of white space (tables realign)."""
    parts = [r"\s+".join(re.escape(word) for word in re.split(r" +", part)) for part in line.strip().split("…")]
    return re.compile(r"^\s*" + ".*".join(parts) + r"\s*$")


def matches(expected, printed):
    """Every expected line, in order, as a whole printed line; returns the first missing one."""
    lines = [line.rstrip() for line in printed.splitlines()]
    at = 0
    for line in expected:
        wanted = pattern(line)
        while at < len(lines) and not wanted.match(lines[at]):
            at += 1
        if at == len(lines):
            return line
        at += 1
    return None


def main(pages):
    all_steps = [step for page in pages for step in steps(page)]
    if not all_steps:
        print("no Run blocks in " + " ".join(pages))
        return 1
    with tempfile.TemporaryDirectory(prefix="guides-") as work:
        script = ["set -eo pipefail"]
        for number, (_, _, body, _) in enumerate(all_steps):
            script += [f"exec >{work}/{number}.out 2>&1", body.rstrip("\n"), f": >{work}/{number}.done"]
        open(f"{work}/run.sh", "w").write("\n".join(script) + "\n")
        # The pages set up their own appctl context; the caller's APPCTL_* would override it.
        environment = {name: value for name, value in os.environ.items() if not name.startswith("APPCTL_")}
        result = subprocess.run(["bash", f"{work}/run.sh"], stdin=subprocess.DEVNULL, env=environment)
        failures = 0
        for number, (page, heading, body, expected) in enumerate(all_steps):
            name = f"{page}: {heading}"
            output_file = f"{work}/{number}.out"
            printed = open(output_file, encoding="utf-8", errors="replace").read() if os.path.exists(output_file) else ""
            if not os.path.exists(output_file):
                print(f"NOT RUN  {name}")
                failures += 1
                continue
            if not os.path.exists(f"{work}/{number}.done"):
                print(f"FAIL     {name}: a command exited {result.returncode}\n--- commands\n{body}--- printed\n{printed}---")
                failures += 1
                continue
            missing = matches(expected, printed) if expected else None
            if missing is not None:
                print(f"FAIL     {name}: expected output line not printed: {missing!r}\n--- printed\n{printed}---")
                failures += 1
                continue
            print(f"ok       {name}")
        print(f"{len(all_steps) - failures} of {len(all_steps)} steps passed")
        return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] == "--portal" and len(sys.argv) != 3:
        print(__doc__)
        sys.exit(64)
    if sys.argv[1] == "--portal":
        guides = [i for i in doc_ids(sys.argv[2]) if i.startswith(("onboarding/", "how-to/"))]
        print(f"{len(guides)} guide pages in sidebar order: {' '.join(guides)}")
        sys.exit(main([os.path.join(sys.argv[2], "docs", i + ".mdx") for i in guides]))
    sys.exit(main(sys.argv[1:]))
