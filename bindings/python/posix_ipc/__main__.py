"""python3 -m posix_ipc (or posix-ipc): list POSIX IPC objects and remove them by name (Linux).

    posix-ipc list [--type T] [--json]
    posix-ipc remove [--type T] [--force] NAME...
    posix-ipc --version

Linux keeps semaphores and segments as files in /dev/shm (semaphores as
"sem.<name>") and queues in /dev/mqueue when that file system is mounted.

Names are untrusted (anyone may create one): the table escapes every
character that is not printable, as `ls -b` does (\\n, \\t, \\ooo for other
bytes, "\\ " for a space, \\\\ for a backslash), so no terminal escape sequence
reaches the terminal and a name cannot forge a row. --json writes the names
unescaped inside JSON strings (bytes that are not UTF-8 as \\udcXX, Python's
os.fsdecode).

A semaphore "/x" and a segment "/sem.x" are the same file, /dev/shm/sem.x:
the kernel records no type. A file there is listed as the semaphore "/x"
when it is what sem_open() makes (glibc: exactly 4 machine words, the flag
word FUTEX_SHARED, the rest zero, a value within SEM_VALUE_MAX), and as the
segment "/sem.x" otherwise; a file this user may not read is judged by its
size alone.
"""

import argparse
import json
import os
import pwd
import stat
import struct
import sys

import posix_ipc

SHM_DIR = "/dev/shm"
MQUEUE_DIR = "/dev/mqueue"
TYPES = ("semaphore", "shared_memory", "message_queue")
UNLINK = {"semaphore": posix_ipc.unlink_semaphore,
          "shared_memory": posix_ipc.unlink_shared_memory,
          # none where the platform has no message queues (macOS), as upstream
          "message_queue": getattr(posix_ipc, "unlink_message_queue", None)}

# glibc's sem_t is 4 longs; sem_open() writes {value (+ waiters), FUTEX_SHARED,
# padding} and zeroes the rest.
SEM_T_SIZE = 4 * struct.calcsize("l")
FUTEX_SHARED = 128

# `ls -b` escapes: these as C escapes, other unprintable bytes as \ooo.
_C_ESCAPES = {"\\": "\\\\", " ": "\\ ", "\a": "\\a", "\b": "\\b", "\f": "\\f",
              "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def escape(text, encoding=None):
    """text with every character that is not printable (or not encodable in
    `encoding`, default stdout's) escaped as `ls -b` does, byte by byte."""
    encoding = encoding or getattr(sys.stdout, "encoding", None) or "utf-8"
    out = []
    for char in text:
        if char in _C_ESCAPES:
            out.append(_C_ESCAPES[char])
            continue
        if char.isprintable():  # False for controls, C1 (CSI), bidi overrides, surrogates
            try:
                char.encode(encoding)
                out.append(char)
                continue
            except UnicodeEncodeError:
                pass
        out.extend("\\%03o" % byte for byte in char.encode("utf-8", "surrogateescape"))
    return "".join(out)


def _owner(uid):
    """The user name of uid, or the number as a string when it has none."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _queue_size(path):
    """The number of bytes waiting in a queue, from its /dev/mqueue file (None if unreadable)."""
    # The file's contents are one line such as
    # "QSIZE:0          NOTIFY:0     SIGNO:0     NOTIFY_PID:0".
    try:
        with open(path) as status:
            for field in status.read().split():
                key, _, value = field.partition(":")
                if key == "QSIZE":
                    return int(value)
    except (OSError, ValueError):
        pass
    return None


def _entries(directory):
    """The sorted file names in directory ([] if it does not exist)."""
    try:
        return sorted(os.listdir(directory))
    except FileNotFoundError:
        return []


def is_semaphore_file(path, st):
    """Whether the /dev/shm file `path` (a "sem." name, stat `st`) is a
    semaphore as sem_open() makes it (see the module docstring)."""
    if st.st_size != SEM_T_SIZE:
        return False
    try:
        # O_NONBLOCK: never hang on a FIFO someone put in the place of a file.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return True  # not ours to read: the size is all there is to go by
    try:
        content = os.read(fd, SEM_T_SIZE)
    except OSError:
        return True
    finally:
        os.close(fd)
    if len(content) != SEM_T_SIZE or SEM_T_SIZE != 32:
        return len(content) == SEM_T_SIZE  # another word size: the size alone
    data, private = struct.unpack_from("=Qi", content)
    return (private == FUTEX_SHARED and not any(content[16:])
            and (data & 0xFFFFFFFF) <= posix_ipc.SEMAPHORE_VALUE_MAX)


def objects(warn=True):
    """Yields (type, name, size, mode, uid) for every IPC object visible here.

    type is "semaphore", "shared_memory" or "message_queue"; size is an int
    (None for semaphores, bytes waiting for queues, None if unreadable).
    With warn, says on stderr when /dev/mqueue is not mounted (then no queues
    are listed).
    """
    for entry in _entries(SHM_DIR):
        path = os.path.join(SHM_DIR, entry)
        try:
            st = os.lstat(path)
        except FileNotFoundError:  # removed while we looked
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        if entry.startswith("sem.") and is_semaphore_file(path, st):
            yield ("semaphore", "/" + entry[4:], None, st.st_mode, st.st_uid)
        else:
            yield ("shared_memory", "/" + entry, st.st_size, st.st_mode, st.st_uid)
    if UNLINK["message_queue"] is None:  # no message queues here
        return
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
    """The "list" command: prints the objects (of args.type, if given) as a
    table or, with args.json, as a JSON array; returns 0."""
    found = [obj for obj in objects() if args.type in (None, obj[0])]
    if args.json:
        json.dump([{"type": kind, "name": name, "size": size, "mode": stat.S_IMODE(mode),
                    "uid": uid, "owner": _owner(uid)}
                   for kind, name, size, mode, uid in found], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    rows = [(kind, escape(name), "-" if size is None else str(size),
             "%04o" % stat.S_IMODE(mode), escape(_owner(uid)))
            for kind, name, size, mode, uid in found]
    header = ("TYPE", "NAME", "SIZE", "MODE", "OWNER")
    widths = [max(len(row[i]) for row in rows + [header]) for i in range(len(header))]
    for row in [header] + rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def do_remove(args):
    """The "remove" command: unlinks each of args.names (of args.type, or the type
    found in the listing); returns 0, or 1 if any was missing (unless
    args.force), ambiguous or not permitted."""
    listing = None
    status = 0

    def fail(message, name):
        nonlocal status
        print("posix_ipc: %s: %s" % (message, escape(name, "ascii")), file=sys.stderr)
        status = 1

    for name in args.names:
        name = "/" + name.lstrip("/")
        kind = args.type
        if kind is None:
            if listing is None:
                listing = list(objects(warn=False))
            kinds = sorted({k for k, n, *_ in listing if n == name})
            if len(kinds) > 1:
                fail("ambiguous (%s); use --type" % ", ".join(kinds), name)
                continue
            if not kinds:
                if not args.force:
                    fail("no such object", name)
                continue
            kind = kinds[0]
        try:
            UNLINK[kind](name)
        except posix_ipc.ExistentialError:
            if not args.force:
                fail("no such object", name)
        except posix_ipc.PermissionsError:
            fail("permission denied", name)
        except ValueError as error:  # e.g. a name too long to be one
            fail(str(error), name)
    return status


def _program_name():
    """How the user ran us: "python3 -m posix_ipc" or the console script's name."""
    argv0 = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if argv0 in ("", "__main__.py", "-c"):
        return "python3 -m posix_ipc"
    return argv0


def main(argv=None):
    """Runs the command line argv (default: sys.argv[1:]); returns the exit status."""
    parser = argparse.ArgumentParser(prog=_program_name(),
                                     description="List and remove POSIX IPC objects (Linux).")
    parser.add_argument("--version", action="version", version="posix_ipc " + posix_ipc.VERSION)
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="list semaphores, shared memory and message queues")
    listing.add_argument("--type", choices=TYPES, help="show only this type")
    listing.add_argument("--json", action="store_true",
                         help="print a JSON array of {type, name, size, mode, uid, owner}")
    listing.set_defaults(run=do_list)
    remove = commands.add_parser("remove", help="unlink objects by name")
    remove.add_argument("--type", choices=TYPES,
                        help="the objects' type (default: found from the listing)")
    remove.add_argument("-f", "--force", action="store_true",
                        help="ignore names that do not exist (as rm -f)")
    remove.add_argument("names", metavar="NAME", nargs="+", help="object name, e.g. /my_sem")
    remove.set_defaults(run=do_remove)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
