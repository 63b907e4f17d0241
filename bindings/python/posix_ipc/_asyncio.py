"""asyncio support: the code behind MessageQueue.receive_async/send_async and
Semaphore.acquire_async (and "async with sem:").

Imported on the first async call (importing asyncio costs ~35 ms, which a
plain "import posix_ipc" should not pay).

Message queues (Linux, FreeBSD): a queue descriptor is pollable -- readable while a
message waits, writable while there is room. A call first tries the
non-blocking operation; when that raises BusyError it waits for the
descriptor with the loop's add_reader/add_writer and tries again. A message
is only ever taken by a successful non-blocking receive in the awaiting task
itself, so cancelling a wait loses nothing. One selector loop keeps one
reader and one writer callback per descriptor, so the waiters of one
descriptor in one loop share a single registration (_FdWaiters) that is
removed when the last of them leaves.

Semaphores are not pollable: after a failed acquire(0) a dedicated daemon
thread waits with timed acquires of _SLICE seconds (the blocking acquire
releases the GIL) until it gets the semaphore, the deadline passes, or the
awaiting task is cancelled; it hands the outcome to the loop with
call_soon_threadsafe. A count the thread obtained for a task that was
cancelled meanwhile is released again.
"""

import threading
import time

import asyncio

from . import BusyError, SignalError, MESSAGE_QUEUES_SUPPORTED, SEMAPHORE_TIMEOUT_SUPPORTED
from . import _posix_ipc as _core  # type: ignore[attr-defined]

# How long one timed acquire of a waiting thread lasts: the delay before a
# cancelled acquire_async lets go of its thread.
_SLICE = 0.05

# Where there are queues their mqd polls (Linux: it is the descriptor;
# FreeBSD: the core gives mq_getfd_np's).
_POLLABLE_QUEUES = MESSAGE_QUEUES_SUPPORTED

# The timeout in seconds (None: forever), checked as the synchronous calls
# check it, with their errors.
_seconds = _core._timeout_seconds


# ---- message queues ---------------------------------------------------------------

# fd -> {loop: _FdWaiters}. MessageQueue.close() may run on any thread, so
# registering a waiter (with its add_reader/add_writer) and closing a queue
# (unregistering, then closing the descriptor) are serialized by _lock: a
# waiter never registers a descriptor that is already closed, and a close
# never misses a waiter. The futures in an _FdWaiters are only touched on
# its loop's thread.
_waiting: "dict[int, dict[asyncio.AbstractEventLoop, _FdWaiters]]" = {}
_lock = threading.RLock()


def _unwatch(loop, fd, writing):
    try:
        (loop.remove_writer if writing else loop.remove_reader)(fd)
    except (OSError, ValueError):  # the descriptor is closed already: nothing to undo
        pass


class _FdWaiters:
    """The futures of one loop waiting for one queue descriptor."""

    __slots__ = ("loop", "fd", "readers", "writers", "closing", "closed")

    def __init__(self, loop, fd):
        self.loop = loop
        self.fd = fd
        self.readers = {}  # future -> None: an ordered set, oldest first
        self.writers = {}
        self.closing = False  # the queue was closed (by any thread): close() is due
        self.closed = False   # close() ran: nothing is registered any more

    def add(self, writing, future):  # under _lock
        waiters = self.writers if writing else self.readers
        if not waiters:
            if writing:
                self.loop.add_writer(self.fd, self._ready, self.writers)
            else:
                self.loop.add_reader(self.fd, self._ready, self.readers)
        waiters[future] = None

    def discard(self, writing, future):
        with _lock:
            if self.closing:  # close() cleans up
                return
            waiters = self.writers if writing else self.readers
            if waiters.pop(future, self) is not self and not waiters:
                _unwatch(self.loop, self.fd, writing)
            if not self.readers and not self.writers:
                self._forget()

    def _forget(self):  # under _lock
        by_loop = _waiting.get(self.fd)
        if by_loop is not None and by_loop.get(self.loop) is self:
            del by_loop[self.loop]
            if not by_loop:
                del _waiting[self.fd]

    def _ready(self, waiters):
        # Wakes the oldest waiter still waiting. The descriptor stays
        # registered until every waiter has left, and readiness is level
        # triggered: if the woken task does not take the message (or the
        # room), the next loop iteration wakes the next waiter.
        for future in waiters:
            if not future.done():
                future.set_result(None)
                return

    def close(self):
        """On the loop's thread, once the queue is closing: unregister, wake every
        waiter (its retry raises the closed queue's error)."""
        with _lock:
            if self.closed:
                return
            self.closed = self.closing = True
            for writing, waiters in ((False, self.readers), (True, self.writers)):
                if waiters:
                    _unwatch(self.loop, self.fd, writing)
            self._forget()
        for waiters in (self.readers, self.writers):
            for future in waiters:
                if not future.done():
                    future.set_result(None)
            waiters.clear()


def _enter(loop, queue, fd, writing, future):
    """Registers future as waiting for fd; None when the queue is closed already."""
    with _lock:
        if fd < 0 or queue.mqd != fd:
            return None
        by_loop = _waiting.setdefault(fd, {})
        entry = by_loop.get(loop)
        if entry is not None and entry.closing:
            # Left by a queue closed on another thread whose descriptor number
            # this queue got: drop its stale registration before ours.
            entry.close()
            by_loop = _waiting.setdefault(fd, {})
            entry = None
        if entry is None:
            entry = by_loop[loop] = _FdWaiters(loop, fd)
        try:
            entry.add(writing, future)
        except BaseException:
            if not entry.readers and not entry.writers:
                entry._forget()
            raise
        return entry


def _current_loop():
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def close_queue(queue, close):
    """MessageQueue.close(): close(queue), waking the async calls waiting on it."""
    with _lock:
        by_loop = _waiting.get(queue.mqd)
        if by_loop:
            current = _current_loop()
            for loop, entry in list(by_loop.items()):
                if entry.closing:
                    continue
                entry.closing = True
                if loop is current:
                    entry.close()  # before the descriptor goes
                else:
                    try:
                        loop.call_soon_threadsafe(entry.close)
                    except RuntimeError:  # that loop is closed: nobody to wake
                        entry._forget()
        close(queue)


def _wake(future):
    if not future.done():
        future.set_result(None)


async def _wait_queue(queue, writing, seconds, attempt, *args):
    loop = asyncio.get_running_loop()
    deadline = None if seconds is None else loop.time() + seconds
    while True:
        future = loop.create_future()
        entry = _enter(loop, queue, queue.mqd, writing, future)
        if entry is None:  # closed meanwhile: the call raises the closed queue's error
            return attempt(*args)
        timer = None if deadline is None else loop.call_at(deadline, _wake, future)
        try:
            await future
        finally:
            entry.discard(writing, future)
            if timer is not None:
                timer.cancel()
        try:
            return attempt(*args)
        except BusyError:
            if deadline is not None and loop.time() >= deadline:
                raise


def _check_pollable(method):
    if not _POLLABLE_QUEUES:
        raise NotImplementedError(
            "MessageQueue.%s() needs a pollable queue descriptor, which this platform does not provide"
            % method)


async def receive(queue, timeout):
    _check_pollable("receive_async")
    seconds = _seconds(timeout)
    try:
        return queue.receive(0)
    except BusyError:
        if seconds == 0 or not queue.block:
            raise
    return await _wait_queue(queue, False, seconds, queue.receive, 0)


async def send(queue, message, timeout, priority):
    _check_pollable("send_async")
    seconds = _seconds(timeout)
    try:
        return queue.send(message, 0, priority)
    except BusyError:
        if seconds == 0 or not queue.block:
            raise
    return await _wait_queue(queue, True, seconds, queue.send, message, 0, priority)


# ---- semaphores -----------------------------------------------------------------

class _Wait:
    __slots__ = ("cancelled",)

    def __init__(self):
        self.cancelled = False


def _release_quietly(semaphore):
    try:
        semaphore.release()
    except Exception:  # closed meanwhile: the count is the semaphore's own business now
        pass


def _acquired(semaphore, future):
    if future.done():  # cancelled while the thread waited: give the count back
        _release_quietly(semaphore)
    else:
        future.set_result(None)


def _failed(future, error):
    if not future.done():
        future.set_exception(error)


def _acquire_in_thread(semaphore, deadline, loop, future, wait):
    try:
        while not wait.cancelled:
            if deadline is None:
                slice_ = _SLICE
            else:
                slice_ = min(_SLICE, max(0.0, deadline - time.monotonic()))
            try:
                if SEMAPHORE_TIMEOUT_SUPPORTED:
                    semaphore.acquire(slice_)
                else:  # no timed wait on this platform: poll
                    try:
                        semaphore.acquire(0)
                    except BusyError:
                        if slice_ > 0:
                            time.sleep(min(slice_, 0.01))
                        raise
            except BusyError:
                if deadline is not None and time.monotonic() >= deadline:
                    raise
                continue
            except SignalError:  # a signal meant for the main thread interrupted the wait
                continue
            try:
                loop.call_soon_threadsafe(_acquired, semaphore, future)
            except RuntimeError:  # the loop is closed: nobody wants the count
                _release_quietly(semaphore)
            return
    except BaseException as error:  # noqa: B902 -- handed to the awaiting task
        try:
            loop.call_soon_threadsafe(_failed, future, error)
        except RuntimeError:
            pass


async def acquire(semaphore, timeout):
    seconds = _seconds(timeout)
    try:
        return semaphore.acquire(0)
    except BusyError:
        if seconds == 0:
            raise
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    wait = _Wait()
    deadline = None if seconds is None else time.monotonic() + seconds
    thread = threading.Thread(target=_acquire_in_thread, name="posix_ipc acquire_async",
                              args=(semaphore, deadline, loop, future, wait), daemon=True)
    thread.start()
    try:
        await future
    except BaseException:  # cancelled (or the coroutine closed): stop the thread
        wait.cancelled = True
        if not future.cancel() and not future.cancelled() and future.exception() is None:
            # The thread had delivered the count before the cancellation came.
            _release_quietly(semaphore)
        raise
