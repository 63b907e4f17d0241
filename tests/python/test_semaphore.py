"""posix_ipc.Semaphore and unlink_semaphore."""

import inspect
import signal
import threading
import time

import pytest

import posix_ipc
from conftest import TIME_SCALE, finish, needs, raises, sem_exists, signal_when_blocked, wait_until_blocked

NOT_FOUND = "No semaphore exists with the specified name"
EXISTS = "A semaphore with the specified name already exists"
CLOSED = "The semaphore has been closed"
BUSY = "Semaphore is busy"
INTERRUPTED = "The wait was interrupted by a signal"
BAD_TIMEOUT = "The timeout must be None or a non-negative number"


@pytest.mark.case("sem.create.excl")
def test_create_excl_sets_initial_value(sem, names):
    name = names()
    s = sem(name, posix_ipc.O_CREX, initial_value=3)
    assert s.name == name
    assert s.value == 3
    assert sem_exists(name)
    assert sem(flags=posix_ipc.O_CREX).value == 0  # default initial_value


@pytest.mark.case("sem.create.exists")
def test_create_excl_on_existing(sem):
    s = sem()
    with raises(posix_ipc.ExistentialError, EXISTS):
        posix_ipc.Semaphore(s.name, posix_ipc.O_CREX)


@pytest.mark.case("sem.create.random_name")
def test_random_name(sem):
    a = posix_ipc.Semaphore(None, posix_ipc.O_CREX, initial_value=1)
    b = posix_ipc.Semaphore(None, posix_ipc.O_CREX)
    try:
        assert a.name.startswith("/") and len(a.name) > 1
        assert b.name.startswith("/") and a.name != b.name
        assert sem_exists(a.name)
        assert a.value == 1
        assert posix_ipc.Semaphore(a.name).value == 1  # opened by the picked name
    finally:
        for s in (a, b):
            s.close()
            s.unlink()


@pytest.mark.case("sem.create.bad_initial_value")
@pytest.mark.parametrize("value", [-1, posix_ipc.SEMAPHORE_VALUE_MAX + 1])
def test_bad_initial_value(names, value):
    name = names()
    with raises(ValueError, "The initial value must be between 0 and SEMAPHORE_VALUE_MAX"):
        posix_ipc.Semaphore(name, posix_ipc.O_CREX, initial_value=value)
    assert not sem_exists(name)


@pytest.mark.case("sem.create.bad_initial_value")
def test_initial_value_max_is_accepted(sem):
    assert sem(initial_value=posix_ipc.SEMAPHORE_VALUE_MAX).value == posix_ipc.SEMAPHORE_VALUE_MAX


@pytest.mark.case("py.initial_value_overflow")
@pytest.mark.parametrize("value", [2**63, 2**70, -2**70])
def test_initial_value_beyond_c_range(names, value):
    name = names()
    with raises(ValueError, "The initial value must be between 0 and SEMAPHORE_VALUE_MAX"):
        posix_ipc.Semaphore(name, posix_ipc.O_CREX, initial_value=value)
    assert not sem_exists(name)


@pytest.mark.case("sem.open.missing")
def test_open_missing(names):
    with raises(posix_ipc.ExistentialError, NOT_FOUND):
        posix_ipc.Semaphore(names())
    with raises(posix_ipc.ExistentialError, NOT_FOUND):
        posix_ipc.Semaphore(names(), 0)


@pytest.mark.case("sem.open.creat_existing")
def test_creat_opens_existing_and_ignores_initial_value(sem):
    s = sem(initial_value=2)
    other = posix_ipc.Semaphore(s.name, posix_ipc.O_CREAT, initial_value=7)
    try:
        assert other.value == 2
        other.release()
        assert s.value == 3
    finally:
        other.close()


@pytest.mark.case("sem.open.creat_existing")
def test_creat_creates_when_missing(names):
    name = names()
    s = posix_ipc.Semaphore(name, posix_ipc.O_CREAT, initial_value=4)
    try:
        assert s.value == 4
    finally:
        s.close()
        s.unlink()


@pytest.mark.case("sem.acquire_release")
def test_acquire_release(sem):
    s = sem(initial_value=1)
    s.acquire()
    assert s.value == 0
    s.release()
    s.release()
    assert s.value == 2
    s.acquire(None)
    s.acquire(0)
    assert s.value == 0
    assert s.release() is None


@pytest.mark.case("sem.acquire.timeout_zero_busy")
@pytest.mark.parametrize("timeout", [0, 0.0])
def test_acquire_zero_timeout_busy(sem, timeout):
    s = sem()
    started = time.monotonic()
    with raises(posix_ipc.BusyError, BUSY):
        s.acquire(timeout)
    assert time.monotonic() - started < 0.5 * TIME_SCALE
    assert s.value == 0


@pytest.mark.case("sem.acquire.timeout_expires")
def test_acquire_timeout_expires(sem):
    s = sem()
    started = time.monotonic()
    with raises(posix_ipc.BusyError, BUSY):
        s.acquire(0.1)
    elapsed = time.monotonic() - started
    assert 0.09 <= elapsed < 1.0 * TIME_SCALE


@pytest.mark.case("sem.acquire.timeout_expires")
def test_acquire_integer_timeout_expires(sem):
    s = sem()
    started = time.monotonic()
    with raises(posix_ipc.BusyError, BUSY):
        s.acquire(1)
    assert 0.95 <= time.monotonic() - started < 2.0 * TIME_SCALE


@pytest.mark.case("sem.acquire.timeout_positive_ok")
def test_acquire_positive_timeout_on_positive_semaphore(sem):
    s = sem(initial_value=1)
    started = time.monotonic()
    s.acquire(1)
    assert time.monotonic() - started < 0.5 * TIME_SCALE
    assert s.value == 0


@pytest.mark.case("sem.acquire.timeout_positive_ok")
def test_acquire_timeout_returns_when_released_meanwhile(sem):
    s = sem()
    timer = threading.Timer(0.1, s.release)
    timer.start()
    started = time.monotonic()
    s.acquire(2)
    timer.join()
    assert time.monotonic() - started < 1.5 * TIME_SCALE
    assert s.value == 0


@pytest.mark.case("sem.acquire.bad_timeout")
@pytest.mark.parametrize("timeout", [-1, -0.5, "1", b"1", [], object(), 1j])
def test_acquire_bad_timeout(sem, timeout):
    s = sem(initial_value=1)
    with raises(TypeError, BAD_TIMEOUT):
        s.acquire(timeout)
    assert s.value == 1


@pytest.mark.case("sem.acquire.waits_for_release")
def test_acquire_waits_for_release_by_another_process(sem, child, watchdog):
    s = sem()
    proc = child("""
        import time, posix_ipc
        s = posix_ipc.Semaphore(%r)
        time.sleep(0.2)
        s.release()
        s.close()
    """ % s.name)
    watchdog(10)
    started = time.monotonic()
    s.acquire()
    assert time.monotonic() - started >= 0.1
    finish(proc)
    assert s.value == 0


@pytest.mark.case("sem.acquire.signal_interrupts")
@pytest.mark.parametrize("timeout", [None, 5])
def test_signal_interrupts_acquire(sem, timeout, watchdog):
    s = sem()
    caught = []
    previous = signal.signal(signal.SIGUSR1, lambda signum, frame: caught.append(signum))
    # The signal comes once this thread is blocked in sem_wait / sem_clockwait;
    # should it come too early, the watchdog ends the wait and fails the test.
    watchdog(10)
    sender = signal_when_blocked(signal.SIGUSR1, "futex")
    try:
        with raises(posix_ipc.SignalError, INTERRUPTED):
            s.acquire(timeout)
    finally:
        sender.join()
        signal.signal(signal.SIGUSR1, previous)
    assert caught == [signal.SIGUSR1]
    assert s.value == 0


@pytest.mark.case("sem.acquire.signal_interrupts")
def test_itimer_signal_interrupts_acquire(sem):
    s = sem()
    caught = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: caught.append(signum))
    # A 0.1 s timer that repeats: one that fires before the wait starts is
    # followed by one during it, so this untimed wait always ends.
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.1, 0.1)
        with raises(posix_ipc.SignalError, INTERRUPTED):
            s.acquire()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert caught and set(caught) == {signal.SIGALRM}
    assert s.value == 0


@pytest.mark.case("sem.guard")
def test_with_acquires_and_releases(sem):
    s = sem(initial_value=1)
    with s as entered:
        assert entered is s
        assert s.value == 0
    assert s.value == 1


@pytest.mark.case("sem.guard")
def test_with_releases_on_error(sem):
    s = sem(initial_value=1)
    with pytest.raises(ZeroDivisionError):
        with s:
            assert s.value == 0
            1 / 0
    assert s.value == 1


@pytest.mark.case("sem.guard")
def test_with_blocks_until_available(sem):
    s = sem()
    timer = threading.Timer(0.1, s.release)
    timer.start()
    with s:
        assert s.value == 0
    timer.join()
    assert s.value == 1


@pytest.mark.case("py.sem.guard.compiled")
def test_with_is_compiled_and_checks_its_handle(sem):
    """__enter__/__exit__ are C methods as upstream's (no Python frame per
    `with`), and behave as acquire()/release() do on a closed handle."""
    s = sem(initial_value=1)
    for name in ("__enter__", "__exit__"):
        method = inspect.getattr_static(type(s), name)
        assert type(method).__name__ == "method_descriptor", name
        assert method.__objclass__ is posix_ipc._posix_ipc.Semaphore, name
    assert s.__enter__() is s and s.value == 0
    assert s.__exit__(None, None, None) is None and s.value == 1
    with pytest.raises(TypeError):
        s.__exit__()
    other = posix_ipc.Semaphore(s.name)
    other.close()
    with raises(posix_ipc.ExistentialError, "The semaphore has been closed"):
        with other:
            pass
    assert s.value == 1


@pytest.mark.case("sem.mode")
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644, 0o400])
def test_mode(sem, mode):
    assert sem(mode=mode).mode == mode


@pytest.mark.case("sem.mode")
def test_default_mode(sem):
    assert sem().mode == 0o600


@pytest.mark.case("sem.attributes.readonly")
@pytest.mark.parametrize("attribute", ["name", "mode", pytest.param("value", marks=needs("SEMAPHORE_VALUE_SUPPORTED"))])
def test_readonly_attributes(sem, attribute):
    s = sem(initial_value=1)
    before = getattr(s, attribute)
    with pytest.raises(AttributeError):
        setattr(s, attribute, before if attribute == "name" else 5)
    with pytest.raises(AttributeError):
        delattr(s, attribute)
    assert getattr(s, attribute) == before


@pytest.mark.case("sem.closed.use")
def test_closed_semaphore(sem):
    s = sem(initial_value=1)
    s.close()
    with raises(posix_ipc.ExistentialError, CLOSED):
        s.acquire()
    with raises(posix_ipc.ExistentialError, CLOSED):
        s.acquire(0)
    with raises(posix_ipc.ExistentialError, CLOSED):
        s.release()
    with raises(posix_ipc.ExistentialError, CLOSED):
        s.value
    assert s.name and s.mode == 0o600  # still readable after close


@pytest.mark.case("sem.closed.twice")
def test_close_twice(sem):
    s = sem()
    assert s.close() is None
    with raises(posix_ipc.ExistentialError, CLOSED):
        s.close()


@pytest.mark.case("sem.close.other_handle")
def test_close_leaves_other_handle_working(sem):
    s = sem(initial_value=1)
    other = posix_ipc.Semaphore(s.name)
    other.close()
    s.acquire(0)
    s.release()
    assert s.value == 1


@pytest.mark.case("sem.unlink")
def test_unlink(sem):
    s = sem(initial_value=1)
    assert s.unlink() is None
    assert not sem_exists(s.name)
    with raises(posix_ipc.ExistentialError, NOT_FOUND):
        posix_ipc.Semaphore(s.name)
    s.acquire(0)  # the open handle still works
    with raises(posix_ipc.ExistentialError, NOT_FOUND):
        s.unlink()


@pytest.mark.case("sem.unlink_function")
def test_unlink_function(sem, names):
    s = sem()
    assert posix_ipc.unlink_semaphore(s.name) is None
    assert not sem_exists(s.name)
    with raises(posix_ipc.ExistentialError, NOT_FOUND):
        posix_ipc.unlink_semaphore(s.name)
    with raises(posix_ipc.ExistentialError, NOT_FOUND):
        posix_ipc.unlink_semaphore(names())


@pytest.mark.case("sem.cross_process")
def test_cross_process(sem, child):
    s = sem(initial_value=0)
    proc = child("""
        import posix_ipc
        s = posix_ipc.Semaphore(%r)
        print(s.value)
        s.release()
        s.release()
        s.close()
    """ % s.name)
    out = finish(proc)
    assert out.split() == [b"0"]
    assert s.value == 2
    s.acquire(0)
    s.acquire(0)
    with raises(posix_ipc.BusyError, BUSY):
        s.acquire(0)


@pytest.mark.case("sem.cross_process")
def test_cross_process_child_creates(names, child):
    name = names()
    proc = child("""
        import posix_ipc
        posix_ipc.Semaphore(%r, posix_ipc.O_CREX, initial_value=5).close()
    """ % name)
    finish(proc)
    s = posix_ipc.Semaphore(name)
    try:
        assert s.value == 5
    finally:
        s.close()
        s.unlink()


@pytest.mark.case("sem.unlink")
def test_unlink_after_close(sem):
    s = sem()
    s.close()
    s.unlink()  # as upstream: name and unlink() still work on a closed handle
    assert not sem_exists(s.name)


@pytest.mark.case("sem.close.other_handle")
def test_close_while_another_thread_waits(sem, watchdog):
    s = sem()
    other = posix_ipc.Semaphore(s.name)
    outcome = []

    def wait():
        try:
            s.acquire(5)
            outcome.append("acquired")
        except Exception as error:  # noqa: BLE001 -- reported below
            outcome.append(error)
    thread = threading.Thread(target=wait)
    thread.start()
    wait_until_blocked(thread.native_id, "futex")
    s.close()  # the waiter keeps its semaphore until it returns
    other.release()
    thread.join(5)
    assert outcome == ["acquired"]
    assert other.value == 0
    other.close()
