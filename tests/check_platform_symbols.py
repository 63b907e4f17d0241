"""Checks that the build calls nothing its platform lacks: for each feature
the probes found missing (or a simulated lane forced off), none of its C
functions is referenced by the core library or by any language module.

    python3 tests/check_platform_symbols.py BUILD_DIR MISSING_FEATURES

MISSING_FEATURES is the comma-separated list of POSIX_IPC_HAVE_<X> that are 0
(cmake/PosixIpcPlatform.cmake). In the simulated macOS lane this is what shows
the build would link there: no mq_*, sem_timedwait, sem_getvalue, eventfd, ...
"""
import glob
import os
import subprocess
import sys

SYMBOLS = {
    "MQUEUE": ["mq_open", "mq_close", "mq_unlink", "mq_getattr", "mq_setattr", "mq_send", "mq_receive",
               "mq_timedsend", "mq_timedreceive", "mq_notify"],
    "MQ_GETFD_NP": ["mq_getfd_np"],
    "SEM_CLOCKWAIT": ["sem_clockwait"],
    "SEM_CLOCKWAIT_NP": ["sem_clockwait_np"],
    "SEM_TIMEDWAIT": ["sem_timedwait"],
    "SEM_GETVALUE": ["sem_getvalue"],
    "EVENTFD": ["eventfd"],
    "PPOLL": ["ppoll"],
    "PIPE2": ["pipe2"],
    "GETRANDOM": ["getrandom"],
    "PROCESS_VM_WRITEV": ["process_vm_writev"],
}


def undefined(path):
    """The undefined symbols of a static library or shared object, without versions."""
    listing = subprocess.run(["nm", "--undefined-only", path], capture_output=True, text=True, check=True).stdout
    return {line.split()[-1].split("@")[0] for line in listing.splitlines() if line.strip() and " U " in " " + line}


def main(build_dir, missing):
    forbidden = {symbol: feature for feature in missing for symbol in SYMBOLS.get(feature, [])}
    binaries = sorted(glob.glob(os.path.join(build_dir, "core", "libposix_ipc_core.a")) +
                      glob.glob(os.path.join(build_dir, "python", "posix_ipc", "*.so")) +
                      glob.glob(os.path.join(build_dir, "lua*", "posix_ipc", "*.so")) +
                      glob.glob(os.path.join(build_dir, "tcl*", "*.so")))
    if not binaries:
        print("no library or module found under %s" % build_dir)
        return 1
    problems = []
    for binary in binaries:
        for symbol in sorted(undefined(binary) & set(forbidden)):
            problems.append("%s calls %s, which this platform lacks (%s)" % (
                os.path.relpath(binary, build_dir), symbol, forbidden[symbol]))
    for problem in problems:
        print(problem)
    print("%d binaries checked against %d functions of %d missing features (%s): %d problem(s)" % (
        len(binaries), len(forbidden), len(missing), ",".join(missing) or "none", len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], [f for f in sys.argv[2].split(",") if f]))
