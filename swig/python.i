// Python: a -builtin extension module (no interpreted proxy frame per call),
// imported by the pure-Python package posix_ipc (bindings/python/posix_ipc),
// which adds what -builtin cannot: keyword arguments on constructors, repr,
// the context manager and the module's metadata.
// Named after the package (no package= option): SWIG then names the types
// "posix_ipc.<Class>", as upstream's, and the module it builds _posix_ipc.
%module posix_ipc

%{
#include "posix_ipc_python.hpp"
#include "fast_methods.hpp"
#include "builtin_types.hpp"
#define POSIX_IPC_RAISE(error) do { posix_ipc_python::set_error(error); SWIG_fail; } while (0)
#define POSIX_IPC_RETHROW_IF_THREAD_EXIT if (posix_ipc_binding::BlockingRegion::thread_exiting()) throw
%}

%feature("kwargs");
%feature("compactdefaultargs");
// Generated in the build tree from docs/python-reference.md (make_reference.py):
// the docstrings, and %feature("kwargs", "0") on the methods without
// arguments (SWIG's METH_NOARGS wrappers, no argument tuple to unpack, as
// upstream's).
%include "python_reference.i"

%init %{
  if (posix_ipc_python::add_error_classes(d) < 0 || posix_ipc_python::add_constants(d) < 0) return NULL;
  posix_ipc_python::fix_docs(SwigMethods);
  Py_INCREF(d);
  posix_ipc_python::module_dict = d;
%}

// Called once by the package's __init__.py, after SWIG has added the
// builtin types to the module (builtin_types.hpp: prepare_types).
%inline %{
PyObject* _prepare_types() { return posix_ipc_python::prepare_types(); }
%}

// The seconds a timeout argument means (None: forever), checked exactly as
// acquire/send/receive check it, for the asyncio methods (_asyncio.py).
%inline %{
PyObject* _timeout_seconds(PyObject* timeout) { return posix_ipc_python::timeout_seconds(timeout); }
%}

// ---- conversions -------------------------------------------------------------
%typemap(in) const posix_ipc::Name& (posix_ipc::Name temp) {
  if (!posix_ipc_python::to_name($input, temp)) SWIG_fail;
  $1 = &temp;
}
// Timeouts, messages, priorities and received messages appear only in
// acquire/send/receive, which fast_methods.hpp converts itself.
// SharedMemory.write(data): bytes, str (UTF-8) or any buffer.
%typemap(in) posix_ipc::Bytes data (Py_buffer view) {
  if (!posix_ipc_python::to_bytes($input, $1, &view, posix_ipc::ErrorCode::BadDataType)) SWIG_fail;
}
// Runs before argument parsing: a call that fails earlier (an unknown keyword,
// a missing argument, a wrong self) reaches freearg with `view` still unset.
%typemap(arginit) posix_ipc::Bytes data {
  view$argnum.obj = nullptr;
}
%typemap(freearg) posix_ipc::Bytes data {
  if (view$argnum.obj) PyBuffer_Release(&view$argnum);
}
// Integers: anything with __index__, as Python's own "i" arguments; a value
// beyond long long is reported as the out-of-range error of that parameter
// (not SWIG's "in method 'new_Semaphore', argument 4 of type 'long long'").
%typemap(in) long long {
  if (!posix_ipc_python::to_long_long($input, $1, "$1_name")) SWIG_fail;
}
%typemap(in) bool {
  if (!posix_ipc_python::to_bool($input, $1)) SWIG_fail;
}
// A notification (None, a signal number, or (callback, param)): the core's
// request from what Python gives (posix_ipc_python::to_notification).
%typemap(in) const posix_ipc::NotificationRequest& notification (posix_ipc::NotificationRequest request = posix_ipc::NotificationRequest::cancel()) {
  if (!posix_ipc_python::to_notification($input, request)) SWIG_fail;
  $1 = &request;
}
%typemap(out) posix_ipc::ByteString {
  $result = PyBytes_FromStringAndSize($1.data(), static_cast<Py_ssize_t>($1.size()));
  if (!$result) SWIG_fail;
}

// An object made by Type.__new__(Type) without __init__ holds no C++ object
// (and no SWIG type, which a typed SWIG_ConvertPtr compares): every method
// and attribute raises the type's "closed" error instead of crashing, as
// upstream's C types do. The conversion is untyped: with -builtin, `self`
// reaches a member's wrapper only through the type's own method or getset
// descriptor, for which CPython has checked it is an instance of the type.
%define POSIX_IPC_SELF_CHECK(TYPE, WHEN_MISSING)
%typemap(in) TYPE *self (void* argp = 0, int res = 0), TYPE const *self (void* argp = 0, int res = 0) {
  res = SWIG_ConvertPtr($input, &argp, 0, 0);
  if (!SWIG_IsOK(res) || !argp) {
    posix_ipc_python::set_error(posix_ipc::ErrorCode::WHEN_MISSING);
    SWIG_fail;
  }
  $1 = reinterpret_cast<$ltype>(argp);
}
%enddef
POSIX_IPC_SELF_CHECK(posix_ipc::Semaphore, SemaphoreClosed)
POSIX_IPC_SELF_CHECK(posix_ipc::SharedMemory, SharedMemoryClosed)
POSIX_IPC_SELF_CHECK(posix_ipc::MessageQueue, QueueClosed)

// As upstream's C types: no per-instance __dict__, so a misspelt attribute
// (q.blocking = False) raises AttributeError instead of being silently kept.
%feature("python:tp_dictoffset") posix_ipc::Semaphore "0";
%feature("python:tp_dictoffset") posix_ipc::SharedMemory "0";
%feature("python:tp_dictoffset") posix_ipc::MessageQueue "0";

%feature("python:tp_init") posix_ipc::SharedMemory "posix_ipc_python::shared_memory_init";
%feature("python:tp_dealloc") posix_ipc::SharedMemory "posix_ipc_python::shared_memory_dealloc";

// acquire, release, send and receive are fast_methods.hpp's (the package
// adds them, _prepare_types; posix_ipc.i leaves them to each language).

%include "posix_ipc.i"

// ---- Python-only members -----------------------------------------------------
// SharedMemory is this compiled type itself (no Python subclass: a heap
// subclass is garbage-collected, which costs a create + close_fd + unlink
// cycle more than upstream's whole difference), so str() and repr() are here.
%feature("python:slot", "tp_str", functype="reprfunc") posix_ipc::SharedMemory::__str__;
%feature("python:slot", "tp_repr", functype="reprfunc") posix_ipc::SharedMemory::__repr__;
%extend posix_ipc::SharedMemory {
  PyObject* __str__() const { return posix_ipc_python::shared_memory_str(*$self); }
  PyObject* __repr__() const { return posix_ipc_python::shared_memory_repr(*$self); }
}
%extend posix_ipc::MessageQueue {
  // For repr(): the read/write flags this handle was opened with.
  bool _can_read() const { return $self->can_read(); }
  bool _can_write() const { return $self->can_write(); }
}
