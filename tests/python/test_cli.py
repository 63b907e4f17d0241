"""The command-line tool: python3 -m posix_ipc list / remove (posix-ipc in a wheel)."""

import json
import os
import re
import subprocess
import sys

import pwd

import pytest

import posix_ipc

from conftest import PREFIX, _child_env, mq_exists, needs, sem_exists, shm_exists

MQUEUE_MOUNTED = os.path.ismount("/dev/mqueue")
needs_mqueue = pytest.mark.skipif(not MQUEUE_MOUNTED, reason="/dev/mqueue is not mounted")


def cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "posix_ipc", *args], env=env or _child_env(),
                          capture_output=True, text=True, timeout=30)


def rows(output):
    """The listing as {name: (type, size, mode)}, header skipped. Columns are
    separated by runs of spaces; an escaped space in a name is "\\ "."""
    table = {}
    for line in output.splitlines()[1:]:
        kind, name, size, mode, _owner = re.split(r"(?<!\\) +", line)
        table[name] = (kind, size, mode)
    return table


@pytest.mark.case("py.cli.help")
def test_help():
    result = cli("--help")
    assert result.returncode == 0
    assert "list" in result.stdout and "remove" in result.stdout


@pytest.mark.case("py.cli.list")
def test_list_shows_each_type(sem, shm, mq):
    s = sem(mode=0o600)
    m = shm(size=8192, mode=0o600)
    q = mq() if MQUEUE_MOUNTED else None
    if q is not None:
        q.send(b"hello")
    result = cli("list")
    assert result.returncode == 0, result.stderr
    table = rows(result.stdout)
    assert table[s.name] == ("semaphore", "-", "0600")
    assert table[m.name] == ("shared_memory", "8192", "0600")
    if q is not None:
        assert table[q.name][0:2] == ("message_queue", "5")
    else:
        assert "message queues: /dev/mqueue is not mounted" in result.stderr


@pytest.mark.case("py.cli.list.type")
def test_list_type_filter(sem, shm):
    s, m = sem(), shm(size=4096)
    result = cli("list", "--type", "semaphore")
    assert result.returncode == 0, result.stderr
    table = rows(result.stdout)
    assert s.name in table and m.name not in table
    assert {kind for kind, _, _ in table.values()} == {"semaphore"}


@pytest.mark.case("py.cli.remove")
def test_remove_each_type(sem, shm, mq):
    s, m = sem(), shm(size=4096)
    result = cli("remove", s.name, m.name)
    assert result.returncode == 0, result.stderr
    assert not sem_exists(s.name) and not shm_exists(m.name)
    if MQUEUE_MOUNTED:
        q = mq()
        result = cli("remove", q.name)
        assert result.returncode == 0, result.stderr
        assert not mq_exists(q.name)


@needs_mqueue
@pytest.mark.case("py.cli.remove.type")
def test_remove_with_type(mq):
    q = mq()
    result = cli("remove", "--type", "message_queue", q.name)
    assert result.returncode == 0, result.stderr
    assert not mq_exists(q.name)


@pytest.mark.case("py.cli.remove.ambiguous")
def test_remove_ambiguous_needs_type(names, sem, shm):
    name = names()
    sem(name), shm(name, size=4096)
    result = cli("remove", name)
    assert result.returncode == 1
    assert "--type" in result.stderr
    assert sem_exists(name) and shm_exists(name)
    result = cli("remove", "--type", "semaphore", name)
    assert result.returncode == 0, result.stderr
    assert not sem_exists(name) and shm_exists(name)


@pytest.mark.case("py.cli.remove.missing")
def test_remove_missing(names):
    name = names()
    for args in ([name], ["--type", "shared_memory", name]):
        result = cli("remove", *args)
        assert result.returncode == 1
        assert result.stderr == "posix_ipc: no such object: %s\n" % name


@pytest.mark.case("py.cli.version")
def test_version():
    result = cli("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "posix_ipc %s\n" % posix_ipc.VERSION


@pytest.mark.case("py.cli.list.json")
def test_list_json(sem, shm, mq):
    s = sem(mode=0o600)
    m = shm(size=8192, mode=0o640)
    q = mq() if MQUEUE_MOUNTED else None
    if q is not None:
        q.send(b"hello")
    result = cli("list", "--json")
    assert result.returncode == 0, result.stderr
    listed = {entry["name"]: entry for entry in json.loads(result.stdout)}
    owner = pwd.getpwuid(os.getuid()).pw_name
    assert listed[s.name] == {"type": "semaphore", "name": s.name, "size": None,
                              "mode": 0o600, "uid": os.getuid(), "owner": owner}
    assert listed[m.name] == {"type": "shared_memory", "name": m.name, "size": 8192,
                              "mode": 0o640, "uid": os.getuid(), "owner": owner}
    if q is not None:
        assert listed[q.name]["type"] == "message_queue" and listed[q.name]["size"] == 5
    result = cli("list", "--json", "--type", "shared_memory")
    assert {entry["type"] for entry in json.loads(result.stdout)} == {"shared_memory"}


@pytest.mark.case("py.cli.remove.force")
@needs("MESSAGE_QUEUES_SUPPORTED")  # its --type message_queue
def test_remove_force_ignores_missing(names, sem):
    s = sem()
    missing = names()
    result = cli("remove", "--force", missing, s.name)
    assert (result.returncode, result.stderr) == (0, "")
    assert not sem_exists(s.name)
    for args in (["-f", missing], ["--force", "--type", "shared_memory", missing],
                 ["--force", "--type", "message_queue", missing]):
        result = cli("remove", *args)
        assert (result.returncode, result.stderr) == (0, ""), args


# Names anyone can create: a terminal escape sequence (ESC and the one-byte
# C1 CSI), a newline that would start a forged row, a bidi override, a space,
# a backslash, a tab, and a byte that is not UTF-8.
HOSTILE_SUFFIXES = [
    ("\x1b]0;pwned\x07\x1b[31m", "\\033]0;pwned\\a\\033[31m"),
    ("\nsemaphore  FORGED  -  0600  root", "\\nsemaphore\\ \\ FORGED\\ \\ -\\ \\ 0600\\ \\ root"),
    ("\u009b2J\u202e", "\\302\\2332J\\342\\200\\256"),
    ("a b\\c\td", "a\\ b\\\\c\\td"),
]


@pytest.mark.case("py.cli.list.escapes")
def test_list_escapes_untrusted_names(names, shm, sem):
    made = []
    for suffix, escaped in HOSTILE_SUFFIXES:
        name = names(suffix)
        shm(name, size=4096)
        made.append((name, escaped))
    s = sem(names("\x1b[2J"))
    # A name that is not UTF-8: made and removed here, by its bytes.
    raw_bytes = os.fsencode(names()) + b"\xff"
    raw = os.fsdecode(raw_bytes)
    posix_ipc.SharedMemory(raw_bytes, posix_ipc.O_CREX, size=4096).close_fd()
    try:
        for encoding in ("utf-8", "ascii"):
            result = cli("list", env=dict(_child_env(), PYTHONIOENCODING=encoding))
            assert result.returncode == 0, result.stderr
            out = result.stdout
            assert not any(ord(c) < 0x20 and c != "\n" or 0x7f <= ord(c) <= 0x9f for c in out), repr(out)
            assert "\u202e" not in out
            table = rows(out)
            # One line per object of ours (other processes' objects come and go).
            ours = [line for line in out.splitlines() if PREFIX in line]
            assert len(ours) == len(made) + 2, ours
            assert "FORGED" not in table
            for (name, escaped), (suffix, _) in zip(made, HOSTILE_SUFFIXES):
                listed_name = name[:-len(suffix)] + escaped
                assert table.get(listed_name) == ("shared_memory", "4096", "0600"), (listed_name, sorted(table))
            assert table[s.name.replace("\x1b", "\\033")][0] == "semaphore"
            assert table[raw[:-1] + "\\377"][0] == "shared_memory"
        # JSON keeps the names themselves (the undecodable byte as os.fsdecode gives it).
        result = cli("list", "--json")
        names_in_json = {entry["name"] for entry in json.loads(result.stdout)}
        assert {name for name, _ in made} | {s.name, raw} <= names_in_json
    finally:
        posix_ipc.unlink_shared_memory(raw_bytes)


@pytest.mark.case("py.cli.list.sem_prefixed_shm")
def test_sem_prefixed_shared_memory_is_not_a_semaphore(names, sem, shm):
    """A segment "/sem.x" is the file /dev/shm/sem.x, where a semaphore "/x" would
    live: only a file with a semaphore's exact size and layout is a semaphore."""
    big = shm("/sem." + names().lstrip("/"), size=4096)
    word_sized = shm("/sem." + names().lstrip("/"), size=32)
    word_sized.write(b"x" * 32)
    zeroed = shm("/sem." + names().lstrip("/"), size=32)   # value 0 but no FUTEX_SHARED word
    real = sem(initial_value=3)
    result = cli("list")
    assert result.returncode == 0, result.stderr
    table = rows(result.stdout)
    for segment in (big, word_sized, zeroed):
        assert table[segment.name][0:2] == ("shared_memory", str(segment.size)), segment.name
        assert "/" + segment.name[len("/sem."):] not in table
    assert table[real.name][0:2] == ("semaphore", "-")
    assert "/sem." + real.name.lstrip("/") not in table
    # remove finds the type from the listing.
    result = cli("remove", big.name, real.name)
    assert result.returncode == 0, result.stderr
    assert not shm_exists(big.name) and not sem_exists(real.name)
