"""python3 -m posix_ipc: list POSIX IPC objects and remove them by name (Linux).

    python3 -m posix_ipc list [--type T]
    python3 -m posix_ipc remove [--type T] NAME...

Linux keeps semaphores and segments as files in /dev/shm (semaphores as
"sem.<name>") and queues in /dev/mqueue when that file system is mounted.
"""

import argparse
import os
import pwd
import stat
import sys

import posix_ipc

SHM_DIR = "/dev/shm"
MQUEUE_DIR = "/dev/mqueue"
TYPES = ("semaphore", "shared_memory", "message_queue")
UNLINK = {"semaphore": posix_ipc.unlink_semaphore,
          "shared_memory": posix_ipc.unlink_shared_memory,
          "message_queue": posix_ipc.unlink_message_queue}


def _owner(uid):
    """The user name of uid, or the number as a string when it has none."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _queue_size(path):
    """The number of bytes waiting in a queue, from its /dev/mqueue file ("?" if unreadable)."""
    # The file's contents are one line such as
    # "QSIZE:0          NOTIFY:0     SIGNO:0     NOTIFY_PID:0".
    try:
        with open(path) as status:
            for field in status.read().split():
                key, _, value = field.partition(":")
                if key == "QSIZE":
                    return value
    except OSError:
        pass
    return "?"


def _entries(directory):
    """The sorted file names in directory ([] if it does not exist)."""
    try:
        return sorted(os.listdir(directory))
    except FileNotFoundError:
        return []


def objects(warn=True):
    """Yields (type, name, size, mode, uid) for every IPC object visible here.

    type is "semaphore", "shared_memory" or "message_queue"; size is a string
    ("-" for semaphores, bytes waiting for queues). With warn, says on stderr
    when /dev/mqueue is not mounted (then no queues are listed).
    """
    for entry in _entries(SHM_DIR):
        try:
            st = os.lstat(os.path.join(SHM_DIR, entry))
        except FileNotFoundError:  # removed while we looked
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        if entry.startswith("sem."):
            yield ("semaphore", "/" + entry[4:], "-", st.st_mode, st.st_uid)
        else:
            yield ("shared_memory", "/" + entry, str(st.st_size), st.st_mode, st.st_uid)
    if not os.path.ismount(MQUEUE_DIR):
        if warn:
            print("message queues: %s is not mounted" % MQUEUE_DIR, file=sys.stderr)
        return
    for entry in _entries(MQUEUE_DIR):
        path = os.path.join(MQUEUE_DIR, entry)
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            continue
        yield ("message_queue", "/" + entry, _queue_size(path), st.st_mode, st.st_uid)


def do_list(args):
    """The "list" command: prints a table of the objects (of args.type, if given); returns 0."""
    rows = [(kind, name, size, "%04o" % stat.S_IMODE(mode), _owner(uid))
            for kind, name, size, mode, uid in objects()
            if args.type in (None, kind)]
    header = ("TYPE", "NAME", "SIZE", "MODE", "OWNER")
    widths = [max(len(row[i]) for row in rows + [header]) for i in range(len(header))]
    for row in [header] + rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def do_remove(args):
    """The "remove" command: unlinks each of args.names (of args.type, or the type
    found in the listing); returns 0, or 1 if any was missing, ambiguous or not
    permitted."""
    listing = None
    status = 0
    for name in args.names:
        name = "/" + name.lstrip("/")
        kind = args.type
        if kind is None:
            if listing is None:
                listing = list(objects(warn=False))
            kinds = sorted({k for k, n, *_ in listing if n == name})
            if len(kinds) > 1:
                print("posix_ipc: %s is ambiguous (%s); use --type" % (name, ", ".join(kinds)),
                      file=sys.stderr)
                status = 1
                continue
            if not kinds:
                print("posix_ipc: no such object: %s" % name, file=sys.stderr)
                status = 1
                continue
            kind = kinds[0]
        try:
            UNLINK[kind](name)
        except posix_ipc.ExistentialError:
            print("posix_ipc: no such object: %s" % name, file=sys.stderr)
            status = 1
        except posix_ipc.PermissionsError:
            print("posix_ipc: permission denied: %s" % name, file=sys.stderr)
            status = 1
    return status


def main(argv=None):
    """Runs the command line argv (default: sys.argv[1:]); returns the exit status."""
    parser = argparse.ArgumentParser(prog="python3 -m posix_ipc",
                                     description="List and remove POSIX IPC objects (Linux).")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="list semaphores, shared memory and message queues")
    listing.add_argument("--type", choices=TYPES, help="show only this type")
    listing.set_defaults(run=do_list)
    remove = commands.add_parser("remove", help="unlink objects by name")
    remove.add_argument("--type", choices=TYPES,
                        help="the objects' type (default: found from the listing)")
    remove.add_argument("names", metavar="NAME", nargs="+", help="object name, e.g. /my_sem")
    remove.set_defaults(run=do_remove)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
