// The hot methods as METH_FASTCALL/METH_NOARGS functions, which the package sets
// on its subclasses of the SWIG types (compiled_members). SWIG 4.1 only generates
// METH_VARARGS|METH_KEYWORDS wrappers, whose tuple building and
// PyArg_ParseTupleAndKeywords cost about as much as the semaphore operation.
// Also in C, as upstream has them: Semaphore.__enter__/__exit__ (`with sem:`
// through Python methods cost 1.4x upstream) and the getter of
// MessageQueue.current_messages (SWIG's getter goes through a closure and a
// checked pointer conversion, about 1.05x upstream). Included by
// swig/python.i after the SWIG runtime (for SWIG_ConvertPtr).
#pragma once

#include <iterator>

#include "posix_ipc_python.hpp"
#include "python_docstrings.hpp"  // generated from docs/python-reference.md

namespace posix_ipc_python {

// Fills `values` (pre-set to defaults) from positional and keyword
// arguments, named as the core's table (signatures.hpp) names `call`'s.
inline bool parse_fast_args(const posix_ipc::Signature& call, PyObject* const* args, Py_ssize_t nargs,
                            PyObject* kwnames, PyObject** values) {
    const Py_ssize_t count = call.count;
    if (nargs > count) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most %zd arguments (%zd given)", call.name, count, nargs);
        return false;
    }
    for (Py_ssize_t i = 0; i < nargs; ++i) values[i] = args[i];
    const Py_ssize_t keywords = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < keywords; ++k) {
        PyObject* keyword = PyTuple_GET_ITEM(kwnames, k);
        Py_ssize_t i = 0;
        while (i < count && PyUnicode_CompareWithASCIIString(keyword, call.parameters[i].name) != 0) ++i;
        if (i == count) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", call.name, keyword);
            return false;
        }
        if (i < nargs) {
            PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", call.name,
                         call.parameters[i].name);
            return false;
        }
        values[i] = args[nargs + k];
    }
    for (Py_ssize_t i = 0; i < count; ++i) {
        if (call.parameters[i].required && !values[i]) {
            PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s' (pos %zd)", call.name,
                         call.parameters[i].name, i + 1);
            return false;
        }
    }
    return true;
}

// The C++ object of `self`, through SWIG's public SWIG_ConvertPtr. Untyped:
// these methods are method descriptors of the compiled type (compiled_members),
// so CPython has checked `self` is an instance of it; and an object made by
// Type.__new__(Type) without __init__ has no SWIG type for a typed
// conversion to compare (nor a pointer: the type's "closed" error).
template <class T>
T* wrapped(PyObject* self, posix_ipc::ErrorCode when_missing) {
    void* pointer = nullptr;
    if (!SWIG_IsOK(SWIG_ConvertPtr(self, &pointer, nullptr, 0)) || !pointer) {
        set_error(when_missing);
        return nullptr;
    }
    return static_cast<T*>(pointer);
}

inline bool optional_timeout(PyObject* object, posix_ipc::Timeout& timeout) {
    return object == Py_None || to_timeout(object, timeout);
}

inline PyObject* semaphore_acquire(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
    static const posix_ipc::Signature& call = posix_ipc::signature_of<posix_ipc::Semaphore>(posix_ipc::Method::Acquire);
    PyObject* values[] = {Py_None};
    if ((nargs || kwnames) && !parse_fast_args(call, args, nargs, kwnames, values)) return nullptr;
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

// `with sem:` -- acquire() with no timeout, then the semaphore itself.
inline PyObject* semaphore_enter(PyObject* self, PyObject*) {
    auto* semaphore = wrapped<posix_ipc::Semaphore>(self, posix_ipc::ErrorCode::SemaphoreClosed);
    if (!semaphore) return nullptr;
    try {
        semaphore->acquire<posix_ipc_binding::BlockingRegion>(posix_ipc::Timeout());
    } catch (const posix_ipc::IpcError& error) {
        set_error(error);
        return nullptr;
    }
    Py_INCREF(self);
    return self;
}

// Releases whatever the block did; returns None, so an exception propagates.
inline PyObject* semaphore_exit(PyObject* self, PyObject* const*, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError, "__exit__ expected 3 arguments, got %zd", nargs);
        return nullptr;
    }
    return semaphore_release(self, nullptr);
}

inline PyObject* queue_current_messages(PyObject* self, void*) {
    auto* queue = wrapped<posix_ipc::MessageQueue>(self, posix_ipc::ErrorCode::QueueClosed);
    if (!queue) return nullptr;
    try {
        return PyLong_FromLong(queue->current_messages());
    } catch (const posix_ipc::IpcError& error) {
        set_error(error);
        return nullptr;
    }
}

inline PyObject* queue_send(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
    static const posix_ipc::Signature& call = posix_ipc::signature_of<posix_ipc::MessageQueue>(posix_ipc::Method::Send);
    PyObject* values[] = {nullptr, Py_None, nullptr};
    if (!parse_fast_args(call, args, nargs, kwnames, values)) return nullptr;
    auto* queue = wrapped<posix_ipc::MessageQueue>(self, posix_ipc::ErrorCode::SendOnClosedQueue);
    posix_ipc::Timeout timeout;
    if (!queue || !optional_timeout(values[1], timeout)) return nullptr;
    long long priority = posix_ipc::defaults::priority;
    if (values[2] && !to_long_long(values[2], priority, call.parameters[2].name)) return nullptr;
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
    static const posix_ipc::Signature& call = posix_ipc::signature_of<posix_ipc::MessageQueue>(posix_ipc::Method::Receive);
    PyObject* values[] = {Py_None};
    if ((nargs || kwnames) && !parse_fast_args(call, args, nargs, kwnames, values)) return nullptr;
    auto* queue = wrapped<posix_ipc::MessageQueue>(self, posix_ipc::ErrorCode::ReceiveOnClosedQueue);
    posix_ipc::Timeout timeout;
    if (!queue || !optional_timeout(values[0], timeout)) return nullptr;
    try {
        return received_to_tuple(queue->receive<posix_ipc_binding::BlockingRegion>(timeout));
    } POSIX_IPC_PYTHON_CATCH_ALL(return nullptr)
}


// The arguments of a tp_init call, (args, kwargs), into `values` (nullptr:
// not given), named as the table names `call`'s. PyArg_ParseTupleAndKeywords
// does the same through its generic format machinery, which costs about as
// much again as what SharedMemory() does besides its system calls.
inline bool parse_init_args(const posix_ipc::Signature& call, PyObject* args, PyObject* kwargs, PyObject** values) {
    const Py_ssize_t count = call.count;
    const Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    if (nargs > count) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most %zd arguments (%zd given)", call.name, count, nargs);
        return false;
    }
    for (Py_ssize_t i = 0; i < nargs; ++i) values[i] = PyTuple_GET_ITEM(args, i);
    if (kwargs) {
        Py_ssize_t position = 0;
        PyObject* keyword;
        PyObject* value;
        while (PyDict_Next(kwargs, &position, &keyword, &value)) {
            Py_ssize_t i = 0;
            while (i < count && !(PyUnicode_Check(keyword) &&
                                  PyUnicode_CompareWithASCIIString(keyword, call.parameters[i].name) == 0))
                ++i;
            if (i == count) {
                PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%S'", call.name, keyword);
                return false;
            }
            if (values[i]) {
                PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", call.name,
                             call.parameters[i].name);
                return false;
            }
            values[i] = value;
        }
    }
    for (Py_ssize_t i = 0; i < count; ++i) {
        if (call.parameters[i].required && !values[i]) {
            PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s' (pos %zd)", call.name,
                         call.parameters[i].name, i + 1);
            return false;
        }
    }
    return true;
}

// tp_init of SharedMemory (swig/python.i sets it with SWIG's
// %feature("python:tp_init")): the constructor of the table, converted as
// SWIG's typemaps convert its arguments, and the new object handed to SWIG
// as its generated constructor does.
inline int shared_memory_init(PyObject* self, PyObject* args, PyObject* kwargs) {
    static const posix_ipc::Signature& call =
        posix_ipc::signature_of<posix_ipc::SharedMemory>(posix_ipc::Method::Construct);
    PyObject* values[5] = {};
    static_assert(std::size(values) == std::size(posix_ipc::signature_table::shared_memory_new));
    if (!parse_init_args(call, args, kwargs, values)) return -1;
    namespace defaults = posix_ipc::defaults;
    posix_ipc::Name name;
    long long flags = defaults::flags, mode = defaults::mode, size = defaults::size;
    bool read_only = defaults::read_only;
    const posix_ipc::Parameter* parameters = call.parameters;
    if (!to_name(values[0], name) ||
        (values[1] && !to_long_long(values[1], flags, parameters[1].name)) ||
        (values[2] && !to_long_long(values[2], mode, parameters[2].name)) ||
        (values[3] && !to_long_long(values[3], size, parameters[3].name)) ||
        (values[4] && !to_bool(values[4], read_only)))
        return -1;
    posix_ipc::SharedMemory* memory = nullptr;
    try {
        memory = new posix_ipc::SharedMemory(name, flags, mode, size, read_only);
    } catch (const posix_ipc::IpcError& error) {
        set_error(error);
        return -1;
    } catch (const std::bad_alloc&) {
        set_error(posix_ipc::ErrorCode::NotEnoughMemory);
        return -1;
    }
    PyObject* result = SWIG_NewPointerObj(memory, SWIGTYPE_p_posix_ipc__SharedMemory, SWIG_BUILTIN_INIT);
    return result == Py_None ? -1 : 0;  // as SWIG's own constructors
}

// tp_dealloc of SharedMemory (swig/python.i sets it with SWIG's
// %feature("python:tp_dealloc")): deletes the C++ object an owning handle
// holds (every one a constructor made), as SWIG's generic destructor closure
// does, without the closure's saving and restoring of the error state and
// its call through the delete_SharedMemory wrapper -- together about 150
// instructions, a measurable part of the difference from upstream in a
// create + close_fd + unlink cycle. The descriptor stays open, as upstream
// leaves it. No dict to free: builtin_types.hpp takes SWIG's __dict__ getter
// away, the only code that would make one.
inline void shared_memory_dealloc(PyObject* self) {
    void* pointer = nullptr;
    int own = 0;
    if (SWIG_IsOK(SWIG_ConvertPtrAndOwn(self, &pointer, nullptr, SWIG_POINTER_DISOWN, &own)) &&
        (own & SWIG_POINTER_OWN))
        delete static_cast<posix_ipc::SharedMemory*>(pointer);
    Py_TYPE(self)->tp_free(self);
}

// Adds to `members` a descriptor of `type` (CPython's public PyDescr_New*)
// for each entry of the table.
inline int add_descriptors(PyObject* members, PyTypeObject* type, PyMethodDef* methods, size_t method_count,
                           PyGetSetDef* getters, size_t getter_count) {
    for (size_t i = 0; i < method_count + getter_count; ++i) {
        const bool method = i < method_count;
        PyObject* descriptor = method ? PyDescr_NewMethod(type, &methods[i])
                                      : PyDescr_NewGetSet(type, &getters[i - method_count]);
        const char* name = method ? methods[i].ml_name : getters[i - method_count].name;
        if (!descriptor || PyDict_SetItemString(members, name, descriptor) < 0) {
            Py_XDECREF(descriptor);
            return -1;
        }
        Py_DECREF(descriptor);
    }
    return 0;
}

// The compiled members of the package's Semaphore and MessageQueue classes
// (bindings/python/posix_ipc/__init__.py sets them on its subclasses of the
// SWIG types), as {name: descriptor} of the SWIG type `semaphore_type` or
// `queue_type`: descriptors bound to the SWIG type, so CPython checks `self`.
inline PyObject* compiled_members(PyTypeObject* semaphore_type, PyTypeObject* queue_type) {
    static PyMethodDef semaphore_methods[] = {
        {"acquire", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(semaphore_acquire)),
         METH_FASTCALL | METH_KEYWORDS, docs::Semaphore_acquire},
        {"release", semaphore_release, METH_NOARGS, docs::Semaphore_release},
        {"__enter__", semaphore_enter, METH_NOARGS, docs::Semaphore_enter},
        {"__exit__", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(semaphore_exit)),
         METH_FASTCALL, docs::Semaphore_exit},
    };
    static PyMethodDef queue_methods[] = {
        {"send", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(queue_send)),
         METH_FASTCALL | METH_KEYWORDS, docs::MessageQueue_send},
        {"receive", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(queue_receive)),
         METH_FASTCALL | METH_KEYWORDS, docs::MessageQueue_receive},
    };
    static PyGetSetDef queue_getters[] = {
        {"current_messages", queue_current_messages, nullptr,
         docs::MessageQueue_current_messages, nullptr},
    };
    PyObject* semaphore = PyDict_New();
    PyObject* queue = PyDict_New();
    PyObject* members = semaphore && queue ? Py_BuildValue("{sOsO}", "Semaphore", semaphore, "MessageQueue", queue)
                                           : nullptr;
    const bool made = members &&
        add_descriptors(semaphore, semaphore_type, semaphore_methods, std::size(semaphore_methods), nullptr, 0) == 0 &&
        add_descriptors(queue, queue_type, queue_methods, std::size(queue_methods), queue_getters,
                        std::size(queue_getters)) == 0;
    Py_XDECREF(semaphore);
    Py_XDECREF(queue);
    if (!made) Py_CLEAR(members);
    return members;
}

}  // namespace posix_ipc_python
