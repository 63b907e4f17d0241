"""Docstrings: every public class, method, attribute and function of posix_ipc
(and of python3 -m posix_ipc) has one, and the compiled methods and functions
carry CPython text signatures, so inspect.signature() (and mypy.stubtest)
see their real parameters."""

import inspect

import pytest

import posix_ipc
import posix_ipc.__main__ as cli
from conftest import unsupported_reason

pytestmark = pytest.mark.case("py.docstrings")

# Where there are no message queues (macOS) there is no MessageQueue nor unlink_message_queue.
QUEUES = posix_ipc.MESSAGE_QUEUES_SUPPORTED
CLASSES = [posix_ipc.Semaphore, posix_ipc.SharedMemory] + ([posix_ipc.MessageQueue] if QUEUES else [])
ERRORS = [posix_ipc.Error, posix_ipc.SignalError, posix_ipc.PermissionsError,
          posix_ipc.ExistentialError, posix_ipc.BusyError]
FUNCTIONS = [posix_ipc.unlink_semaphore, posix_ipc.unlink_shared_memory] + (
    [posix_ipc.unlink_message_queue] if QUEUES else [])

# The parameters (after self) and defaults of the methods, as docs/api.md and the
# upstream documentation give them.
SIGNATURES = {
    "Semaphore.acquire": "(timeout=None)",
    "Semaphore.release": "()",
    "Semaphore.close": "()",
    "Semaphore.unlink": "()",
    "SharedMemory.close_fd": "()",
    "SharedMemory.unlink": "()",
    "SharedMemory.fileno": "()",
    "SharedMemory.read": "(byte_count=0, offset=0)",
    "SharedMemory.write": "(data, offset=0)",
    "MessageQueue.send": "(message, timeout=None, priority=0)",
    "MessageQueue.receive": "(timeout=None)",
    "MessageQueue.request_notification": "(notification=None)",
    "MessageQueue.fileno": "()",
    "MessageQueue.close": "()",
    "MessageQueue.unlink": "()",
}


def _public_members(cls):
    """{name: object} of the public members cls and its posix_ipc base classes define."""
    members = {}
    for klass in cls.__mro__:
        if klass.__module__.split(".")[0] != "posix_ipc":
            continue  # object, Exception, SWIG's SwigPyObject
        for name, value in vars(klass).items():
            if not name.startswith("_"):
                members.setdefault(name, value)
    return members


def _member_ids():
    return ["%s.%s" % (cls.__name__, name) for cls in CLASSES for name in sorted(_public_members(cls))]


def _has_doc(obj):
    doc = obj.__doc__
    return isinstance(doc, str) and doc.strip() != ""


def _parameters(function):
    """The signature without its first parameter (self), e.g. "(timeout=None)"."""
    signature = inspect.signature(function)
    return str(signature.replace(parameters=list(signature.parameters.values())[1:]))


def test_modules_have_docstrings():
    assert _has_doc(posix_ipc)
    assert _has_doc(cli)


@pytest.mark.parametrize("cls", CLASSES + ERRORS, ids=lambda cls: cls.__name__)
def test_classes_have_docstrings(cls):
    assert _has_doc(cls), cls  # their own, not one inherited
    assert cls.__dict__.get("__doc__") == cls.__doc__


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_compiled_base_classes_have_docstrings(cls):
    # SharedMemory is the compiled class itself; the others subclass theirs.
    compiled = getattr(posix_ipc._posix_ipc, cls.__name__)
    assert compiled in cls.__mro__[:2]
    assert _has_doc(compiled)


@pytest.mark.parametrize("qualified", _member_ids())
def test_public_members_have_docstrings(qualified):
    class_name, name = qualified.split(".")
    member = _public_members(getattr(posix_ipc, class_name))[name]
    assert _has_doc(member), qualified
    # SWIG's newline around a multi-line docstring is trimmed at import.
    assert member.__doc__ == member.__doc__.strip(), repr(member.__doc__)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_python_methods_have_docstrings(cls):
    # Dunders too (__init__, __enter__, __repr__, ...).
    for name, value in vars(cls).items():
        if inspect.isfunction(value):
            assert _has_doc(value), "%s.%s" % (cls.__name__, name)


@pytest.mark.case("py.docstrings.signatures")
@pytest.mark.parametrize("qualified", sorted(SIGNATURES))
def test_method_signatures(qualified):
    class_name, name = qualified.split(".")
    if not hasattr(posix_ipc, class_name):
        pytest.skip(unsupported_reason("MESSAGE_QUEUES_SUPPORTED"))
    method = getattr(getattr(posix_ipc, class_name), name)
    assert _parameters(method) == SIGNATURES[qualified]
    if not inspect.isfunction(method):  # compiled: the signature is in the docstring
        assert method.__text_signature__.startswith("($self, /")


@pytest.mark.case("py.docstrings.signatures")
@pytest.mark.parametrize("qualified", _member_ids())
def test_every_public_method_has_a_signature(qualified):
    class_name, name = qualified.split(".")
    member = _public_members(getattr(posix_ipc, class_name))[name]
    if callable(member):
        inspect.signature(member)


@pytest.mark.case("py.docstrings.signatures")
@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda function: function.__name__)
def test_module_functions(function):
    assert _has_doc(function)
    assert str(inspect.signature(function)) == "(name)"
    assert function.__doc__ == function.__doc__.strip()


def test_cli_functions_have_docstrings():
    functions = [value for value in vars(cli).values()
                 if inspect.isfunction(value) and value.__module__ == cli.__name__]
    assert functions
    for function in functions:
        assert _has_doc(function), function.__name__

