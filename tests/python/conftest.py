"""Shared fixtures for the posix_ipc pytest suite.

Hygiene: every test gets unique names from the `names` factory (prefix
/pytest_<pid>_...), and `sem`, `shm`, `mq` factories that create objects and
close + unlink them at teardown. The autouse `leak_guard` fails a test that
leaves behind anything it made: any new /dev/shm entry with our prefix, and
any object whose name the test generated or whose handle the test constructed
(queues are checked by opening them with flags 0, since /dev/mqueue may not be
mounted). Entries other people's processes create meanwhile are ignored.
"""

import functools
import inspect
import itertools
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import posix_ipc

SHM_DIR = "/dev/shm"
# Upper bounds on how long a call may take are strict in a normal run and this
# many times looser under valgrind or a sanitizer (scripts/sanitize sets it).
TIME_SCALE = max(1.0, float(os.environ.get("POSIX_IPC_TIME_SCALE", "1")))
PREFIX = "pytest_%d_" % os.getpid()
_counter = itertools.count()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "case(id): the behaviour case ID (tests/cases.txt) or py.* ID this test checks")


# ---- what the platform lacks ------------------------------------------------------

# The capability constants the build's platform lacks, as ctest passes them
# (cmake/PosixIpcPlatform.cmake): none on Linux; in a simulated lane (macOS)
# e.g. MESSAGE_QUEUES_SUPPORTED. Without ctest: none.
UNSUPPORTED = frozenset(filter(None, os.environ.get("POSIX_IPC_EXPECT_UNSUPPORTED", "").split(",")))
FEATURE_TEXT = {
    "MESSAGE_QUEUES_SUPPORTED": "message queues",
    "SEMAPHORE_TIMEOUT_SUPPORTED": "semaphore timeouts (sem_timedwait)",
    "SEMAPHORE_VALUE_SUPPORTED": "a semaphore's value (sem_getvalue)",
}


def expect_supported(capability):
    return capability not in UNSUPPORTED


def unsupported_reason(capability):
    """The skip reason of a test that needs `capability`: it names the feature and the constant."""
    platform = os.environ.get("POSIX_IPC_PLATFORM") or "this platform"
    return "%s not supported on %s (%s false)" % (FEATURE_TEXT[capability], platform, capability)


def needs(capability):
    """@needs("MESSAGE_QUEUES_SUPPORTED"): skipped, saying why, where the build lacks it."""
    return pytest.mark.skipif(not getattr(posix_ipc, capability), reason=unsupported_reason(capability))


# What a test uses, read from its source (and its parameters): where the
# platform lacks it, the test is skipped with unsupported_reason(). Linux has
# every feature, so there nothing is skipped.
_USES = {
    "MESSAGE_QUEUES_SUPPORTED": re.compile(
        r"MessageQueue|unlink_message_queue|\bmq\b|QUEUE_|O_NONBLOCK|O_RDONLY|O_WRONLY|O_RDWR|USER_SIGNAL|"
        r"receive_async|send_async|message queue"),
    "SEMAPHORE_VALUE_SUPPORTED": re.compile(r"\.value\b"),
    # a finite timeout > 0: acquire(0.3), acquire(timeout=5), acquire(t)
    "SEMAPHORE_TIMEOUT_SUPPORTED": re.compile(r"\.acquire\((?!\)|0\)|0\.0\)|None\)|timeout=None\))"),
}


def _needed_capabilities(item):
    function = getattr(item, "function", None)
    try:
        source = inspect.getsource(function) if function else ""
    except (OSError, TypeError):
        source = ""
    callspec = getattr(item, "callspec", None)
    if callspec is not None:
        # A parametrized test: its parameters decide for the queue (one
        # instance per class), the source for the rest.
        params = " ".join("%s %s" % (getattr(v, "__name__", ""), v) for v in callspec.params.values())
        params += " " + callspec.id
        if "MessageQueue" in params or "message_queue" in params:
            yield "MESSAGE_QUEUES_SUPPORTED"
        source = _USES["MESSAGE_QUEUES_SUPPORTED"].sub("", source) if re.search(
            r"Semaphore|SharedMemory|semaphore|shared_memory", params) else source
    for capability, pattern in _USES.items():
        if pattern.search(source):
            yield capability


def pytest_collection_modifyitems(config, items):
    missing = [c for c in _USES if not getattr(posix_ipc, c)]
    if not missing:
        return
    for item in items:
        case = item.get_closest_marker("case")
        if case and case.args and case.args[0].startswith(("platform.", "module.constants.supported")):
            continue  # the tests of the platform's gaps check both sides themselves
        for capability in _needed_capabilities(item):
            if capability in missing:
                item.add_marker(pytest.mark.skip(reason=unsupported_reason(capability)))
                break


# ---- exact errors ---------------------------------------------------------------------

def raises(cls, message):
    """Like pytest.raises, then checks the exact message on exit."""
    return _Raises(cls, message)


class _Raises:
    def __init__(self, cls, message):
        self.cls, self.message = cls, message

    def __enter__(self):
        self.ctx = pytest.raises(self.cls)
        self.info = self.ctx.__enter__()
        return self.info

    def __exit__(self, *exc):
        suppressed = self.ctx.__exit__(*exc)
        if not suppressed:
            return False  # another exception: let it propagate unchanged
        assert type(self.info.value) is self.cls
        assert str(self.info.value) == self.message
        return suppressed


# ---- existence probes -----------------------------------------------------------

def sem_exists(name):
    return os.path.exists(os.path.join(SHM_DIR, "sem." + name.lstrip("/")))


def shm_exists(name):
    return os.path.exists(os.path.join(SHM_DIR, name.lstrip("/")))


def mq_exists(name):
    try:
        q = posix_ipc.MessageQueue(name)
    except posix_ipc.ExistentialError:
        return False
    q.close()
    return True


def _ours_in_dev_shm():
    try:
        entries = os.listdir(SHM_DIR)
    except FileNotFoundError:
        return set()
    return {e for e in entries if e.startswith(PREFIX) or e.startswith("sem." + PREFIX)}


# ---- recording every handle the test constructs ------------------------------------

class _Made:
    def __init__(self):
        self.sems = set()
        self.shms = set()
        self.mqs = set()


_made = _Made()


def _recording(cls, bucket):
    """A subclass of cls that remembers the name of every handle constructed.

    (The SWIG -builtin metaclass forbids patching __init__ on the class itself,
    so the module attribute is swapped for this subclass during each test.)"""
    def __init__(self, *args, **kwargs):
        cls.__init__(self, *args, **kwargs)
        bucket.add(self.name)
    # inspect.signature() of the recording class: the real class's parameters.
    signature = inspect.signature(cls)
    __init__.__signature__ = signature.replace(parameters=[
        inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        *signature.parameters.values()])
    return type(cls)(cls.__name__, (cls,), {"__slots__": (), "__init__": __init__,
                                             "__qualname__": cls.__qualname__,
                                             "__module__": cls.__module__})


_RECORDING = [("Semaphore", _recording(posix_ipc.Semaphore, _made.sems)),
              ("SharedMemory", _recording(posix_ipc.SharedMemory, _made.shms))]
if posix_ipc.MESSAGE_QUEUES_SUPPORTED:  # else there is no MessageQueue (as upstream on macOS)
    _RECORDING.append(("MessageQueue", _recording(posix_ipc.MessageQueue, _made.mqs)))


@pytest.fixture(autouse=True)
def leak_guard(monkeypatch):
    """Fails the test if it leaves an IPC object behind."""
    _made.sems.clear()
    _made.shms.clear()
    _made.mqs.clear()
    for attribute, recording in _RECORDING:
        monkeypatch.setattr(posix_ipc, attribute, recording)
    before = _ours_in_dev_shm()
    yield
    monkeypatch.undo()
    leaks = []
    for name in sorted(_made.sems | _Names.generated):
        if sem_exists(name):
            leaks.append("semaphore " + name)
            _quiet(posix_ipc.unlink_semaphore, name)
    for name in sorted(_made.shms | _Names.generated):
        if shm_exists(name):
            leaks.append("shared memory " + name)
            _quiet(posix_ipc.unlink_shared_memory, name)
    for name in sorted(_made.mqs | _Names.generated):
        if posix_ipc.MESSAGE_QUEUES_SUPPORTED and mq_exists(name):
            leaks.append("message queue " + name)
            _quiet(posix_ipc.unlink_message_queue, name)
    for entry in sorted(_ours_in_dev_shm() - before):
        leaks.append("/dev/shm/" + entry)
        _quiet(os.unlink, os.path.join(SHM_DIR, entry))
    _Names.generated.clear()
    if leaks:
        pytest.fail("test left IPC objects behind: " + ", ".join(leaks), pytrace=False)


def _quiet(function, *args):
    try:
        function(*args)
    except (posix_ipc.Error, OSError):
        pass


# ---- factories ----------------------------------------------------------------------

class _Names:
    generated = set()


@pytest.fixture
def names():
    """names() -> a fresh unique name such as /pytest_1234_7 (remembered for the leak check)."""
    def make(suffix=""):
        name = "/%s%d%s" % (PREFIX, next(_counter), suffix)
        _Names.generated.add(name)
        return name
    return make


def _closing_factory(create, close, unlink):
    made = []

    def make(*args, **kwargs):
        obj = create(*args, **kwargs)
        made.append(obj)
        return obj

    def cleanup():
        for obj in made:
            _quiet(close, obj)
            _quiet(unlink, obj.name)
    return make, cleanup


@pytest.fixture
def sem(names):
    """sem(**kwargs) -> a new semaphore (O_CREX, unique name), closed and unlinked at teardown."""
    def create(name=None, flags=posix_ipc.O_CREX, **kwargs):
        return posix_ipc.Semaphore(name or names(), flags, **kwargs)
    make, cleanup = _closing_factory(create, lambda s: s.close(), posix_ipc.unlink_semaphore)
    yield make
    cleanup()


@pytest.fixture
def shm(names):
    """shm(**kwargs) -> a new segment (O_CREX, unique name), fd closed and unlinked at teardown."""
    def create(name=None, flags=posix_ipc.O_CREX, **kwargs):
        return posix_ipc.SharedMemory(name or names(), flags, **kwargs)
    make, cleanup = _closing_factory(create, lambda m: m.close_fd(), posix_ipc.unlink_shared_memory)
    yield make
    cleanup()


@pytest.fixture
def mq(names):
    """mq(**kwargs) -> a new queue (O_CREX, unique name), closed and unlinked at teardown.
    Where there are no queues, the test using it skips, saying so."""
    if not posix_ipc.MESSAGE_QUEUES_SUPPORTED:
        pytest.skip(unsupported_reason("MESSAGE_QUEUES_SUPPORTED"))

    def create(name=None, flags=posix_ipc.O_CREX, **kwargs):
        return posix_ipc.MessageQueue(name or names(), flags, **kwargs)
    make, cleanup = _closing_factory(create, lambda q: q.close(), posix_ipc.unlink_message_queue)
    yield make
    cleanup()


# ---- processes, signals, timing --------------------------------------------------

def _child_env():
    env = dict(os.environ)
    module_dir = os.path.dirname(os.path.dirname(os.path.abspath(posix_ipc.__file__)))
    env["PYTHONPATH"] = os.pathsep.join([module_dir] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@pytest.fixture
def child():
    """child(code) -> a started subprocess running `code` (with posix_ipc importable)."""
    procs = []

    def start(code):
        proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env=_child_env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        procs.append(proc)
        return proc
    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def finish(proc, timeout=10):
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err.decode(errors="replace")
    return out


class WatchdogExpired(AssertionError):
    pass


@pytest.fixture
def watchdog():
    """watchdog(seconds): SIGALRM after that long raises WatchdogExpired out of a wait that
    never ends (a Python handler's exception wins over SignalError)."""
    def expired(signum, frame):
        raise WatchdogExpired("a blocking call did not return in time")
    previous = signal.signal(signal.SIGALRM, expired)

    def arm(seconds=10.0):
        signal.setitimer(signal.ITIMER_REAL, seconds)
    yield arm
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


# ---- waiting until a waiter is really blocked ----------------------------------

def wait_until_blocked(tid, wchan, pid=None, timeout=10.0):
    """Polls /proc/<pid>/task/<tid>/wchan until it names `wchan` (futex: a
    semaphore wait; poll: a queue wait, in ppoll) three polls in a row, 10 ms apart,
    sleeping in between so the waiter gets the GIL it may need on its way there.
    Returns False after `timeout` (or where wchan cannot be read): the caller goes
    on, and its watchdog turns a wait that was not reached into a failure."""
    path = "/proc/%d/task/%d/wchan" % (pid or os.getpid(), tid)
    deadline = time.monotonic() + timeout
    seen = 0
    while seen < 3:
        if time.monotonic() > deadline:
            return False
        try:
            with open(path) as state:
                seen = seen + 1 if wchan in state.read() else 0
        except OSError:
            return False
        time.sleep(0.01)
    return True


def signal_when_blocked(signum, wchan, thread=None):
    """Starts a thread that sends `signum` to `thread` (default: the main thread)
    once it is blocked in `wchan`; returns it, for join()."""
    target = thread or threading.main_thread()

    def send():
        wait_until_blocked(target.native_id, wchan)
        signal.pthread_kill(target.ident, signum)
    sender = threading.Thread(target=send)
    sender.start()
    return sender
