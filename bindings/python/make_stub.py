"""Writes the type stub of the posix_ipc package (__init__.pyi) from the
built package itself, so that no second list of the API is kept by hand.

What it reads, and where each part of the stub comes from:
- the imported package (the build tree's): the constants and their types
  (core/src/constants.cpp, published at init), the error classes and their
  parents (core/src/error.cpp), the functions, the classes, their methods
  and their parameters with defaults (the text signatures of the SWIG and
  fast_methods.hpp docstrings, and the Python methods of __init__.py);
- swig/posix_ipc.i: each attribute's C++ type and whether it is writable
  (POSIX_IPC_ATTRIBUTE / POSIX_IPC_BOOLEAN_ATTRIBUTE, the one declaration);
- docs/python-reference.md: what each compiled method returns (its
  heading's "-> type"; None where there is none).
What it adds: the Python type that a parameter of a given name takes (the
parameter names are the same across the API).
The ctest stubtest checks the result against the module.

usage: python3 make_stub.py PACKAGE_PARENT_DIR SWIG_DIR PYTHON_REFERENCE_MD OUTPUT
"""
import inspect
import os
import re
import sys

HEADER = '''\
# Type stub for the posix_ipc package, generated at build time from the
# built module and swig/posix_ipc.i by bindings/python/make_stub.py: edit the
# declaration (or that script), not this file.
from types import TracebackType
from typing import Any, Callable

from typing_extensions import Self

_Name = str | bytes | None
_Message = bytes | str | bytearray | memoryview
_Timeout = float | None
_Notification = None | int | tuple[Callable[[Any], object], Any]
'''

# The Python type of a parameter, by its name.
PARAMETER_TYPES = {
    "name": "_Name", "timeout": "_Timeout", "message": "_Message", "data": "_Message",
    "notification": "_Notification", "exc_type": "type[BaseException] | None",
    "exc_value": "BaseException | None", "traceback": "TracebackType | None",
}
CPP_TYPES = {"char*": "str", "bool": "bool"}
CONTEXT_METHODS = ("__enter__", "__exit__", "__aenter__", "__aexit__")
IMPORT_ATTRIBUTES = {"__name__", "__doc__", "__file__", "__package__", "__cached__", "__loader__",
                     "__spec__", "__path__", "__builtins__"}


def python_type(cpp):
    cpp = cpp.replace(" ", "")
    return CPP_TYPES.get(cpp, "int" if cpp in ("int", "long", "longlong") else "Any")


def read_declaration(swig_dir, reference):
    """{(class, attribute): (type, writable)} from swig/posix_ipc.i and
    {method: return type} from the Python reference's headings."""
    with open(os.path.join(swig_dir, "posix_ipc.i"), encoding="utf-8") as source:
        text = source.read()
    attributes = {}
    for cls, cpp, name in re.findall(r"^POSIX_IPC_ATTRIBUTE\((\w+), ([\w* ]+), (\w+),", text, re.M):
        attributes[(cls, name)] = (python_type(cpp), False)
    for cls, name in re.findall(r"^POSIX_IPC_BOOLEAN_ATTRIBUTE\((\w+), (\w+),", text, re.M):
        attributes[(cls, name)] = ("bool", True)
    with open(reference, encoding="utf-8") as source:
        returns = dict(re.findall(r"^### \w+\.(\w+)\(.*\) -> (.+)$", source.read(), re.M))
    return attributes, returns


def parameter_type(parameter):
    if parameter.name in PARAMETER_TYPES:
        return PARAMETER_TYPES[parameter.name]
    if isinstance(parameter.default, bool):
        return "bool"
    return "int"


def format_default(parameter, symbolic):
    if parameter.name in symbolic:
        return "..."  # a platform's value, named in the signature (e.g. QUEUE_MESSAGES_MAX_DEFAULT)
    if parameter.name == "mode":
        return oct(parameter.default)
    return repr(parameter.default)


def format_parameters(signature, symbolic=(), annotate=True):
    parts = []
    for parameter in signature.parameters.values():
        if parameter.name == "self":
            parts.append("self")
            continue
        if parameter.kind == parameter.POSITIONAL_ONLY:
            raise SystemExit("make_stub: positional-only parameter %s not supported" % parameter.name)
        text = parameter.name
        if annotate:
            annotation = parameter.annotation
            text += ": " + (annotation if isinstance(annotation, str) else parameter_type(parameter))
        if parameter.default is not parameter.empty:
            text += " = " + format_default(parameter, symbolic)
        parts.append(text)
    return ", ".join(parts)


def method_stub(cls, name, member, returns):
    function = getattr(cls, name)
    signature = inspect.signature(function)
    if inspect.isfunction(member):  # Python, in __init__.py: its annotations
        result = signature.return_annotation
        result = "None" if result is signature.empty else result
        prefix = "async def" if inspect.iscoroutinefunction(member) else "def"
    else:
        result = returns.get(name, "None")
        prefix = "def"
        # a compiled method's "(self, /, ...)": self is positional-only there
        signature = signature.replace(parameters=[
            p.replace(kind=p.POSITIONAL_OR_KEYWORD) if p.kind == p.POSITIONAL_ONLY else p
            for p in signature.parameters.values()])
    if "self" not in signature.parameters:
        signature = signature.replace(parameters=[inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
                                      + list(signature.parameters.values()))
    return ["    %s %s(%s) -> %s: ..." % (prefix, name, format_parameters(signature), result)]


def class_stub(cls, attributes, returns):
    metaclass = type(cls)
    header = "class %s%s:" % (cls.__name__, "" if metaclass is type else "(metaclass=_%s)" % metaclass.__name__)
    text_signature = next((getattr(c, "__text_signature__") for c in cls.__mro__
                           if isinstance(getattr(c, "__text_signature__", None), str)), "")
    symbolic = set(re.findall(r"(\w+)=[A-Z][A-Z0-9_]+\b", text_signature))
    init = inspect.signature(cls)
    lines = [header, "    def __init__(self, %s) -> None: ..." % format_parameters(init, symbolic)]
    for name in sorted(dir(cls), key=lambda n: (n not in CONTEXT_METHODS, n)):
        if name.startswith("_") and name not in CONTEXT_METHODS:
            continue
        member = inspect.getattr_static(cls, name)
        if inspect.isgetsetdescriptor(member) or isinstance(member, property):
            declared = [value for (owner, attribute), value in attributes.items()
                        if attribute == name and any(c.__name__ == owner for c in cls.__mro__)]
            if not declared:
                raise SystemExit("make_stub: %s.%s is declared by no POSIX_IPC_ATTRIBUTE" % (cls.__name__, name))
            kind, writable = declared[0]
            lines += ["    %s: %s" % (name, kind)] if writable else \
                ["    @property", "    def %s(self) -> %s: ..." % (name, kind)]
        elif callable(member) or inspect.ismethoddescriptor(member):
            lines += method_stub(cls, name, member, returns)
    return lines


def function_stub(name, function, returns):
    signature = inspect.signature(function)
    parameters = []
    for parameter in signature.parameters.values():
        kind = "str | bytes" if parameter.name == "name" else parameter_type(parameter)
        parameters.append("%s: %s" % (parameter.name, kind))
    return "def %s(%s) -> %s: ..." % (name, ", ".join(parameters), returns.get(name, "None"))


def stub(package, attributes, returns):
    lines = [HEADER]
    names = sorted(vars(package))
    lines += ["%s: str" % name for name in names
              if name.startswith("__") and name.endswith("__") and name not in IMPORT_ATTRIBUTES
              and isinstance(getattr(package, name), str)]
    lines.append("")
    public = [(name, getattr(package, name)) for name in dir(package) if not name.startswith("_")]
    order = list(vars(package._posix_ipc))  # the order the module defines them in (the tables')
    public.sort(key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    lines += ["%s: %s" % (name, type(value).__name__) for name, value in public
              if isinstance(value, (bool, int, str)) and not inspect.ismodule(value)]
    lines.append("")
    for name, value in public:
        if inspect.isclass(value) and issubclass(value, BaseException):
            lines.append("class %s(%s): ..." % (name, value.__bases__[0].__name__))
    lines.append("")
    lines += [function_stub(name, value, returns) for name, value in public if inspect.isbuiltin(value)]
    classes = [value for name, value in public if inspect.isclass(value) and not issubclass(value, BaseException)]
    for metaclass in sorted({type(cls) for cls in classes} - {type}, key=lambda m: m.__name__):
        lines += ["", "# The compiled classes are SWIG -builtin types, whose metaclass is %s" % metaclass.__name__,
                  "# (not exported by the module; a stub-only name here).",
                  "class _%s(type): ..." % metaclass.__name__]
    for cls in classes:
        lines += [""] + class_stub(cls, attributes, returns)
    return "\n".join(lines) + "\n"


def main():
    package_parent, swig_dir, reference, output = sys.argv[1:5]
    sys.path.insert(0, package_parent)
    import posix_ipc
    if os.path.dirname(os.path.abspath(posix_ipc.__file__)) != os.path.join(os.path.abspath(package_parent), "posix_ipc"):
        raise SystemExit("make_stub: imported %s, not the package under %s" % (posix_ipc.__file__, package_parent))
    attributes, returns = read_declaration(swig_dir, reference)
    text = stub(posix_ipc, attributes, returns)
    previous = None
    if os.path.exists(output):
        with open(output, encoding="utf-8") as current:
            previous = current.read()
    if text != previous:  # unchanged: left alone (its time too)
        with open(output + ".tmp", "w", encoding="utf-8") as written:
            written.write(text)
        os.replace(output + ".tmp", output)


if __name__ == "__main__":
    main()
