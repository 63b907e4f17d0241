// Python: a -builtin extension module (no interpreted proxy frame per call),
// imported by the pure-Python package posix_ipc (bindings/python/posix_ipc),
// which adds what -builtin cannot: keyword arguments on constructors, repr,
// the context manager and the module's metadata.
%module(package="posix_ipc") _posix_ipc

%{
#include "posix_ipc_python.hpp"
#include "fast_methods.hpp"
#define POSIX_IPC_RAISE(error) do { posix_ipc_python::set_error(error); SWIG_fail; } while (0)
%}

%feature("kwargs");
%feature("compactdefaultargs");

%init %{
  if (posix_ipc_python::add_error_classes(d) < 0) return NULL;
%}

// Called once by the package's __init__.py: SWIG readies the builtin types
// only after the %init code has run.
%inline %{
PyObject* _install_fast_methods() {
  if (posix_ipc_python::install_fast_methods(
          static_cast<SwigPyClientData*>(SWIGTYPE_p_posix_ipc__Semaphore->clientdata)->pytype,
          static_cast<SwigPyClientData*>(SWIGTYPE_p_posix_ipc__MessageQueue->clientdata)->pytype) < 0)
    return NULL;
  Py_RETURN_NONE;
}
%}

// ---- conversions -------------------------------------------------------------
%typemap(in) const posix_ipc::Name& (posix_ipc::Name temp) {
  if (!posix_ipc_python::to_name($input, temp)) SWIG_fail;
  $1 = &temp;
}
%typemap(in) posix_ipc::Timeout {
  if (!posix_ipc_python::to_timeout($input, $1)) SWIG_fail;
}
%define POSIX_IPC_BYTES_TYPEMAP(NAME, WRONG_TYPE)
%typemap(in) posix_ipc::Bytes NAME (Py_buffer view) {
  if (!posix_ipc_python::to_bytes($input, $1, &view, posix_ipc::ErrorCode::WRONG_TYPE)) SWIG_fail;
}
%typemap(freearg) posix_ipc::Bytes NAME {
  if (view$argnum.obj) PyBuffer_Release(&view$argnum);
}
%enddef
POSIX_IPC_BYTES_TYPEMAP(message, BadMessageType)
POSIX_IPC_BYTES_TYPEMAP(data, BadDataType)
%typemap(in) bool {
  if (!posix_ipc_python::to_bool($input, $1)) SWIG_fail;
}
%typemap(out) posix_ipc::Received {
  $result = posix_ipc_python::received_to_tuple($1);
  if (!$result) SWIG_fail;
}
%typemap(out) posix_ipc::ByteString {
  $result = PyBytes_FromStringAndSize($1.data(), static_cast<Py_ssize_t>($1.size()));
  if (!$result) SWIG_fail;
}

%include "posix_ipc.i"

// ---- Python-only members -----------------------------------------------------
%extend posix_ipc::MessageQueue {
  PyObject* request_notification(PyObject* notification = Py_None) {
    return posix_ipc_python::request_notification(*$self, notification);
  }
  // For repr(): the read/write flags this handle was opened with.
  bool _can_read() const { return $self->can_read(); }
  bool _can_write() const { return $self->can_write(); }
}
