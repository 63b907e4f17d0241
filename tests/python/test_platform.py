"""What the platform lacks, reported as upstream reports it (README, "Platform
notes"). The build says what its platform lacks through the environment
(POSIX_IPC_EXPECT_UNSUPPORTED, set by ctest: empty on Linux, e.g.
"MESSAGE_QUEUES_SUPPORTED,SEMAPHORE_TIMEOUT_SUPPORTED,SEMAPHORE_VALUE_SUPPORTED"
in the simulated macOS lane); each test checks both sides of its capability."""

import time

import pytest

import posix_ipc
from conftest import expect_supported, finish, raises

QUEUE_NAMES = ("MessageQueue", "unlink_message_queue", "O_RDONLY", "O_WRONLY", "O_RDWR", "O_NONBLOCK",
               "QUEUE_MESSAGES_MAX_DEFAULT", "QUEUE_MESSAGE_SIZE_MAX_DEFAULT", "QUEUE_PRIORITY_MAX")


@pytest.mark.case("module.constants.supported")
def test_supported_constants_follow_the_platform():
    for capability in ("MESSAGE_QUEUES_SUPPORTED", "SEMAPHORE_TIMEOUT_SUPPORTED", "SEMAPHORE_VALUE_SUPPORTED"):
        assert getattr(posix_ipc, capability) is expect_supported(capability), capability


@pytest.mark.case("platform.message_queues")
def test_queue_names_exist_exactly_with_message_queues():
    supported = expect_supported("MESSAGE_QUEUES_SUPPORTED")
    assert posix_ipc.MESSAGE_QUEUES_SUPPORTED is supported
    assert {name: hasattr(posix_ipc, name) for name in QUEUE_NAMES} == {name: supported for name in QUEUE_NAMES}
    if not supported:
        assert not hasattr(posix_ipc, "USER_SIGNAL_MIN") and not hasattr(posix_ipc, "USER_SIGNAL_MAX")
        with pytest.raises(AttributeError):
            posix_ipc.MessageQueue("/posix_ipc_no_queue", posix_ipc.O_CREAT)


@pytest.mark.case("platform.semaphore_value")
def test_value_or_attribute_error(sem):
    s = sem(initial_value=2)
    if expect_supported("SEMAPHORE_VALUE_SUPPORTED"):
        assert s.value == 2
    else:
        with raises(AttributeError, "'posix_ipc.Semaphore' object has no attribute 'value'"):
            s.value
        assert not hasattr(s, "value")


@pytest.mark.case("platform.semaphore_timeout")
def test_positive_timeout_expires_or_waits_forever(sem, child, watchdog):
    s = sem(initial_value=0)
    if expect_supported("SEMAPHORE_TIMEOUT_SUPPORTED"):
        start = time.monotonic()
        with raises(posix_ipc.BusyError, "Semaphore is busy"):
            s.acquire(0.2)
        assert time.monotonic() - start >= 0.19
        return
    # As upstream: the timeout is treated as infinite, so only the release
    # (0.6 s later, three times the timeout) ends the wait.
    proc = child("""
        import time, posix_ipc
        time.sleep(0.6)
        posix_ipc.Semaphore(%r).release()
    """ % s.name)
    watchdog(20)
    start = time.monotonic()
    s.acquire(0.2)
    elapsed = time.monotonic() - start
    finish(proc)
    assert elapsed >= 0.5, elapsed
