"""POSIX IPC primitives -- named semaphores, shared memory and message queues.

A drop-in replacement for the posix_ipc 1.3.2 package, built from the same
C++ core as the Lua and Tcl modules. The classes here subclass the compiled
ones only to take keyword arguments in their constructors and to add repr()
and the context manager; every other call goes straight to C++.
"""

from . import _posix_ipc as _core
from ._posix_ipc import (  # noqa: F401  (re-exported names)
    Error,
    SignalError,
    PermissionsError,
    ExistentialError,
    BusyError,
    O_CREAT,
    O_EXCL,
    O_CREX,
    O_TRUNC,
    O_RDONLY,
    O_WRONLY,
    O_RDWR,
    O_NONBLOCK,
    PAGE_SIZE,
    SEMAPHORE_VALUE_MAX,
    SEMAPHORE_TIMEOUT_SUPPORTED,
    SEMAPHORE_VALUE_SUPPORTED,
    MESSAGE_QUEUES_SUPPORTED,
    QUEUE_MESSAGES_MAX_DEFAULT,
    QUEUE_MESSAGE_SIZE_MAX_DEFAULT,
    QUEUE_PRIORITY_MAX,
    USER_SIGNAL_MIN,
    USER_SIGNAL_MAX,
    VERSION,
    unlink_semaphore,
    unlink_shared_memory,
    unlink_message_queue,
)

_core._install_fast_methods()

__version__ = VERSION
__author__ = "The posix_ipc for Python, Lua and Tcl authors"
__license__ = "BSD"
__copyright__ = "Copyright 2026 The posix_ipc for Python, Lua and Tcl authors"


class Semaphore(_core.Semaphore):
    """A handle to a POSIX named semaphore.

    Semaphore(name, flags=0, mode=0o600, initial_value=0); name=None with
    O_CREX picks a random unused name. Use acquire()/release() or "with sem:".
    """

    __slots__ = ()

    def __init__(self, name, flags=0, mode=0o600, initial_value=0):
        _core.Semaphore.__init__(self, name, flags, mode, initial_value)

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.release()

    def __str__(self):
        return self.name

    def __repr__(self):
        return 'posix_ipc.Semaphore("%s", mode=0%o)' % (self.name, self.mode)


class SharedMemory(_core.SharedMemory):
    """A handle to a POSIX shared memory segment (its fd can be mmapped).

    SharedMemory(name, flags=0, mode=0o600, size=0, read_only=False); a
    non-zero size (re)sizes the segment. read()/write() copy bytes in and out.
    """

    __slots__ = ()

    def __init__(self, name, flags=0, mode=0o600, size=0, read_only=False):
        _core.SharedMemory.__init__(self, name, flags, mode, size, read_only)

    def __str__(self):
        return self.name

    def __repr__(self):
        return 'posix_ipc.SharedMemory("%s", mode=0%o)' % (self.name, self.mode)


class MessageQueue(_core.MessageQueue):
    """A handle to a POSIX message queue.

    MessageQueue(name, flags=0, mode=0o600,
                 max_messages=QUEUE_MESSAGES_MAX_DEFAULT,
                 max_message_size=QUEUE_MESSAGE_SIZE_MAX_DEFAULT,
                 read=True, write=True)
    """

    __slots__ = ()

    def __init__(self, name, flags=0, mode=0o600,
                 max_messages=QUEUE_MESSAGES_MAX_DEFAULT,
                 max_message_size=QUEUE_MESSAGE_SIZE_MAX_DEFAULT,
                 read=True, write=True):
        _core.MessageQueue.__init__(self, name, flags, mode, max_messages,
                                    max_message_size, read, write)

    def __str__(self):
        return self.name

    def __repr__(self):
        try:
            limits = "max_message_size=%d, max_messages=%d" % (
                self.max_message_size, self.max_messages)
        except ExistentialError:  # closed: the limits can no longer be read
            limits = "closed=True"
        return 'posix_ipc.MessageQueue("%s", mode=0%o, %s, read=%s, write=%s)' % (
            self.name, self.mode, limits, self._can_read(), self._can_write())
