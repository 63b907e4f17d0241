#!/usr/bin/env python3
"""Runs every example of the user guides in docs/ against a build tree.

    python3 tests/docs/check_docs.py --build build          # by hand
    ctest --test-dir build -R '^docs$' --output-on-failure  # as ctest `docs`

What it checks:

1. docs/python.md, docs/lua.md and docs/tcl.md have exactly the H2 sections of
   SECTIONS, in that order (so the three guides stay alike), and every section
   of every guide has at least one runnable example.
2. Every fenced block tagged ```python, ```lua or ```tcl in docs/*.md is a
   complete program: it is written to a file and run in a fresh interpreter
   (python3 / lua5.4 / tclsh) with the build tree's module on the path. A
   block fails when it exits non-zero or takes longer than --timeout.
   A block whose info string says `no-run` (```python no-run) is skipped and
   counted as such; keep those rare.
3. A block followed directly by an ```output block must print exactly that
   (trailing blank space ignored), so the output shown to readers is true.
4. No example leaves an IPC object behind. As root, each example runs in a
   private IPC and mount namespace with its own empty /dev/shm and /dev/mqueue,
   so whatever is there when it ends is its own leftover, exactly, whatever
   else runs on the machine. Without the rights for that, entries that appear
   in /dev/shm or /dev/mqueue while a block runs, and are still there after a
   short grace period, fail that block (the grace period lets objects of other
   programs running at the same time come and go).

Failures name the file:line of the block's opening fence and show its output.
The last line is a summary, e.g. "docs: 42 examples passed (python 14, lua 14, tcl 14)".
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

SECTIONS = ["Create and open", "Semaphores", "Shared memory", "Message queues",
            "Notifications", "Errors", "Cleanup"]
GUIDES = {"python": "python.md", "lua": "lua.md", "tcl": "tcl.md"}
LANGUAGES = ("python", "lua", "tcl")
SUFFIX = {"python": ".py", "lua": ".lua", "tcl": ".tcl"}
IPC_DIRS = ("/dev/shm", "/dev/mqueue")
GRACE_SECONDS = 2.0
# Runs "$@" with fresh /dev/shm and /dev/mqueue (inside `unshare --ipc --mount`),
# then prints what the program left in them, after a marker line on stderr.
LEFTOVER_MARKER = "--- posix_ipc docs: left in /dev/shm and /dev/mqueue ---"
ISOLATE = r"""
mount --make-rprivate / 2>/dev/null
mount -t tmpfs -o mode=1777 posix_ipc_docs /dev/shm || exit 125
mkdir -p /dev/mqueue && mount -t mqueue posix_ipc_docs /dev/mqueue || exit 125
"$@"; status=$?
echo "%s" >&2
for d in /dev/shm /dev/mqueue; do for f in "$d"/* "$d"/.[!.]*; do [ -e "$f" ] && echo "$f" >&2; done; done
exit $status
""" % LEFTOVER_MARKER


class Block:
    def __init__(self, path, line, lang, options, code):
        self.path, self.line, self.lang, self.options, self.code = path, line, lang, options, code
        self.expected = None  # the text of an ```output block right after it
        self.section = None

    @property
    def where(self):
        return "%s:%d" % (self.path, self.line)


def parse(path, display):
    """Returns (H2 headings, fenced blocks) of a Markdown file."""
    headings, blocks = [], []
    section = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    last_block_end = None  # index of the closing fence of the last code block
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("```"):
            fence = stripped[:len(stripped) - len(stripped.lstrip("`"))]
            info = stripped[len(fence):].split()
            start = i
            i += 1
            body = []
            while i < len(lines) and not lines[i].strip().startswith(fence):
                body.append(lines[i])
                i += 1
            if i >= len(lines):
                raise SystemExit("%s:%d: unclosed code fence" % (display, start + 1))
            lang = info[0] if info else ""
            if lang == "output":
                between = lines[last_block_end + 1:start] if last_block_end is not None else ["x"]
                if not blocks or blocks[-1].expected is not None or any(l.strip() for l in between) \
                        or blocks[-1].lang not in LANGUAGES:
                    raise SystemExit("%s:%d: an ```output block must follow a code block directly"
                                     % (display, start + 1))
                blocks[-1].expected = "\n".join(body)
            else:
                block = Block(display, start + 1, lang, info[1:], "\n".join(body) + "\n")
                block.section = section
                blocks.append(block)
                last_block_end = i
            i += 1
            continue
        if line.startswith("## "):
            section = line[3:].strip()
            headings.append(section)
        i += 1
    return headings, blocks


def ipc_entries():
    found = set()
    for directory in IPC_DIRS:
        try:
            for name in os.listdir(directory):
                found.add(os.path.join(directory, name))
        except FileNotFoundError:
            pass
    return found


def can_isolate():
    """True where each example can have private /dev/shm and /dev/mqueue (root, unshare)."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "--ipc", "--mount", "sh", "-c", ISOLATE, "sh", "true"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return probe.returncode == 0


def split_leftovers(err):
    """Splits an isolated run's stderr into the program's own and the paths it left."""
    own, marker, rest = err.rpartition(LEFTOVER_MARKER + "\n")
    if not marker:
        return err, []
    return own, [line for line in rest.split("\n") if line]


def environment(args):
    env = dict(os.environ)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if args.build:
        build = os.path.abspath(args.build)
        env["PYTHONPATH"] = os.path.join(build, "python")
        env["LUA_PATH"] = os.path.join(build, "lua", "?.lua") + ";;"
        env["LUA_CPATH"] = os.path.join(build, "lua", "?.so") + ";;"
        env["TCLLIBPATH"] = os.path.join(build, "tcl")
    return env


def normalise(text):
    return "\n".join(line.rstrip() for line in text.strip("\n").split("\n")).strip("\n")


def indent(text):
    return "".join("    | " + line + "\n" for line in text.rstrip("\n").split("\n"))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", default=os.path.join(here, "..", "..", "docs"),
                        help="the docs directory (default: the one of this source tree)")
    parser.add_argument("--build", help="build tree whose modules the examples use "
                        "(default: PYTHONPATH, LUA_PATH, LUA_CPATH, TCLLIBPATH as set)")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--lua", default=shutil.which("lua5.4") or "lua5.4")
    parser.add_argument("--tclsh", default=shutil.which("tclsh8.6") or shutil.which("tclsh") or "tclsh")
    parser.add_argument("--only", choices=LANGUAGES,
                        help="run only this language's examples (e.g. tcl under another tclsh)")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds per example")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every example's output")
    args = parser.parse_args()

    docs = os.path.normpath(args.docs)
    interpreters = {"python": args.python, "lua": args.lua, "tcl": args.tclsh}
    problems = []

    # 1. The same sections, in the same order, in every guide.
    blocks = []
    for lang in LANGUAGES:
        path = os.path.join(docs, GUIDES[lang])
        display = os.path.relpath(path, os.path.join(docs, ".."))
        if not os.path.exists(path):
            problems.append("%s: missing" % display)
            continue
        headings, file_blocks = parse(path, display)
        if headings != SECTIONS:
            problems.append("%s: the H2 sections are %s; expected exactly %s"
                            % (display, headings, SECTIONS))
        for section in SECTIONS:
            if not any(b.section == section and b.lang == lang and "no-run" not in b.options
                       for b in file_blocks):
                problems.append("%s: section \"%s\" has no runnable ```%s example"
                                % (display, section, lang))
        for b in file_blocks:
            if b.lang in LANGUAGES and b.lang != lang:
                problems.append("%s: a ```%s block in the %s guide" % (b.where, b.lang, lang))
        blocks.extend(file_blocks)
    for name in sorted(os.listdir(docs)):
        if name.endswith(".md") and name not in GUIDES.values():
            blocks.extend(parse(os.path.join(docs, name), os.path.join(os.path.basename(docs), name))[1])
    for p in problems:
        print("FAIL " + p)

    # 2-4. Run every example.
    env = environment(args)
    ran = {lang: 0 for lang in LANGUAGES}
    skipped = {lang: 0 for lang in LANGUAGES}
    failed = []
    leak_candidates = {}  # path -> the block during which it appeared
    isolated = can_isolate()
    print("each example runs with a private /dev/shm and /dev/mqueue" if isolated else
          "examples share /dev/shm and /dev/mqueue (not root or no unshare): leftovers are "
          "judged after a %.0f s grace period" % GRACE_SECONDS)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="posix_ipc_docs_") as workdir:
        for number, b in enumerate(blocks):
            if b.lang not in LANGUAGES or (args.only and b.lang != args.only):
                continue
            if "no-run" in b.options:
                skipped[b.lang] += 1
                print("skip %s (%s, no-run)" % (b.where, b.lang))
                continue
            script = os.path.join(workdir, "example%03d%s" % (number, SUFFIX[b.lang]))
            with open(script, "w", encoding="utf-8") as f:
                f.write(b.code)
            command = [interpreters[b.lang], script]
            if isolated:
                command = ["unshare", "--ipc", "--mount", "sh", "-c", ISOLATE, "sh"] + command
            before = set() if isolated else ipc_entries()
            t0 = time.monotonic()
            try:
                result = subprocess.run(command, cwd=workdir, env=env,
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, timeout=args.timeout)
                code, out, err = result.returncode, result.stdout, result.stderr
                timed_out = False
            except subprocess.TimeoutExpired as e:
                code, out, err, timed_out = None, e.stdout or b"", e.stderr or b"", True
            elapsed = time.monotonic() - t0
            out = out.decode("utf-8", "replace")
            err = err.decode("utf-8", "replace")
            if isolated:
                err, left = split_leftovers(err)
            else:
                left = []
                for path in ipc_entries() - before:
                    leak_candidates.setdefault(path, b)
            ran[b.lang] += 1
            reason = None
            if timed_out:
                reason = "timed out after %.0f s" % args.timeout
            elif code != 0:
                reason = "exited with status %s" % code
            elif b.expected is not None and normalise(out) != normalise(b.expected):
                reason = "printed something else than its ```output block"
            if reason:
                failed.append(b)
                print("FAIL %s (%s): %s" % (b.where, b.lang, reason))
                if b.expected is not None and not timed_out and code == 0:
                    print("  expected:\n" + indent(normalise(b.expected)))
                print("  stdout:\n" + indent(out) if out.strip() else "  stdout: (none)")
                if err.strip():
                    print("  stderr:\n" + indent(err))
            else:
                print("ok   %s (%s, %.2f s)" % (b.where, b.lang, elapsed))
                if args.verbose and (out.strip() or err.strip()):
                    print(indent(out + err), end="")
            for path in left:
                print("FAIL %s (%s): left %s behind (an example must unlink what it creates)"
                      % (b.where, b.lang, path))
                if b not in failed:
                    failed.append(b)

    # 4. Anything that appeared during a block and is still there was left behind.
    deadline = time.monotonic() + GRACE_SECONDS
    while leak_candidates and time.monotonic() < deadline:
        leak_candidates = {p: b for p, b in leak_candidates.items() if os.path.exists(p)}
        if leak_candidates:
            time.sleep(0.1)
    leak_candidates = {p: b for p, b in leak_candidates.items() if os.path.exists(p)}
    for path, b in sorted(leak_candidates.items()):
        print("FAIL %s (%s): left %s behind (an example must unlink what it creates)"
              % (b.where, b.lang, path))
        if b not in failed:
            failed.append(b)

    total = sum(ran.values())
    counts = ", ".join("%s %d" % (lang, ran[lang]) for lang in LANGUAGES)
    skip_total = sum(skipped.values())
    skip_note = "; %d skipped (no-run: %s)" % (
        skip_total, ", ".join("%s %d" % (l, skipped[l]) for l in LANGUAGES)) if skip_total else ""
    seconds = time.monotonic() - started
    if failed or problems:
        print("docs: %d of %d examples failed, %d structure problems (%s)%s in %.1f s"
              % (len(failed), total, len(problems), counts, skip_note, seconds))
        return 1
    print("docs: %d examples passed (%s)%s in %.1f s" % (total, counts, skip_note, seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
