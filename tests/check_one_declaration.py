"""Fails when a hand-written second list of the API comes back.

Each API element (class, attribute, constant, error class, parameter) is
declared once: the constants in core/src/constants.cpp (module_constants),
the error classes in core/src/error.cpp (the tree), the attributes by
POSIX_IPC_ATTRIBUTE in swig/posix_ipc.i, the constructors and methods with
their parameters and defaults in the class headers' declarations marked
POSIX_IPC_API (which SWIG wraps, and core/make_signatures.py turns into the
run-time table in the build tree).
This check reads those declarations and the hand-written code files (core/,
swig/, bindings/) and reports:

1. a code file, other than the declaration, that names several elements of
   one kind: a list of them written again by hand (the allowed exceptions
   are named below, with the reason);
2. an API word that appears in more hand-written code files than its
   recorded ceiling (the words of issue 11; lower a ceiling when a change
   brings a count down, never raise it without removing a list elsewhere);
3. a binding that reaches into SWIG's private runtime (its userdata and
   command tables, its Python object fields and type dicts) instead of what
   SWIG generates or its runtime calls (SWIG_ConvertPtr);
4. a link or path that leaves the repository (../shared, /work/...);
5. a table of parameters written by hand again (the run-time one is
   generated), a constructor or method whose heading in
   docs/python-reference.md (the source of Python's docstrings and text
   signatures) names other parameters than its POSIX_IPC_API declaration,
   a declaration that spells a default out instead of naming it from
   posix_ipc::defaults, or a swig/posix_ipc.i that declares the classes
   again instead of %including the core's headers.

usage: python3 tests/check_one_declaration.py [SOURCE_DIR]
"""
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "core"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import make_signatures  # noqa: E402  (the reader of the POSIX_IPC_API declarations)
CODE = re.compile(r"\.(hpp|cpp|h|i|lua|py|pyi|tcl|in)$")

# More names of one kind than this in one file is a list.
LIST_THRESHOLD = 3

# Files allowed to name many elements of a kind, and why.
ALLOWED = {
    "constants": {
        "core/src/constants.cpp": "the declaration (module_constants)",
        "core/include/posix_ipc/constants.hpp": "the core's C++ names of the flags and limits",
        "core/src/message_queue.cpp": "uses the flags and limits it implements",
        "core/src/shared_memory.cpp": "uses the flags it implements",
        "core/src/semaphore.cpp": "uses the flags it implements",
        "core/src/error.cpp": "error texts that name the limits",
    },
    "errors": {
        "core/src/error.cpp": "the declaration (the error table and tree)",
        "core/include/posix_ipc/error.hpp": "the ErrorKind enumeration the table is keyed by",
    },
    "parameters": {
        "core/include/posix_ipc/semaphore.hpp": "the declaration (POSIX_IPC_API)",
        "core/include/posix_ipc/shared_memory.hpp": "the declaration (POSIX_IPC_API)",
        "core/include/posix_ipc/message_queue.hpp": "the declaration (POSIX_IPC_API)",
    },
    "attributes": {
        "swig/posix_ipc.i": "the declaration (POSIX_IPC_ATTRIBUTE)",
        "core/include/posix_ipc/message_queue.hpp": "the C++ getters the declaration reads",
        "core/src/message_queue.cpp": "the C++ getters the declaration reads",
    },
}

# SWIG's private runtime, and the files still allowed to use it, with why.
# (tp_dict, not SWIG's public %feature("python:tp_dictoffset").)
SWIG_PRIVATE = re.compile(r"debug\.getregistry\(\)\.SWIG|swig_lua_userdata|swig_commands|SwigPyObject|"
                          r"SwigPyClientData|tp_dict\b|->clientdata")
SWIG_PRIVATE_ALLOWED = {
    "bindings/python/builtin_types.hpp": "SWIG 4.1 has no %feature for what it does: the types' upstream names, "
                                         "and SWIG's this/thisown/disown/own/acquire taken out of the type dicts",
}

# The number of hand-written code files each word may appear in. Issue 11
# measured up to 12 before the declarations were made single.
WORD_CEILINGS = {
    "max_message_size": 4,
    "current_messages": 4,
    "request_notification": 3,
    "QUEUE_PRIORITY_MAX": 4,
    "ExistentialError": 4,
    "SEMAPHORE_VALUE_MAX": 5,
    "O_CREX": 2,
}


def tracked_files():
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if listed.returncode == 0 and listed.stdout.strip():
        return sorted(set(listed.stdout.split()))  # once each, also during a merge
    found = []  # not a git checkout (e.g. a source copy): walk it
    for base, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not d.startswith("build")]
        found += [os.path.relpath(os.path.join(base, f), ROOT) for f in files]
    return found


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8", errors="replace") as f:
        return f.read()


def declared(table):
    constants = re.findall(r'\{"([A-Z_]+)", T::', read("core/src/constants.cpp"))
    errors = re.findall(r'case ErrorKind::(\w+): return "\1";', read("core/src/error.cpp"))
    attributes = re.findall(r"^POSIX_IPC_(?:BOOLEAN_)?ATTRIBUTE\(\w+, (?:[\w* ]+, )?(\w+),", read("swig/posix_ipc.i"), re.M)
    # Names too common to mark a list (name, mode, value, fd, size, block, Error).
    attributes = sorted(set(attributes) - {"name", "mode", "value", "fd", "size", "block"})
    errors = [e for e in errors if e.endswith("Error") and e not in ("Error",)]
    specific = [e for e in errors if e in ("SignalError", "PermissionsError", "ExistentialError", "BusyError")]
    parameters = [p[0] for calls in table.values() for _, call_parameters in calls for p in call_parameters]
    # Names too common to mark a list.
    parameters = sorted(set(parameters) - {"name", "flags", "mode", "size", "read", "write", "data", "message", "offset",
                                         "timeout", "priority", "notification"})
    return {"constants": constants, "errors": specific, "attributes": attributes, "parameters": parameters}


def signature_problems(code, table):
    """The run-time table is generated from the core's POSIX_IPC_API
    declarations (which swig/posix_ipc.i %includes): none written again by
    hand, each default named from posix_ipc::defaults (or the system's queue
    limits), never a literal, and the Python reference's headings with the
    same parameters in the same order."""
    problems = []
    if sum(len(calls) for calls in table.values()) < 15:
        problems.append("could not read the POSIX_IPC_API declarations (found %r)" % table)
    for path in code:
        if re.search(r"\bParameter\s+\w+\[\]\s*=|\{\"\w+\", (?:T|ParameterType)::\w+, (?:true|false)\b", read(path)):
            problems.append("%s writes a table of parameters by hand: core/make_signatures.py generates it from "
                            "the POSIX_IPC_API declarations" % path)
    # SWIG reads the classes from the core's headers (their one C++
    # declaration), not from a copy in swig/posix_ipc.i.
    interface = read("swig/posix_ipc.i")
    for _, header in make_signatures.CLASSES:
        if not re.search(r'^%%include "posix_ipc/%s\.hpp"' % header, interface, re.M):
            problems.append('swig/posix_ipc.i does not %%include "posix_ipc/%s.hpp": SWIG must read the core\'s '
                            "declarations, not a copy" % header)
    if re.search(r"^\s*class (Semaphore|SharedMemory|MessageQueue)\s*\{", interface, re.M):
        problems.append("swig/posix_ipc.i declares a class again: the core's header is its declaration")
    # Python's docstrings and text signatures (docs/python-reference.md):
    # every declared call has its heading there, with the same parameters.
    headings = {}
    for m in re.finditer(r"^### (?:(\w+)\.)?(\w+)\((.*?)\)(?: -> .+)?$", read("docs/python-reference.md"), re.M):
        names = [p.split("=")[0].strip() for p in m.group(3).split(",") if p.strip() not in ("", "/")]
        headings[(m.group(1), m.group(2))] = names
    declared_calls = {(None, c) if call == c else (c, call) for c, calls in table.items() for call, _ in calls}
    for key in headings:
        if key[0] in table and not key[1].startswith("__") and key not in declared_calls:
            problems.append("docs/python-reference.md has a heading for %s, which no POSIX_IPC_API declaration has"
                            % ".".join(key))
    for class_name, calls in table.items():
        for call, parameters in calls:
            expected = [p[0] for p in parameters]
            key = (None, class_name) if call == class_name else (class_name, call)
            if key not in headings:
                problems.append("docs/python-reference.md has no heading for %s" % ".".join(filter(None, key)))
            elif headings[key] != expected:
                problems.append("docs/python-reference.md: %s(%s); its POSIX_IPC_API declaration has (%s)"
                                % (".".join(filter(None, key)), ", ".join(headings[key]), ", ".join(expected)))
    return problems


def main():
    files = tracked_files()
    code = [f for f in files if f.split("/")[0] in ("core", "swig", "bindings") and CODE.search(f)]
    # The POSIX_IPC_API declarations, read once (and what the generator refuses in them).
    table, problems = make_signatures.read_table(os.path.join(ROOT, "core", "include"))
    kinds = declared(table)
    for kind, names in kinds.items():
        if len(names) < 4:
            problems.append("could not read the declaration of the %s (found %r)" % (kind, names))
    for path in code:
        text = read(path)
        for kind, names in kinds.items():
            named = [n for n in names if re.search(r"(?<!os\.)\b%s\b" % re.escape(n), text)]
            if len(named) > LIST_THRESHOLD and path not in ALLOWED[kind]:
                problems.append("%s names %d %s (%s): a second hand-written list; define them from the one "
                                "declaration instead" % (path, len(named), kind, ", ".join(named)))
    problems += signature_problems(code, table)
    for path in code:
        if path in SWIG_PRIVATE_ALLOWED:
            continue
        for number, line in enumerate(read(path).splitlines(), 1):
            if SWIG_PRIVATE.search(line):
                problems.append("%s:%d reaches into SWIG's private runtime: %s" % (path, number, line.strip()))
    counts = {}
    for word, ceiling in WORD_CEILINGS.items():
        having = [p for p in code if re.search(r"\b%s\b" % word, read(p))]
        counts[word] = len(having)
        if len(having) > ceiling:
            problems.append("%s appears in %d hand-written code files (ceiling %d): %s"
                            % (word, len(having), ceiling, " ".join(having)))
        elif len(having) < ceiling:
            print("note: %s now appears in %d files; lower its ceiling from %d" % (word, len(having), ceiling))
    outside = re.compile(r"\.\./shared|/work/(?:shared|main|i\d+)")
    for path in files:
        if path == "tests/check_one_declaration.py" or not re.search(
                r"\.(md|py|pyi|lua|tcl|i|hpp|cpp|txt|sh|cmake|rockspec|toml|in)$|CMakeLists|^\.ci/|^scripts/", path):
            continue
        for number, line in enumerate(read(path).splitlines(), 1):
            if outside.search(line):
                problems.append("%s:%d points outside the repository: %s" % (path, number, line.strip()))
    for p in problems:
        print("FAIL " + p)
    print("API words per hand-written code file: " + ", ".join("%s %d" % item for item in counts.items()))
    print("%d problem(s) in %d code files" % (len(problems), len(code)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
