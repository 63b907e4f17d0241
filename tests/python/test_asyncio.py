"""asyncio: MessageQueue.receive_async/send_async, Semaphore.acquire_async and "async with sem:".

Plain test functions that call asyncio.run (no pytest-asyncio). Each test's
coroutine runs under asyncio.wait_for(..., LIMIT) so a bug hangs nothing.
"""

import asyncio
import threading
import time

import pytest

import posix_ipc
from conftest import finish, raises

LIMIT = 10
EMPTY = "The queue is empty"
FULL = "The queue is full"
BUSY = "Semaphore is busy"
CLOSED_SEND = "The message queue does not exist or is not open for writing"
CLOSED_RECEIVE = "The message queue does not exist or is not open for reading"
SEM_CLOSED = "The semaphore has been closed"
HELPER_THREAD = "posix_ipc acquire_async"


def run(coroutine_function, *args):
    async def main():
        return await asyncio.wait_for(coroutine_function(*args), LIMIT)
    return asyncio.run(main())


def unwatched(fd):
    """True when the running loop has no reader and no writer on fd (and posix_ipc
    keeps no waiters). remove_reader/remove_writer say whether one was there."""
    from posix_ipc import _asyncio
    loop = asyncio.get_running_loop()
    return not loop.remove_reader(fd) and not loop.remove_writer(fd) and fd not in _asyncio._waiting


class Ticker:
    """Counts event loop turns while a wait is in progress: proof the loop was not blocked."""

    def __init__(self):
        self.ticks = 0
        self.task = asyncio.ensure_future(self._run())

    async def _run(self):
        while True:
            await asyncio.sleep(0.01)
            self.ticks += 1

    def stop(self):
        self.task.cancel()
        return self.ticks


def later(seconds, function, *args):
    thread = threading.Timer(seconds, function, args)
    thread.start()
    return thread


async def helper_threads_gone():
    while any(t.name == HELPER_THREAD for t in threading.enumerate()):
        await asyncio.sleep(0.01)


# ---- message queues ----------------------------------------------------------------

@pytest.mark.case("py.asyncio.mq.receive_waits")
def test_receive_async_waits_without_blocking_the_loop(mq):
    q = mq(max_messages=4, max_message_size=64)

    async def main():
        ticker = Ticker()
        timer = later(0.2, q.send, b"from a thread", None, 7)
        assert await q.receive_async() == (b"from a thread", 7)
        timer.join()
        assert ticker.stop() >= 5
        assert unwatched(q.mqd)
    run(main)


@pytest.mark.case("py.asyncio.mq.receive_cross_process")
def test_receive_async_from_another_process(mq, child):
    q = mq(max_messages=4, max_message_size=64)

    async def main():
        proc = child("""
            import time, posix_ipc
            q = posix_ipc.MessageQueue(%r)
            time.sleep(0.2)
            q.send(b"from a process", priority=3)
            q.close()
        """ % q.name)
        assert await q.receive_async(timeout=5) == (b"from a process", 3)
        finish(proc)
    run(main)


@pytest.mark.case("py.asyncio.mq.receive_at_once")
def test_receive_async_takes_a_waiting_message_at_once(mq):
    q = mq(max_messages=4, max_message_size=64)
    q.send(b"low", priority=1)
    q.send(b"high", priority=2)

    async def main():
        assert await q.receive_async(0) == (b"high", 2)
        assert await q.receive_async() == (b"low", 1)
    run(main)


@pytest.mark.case("py.asyncio.mq.send_waits")
def test_send_async_on_a_full_queue_completes_when_drained(mq):
    q = mq(max_messages=1, max_message_size=64)
    q.send(b"first")

    async def drain():
        await asyncio.sleep(0.1)
        return q.receive(0)

    async def main():
        ticker = Ticker()
        drained, _ = await asyncio.gather(drain(), q.send_async(b"second", priority=5))
        assert drained == (b"first", 0)
        assert ticker.stop() >= 3
        assert unwatched(q.mqd)
        # Then a receiver waits on the same descriptor in the same loop.
        assert q.receive(0) == (b"second", 5)
        receiver = asyncio.ensure_future(q.receive_async())
        await asyncio.sleep(0.02)
        await q.send_async(b"third")
        assert await receiver == (b"third", 0)
        assert unwatched(q.mqd)
    run(main)


@pytest.mark.case("py.asyncio.mq.send_drained_by_thread")
def test_send_async_drained_by_a_thread(mq):
    q = mq(max_messages=2, max_message_size=64)
    q.send(b"a")
    q.send(b"b")
    got = []

    async def main():
        timer = later(0.1, lambda: got.extend(q.receive(1) for _ in range(3)))
        await q.send_async(b"c", timeout=5)
        await asyncio.get_running_loop().run_in_executor(None, timer.join)
        assert [m for m, _ in got] == [b"a", b"b", b"c"]
        assert unwatched(q.mqd)
    run(main)


@pytest.mark.case("py.asyncio.mq.timeout_zero")
def test_timeout_zero_raises_busy_at_once(mq):
    q = mq(max_messages=1, max_message_size=64)

    async def main():
        with raises(posix_ipc.BusyError, EMPTY):
            await q.receive_async(0)
        q.send(b"x")
        with raises(posix_ipc.BusyError, FULL):
            await q.send_async(b"y", 0)
        assert unwatched(q.mqd)
    run(main)


@pytest.mark.case("py.asyncio.mq.timeout_expires")
def test_timeout_expires_with_the_sync_message(mq):
    q = mq(max_messages=1, max_message_size=64)

    async def main():
        ticker = Ticker()
        start = time.monotonic()
        with raises(posix_ipc.BusyError, EMPTY):
            await q.receive_async(timeout=0.1)
        assert time.monotonic() - start >= 0.09
        q.send(b"x")
        start = time.monotonic()
        with raises(posix_ipc.BusyError, FULL):
            await q.send_async(b"y", timeout=0.1)
        assert time.monotonic() - start >= 0.09
        assert ticker.stop() >= 3
        assert unwatched(q.mqd)
        assert q.receive(0) == (b"x", 0)
    run(main)


@pytest.mark.case("py.asyncio.mq.nonblocking_handle")
def test_block_false_never_waits(mq):
    q = mq(max_messages=1, max_message_size=64)
    q.block = False

    async def main():
        with raises(posix_ipc.BusyError, EMPTY):
            await q.receive_async()
        q.send(b"x")
        with raises(posix_ipc.BusyError, FULL):
            await q.send_async(b"y", timeout=5)
    run(main)


BAD_TIMEOUTS = [-1, -0.5, "1", b"1", [], float("nan"), float("inf"), 1e13, 10 ** 400, -(10 ** 400)]


def sync_error(call):
    with pytest.raises(Exception) as info:
        call()
    return type(info.value), str(info.value)


@pytest.mark.case("py.asyncio.bad_timeout")
@pytest.mark.parametrize("timeout", BAD_TIMEOUTS, ids=repr)
def test_bad_timeout_as_the_sync_calls(mq, sem, timeout):
    q = mq(max_messages=1, max_message_size=64)
    s = sem(initial_value=0)
    q.send(b"waiting")  # neither call may take it or wait for room

    async def main():
        for sync_call, async_call in [
                (lambda: q.receive(timeout), lambda: q.receive_async(timeout)),
                (lambda: q.send(b"m", timeout), lambda: q.send_async(b"m", timeout)),
                (lambda: s.acquire(timeout), lambda: s.acquire_async(timeout))]:
            cls, message = sync_error(sync_call)
            assert cls in (TypeError, OverflowError)
            with raises(cls, message):
                await async_call()
        assert q.current_messages == 1
    run(main)


@pytest.mark.case("py.asyncio.mq.cancel")
def test_cancelled_receive_leaves_no_reader_and_loses_nothing(mq):
    q = mq(max_messages=4, max_message_size=64)

    async def main():
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(q.receive_async(), 0.05)
        assert unwatched(q.mqd)
        # A message arrives just before the cancellation, at every point of the wake-up.
        for turns in range(5):
            task = asyncio.ensure_future(q.receive_async())
            await asyncio.sleep(0.01)
            q.send(b"message %d" % turns)
            for _ in range(turns):
                await asyncio.sleep(0)
            task.cancel()
            try:
                got = await task
            except asyncio.CancelledError:
                got = None
            # Either the task got the message, or it is still in the queue.
            assert got == (b"message %d" % turns, 0) or q.receive(0) == (b"message %d" % turns, 0)
            assert q.current_messages == 0
            assert unwatched(q.mqd)
    run(main)


@pytest.mark.case("py.asyncio.mq.cancel_send")
def test_cancelled_send_leaves_no_writer_and_sends_nothing(mq):
    q = mq(max_messages=1, max_message_size=64)
    q.send(b"first")

    async def main():
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(q.send_async(b"second"), 0.05)
        task = asyncio.ensure_future(q.send_async(b"third"))
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert unwatched(q.mqd)
        assert q.receive(0) == (b"first", 0)
        with raises(posix_ipc.BusyError, EMPTY):
            q.receive(0)
    run(main)


@pytest.mark.case("py.asyncio.mq.concurrent_receivers")
def test_two_receivers_on_one_queue_each_get_one(mq):
    q = mq(max_messages=4, max_message_size=64)

    async def main():
        tasks = [asyncio.ensure_future(q.receive_async(timeout=5)) for _ in range(3)]
        await asyncio.sleep(0.05)
        assert not any(t.done() for t in tasks)
        q.send(b"one")
        q.send(b"two")
        done, pending = await asyncio.wait(tasks, timeout=0.5)
        assert sorted(t.result()[0] for t in done) == [b"one", b"two"]
        assert len(pending) == 1
        # The third still waits, and gets the next message.
        later(0.05, q.send, b"three")
        assert await pending.pop() == (b"three", 0)
        assert unwatched(q.mqd)
    run(main)


@pytest.mark.case("py.asyncio.mq.two_handles")
def test_two_handles_of_one_queue(mq):
    q = mq(max_messages=4, max_message_size=64)
    other = posix_ipc.MessageQueue(q.name)
    try:
        async def main():
            tasks = [asyncio.ensure_future(q.receive_async()),
                     asyncio.ensure_future(other.receive_async())]
            await asyncio.sleep(0.05)
            await other.send_async(b"a")
            await q.send_async(b"b")
            results = await asyncio.gather(*tasks)
            assert sorted(m for m, _ in results) == [b"a", b"b"]
            assert unwatched(q.mqd) and unwatched(other.mqd)
        run(main)
    finally:
        other.close()


@pytest.mark.case("py.asyncio.mq.closed")
def test_closed_queue_raises_existential_error(mq):
    q = mq(max_messages=1, max_message_size=64)
    q.close()

    async def main():
        with raises(posix_ipc.ExistentialError, CLOSED_RECEIVE):
            await q.receive_async()
        with raises(posix_ipc.ExistentialError, CLOSED_SEND):
            await q.send_async(b"x")
    run(main)


@pytest.mark.case("py.asyncio.mq.closed_while_waiting")
def test_close_while_waiting_raises_existential_error(mq):
    empty = mq(max_messages=1, max_message_size=64)
    full = mq(max_messages=1, max_message_size=64)
    full.send(b"x")
    other = posix_ipc.MessageQueue(full.name)

    async def main():
        from posix_ipc import _asyncio
        receiver = asyncio.ensure_future(empty.receive_async())
        sender = asyncio.ensure_future(full.send_async(b"y"))
        other_sender = asyncio.ensure_future(other.send_async(b"z"))
        await asyncio.sleep(0.02)
        fd = full.mqd
        full.close()
        with raises(posix_ipc.ExistentialError, CLOSED_SEND):
            await sender
        assert unwatched(fd)
        await asyncio.sleep(0.02)
        # Other handles, of this queue or another, still wait.
        assert not receiver.done() and not other_sender.done()
        other_sender.cancel()
        # Closed from another thread.
        await asyncio.get_running_loop().run_in_executor(None, empty.close)
        with raises(posix_ipc.ExistentialError, CLOSED_RECEIVE):
            await receiver
        await asyncio.sleep(0)
        assert not _asyncio._waiting
        assert other.receive(0) == (b"x", 0)
    try:
        run(main)
    finally:
        other.close()


@pytest.mark.case("py.asyncio.mq.closed_elsewhere_fd_reused")
def test_queue_closed_on_another_thread_then_its_fd_reused(mq, names):
    old = mq(max_messages=1, max_message_size=64)
    new_name = names()

    async def main():
        receiver = asyncio.ensure_future(old.receive_async())
        await asyncio.sleep(0.02)
        fd = old.mqd
        closer = threading.Thread(target=old.close)
        closer.start()
        closer.join()  # the loop has not yet run the close's clean-up
        new = posix_ipc.MessageQueue(new_name, posix_ipc.O_CREX, max_messages=1, max_message_size=64)
        try:
            assert new.mqd == fd  # the lowest free descriptor: the closed queue's
            # Registers before the loop runs anything (the stale entry is still there).
            later(0.05, new.send, b"to the new queue")
            assert await new.receive_async() == (b"to the new queue", 0)
            with raises(posix_ipc.ExistentialError, CLOSED_RECEIVE):
                await receiver
            assert unwatched(fd)
        finally:
            new.close()
            new.unlink()
    run(main)


@pytest.mark.case("py.asyncio.mq.errors")
def test_argument_errors_as_the_sync_call(mq):
    q = mq(max_messages=1, max_message_size=4)
    reader = posix_ipc.MessageQueue(q.name, write=False)
    try:
        async def main():
            for call, async_call in [
                    (lambda: q.send(b"12345"), lambda: q.send_async(b"12345")),
                    (lambda: q.send(b"1", priority=-1), lambda: q.send_async(b"1", priority=-1)),
                    (lambda: q.send(42), lambda: q.send_async(42)),
                    (lambda: reader.send(b"1"), lambda: reader.send_async(b"1"))]:
                cls, message = sync_error(call)
                with raises(cls, message):
                    await async_call()
            await q.send_async(memoryview(b"abcd"), priority=posix_ipc.QUEUE_PRIORITY_MAX)
            assert await reader.receive_async() == (b"abcd", posix_ipc.QUEUE_PRIORITY_MAX)
        run(main)
    finally:
        reader.close()


# ---- semaphores ----------------------------------------------------------------

@pytest.mark.case("py.asyncio.sem.at_once")
def test_acquire_async_returns_at_once_when_available(sem):
    s = sem(initial_value=2)

    async def main():
        before = threading.active_count()
        await s.acquire_async()
        await s.acquire_async(0)
        assert s.value == 0
        assert threading.active_count() == before  # no helper thread for the fast path
    run(main)


@pytest.mark.case("py.asyncio.sem.waits")
def test_acquire_async_waits_for_a_release_from_a_thread(sem):
    s = sem(initial_value=0)

    async def main():
        ticker = Ticker()
        timer = later(0.2, s.release)
        await s.acquire_async()
        timer.join()
        assert ticker.stop() >= 5
        assert s.value == 0
        await helper_threads_gone()
    run(main)


@pytest.mark.case("py.asyncio.sem.cross_process")
def test_acquire_async_waits_for_a_release_from_a_process(sem, child):
    s = sem(initial_value=0)

    async def main():
        proc = child("""
            import time, posix_ipc
            s = posix_ipc.Semaphore(%r)
            time.sleep(0.2)
            s.release()
            s.close()
        """ % s.name)
        await s.acquire_async(timeout=5)
        finish(proc)
        assert s.value == 0
    run(main)


@pytest.mark.case("py.asyncio.sem.timeout")
def test_acquire_async_timeouts(sem):
    s = sem(initial_value=0)

    async def main():
        with raises(posix_ipc.BusyError, BUSY):
            await s.acquire_async(0)
        ticker = Ticker()
        start = time.monotonic()
        with raises(posix_ipc.BusyError, BUSY):
            await s.acquire_async(timeout=0.15)
        assert time.monotonic() - start >= 0.14
        assert ticker.stop() >= 3
        assert s.value == 0
        await helper_threads_gone()
    run(main)


@pytest.mark.case("py.asyncio.sem.cancel")
def test_cancelled_acquire_leaks_no_count(sem):
    s = sem(initial_value=0)

    async def main():
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(s.acquire_async(), 0.05)
        await helper_threads_gone()
        assert s.value == 0
        # A release racing the cancellation: the count is either the task's or back.
        for delay in (0, 0, 0.001, 0.005, 0.02, 0.06):
            task = asyncio.ensure_future(s.acquire_async())
            await asyncio.sleep(0.01)
            s.release()
            if delay:
                await asyncio.sleep(delay)
            task.cancel()
            try:
                await task
                acquired = True
            except asyncio.CancelledError:
                acquired = False
            await helper_threads_gone()
            await asyncio.sleep(0)  # the helper's last call_soon_threadsafe
            assert s.value == (0 if acquired else 1)
            if not acquired:
                s.acquire(0)
    run(main)


@pytest.mark.case("py.asyncio.sem.async_with")
def test_async_with(sem):
    s = sem(initial_value=1)

    async def main():
        async with s as entered:
            assert entered is s
            assert s.value == 0
            with raises(posix_ipc.BusyError, BUSY):
                await s.acquire_async(0)
        assert s.value == 1
        with pytest.raises(ZeroDivisionError):
            async with s:
                1 / 0
        assert s.value == 1
        # Waits, without blocking the loop, for the holder to leave.
        order = []

        async def holder():
            async with s:
                order.append("holder in")
                await asyncio.sleep(0.05)
                order.append("holder out")

        async def waiter():
            await asyncio.sleep(0.01)
            async with s:
                order.append("waiter in")
        await asyncio.gather(holder(), waiter())
        assert order == ["holder in", "holder out", "waiter in"]
        assert s.value == 1
    run(main)


@pytest.mark.case("py.asyncio.sem.closed")
def test_closed_semaphore_raises_existential_error(sem):
    s = sem(initial_value=1)
    other = posix_ipc.Semaphore(s.name)
    other.close()

    async def main():
        with raises(posix_ipc.ExistentialError, SEM_CLOSED):
            await other.acquire_async()
        with raises(posix_ipc.ExistentialError, SEM_CLOSED):
            await other.acquire_async(0)
        # Closed while a helper thread waits on it.
        s.acquire(0)
        waiting = posix_ipc.Semaphore(s.name)
        task = asyncio.ensure_future(waiting.acquire_async())
        await asyncio.sleep(0.02)
        waiting.close()
        with raises(posix_ipc.ExistentialError, SEM_CLOSED):
            await task
        await helper_threads_gone()
        assert s.value == 0
    run(main)


@pytest.mark.case("py.asyncio.sem.many_waiters")
def test_many_waiters_each_get_one_count(sem):
    s = sem(initial_value=0)

    async def main():
        got = []

        async def one(i):
            await s.acquire_async(timeout=5)
            got.append(i)
        tasks = [asyncio.ensure_future(one(i)) for i in range(8)]
        await asyncio.sleep(0.02)
        for _ in range(8):
            s.release()
        await asyncio.gather(*tasks)
        assert sorted(got) == list(range(8))
        assert s.value == 0
        await helper_threads_gone()
    run(main)


@pytest.mark.case("py.asyncio.lazy_import")
def test_import_does_not_import_asyncio(child):
    proc = child("""
        import sys, posix_ipc
        assert "asyncio" not in sys.modules, "asyncio imported"
        assert "posix_ipc._asyncio" not in sys.modules
    """)
    finish(proc)
