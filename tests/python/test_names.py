"""Names: NUL bytes, length, types, random names."""

import os

import pytest

import posix_ipc
from conftest import mq_exists, raises, sem_exists, shm_exists

CONSTRUCTORS = [
    ("Semaphore", dict(), sem_exists),
    ("SharedMemory", dict(size=8), shm_exists),
    ("MessageQueue", dict(max_messages=2, max_message_size=8), mq_exists),
]
UNLINKERS = ["unlink_semaphore", "unlink_shared_memory", "unlink_message_queue"]


@pytest.mark.case("name.nul_rejected")
@pytest.mark.parametrize("cls, kwargs, exists", CONSTRUCTORS, ids=[c[0] for c in CONSTRUCTORS])
@pytest.mark.parametrize("as_bytes", [False, True], ids=["str", "bytes"])
def test_nul_in_name(names, cls, kwargs, exists, as_bytes):
    prefix = names()
    name = prefix + "\0tail"
    if as_bytes:
        name = name.encode()
    with pytest.raises(ValueError) as info:
        getattr(posix_ipc, cls)(name, posix_ipc.O_CREX, **kwargs)
    assert type(info.value) is ValueError
    assert "NUL" in str(info.value)
    assert not exists(prefix)  # the part before the NUL was not created either


@pytest.mark.case("name.nul_rejected")
@pytest.mark.parametrize("unlink", UNLINKERS)
def test_nul_in_name_unlink(names, unlink):
    with pytest.raises(ValueError):
        getattr(posix_ipc, unlink)(names() + "\0x")


# With O_CREAT alone a random name could open an object someone else made
# under the name picked (before the fix: a mode-0666 segment with planted data).
@pytest.mark.case("name.random_needs_excl")
@pytest.mark.parametrize("flags", [0, posix_ipc.O_CREAT], ids=["0", "O_CREAT"])
@pytest.mark.parametrize("cls, kwargs, exists", CONSTRUCTORS, ids=[c[0] for c in CONSTRUCTORS])
def test_random_name_needs_o_excl(cls, kwargs, exists, flags):
    with raises(ValueError, "Name can only be None if O_EXCL is set"):
        getattr(posix_ipc, cls)(None, flags, **kwargs)


# Before the fix names came from a thread_local mt19937_64: a forked child
# picked the same names as its parent.
@pytest.mark.case("py.random_name.fork")
def test_random_names_differ_in_parent_and_forked_child():
    first = posix_ipc.Semaphore(None, posix_ipc.O_CREX)  # the parent has picked a name before forking
    first.unlink()
    first.close()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            s = posix_ipc.Semaphore(None, posix_ipc.O_CREX)
            os.write(write_end, s.name.encode())
            s.unlink()
            s.close()
        finally:
            os._exit(0)
    os.close(write_end)
    child_name = os.read(read_end, 100).decode()
    os.close(read_end)
    os.waitpid(pid, 0)
    s = posix_ipc.Semaphore(None, posix_ipc.O_CREX)
    try:
        assert child_name.startswith("/psm_") and s.name != child_name
    finally:
        s.unlink()
        s.close()


@pytest.mark.case("name.too_long")
@pytest.mark.parametrize("cls, kwargs, exists", CONSTRUCTORS, ids=[c[0] for c in CONSTRUCTORS])
def test_name_too_long(cls, kwargs, exists):
    name = "/" + "n" * 300
    with raises(ValueError, "The name is too long"):
        getattr(posix_ipc, cls)(name, posix_ipc.O_CREX, **kwargs)
    with raises(ValueError, "The name is too long"):
        getattr(posix_ipc, cls)(name.encode(), posix_ipc.O_CREX, **kwargs)


# NAME_MAX (255) characters work, 256 do not; a semaphore lives in
# /dev/shm/sem.<name without "/">, so it stops at 252.
LONGEST = {"Semaphore": 252, "SharedMemory": 255, "MessageQueue": 255}


@pytest.mark.case("name.too_long")
@pytest.mark.parametrize("cls, kwargs, exists", CONSTRUCTORS, ids=[c[0] for c in CONSTRUCTORS])
def test_name_length_boundary(names, cls, kwargs, exists):
    longest = LONGEST[cls]
    padded = (names() + "n" * 300)
    fits, over = padded[:longest], padded[:longest + 1]
    made = getattr(posix_ipc, cls)(fits, posix_ipc.O_CREX, **kwargs)
    try:
        assert made.name == fits
        assert exists(fits)
    finally:
        made.close_fd() if cls == "SharedMemory" else made.close()
        made.unlink()
    with raises(ValueError, "The name is too long"):
        getattr(posix_ipc, cls)(over, posix_ipc.O_CREX, **kwargs)
    assert not exists(fits)  # nothing was made under the cut name either


@pytest.mark.case("name.too_long")
@pytest.mark.parametrize("unlink", UNLINKERS)
def test_name_too_long_unlink(unlink):
    with raises(ValueError, "The name is too long"):
        getattr(posix_ipc, unlink)("/" + "n" * 300)


@pytest.mark.case("py.name_bytes")
@pytest.mark.parametrize("cls, kwargs, exists", CONSTRUCTORS, ids=[c[0] for c in CONSTRUCTORS])
def test_bytes_name(names, cls, kwargs, exists):
    name = names()
    obj = getattr(posix_ipc, cls)(name.encode(), posix_ipc.O_CREX, **kwargs)
    try:
        assert obj.name == name
        assert type(obj.name) is str
        assert exists(name)
        again = getattr(posix_ipc, cls)(name.encode())  # open by bytes too
        again.close_fd() if cls == "SharedMemory" else again.close()
    finally:
        obj.close_fd() if cls == "SharedMemory" else obj.close()
    getattr(posix_ipc, UNLINKERS[[c[0] for c in CONSTRUCTORS].index(cls)])(name.encode())
    assert not exists(name)


@pytest.mark.case("py.name_bad_type")
@pytest.mark.parametrize("bad", [42, 1.5, ["/x"], bytearray(b"/x"), object()])
@pytest.mark.parametrize("cls, kwargs, exists", CONSTRUCTORS, ids=[c[0] for c in CONSTRUCTORS])
def test_bad_name_type(cls, kwargs, exists, bad):
    with raises(TypeError, "The name must be None, a string or bytes"):
        getattr(posix_ipc, cls)(bad, posix_ipc.O_CREX, **kwargs)


@pytest.mark.case("py.name_bad_type")
@pytest.mark.parametrize("unlink", UNLINKERS)
@pytest.mark.parametrize("bad", [42, None])
def test_bad_name_type_unlink(unlink, bad):
    with pytest.raises(TypeError):
        getattr(posix_ipc, unlink)(bad)


@pytest.mark.case("sem.create.random_name")
@pytest.mark.case("shm.create.random_name")
@pytest.mark.case("mq.create.random_name")
@pytest.mark.parametrize("cls, kwargs, exists", CONSTRUCTORS, ids=[c[0] for c in CONSTRUCTORS])
def test_random_names_are_unique_and_cleanable(cls, kwargs, exists):
    made = [getattr(posix_ipc, cls)(None, posix_ipc.O_CREX, **kwargs) for _ in range(5)]
    try:
        assert len({obj.name for obj in made}) == 5
        assert all(obj.name.startswith("/") and exists(obj.name) for obj in made)
    finally:
        for obj in made:
            obj.close_fd() if cls == "SharedMemory" else obj.close()
            obj.unlink()
