"""POSIX IPC primitives -- named semaphores, shared memory and message queues.

A drop-in replacement for the posix_ipc 1.3.2 package, built from the same
C++ core as the Lua and Tcl modules. Semaphore and MessageQueue here
subclass the compiled classes to add repr(), the asyncio methods and "async
with", and to let MessageQueue.close() wake the tasks waiting on the queue;
SharedMemory is the compiled class itself. The constructors, acquire,
release, "with sem:", send, receive and the attributes go straight to C++.
"""

import sys as _sys

from . import _posix_ipc as _core
# The error classes, constants and unlink_* functions; the classes are
# subclassed below.
from ._posix_ipc import *  # noqa: F401,F403

# The compiled members SWIG does not generate (acquire, release, send, ...:
# bindings/python/fast_methods.hpp), set on the subclasses below.
_compiled_members = _core._prepare_types()


def _aio():
    """posix_ipc._asyncio, imported by the first async call (it imports asyncio)."""
    from . import _asyncio
    return _asyncio


__version__ = VERSION
__author__ = "The posix_ipc for Python, Lua and Tcl authors"
__license__ = "BSD"
__copyright__ = "Copyright 2026 The posix_ipc for Python, Lua and Tcl authors"


class Semaphore(_core.Semaphore):
    __doc__ = _core.Semaphore.__doc__  # docs/python-reference.md, with every other docstring

    __slots__ = ()

    async def acquire_async(self, timeout=None):
        """Awaitable acquire(): waits in a helper thread, the event loop keeps running."""
        await _aio().acquire(self, timeout)

    async def __aenter__(self) -> "Self":
        """Acquires the semaphore for "async with sem:" (as acquire_async() does); returns it."""
        await _aio().acquire(self, None)
        return self

    async def __aexit__(self, exc_type, exc_value, traceback):
        """Releases the semaphore, also when the block raised."""
        self.release()

    def __str__(self):
        """Returns the name."""
        return self.name

    def __repr__(self):
        """Returns e.g. posix_ipc.Semaphore("/name", mode=0600), as upstream."""
        return 'posix_ipc.Semaphore("%s", mode=0%o)' % (self.name, self.mode)

    # In the class body: SWIG's metaclass lets no attribute be added later.
    # (A class body's locals() is its namespace.)
    locals().update(_compiled_members["Semaphore"])


# The compiled type itself, as upstream's (its docstring, str() and repr() are
# in swig/): a Python subclass would make every segment object a
# garbage-collected one, a cost upstream does not have.
SharedMemory = _core.SharedMemory


class MessageQueue(_core.MessageQueue):
    __doc__ = _core.MessageQueue.__doc__  # docs/python-reference.md, with every other docstring

    __slots__ = ()

    async def receive_async(self, timeout=None) -> "tuple[bytes, int]":
        """Awaitable receive(): waits for the descriptor to become readable (Linux)."""
        return await _aio().receive(self, timeout)

    async def send_async(self, message, timeout=None, priority=0):
        """Awaitable send(): waits for the descriptor to become writable (Linux)."""
        await _aio().send(self, message, timeout, priority)

    def close(self):
        """Closes the descriptor; receive_async/send_async waiting on it raise ExistentialError."""
        aio = _sys.modules.get(__name__ + "._asyncio")
        if aio is None:
            _core.MessageQueue.close(self)
        else:
            aio.close_queue(self, _core.MessageQueue.close)

    def __str__(self):
        """Returns the name."""
        return self.name

    def __repr__(self):
        """Returns e.g. posix_ipc.MessageQueue("/name", mode=0600, max_message_size=64,
        max_messages=10, read=True, write=True), as upstream."""
        try:
            limits = "max_message_size=%d, max_messages=%d" % (
                self.max_message_size, self.max_messages)
        except ExistentialError:  # closed: the limits can no longer be read
            limits = "closed=True"
        return 'posix_ipc.MessageQueue("%s", mode=0%o, %s, read=%s, write=%s)' % (
            self.name, self.mode, limits, self._can_read(), self._can_write())

    # In the class body: SWIG's metaclass lets no attribute be added later.
    # (A class body's locals() is its namespace.)
    locals().update(_compiled_members["MessageQueue"])


del _compiled_members

if not MESSAGE_QUEUES_SUPPORTED:  # noqa: F405
    # As upstream where the platform has no message queues (macOS): neither
    # the class nor the unlink function (the constants are left out by the core).
    del MessageQueue, unlink_message_queue  # noqa: F821
