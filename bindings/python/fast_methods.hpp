// The four hot methods as METH_FASTCALL functions, added to the SWIG types at
// import (swig/python.i %ignores SWIG's own). SWIG 4.1 only generates
// METH_VARARGS|METH_KEYWORDS wrappers, whose tuple building and
// PyArg_ParseTupleAndKeywords cost about as much as the semaphore operation. Included by swig/python.i after the
// SWIG runtime (for SwigPyObject).
#pragma once

#include "posix_ipc_python.hpp"

namespace posix_ipc_python {

// Fills `values` (pre-set to defaults) from positional and keyword arguments.
inline bool parse_fast_args(const char* function, const char* const* names, Py_ssize_t count,
                            PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames, PyObject** values) {
    if (nargs > count) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most %zd arguments (%zd given)", function, count, nargs);
        return false;
    }
    for (Py_ssize_t i = 0; i < nargs; ++i) values[i] = args[i];
    const Py_ssize_t keywords = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < keywords; ++k) {
        PyObject* keyword = PyTuple_GET_ITEM(kwnames, k);
        Py_ssize_t i = 0;
        while (i < count && PyUnicode_CompareWithASCIIString(keyword, names[i]) != 0) ++i;
        if (i == count) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", function, keyword);
            return false;
        }
        if (i < nargs) {
            PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", function, names[i]);
            return false;
        }
        values[i] = args[nargs + k];
    }
    return true;
}

template <class T>
T* wrapped(PyObject* self, posix_ipc::ErrorCode when_missing) {
    void* pointer = reinterpret_cast<SwigPyObject*>(self)->ptr;
    if (!pointer) set_error(when_missing);  // __init__ never ran
    return static_cast<T*>(pointer);
}

inline bool optional_timeout(PyObject* object, posix_ipc::Timeout& timeout) {
    return object == Py_None || to_timeout(object, timeout);
}

inline PyObject* semaphore_acquire(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
    static const char* const names[] = {"timeout"};
    PyObject* values[] = {Py_None};
    if ((nargs || kwnames) && !parse_fast_args("acquire", names, 1, args, nargs, kwnames, values)) return nullptr;
    auto* semaphore = wrapped<posix_ipc::Semaphore>(self, posix_ipc::ErrorCode::SemaphoreClosed);
    posix_ipc::Timeout timeout;
    if (!semaphore || !optional_timeout(values[0], timeout)) return nullptr;
    try {
        semaphore->acquire<posix_ipc_binding::BlockingRegion>(timeout);
    } POSIX_IPC_PYTHON_CATCH_ALL(return nullptr)
    Py_RETURN_NONE;
}

inline PyObject* semaphore_release(PyObject* self, PyObject*) {
    auto* semaphore = wrapped<posix_ipc::Semaphore>(self, posix_ipc::ErrorCode::SemaphoreClosed);
    if (!semaphore) return nullptr;
    try {
        semaphore->release();
    } POSIX_IPC_PYTHON_CATCH_ALL(return nullptr)
    Py_RETURN_NONE;
}

inline PyObject* queue_send(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
    static const char* const names[] = {"message", "timeout", "priority"};
    PyObject* values[] = {nullptr, Py_None, nullptr};
    if (!parse_fast_args("send", names, 3, args, nargs, kwnames, values)) return nullptr;
    if (!values[0]) {
        PyErr_SetString(PyExc_TypeError, "send() missing required argument 'message' (pos 1)");
        return nullptr;
    }
    auto* queue = wrapped<posix_ipc::MessageQueue>(self, posix_ipc::ErrorCode::SendOnClosedQueue);
    posix_ipc::Timeout timeout;
    if (!queue || !optional_timeout(values[1], timeout)) return nullptr;
    long long priority = 0;
    if (values[2] && !to_long_long(values[2], priority, posix_ipc::ErrorCode::BadPriority)) return nullptr;
    posix_ipc::Bytes message;
    Py_buffer view;
    if (!to_bytes(values[0], message, &view, posix_ipc::ErrorCode::BadMessageType)) return nullptr;
    bool sent = true;
    try {
        queue->send<posix_ipc_binding::BlockingRegion>(message, timeout, priority);
    } POSIX_IPC_PYTHON_CATCH_ALL(sent = false)
    if (view.obj) PyBuffer_Release(&view);
    if (!sent) return nullptr;
    Py_RETURN_NONE;
}

inline PyObject* queue_receive(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
    static const char* const names[] = {"timeout"};
    PyObject* values[] = {Py_None};
    if ((nargs || kwnames) && !parse_fast_args("receive", names, 1, args, nargs, kwnames, values)) return nullptr;
    auto* queue = wrapped<posix_ipc::MessageQueue>(self, posix_ipc::ErrorCode::ReceiveOnClosedQueue);
    posix_ipc::Timeout timeout;
    if (!queue || !optional_timeout(values[0], timeout)) return nullptr;
    try {
        return received_to_tuple(queue->receive<posix_ipc_binding::BlockingRegion>(timeout));
    } POSIX_IPC_PYTHON_CATCH_ALL(return nullptr)
}

inline int add_method(PyTypeObject* type, PyMethodDef* definition) {
    PyObject* descriptor = PyDescr_NewMethod(type, definition);
    if (!descriptor) return -1;
    const int rc = PyDict_SetItemString(type->tp_dict, definition->ml_name, descriptor);
    Py_DECREF(descriptor);
    return rc;
}

inline int install_fast_methods(PyTypeObject* semaphore_type, PyTypeObject* queue_type) {
    static PyMethodDef semaphore_methods[] = {
        {"acquire", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(semaphore_acquire)),
         METH_FASTCALL | METH_KEYWORDS,
         "acquire($self, /, timeout=None)\n--\n\n"
         "Waits until the semaphore's value is > 0, then decrements it and returns.\n"
         "timeout None (the default) waits as long as it takes, 0 never waits, > 0\n"
         "waits at most that many seconds (a float). Raises BusyError if it would wait\n"
         "longer, SignalError if a signal interrupts the wait, ExistentialError on a\n"
         "closed handle."},
        {"release", semaphore_release, METH_NOARGS,
         "release($self, /)\n--\n\n"
         "Increments the semaphore's value, letting one waiting process proceed.\n"
         "Raises ValueError if the value would exceed SEMAPHORE_VALUE_MAX."},
    };
    static PyMethodDef queue_methods[] = {
        {"send", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(queue_send)),
         METH_FASTCALL | METH_KEYWORDS,
         "send($self, /, message, timeout=None, priority=0)\n--\n\n"
         "Sends message (bytes, str as UTF-8, or any buffer; NUL bytes are fine) at a\n"
         "priority from 0 (the default, lowest) to QUEUE_PRIORITY_MAX. While the queue is\n"
         "full it waits: timeout None as long as it takes, 0 never, > 0 at most that\n"
         "many seconds; BusyError if it would wait longer or block is False.\n"
         "Raises ValueError for a message longer than max_message_size or a bad\n"
         "priority, PermissionsError if the handle was opened with write=False."},
        {"receive", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(queue_receive)),
         METH_FASTCALL | METH_KEYWORDS,
         "receive($self, /, timeout=None)\n--\n\n"
         "Takes the next message off the queue and returns (message, priority) as\n"
         "(bytes, int): highest priority first, oldest first within a priority. While\n"
         "the queue is empty it waits: timeout None as long as it takes, 0 never, > 0\n"
         "at most that many seconds; BusyError if it would wait longer or block is\n"
         "False. Raises PermissionsError if the handle was opened with read=False."},
    };
    for (PyMethodDef& definition : semaphore_methods)
        if (add_method(semaphore_type, &definition) < 0) return -1;
    for (PyMethodDef& definition : queue_methods)
        if (add_method(queue_type, &definition) < 0) return -1;
    PyType_Modified(semaphore_type);
    PyType_Modified(queue_type);
    return 0;
}

}  // namespace posix_ipc_python
