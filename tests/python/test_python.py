"""Python-only behaviour: repr/str, keywords, types, mmap, the GIL, signals, threads."""

import gc
import inspect
import mmap
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

import posix_ipc
from conftest import needs, raises, shm_exists, signal_when_blocked, wait_until_blocked

BAD_TIMEOUT = "The timeout must be None or a non-negative number"


@pytest.mark.case("py.repr")
def test_repr(sem, shm, mq, names):
    s = sem(names(), mode=0o600)
    assert repr(s) == 'posix_ipc.Semaphore("%s", mode=0600)' % s.name
    assert repr(sem(mode=0o644)).endswith(", mode=0644)")
    m = shm(size=4, mode=0o640)
    assert repr(m) == 'posix_ipc.SharedMemory("%s", mode=0640)' % m.name
    q = mq(max_messages=3, max_message_size=64)
    assert repr(q) == ('posix_ipc.MessageQueue("%s", mode=0600, max_message_size=64, max_messages=3, '
                       'read=True, write=True)' % q.name)
    r = posix_ipc.MessageQueue(q.name, write=False)
    w = posix_ipc.MessageQueue(q.name, read=False)
    try:
        assert repr(r).endswith("read=True, write=False)")
        assert repr(w).endswith("read=False, write=True)")
    finally:
        r.close()
        w.close()


@pytest.mark.case("py.repr")
def test_repr_after_close_does_not_raise(sem, shm, mq):
    s, m, q = sem(), shm(), mq(max_messages=2, max_message_size=8)
    s.close()
    m.close_fd()
    q.close()
    assert repr(s) == 'posix_ipc.Semaphore("%s", mode=0600)' % s.name
    assert repr(m) == 'posix_ipc.SharedMemory("%s", mode=0600)' % m.name
    assert repr(q).startswith('posix_ipc.MessageQueue("%s", mode=0600' % q.name)


@pytest.mark.case("py.str")
def test_str_is_the_name(sem, shm, mq):
    for obj in (sem(), shm(), mq(max_messages=2, max_message_size=8)):
        assert str(obj) == obj.name
        assert obj.name.startswith("/pytest_")


@pytest.mark.case("py.upstream_surface")
def test_read_only_attribute_message_names_the_public_class(sem, shm, mq):
    sem, shm, mq = sem(), shm(), mq()
    for obj, cls in ((sem, "Semaphore"), (shm, "SharedMemory"), (mq, "MessageQueue")):
        with pytest.raises(AttributeError) as raised:
            obj.mode = 0o644
        assert str(raised.value) == \
            "attribute 'mode' of 'posix_ipc.%s' objects is not writable" % cls


@pytest.mark.case("py.upstream_surface")
def test_no_swig_plumbing_on_the_objects(sem, shm, mq):
    # SWIG's ownership methods would let a program leak or double-free the
    # C++ object (MessageQueue.acquire() was one of them); upstream has none.
    sem, shm, mq = sem(), shm(), mq()
    for obj in (sem, shm, mq):
        # __dict__ too: upstream's objects have none (SWIG's would be a
        # per-object dict nothing uses).
        for name in ("this", "thisown", "disown", "own", "append", "next", "__dict__"):
            assert not hasattr(obj, name), (obj, name)
    assert not hasattr(shm, "acquire") and not hasattr(mq, "acquire")
    sem.release()
    sem.acquire(0)  # Semaphore.acquire is still its own


@pytest.mark.case("py.upstream_surface")
def test_methods_without_arguments_take_none(sem, shm, mq):
    # METH_NOARGS, as upstream's C methods: CPython's own message, and no
    # argument tuple to unpack on every close/unlink. (MessageQueue.close is
    # the package's Python method, which also wakes the asyncio waiters.)
    sem, shm, mq = sem(), shm(), mq()
    calls = [(sem, "close"), (sem, "unlink"), (shm, "close_fd"), (shm, "unlink"), (shm, "fileno"),
             (mq, "unlink"), (mq, "fileno")]
    for obj, name in calls:
        with pytest.raises(TypeError, match=r"%s\(\) takes no arguments \(1 given\)" % name):
            getattr(obj, name)(1)


@pytest.mark.case("py.kwargs")
def test_constructor_keywords(names):
    s = posix_ipc.Semaphore(name=names(), flags=posix_ipc.O_CREX, mode=0o640, initial_value=2)
    m = posix_ipc.SharedMemory(name=names(), flags=posix_ipc.O_CREX, mode=0o640, size=16, read_only=False)
    q = posix_ipc.MessageQueue(name=names(), flags=posix_ipc.O_CREX, mode=0o640, max_messages=2,
                               max_message_size=16, read=True, write=True)
    try:
        assert (s.mode, s.value) == (0o640, 2)
        assert (m.mode, m.size) == (0o640, 16)
        assert (q.mode, q.max_messages, q.max_message_size) == (0o640, 2, 16)
        r = posix_ipc.SharedMemory(m.name, read_only=True)
        assert r.read(byte_count=1) == b"\0"
        r.close_fd()
    finally:
        s.close()
        s.unlink()
        m.close_fd()
        m.unlink()
        q.close()
        q.unlink()


@pytest.mark.case("py.kwargs")
def test_method_keywords(sem, shm, mq):
    s = sem(initial_value=1)
    s.acquire(timeout=0)
    with raises(posix_ipc.BusyError, "Semaphore is busy"):
        s.acquire(timeout=0.01)
    m = shm(size=8)
    m.write(data=b"abc", offset=2)
    assert m.read(byte_count=3, offset=2) == b"abc"
    q = mq(max_messages=2, max_message_size=8)
    q.send(message=b"k", timeout=0, priority=7)
    assert q.receive(timeout=0) == (b"k", 7)
    q.request_notification(notification=None)
    with pytest.raises(TypeError):
        q.send(b"x", bogus=1)
    with pytest.raises(TypeError):
        s.acquire(wait=1)
    with pytest.raises(TypeError):
        posix_ipc.Semaphore(name=s.name, initial=1)


@pytest.mark.case("py.kwargs")
def test_unlink_function_keywords(names):
    name = names()
    posix_ipc.Semaphore(name, posix_ipc.O_CREX).close()
    posix_ipc.unlink_semaphore(name=name)
    posix_ipc.SharedMemory(name, posix_ipc.O_CREX).close_fd()
    posix_ipc.unlink_shared_memory(name=name)
    posix_ipc.MessageQueue(name, posix_ipc.O_CREX, max_messages=1, max_message_size=1).close()
    posix_ipc.unlink_message_queue(name=name)


@pytest.mark.case("py.kwargs")
def test_constructor_signatures_and_defaults():
    def params(cls):
        return [(p.name, p.default) for p in inspect.signature(cls).parameters.values()]
    empty = inspect.Parameter.empty
    assert params(posix_ipc.Semaphore) == [("name", empty), ("flags", 0), ("mode", 0o600), ("initial_value", 0)]
    assert params(posix_ipc.SharedMemory) == [("name", empty), ("flags", 0), ("mode", 0o600), ("size", 0),
                                              ("read_only", False)]
    assert params(posix_ipc.MessageQueue) == [
        ("name", empty), ("flags", 0), ("mode", 0o600),
        ("max_messages", posix_ipc.QUEUE_MESSAGES_MAX_DEFAULT),
        ("max_message_size", posix_ipc.QUEUE_MESSAGE_SIZE_MAX_DEFAULT), ("read", True), ("write", True)]


@pytest.mark.case("py.kwargs")
def test_positional_arguments(names):
    name = names()
    s = posix_ipc.Semaphore(name, posix_ipc.O_CREX, 0o640, 3)
    m = posix_ipc.SharedMemory(name, posix_ipc.O_CREX, 0o640, 4, False)
    q = posix_ipc.MessageQueue(name, posix_ipc.O_CREX, 0o640, 2, 8, True, False)
    try:
        assert (s.mode, s.value, m.mode, m.size, q.mode, q.max_messages, q.max_message_size) == (
            0o640, 3, 0o640, 4, 0o640, 2, 8)
        with raises(posix_ipc.PermissionsError, "The queue is not open for writing"):
            q.send(b"x")
        assert repr(q).endswith("read=True, write=False)")
        m.write(b"wxyz", 0)
        assert m.read(2, 1) == b"xy"
    finally:
        s.close()
        s.unlink()
        m.close_fd()
        m.unlink()
        q.close()
        q.unlink()


@pytest.mark.case("py.message_str")
def test_str_message_is_sent_as_utf8(mq):
    q = mq(max_messages=2, max_message_size=16)
    q.send("héllo")
    assert q.receive(0) == ("héllo".encode("utf-8"), 0)
    q.send(bytearray(b"ba"))
    assert q.receive(0) == (b"ba", 0)
    q.send(memoryview(b"mv\x00"))
    assert q.receive(0) == (b"mv\x00", 0)


@pytest.mark.case("py.message_bad_type")
@pytest.mark.parametrize("message", [42, None, 1.5, ["x"], object()])
def test_non_bytes_message(mq, message):
    q = mq(max_messages=2, max_message_size=16)
    with raises(TypeError, "The message must be bytes or a string"):
        q.send(message)
    assert q.current_messages == 0


@pytest.mark.case("py.message_bad_type")
@pytest.mark.parametrize("data", [42, None, object()])
def test_non_bytes_shm_data(shm, data):
    m = shm(size=8)
    with raises(TypeError, "The data must be bytes or a string"):
        m.write(data)


@pytest.mark.case("py.shm.mmap")
def test_mmap_sees_write_and_write_sees_mmap(shm):
    m = shm(size=posix_ipc.PAGE_SIZE)
    m.write(b"written\x00by write()", 100)
    with mmap.mmap(m.fd, m.size) as mapped:
        assert mapped[100:118] == b"written\x00by write()"
        mapped[0:5] = b"mmap!"
    assert m.read(5) == b"mmap!"
    other = posix_ipc.SharedMemory(m.name)
    try:
        with mmap.mmap(other.fileno(), 0) as mapped:
            assert len(mapped) == posix_ipc.PAGE_SIZE
            assert mapped[:5] == b"mmap!"
    finally:
        other.close_fd()


@pytest.mark.case("py.shm.mmap")
def test_mmap_survives_close_fd(shm):
    m = shm(size=16)
    mapped = mmap.mmap(m.fd, m.size)
    m.close_fd()
    mapped[:4] = b"kept"
    other = posix_ipc.SharedMemory(m.name)
    try:
        assert other.read(4) == b"kept"
    finally:
        other.close_fd()
        mapped.close()


def _count_while(block):
    """Runs block() in this thread while another thread counts; returns the count."""
    count = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            count[0] += 1
    thread = threading.Thread(target=spin)
    thread.start()
    try:
        time.sleep(0.02)
        before = count[0]
        block()
        return count[0] - before
    finally:
        stop.set()
        thread.join()


@pytest.mark.case("py.gil_released")
def test_gil_released_in_acquire(sem):
    s = sem()

    def wait():
        with raises(posix_ipc.BusyError, "Semaphore is busy"):
            s.acquire(0.3)
    assert _count_while(wait) > 10000


@pytest.mark.case("py.gil_released")
def test_gil_released_in_receive_and_send(mq):
    q = mq(max_messages=1, max_message_size=8)

    def receive():
        with raises(posix_ipc.BusyError, "The queue is empty"):
            q.receive(0.3)
    assert _count_while(receive) > 10000
    q.send(b"full")

    def send():
        with raises(posix_ipc.BusyError, "The queue is full"):
            q.send(b"more", 0.3)
    assert _count_while(send) > 10000


@pytest.mark.case("py.gil_released")
def test_other_thread_releases_while_main_waits_forever(sem, watchdog):
    s = sem()
    watchdog(10)
    main = threading.main_thread().native_id
    # The release comes once this thread waits in sem_wait; it can only come
    # if the wait let go of the GIL (else the watchdog fails the test).
    releaser = threading.Thread(target=lambda: (wait_until_blocked(main, "futex"), s.release()))
    releaser.start()
    s.acquire()
    releaser.join()
    assert s.value == 0


@pytest.mark.case("py.keyboard_interrupt")
@pytest.mark.parametrize("what", ["acquire", "receive", "send"])
def test_ctrl_c_raises_keyboard_interrupt(sem, mq, what, watchdog):
    s = sem()
    q = mq(max_messages=1, max_message_size=8)
    if what == "send":
        q.send(b"full")
    wait = {"acquire": s.acquire, "receive": q.receive, "send": lambda: q.send(b"more")}[what]
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    # Ctrl-C comes once the wait is blocked; the watchdog bounds these untimed waits.
    watchdog(10)
    sender = None
    try:
        with pytest.raises(KeyboardInterrupt):
            sender = signal_when_blocked(signal.SIGINT, "futex" if what == "acquire" else "poll")
            wait()
    finally:
        if sender:
            sender.join()
        signal.signal(signal.SIGINT, previous)


@pytest.mark.case("py.keyboard_interrupt")
@pytest.mark.parametrize("wait", ["s.acquire()", "q.receive()"])
def test_ctrl_c_from_outside_the_process(sem, mq, child, wait):
    s = sem()
    q = mq(max_messages=1, max_message_size=8)
    proc = child("""
        import sys, posix_ipc
        s = posix_ipc.Semaphore(%r)
        q = posix_ipc.MessageQueue(%r)
        print("waiting", flush=True)
        try:
            %s
        except KeyboardInterrupt:
            print("KeyboardInterrupt", flush=True)
        s.close()
        q.close()
    """ % (s.name, q.name, wait))
    assert proc.stdout.readline() == b"waiting\n"
    wait_until_blocked(proc.pid, "futex" if wait.startswith("s.") else "poll", pid=proc.pid)
    os.kill(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err.decode(errors="replace")
    assert out == b"KeyboardInterrupt\n"


@pytest.mark.case("py.keyboard_interrupt")
def test_exception_from_signal_handler_wins(sem):
    s = sem()

    class Stop(Exception):
        pass

    def handler(signum, frame):
        raise Stop()
    previous = signal.signal(signal.SIGUSR1, handler)
    sender = None
    try:
        with pytest.raises(Stop):
            sender = signal_when_blocked(signal.SIGUSR1, "futex")
            s.acquire(5)
    finally:
        if sender:
            sender.join()
        signal.signal(signal.SIGUSR1, previous)


@pytest.mark.case("py.notify.thread")
def test_callback_runs_in_a_new_thread(mq):
    q = mq(max_messages=2, max_message_size=8)
    seen = {}
    done = threading.Event()

    def callback(param):
        seen["param"] = param
        seen["main"] = threading.current_thread() is threading.main_thread()
        seen["ident"] = threading.get_ident()
        done.set()
    marker = object()
    q.request_notification((callback, marker))
    q.send(b"go")
    assert done.wait(3)
    assert seen["param"] is marker
    assert seen["main"] is False
    assert seen["ident"] != threading.get_ident()


@pytest.mark.case("py.notify.thread")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_callback_exception_does_not_crash(mq, monkeypatch):
    q = mq(max_messages=2, max_message_size=8)
    reported = []
    unraisable = threading.Event()

    def hook(info):
        reported.append((type(info.exc_value), str(info.exc_value), info.object))
        unraisable.set()
    monkeypatch.setattr(sys, "unraisablehook", hook)

    def callback(param):
        raise RuntimeError("raised inside a notification callback")
    q.request_notification((callback, None))
    q.send(b"go")
    # The exception is reported as unraisable (naming the callback), not lost
    # and not fatal ...
    assert unraisable.wait(10)
    assert reported == [(RuntimeError, "raised inside a notification callback", callback)]
    # ... and the queue and its notifications still work.
    assert q.receive(0) == (b"go", 0)
    again = threading.Event()
    q.request_notification((lambda param: again.set(), None))
    q.send(b"again")
    assert again.wait(10)


@pytest.mark.case("py.notify.thread")
def test_callback_dropped_when_handle_collected(names):
    name = names()
    q = posix_ipc.MessageQueue(name, posix_ipc.O_CREX, max_messages=2, max_message_size=8)
    q.request_notification((lambda p: None, None))
    q.close()
    q.unlink()
    del q
    gc.collect()


# The notification thread must never call into Python once the interpreter is
# finalizing: CPython ends such a thread with pthread_exit, and a forced unwind
# through a noexcept destructor aborts the process ("terminate called without
# an active exception"). The child makes the window wide: the callback (the
# builtin sorted) holds the GIL for a while, the main thread waits for the GIL
# and exits as soon as it gets it, and a slow __del__ lets the notification
# thread try for the GIL again while the interpreter is finalizing. Before the
# fix this aborted in 15 of 20 runs.
EXIT_WHILE_NOTIFYING = """
import time, posix_ipc
class SlowExit:
    def __del__(self):
        time.sleep(0.05)
slow_exit = SlowExit()
data = list(range(1000000, 0, -1))
q = posix_ipc.MessageQueue(None, posix_ipc.O_CREX, max_messages=1, max_message_size=8)
q.unlink()
q.request_notification((sorted, data))
q.send(b"x")
time.sleep(0.01)
"""


@pytest.mark.case("py.notify.thread")
@needs("MESSAGE_QUEUES_SUPPORTED")
def test_callback_thread_at_interpreter_exit_never_aborts():
    from conftest import _child_env
    runs, failures = 30, []
    for batch in range(0, runs, 2):  # two at a time: the machine has two cores
        procs = [subprocess.Popen([sys.executable, "-c", EXIT_WHILE_NOTIFYING], env=_child_env(),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        for proc in procs:
            _, err = proc.communicate(timeout=30)
            if proc.returncode != 0:
                failures.append((proc.returncode, err.decode(errors="replace").strip()))
    assert failures == [], "%d of %d runs failed: %r" % (len(failures), runs, failures[:3])


# A daemon thread waiting in acquire()/receive() when the interpreter exits,
# whose wait ends while the interpreter finalizes: CPython ends the thread
# with pthread_exit as it takes the GIL back, inside the C++ object that had
# released it. That destructor was noexcept: the process aborted in 10 of 10
# runs before the fix.
WAITER_AT_EXIT = """
import os, sys, threading, time, posix_ipc
class SlowExit:
    def __del__(self):
        time.sleep(0.2)
slow_exit = SlowExit()
if sys.argv[1] == "acquire":
    waited = posix_ipc.Semaphore(None, posix_ipc.O_CREX)
    wait, wake = waited.acquire, waited.release
else:
    waited = posix_ipc.MessageQueue(None, posix_ipc.O_CREX, max_messages=1, max_message_size=8)
    wait, wake = waited.receive, lambda: waited.send(b"wake")
waited.unlink()
threading.Thread(target=wait, daemon=True).start()
time.sleep(0.05)
if os.fork() == 0:
    time.sleep(0.1)
    wake()
    os._exit(0)
"""


@pytest.mark.case("py.interpreter_exit")
@pytest.mark.parametrize("operation", ["acquire", pytest.param("receive", marks=needs("MESSAGE_QUEUES_SUPPORTED"))])
def test_thread_waiting_at_interpreter_exit_never_aborts(operation):
    from conftest import _child_env
    failures = []
    procs = [subprocess.Popen([sys.executable, "-c", WAITER_AT_EXIT, operation], env=_child_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    for proc in procs:
        _, err = proc.communicate(timeout=30)
        if proc.returncode != 0:
            failures.append((proc.returncode, err.decode(errors="replace").strip()))
    assert failures == []


# close() while another thread waits in send/receive on the same handle: the
# waiter is woken with ExistentialError, and the real mq_close waits for it,
# so its descriptor number cannot be reused under it. Before the fix the
# waiter was not woken (it kept waiting on the closed queue and took the next
# message sent there) and its number went to the next queue opened.
def _wait_in_thread(call):
    outcome = {}

    def run():
        try:
            outcome["result"] = call()
        except Exception as error:  # noqa: BLE001 - the test looks at what it was
            outcome["error"] = error
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


@pytest.mark.case("py.close_wakes_waiters")
@pytest.mark.parametrize("operation", ["receive", "send"])
def test_close_wakes_a_thread_waiting_on_the_same_queue(mq, names, operation):
    q = mq(max_messages=1, max_message_size=32)
    if operation == "send":
        q.send(b"fills the queue")
        thread, outcome = _wait_in_thread(lambda: q.send(b"waits for room"))
    else:
        thread, outcome = _wait_in_thread(q.receive)
    time.sleep(0.2)  # the thread is waiting now
    other = posix_ipc.MessageQueue(q.name)
    try:
        q.close()
        # The next queue opened must not take over the waiter's descriptor.
        newer = mq(max_messages=1, max_message_size=32)
        newer.send(b"for the newer queue")
        thread.join(3)
        if thread.is_alive():  # not woken: release it through the queue it waits on
            other.receive(0) if operation == "send" else other.send(b"release")
            thread.join(3)
            pytest.fail("close() did not wake the waiting thread")
        error = outcome.get("error")
        assert type(error) is posix_ipc.ExistentialError, outcome
        assert str(error) == ("The message queue does not exist or is not open for %s"
                              % ("writing" if operation == "send" else "reading"))
        assert newer.receive(0) == (b"for the newer queue", 0)
        other.send(b"after") if operation == "receive" else None
        assert other.current_messages == 1  # nothing taken by the woken thread
    finally:
        other.close()


@pytest.mark.case("py.close_wakes_waiters")
def test_close_wakes_every_waiting_thread(mq):
    q = mq(max_messages=1, max_message_size=16)
    waiting = [_wait_in_thread(q.receive) for _ in range(4)]
    time.sleep(0.2)
    q.close()
    for thread, outcome in waiting:
        thread.join(3)
        assert not thread.is_alive()
        assert type(outcome.get("error")) is posix_ipc.ExistentialError, outcome


@pytest.mark.case("py.readonly.AttributeError")
def test_readonly_attributes_raise_attribute_error(sem, shm, mq):
    objects = {
        sem(): ["name", "mode", "value"],
        shm(size=4): ["name", "mode", "fd", "size"],
        mq(max_messages=2, max_message_size=8): ["name", "mode", "mqd", "max_messages", "max_message_size",
                                                  "current_messages"],
    }
    for obj, attributes in objects.items():
        for attribute in attributes:
            with pytest.raises(AttributeError):
                setattr(obj, attribute, 1)
    q = [o for o in objects if isinstance(o, posix_ipc.MessageQueue)][0]
    q.block = False  # the one writable attribute
    assert q.block is False


def _mp_child(name):
    s = posix_ipc.Semaphore(name)
    m = posix_ipc.SharedMemory(name)
    q = posix_ipc.MessageQueue(name)
    m.write(b"mp")
    q.send(b"from multiprocessing", priority=3)
    s.release()
    s.close()
    m.close_fd()
    q.close()


@pytest.mark.case("py.multiprocessing")
def test_multiprocessing_fork(names, watchdog):
    name = names()
    s = posix_ipc.Semaphore(name, posix_ipc.O_CREX)
    m = posix_ipc.SharedMemory(name, posix_ipc.O_CREX, size=2)
    q = posix_ipc.MessageQueue(name, posix_ipc.O_CREX, max_messages=2, max_message_size=32)
    try:
        process = multiprocessing.get_context("fork").Process(target=_mp_child, args=(name,))
        process.start()
        watchdog(10)
        s.acquire()
        process.join(10)
        assert process.exitcode == 0
        assert m.read() == b"mp"
        assert q.receive(0) == (b"from multiprocessing", 3)
    finally:
        s.close()
        s.unlink()
        m.close_fd()
        m.unlink()
        q.close()
        q.unlink()


@pytest.mark.case("py.multiprocessing")
def test_handle_inherited_by_fork(sem):
    s = sem()
    pid = os.fork()
    if pid == 0:  # child: use the inherited handle, then leave without cleanup handlers
        try:
            s.release()
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert s.value == 1


@pytest.mark.case("py.timeout_nan_inf")
def test_nan_timeout(sem, mq):
    s = sem(initial_value=1)
    q = mq(max_messages=2, max_message_size=8)
    nan = float("nan")
    with raises(TypeError, BAD_TIMEOUT):
        s.acquire(nan)
    with raises(TypeError, BAD_TIMEOUT):
        s.acquire(-nan)
    with raises(TypeError, BAD_TIMEOUT):
        q.send(b"x", nan)
    with raises(TypeError, BAD_TIMEOUT):
        q.receive(nan)
    assert s.value == 1
    assert q.current_messages == 0


@pytest.mark.case("py.timeout_nan_inf")
@pytest.mark.parametrize("timeout", [float("inf"), 1e300, 10**400])
def test_huge_timeout_overflows(sem, mq, timeout):
    s = sem(initial_value=1)
    q = mq(max_messages=2, max_message_size=8)
    with raises(OverflowError, "The timeout is too large"):
        s.acquire(timeout)
    with raises(OverflowError, "The timeout is too large"):
        q.send(b"x", timeout)
    with raises(OverflowError, "The timeout is too large"):
        q.receive(timeout)
    with raises(TypeError, BAD_TIMEOUT):
        s.acquire(-timeout)
    assert s.value == 1
    assert q.current_messages == 0


@pytest.mark.case("py.timeout_nan_inf")
def test_large_finite_timeout_is_fine(sem):
    s = sem(initial_value=1)
    s.acquire(1e9)  # available at once: no wait
    assert s.value == 0


@pytest.mark.case("py.initial_value_overflow")
def test_release_beyond_max(sem):
    s = sem(initial_value=posix_ipc.SEMAPHORE_VALUE_MAX)
    with pytest.raises(ValueError):
        s.release()
    assert s.value == posix_ipc.SEMAPHORE_VALUE_MAX


@pytest.mark.case("py.integer_overflow")
def test_integers_beyond_c_range_get_the_parameters_error(names, shm, mq):
    name = names()
    huge = 2**64
    with raises(ValueError, "Invalid parameter(s)"):
        posix_ipc.Semaphore(name, huge)
    with raises(ValueError, "Invalid parameter(s)"):
        posix_ipc.Semaphore(name, posix_ipc.O_CREX, mode=huge)
    with raises(ValueError, "The size is invalid or the memory is read-only"):
        posix_ipc.SharedMemory(name, posix_ipc.O_CREX, size=huge)
    with raises(ValueError, "Invalid parameter(s)"):
        posix_ipc.MessageQueue(name, posix_ipc.O_CREX, max_messages=huge)
    with raises(ValueError, "Invalid parameter(s)"):
        posix_ipc.MessageQueue(name, posix_ipc.O_CREX, max_message_size=-huge)
    m = shm(size=4)
    for args in [(huge,), (0, huge), (1, -huge)]:
        with raises(ValueError, "The offset and byte count must lie within the segment"):
            m.read(*args)
    with raises(ValueError, "The offset and byte count must lie within the segment"):
        m.write(b"x", huge)
    q = mq(max_messages=2, max_message_size=8)
    for priority in (huge, -huge):
        with raises(ValueError, "The priority must be a positive number no greater than QUEUE_PRIORITY_MAX (32767)"):
            q.send(b"x", priority=priority)


@pytest.mark.case("py.integer_arguments")
def test_integer_arguments_accept_index_objects_and_reject_floats(names, shm):
    class Index:
        def __init__(self, value):
            self.value = value

        def __index__(self):
            return self.value
    name = names()
    s = posix_ipc.Semaphore(name, Index(posix_ipc.O_CREX), Index(0o640), Index(2))
    try:
        assert (s.mode, s.value) == (0o640, 2)
    finally:
        s.close()
        s.unlink()
    m = shm(size=Index(4))
    assert m.read(Index(2), Index(1)) == b"\0\0"
    with raises(TypeError, "'float' object cannot be interpreted as an integer"):
        shm(size=1.5)
    with raises(TypeError, "'str' object cannot be interpreted as an integer"):
        posix_ipc.Semaphore(names(), posix_ipc.O_CREX, initial_value="1")


@pytest.mark.case("py.bad_arguments")
def test_bad_flags_and_mode(names):
    name = names()
    with raises(ValueError, "Invalid parameter(s)"):
        posix_ipc.Semaphore(name, 0x40000000)
    with raises(ValueError, "Invalid parameter(s)"):
        posix_ipc.Semaphore(name, posix_ipc.O_CREX, mode=-1)
    with pytest.raises(TypeError):
        posix_ipc.Semaphore(name, "O_CREX")
    with pytest.raises(TypeError):
        posix_ipc.SharedMemory(name, posix_ipc.O_CREX, size="10")
    with pytest.raises(TypeError):
        posix_ipc.MessageQueue(name, posix_ipc.O_CREX, max_messages=None)


@pytest.mark.case("py.collect")
def test_collecting_a_handle_does_not_close_another(sem):
    s = sem(initial_value=1)
    other = posix_ipc.Semaphore(s.name)
    del other
    gc.collect()
    s.acquire(0)
    s.release()
    assert s.value == 1


@pytest.mark.case("py.readonly.AttributeError")
def test_unknown_attributes_refuse_assignment(sem, shm, mq):
    # As upstream's C types: a misspelt attribute is an error, not silently kept.
    for obj in (sem(), shm(), mq(max_messages=2, max_message_size=8)):
        with pytest.raises(AttributeError):
            obj.no_such_attribute = 1
        with pytest.raises(AttributeError):
            obj.no_such_attribute
    q = mq(max_messages=2, max_message_size=8)
    with pytest.raises(AttributeError):
        q.blocking = False
    assert q.block is True


@pytest.mark.case("py.subclass")
def test_subclasses_work(sem):
    s = sem(initial_value=1)

    class Named(posix_ipc.Semaphore):
        pass
    other = Named(s.name)
    try:
        other.note = "subclasses may add attributes"
        assert other.note == "subclasses may add attributes"
        with other:
            assert s.value == 0
        assert isinstance(other, posix_ipc.Semaphore)
        assert repr(other) == repr(s)
    finally:
        other.close()


@pytest.mark.case("py.threads")
def test_threads_share_a_queue_handle(mq):
    q = mq(max_messages=4, max_message_size=16)
    received = []
    lock = threading.Lock()

    def consume():
        while True:
            message, _ = q.receive(5)
            if message == b"stop":
                return
            with lock:
                received.append(message)
    threads = [threading.Thread(target=consume) for _ in range(4)]
    for thread in threads:
        thread.start()
    sent = [b"m%03d" % i for i in range(200)]
    for message in sent:
        q.send(message, 5)
    for _ in threads:
        q.send(b"stop", 5)
    for thread in threads:
        thread.join(10)
    assert sorted(received) == sent


@pytest.mark.case("py.threads")
def test_threads_share_a_semaphore(sem):
    s = sem(initial_value=1)
    counter = [0]

    def work():
        for _ in range(200):
            with s:
                value = counter[0]
                time.sleep(0)
                counter[0] = value + 1
    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert counter[0] == 800
    assert s.value == 1


@pytest.mark.case("py.uninitialized")
@pytest.mark.parametrize("cls_name, members, message", [
    ("Semaphore", ["acquire", "release", "close", "unlink"], "The semaphore has been closed"),
    ("SharedMemory", ["read", "close_fd", "unlink", "fileno"], "The shared memory's file descriptor has been closed"),
    ("MessageQueue", ["receive", "close", "unlink", "fileno", "request_notification"], "The queue does not exist"),
])
def test_object_without_init_raises_instead_of_crashing(cls_name, members, message):
    cls = getattr(posix_ipc, cls_name)
    obj = cls.__new__(cls)  # never initialised: no C++ object behind it
    for member in members:
        with pytest.raises(posix_ipc.ExistentialError):
            getattr(obj, member)()
    for attribute in ("name", "mode"):
        with raises(posix_ipc.ExistentialError, message):
            getattr(obj, attribute)
    with pytest.raises(posix_ipc.ExistentialError):
        repr(obj)
    del obj
    gc.collect()


@pytest.mark.case("py.kwargs")
def test_method_signatures(sem, mq):
    s = sem()
    q = mq(max_messages=2, max_message_size=8)
    assert str(inspect.signature(s.acquire)) == "(timeout=None)"
    assert str(inspect.signature(s.release)) == "()"
    assert str(inspect.signature(q.send)) == "(message, timeout=None, priority=0)"
    assert str(inspect.signature(q.receive)) == "(timeout=None)"


@pytest.mark.case("py.kwargs")
def test_shared_memory_constructor_argument_errors(names):
    """SharedMemory's compiled constructor (fast_methods.hpp) reports a call
    that does not fit its parameters as Python does, and creates nothing."""
    name = names()
    for args, kwargs, message in [
            ((), {}, "SharedMemory() missing required argument 'name' (pos 1)"),
            ((name,), {"bogus": 1}, "SharedMemory() got an unexpected keyword argument 'bogus'"),
            ((name, 0, 0o600, 0, False, 1), {}, "SharedMemory() takes at most 5 arguments (6 given)"),
            ((name,), {"name": name}, "SharedMemory() got multiple values for argument 'name'"),
            ((name, posix_ipc.O_CREX), {"size": "10"}, "'str' object cannot be interpreted as an integer")]:
        with raises(TypeError, message):
            posix_ipc.SharedMemory(*args, **kwargs)
    assert not shm_exists(name)
    m = posix_ipc.SharedMemory(read_only=False, size=10, mode=0o640, flags=posix_ipc.O_CREX, name=name)
    try:
        assert (m.name, m.size, m.mode) == (name, 10, 0o640)
    finally:
        m.close_fd()
        m.unlink()
