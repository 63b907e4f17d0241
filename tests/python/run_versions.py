"""The Python suite under every Python 3 interpreter found on this machine.

usage: python3 run_versions.py SOURCE_DIR BUILD_ROOT [--skip PYTHON]...

Looks for pyenv's interpreters (~/.pyenv/versions/*/bin/python3, or under
$PYENV_ROOT) and Debian's (/usr/bin/python3.N). For each one of the supported
versions (3.9 to 3.13) that has its C headers, builds the module in its own
build tree (BUILD_ROOT/<version>: Python only, Release) and runs tests/python
with pytest. Interpreters without pytest borrow Debian's
(/usr/lib/python3/dist-packages, appended to PYTHONPATH). Every interpreter
not run is named with the reason. Exits 0 if every suite run passed, 1 if
one failed, 77 (ctest: skipped) if no interpreter could be run at all.
--skip names an interpreter already tested elsewhere (the main build's).
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import time

SUPPORTED = [(3, minor) for minor in range(9, 14)]
DEBIAN_SITE = "/usr/lib/python3/dist-packages"


def candidates():
    """Interpreter paths, de-duplicated by their real path, in a stable order."""
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    found = sorted(glob.glob(os.path.join(pyenv_root, "versions", "*", "bin", "python3")))
    found += sorted(path for path in glob.glob("/usr/bin/python3.*")
                    if os.path.basename(path)[len("python3."):].isdigit())
    seen, result = set(), []
    for path in found:
        real = os.path.realpath(path)
        if os.access(path, os.X_OK) and real not in seen:
            seen.add(real)
            result.append(path)
    return result


def describe(python):
    """(version tuple, full version, has headers, has pytest) of an interpreter, or None."""
    probe = ("import sys, sysconfig, os, importlib.util as u;"
             "h = sysconfig.get_paths()['include'];"
             "print(sys.version_info[0], sys.version_info[1], sys.version.split()[0],"
             " int(os.path.isfile(os.path.join(h, 'Python.h'))), int(u.find_spec('pytest') is not None))")
    try:
        out = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=60,
                             env=dict(os.environ, PYTHONPATH="")).stdout.split()
        major, minor, full, headers, pytest = out
        return (int(major), int(minor)), full, headers == "1", pytest == "1"
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def run(command, log, **kwargs):
    with open(log, "a") as out:
        out.write("$ %s\n" % " ".join(command))
        out.flush()
        return subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, **kwargs).returncode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("build_root")
    parser.add_argument("--skip", action="append", default=[])
    args = parser.parse_args()
    skip = {os.path.realpath(path) for path in args.skip}
    tests = os.path.join(args.source, "tests", "python")
    os.makedirs(args.build_root, exist_ok=True)
    cmake = shutil.which("cmake") or "cmake"
    jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")

    ran, failed = [], []
    for python in candidates():
        if os.path.realpath(python) in skip:
            print("skip %s: already tested by the main build's suite" % python)
            continue
        info = describe(python)
        if info is None:
            print("skip %s: does not run" % python)
            continue
        version, full, headers, has_pytest = info
        if version not in SUPPORTED:
            print("skip %s (Python %s): not a supported version (3.9 to 3.13)" % (python, full))
            continue
        if not headers:
            print("skip %s (Python %s): no C headers (Python.h) to build against" % (python, full))
            continue
        if not has_pytest and not os.path.isdir(os.path.join(DEBIAN_SITE, "_pytest")):
            print("skip %s (Python %s): no pytest, and none in %s to borrow" % (python, full, DEBIAN_SITE))
            continue
        started = time.monotonic()
        tag = "%s-%s" % (full, os.path.realpath(python).replace("/", "_").strip("_"))
        build = os.path.join(args.build_root, tag)
        log = os.path.join(args.build_root, tag + ".log")
        open(log, "w").close()
        configure = [cmake, "-S", args.source, "-B", build, "-DCMAKE_BUILD_TYPE=Release",
                     "-DPOSIX_IPC_LUA=OFF", "-DPOSIX_IPC_TCL=OFF", "-DPOSIX_IPC_TESTS=OFF",
                     "-DPython3_EXECUTABLE=" + python]
        if run(configure, log) != 0 or run([cmake, "--build", build, "--target", "posix_ipc_python_package",
                                            "--parallel", jobs], log) != 0:
            failed.append(python)
            print("FAIL %s (Python %s): the build failed; see %s" % (python, full, log))
            sys.stdout.write(open(log).read()[-3000:])
            continue
        # tests/pytest_suite_check.py, as the main suite: the run fails unless
        # every test in the source ran (a skip states its reason, -rs).
        suite_check = os.path.join(args.source, "tests")
        path = [os.path.join(build, "python"), suite_check] + ([] if has_pytest else [DEBIAN_SITE])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(path), PYTHONDONTWRITEBYTECODE="1")
        env.pop("PYTHONHOME", None)
        env.pop("POSIX_IPC_RESULTS", None)  # parity reads the main suite's results only
        rc = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "pytest_suite_check", "-rs",
                  tests], log, cwd=tests, env=env)
        summary = [line for line in open(log).read().splitlines() if " passed" in line or " failed" in line]
        seconds = time.monotonic() - started
        ran.append(python)
        if rc == 0:
            print("ok   %s (Python %s): %s (%.0f s)" % (python, full, summary[-1] if summary else "", seconds))
        else:
            failed.append(python)
            print("FAIL %s (Python %s): pytest exit %d (%.0f s); see %s" % (python, full, rc, seconds, log))
            sys.stdout.write(open(log).read()[-6000:])
    if failed:
        return 1
    if not ran:
        print("skipped: no supported Python 3 interpreter with headers and pytest was found")
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
