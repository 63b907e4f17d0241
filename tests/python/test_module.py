"""Module-level names: constants, version, error classes."""

import mmap
import os
import signal

import pytest

import posix_ipc


@pytest.mark.case("module.constants.flags")
def test_flag_constants_are_the_os_values():
    assert posix_ipc.O_CREAT == os.O_CREAT
    assert posix_ipc.O_EXCL == os.O_EXCL
    assert posix_ipc.O_TRUNC == os.O_TRUNC
    assert posix_ipc.O_RDONLY == os.O_RDONLY
    assert posix_ipc.O_WRONLY == os.O_WRONLY
    assert posix_ipc.O_RDWR == os.O_RDWR
    assert posix_ipc.O_NONBLOCK == os.O_NONBLOCK
    assert posix_ipc.O_CREX == os.O_CREAT | os.O_EXCL
    for name in ("O_CREAT", "O_EXCL", "O_CREX", "O_TRUNC", "O_RDONLY", "O_WRONLY", "O_RDWR", "O_NONBLOCK"):
        assert type(getattr(posix_ipc, name)) is int, name


def _proc_long(path, fallback):
    try:
        with open(path) as f:
            value = int(f.read().split()[0])
        return value if value > 0 else fallback
    except (OSError, ValueError, IndexError):
        return fallback


@pytest.mark.case("module.constants.limits")
def test_limit_constants():
    assert posix_ipc.PAGE_SIZE == mmap.PAGESIZE == os.sysconf("SC_PAGE_SIZE")
    assert posix_ipc.SEMAPHORE_VALUE_MAX == 2**31 - 1  # SEM_VALUE_MAX on Linux
    assert posix_ipc.QUEUE_PRIORITY_MAX == 32767
    assert posix_ipc.QUEUE_MESSAGES_MAX_DEFAULT == _proc_long("/proc/sys/fs/mqueue/msg_default", 10)
    assert posix_ipc.QUEUE_MESSAGE_SIZE_MAX_DEFAULT == min(
        _proc_long("/proc/sys/fs/mqueue/msgsize_default", 8192), 8192)
    assert posix_ipc.USER_SIGNAL_MIN == signal.SIGRTMIN
    assert posix_ipc.USER_SIGNAL_MAX == signal.SIGRTMAX
    for name in ("PAGE_SIZE", "SEMAPHORE_VALUE_MAX", "QUEUE_PRIORITY_MAX", "QUEUE_MESSAGES_MAX_DEFAULT",
                 "QUEUE_MESSAGE_SIZE_MAX_DEFAULT", "USER_SIGNAL_MIN", "USER_SIGNAL_MAX"):
        assert type(getattr(posix_ipc, name)) is int, name


@pytest.mark.case("module.version")
def test_version():
    assert posix_ipc.VERSION == "1.3.2"
    assert posix_ipc.__version__ == "1.3.2"
    for name in ("__author__", "__license__", "__copyright__"):
        value = getattr(posix_ipc, name)
        assert isinstance(value, str) and value, name


@pytest.mark.case("module.errors.classes")
def test_error_classes():
    assert issubclass(posix_ipc.Error, Exception)
    for name in ("SignalError", "PermissionsError", "ExistentialError", "BusyError"):
        cls = getattr(posix_ipc, name)
        assert issubclass(cls, posix_ipc.Error), name
        assert cls is not posix_ipc.Error
        assert cls.__name__ == name
        assert cls.__module__ == "posix_ipc"
    assert posix_ipc.Error.__name__ == "Error"
    assert posix_ipc.Error.__module__ == "posix_ipc"
    with pytest.raises(posix_ipc.Error):
        raise posix_ipc.BusyError("x")


@pytest.mark.case("py.module_names")
def test_module_exports_every_public_name():
    expected = """Semaphore SharedMemory MessageQueue unlink_semaphore unlink_shared_memory
        unlink_message_queue Error SignalError PermissionsError ExistentialError BusyError O_CREAT O_EXCL
        O_CREX O_TRUNC O_RDONLY O_WRONLY O_RDWR O_NONBLOCK PAGE_SIZE SEMAPHORE_VALUE_MAX
        SEMAPHORE_TIMEOUT_SUPPORTED SEMAPHORE_VALUE_SUPPORTED MESSAGE_QUEUES_SUPPORTED
        QUEUE_MESSAGES_MAX_DEFAULT QUEUE_MESSAGE_SIZE_MAX_DEFAULT QUEUE_PRIORITY_MAX USER_SIGNAL_MIN
        USER_SIGNAL_MAX VERSION __version__ __author__ __license__ __copyright__""".split()
    missing = [name for name in expected if not hasattr(posix_ipc, name)]
    assert not missing
