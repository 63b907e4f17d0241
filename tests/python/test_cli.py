"""The command-line tool: python3 -m posix_ipc list / remove."""

import os
import subprocess
import sys

import pytest

from conftest import _child_env, mq_exists, sem_exists, shm_exists

MQUEUE_MOUNTED = os.path.ismount("/dev/mqueue")
needs_mqueue = pytest.mark.skipif(not MQUEUE_MOUNTED, reason="/dev/mqueue is not mounted")


def cli(*args):
    return subprocess.run([sys.executable, "-m", "posix_ipc", *args], env=_child_env(),
                          capture_output=True, text=True, timeout=30)


def rows(output):
    """The listing as {name: (type, size, mode)}, header skipped."""
    table = {}
    for line in output.splitlines()[1:]:
        kind, name, size, mode, _owner = line.split()
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
