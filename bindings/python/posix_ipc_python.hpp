// Python glue for the SWIG module: error classes, argument conversion and
// notification callbacks. Included by swig/python.i only.
#pragma once

#include <Python.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>

#include "posix_ipc/posix_ipc.hpp"

namespace posix_ipc_binding {

// Alive while a call may block: other Python threads run meanwhile. When the
// interpreter began to finalize meanwhile, CPython ends this thread inside
// PyEval_RestoreThread (pthread_exit), so the destructor must let that forced
// unwind through (noexcept(false); a noexcept one aborted the process), and
// the core raises nothing while a region is alive (an exception in flight
// meeting the unwind would abort too).
class BlockingRegion {
public:
    BlockingRegion() : state_(PyEval_SaveThread()) {}
    ~BlockingRegion() noexcept(false) {
        exiting_ = true;  // stays true when CPython ends the thread in there
        PyEval_RestoreThread(state_);
        exiting_ = false;
    }
    BlockingRegion(const BlockingRegion&) = delete;
    BlockingRegion& operator=(const BlockingRegion&) = delete;

    // True while CPython's pthread_exit unwinds this thread: a catch (...) on
    // the way must rethrow. (Not `catch (abi::__forced_unwind&)`: that binds a
    // reference to no object, which UBSan reports.)
    static bool thread_exiting() noexcept { return exiting_; }

private:
    PyThreadState* state_;
    static inline thread_local bool exiting_ = false;
};

}  // namespace posix_ipc_binding

namespace posix_ipc_python {

// Defines `name` in the module and lists it in the __all__ that SWIG's
// -builtin module has, so `from ._posix_ipc import *` brings it along.
inline int publish(PyObject* module_dict, const char* name, PyObject* value) {
    if (PyDict_SetItemString(module_dict, name, value) < 0) return -1;
    PyObject* all = PyDict_GetItemString(module_dict, "__all__");  // borrowed
    if (!all || !PyList_Check(all)) return 0;
    PyObject* text = PyUnicode_FromString(name);
    if (!text) return -1;
    const int rc = PyList_Append(all, text);
    Py_DECREF(text);
    return rc;
}

// posix_ipc.Error and its subclasses (the classes specific to IPC in the
// core's error tree), made at module init, by ErrorKind.
inline PyObject* ipc_error_classes[posix_ipc::kErrorKindCount] = {};

inline int add_error_classes(PyObject* module_dict) {
    for (int i = 0; i < posix_ipc::kErrorKindCount; ++i) {
        const auto kind = static_cast<posix_ipc::ErrorKind>(i);
        if (!posix_ipc::is_ipc_specific(kind)) continue;
        const std::string qualified = std::string("posix_ipc.") + posix_ipc::kind_name(kind);
        // Parents come first in ErrorKind; Error itself derives from Exception.
        PyObject* base = kind == posix_ipc::ErrorKind::Error
                             ? PyExc_Exception
                             : ipc_error_classes[static_cast<int>(posix_ipc::parent_of(kind))];
        ipc_error_classes[i] = PyErr_NewExceptionWithDoc(qualified.c_str(), posix_ipc::kind_doc(kind), base, nullptr);
        if (!ipc_error_classes[i] || publish(module_dict, posix_ipc::kind_name(kind), ipc_error_classes[i]) < 0)
            return -1;
    }
    return 0;
}

// The module constants, from the core's one table.
inline int add_constants(PyObject* module_dict) {
    int count = 0;
    const posix_ipc::ModuleConstant* constants = posix_ipc::module_constants(count);
    for (int i = 0; i < count; ++i) {
        const posix_ipc::ModuleConstant& constant = constants[i];
        PyObject* value = nullptr;
        switch (constant.type) {
        case posix_ipc::ModuleConstant::Type::Integer: value = PyLong_FromLongLong(constant.number); break;
        case posix_ipc::ModuleConstant::Type::Boolean: value = PyBool_FromLong(static_cast<long>(constant.number)); break;
        case posix_ipc::ModuleConstant::Type::Text: value = PyUnicode_FromString(constant.text); break;
        }
        if (!value) return -1;
        const int rc = publish(module_dict, constant.name, value);
        Py_DECREF(value);
        if (rc < 0) return -1;
    }
    return 0;
}

// Sets the Python exception for a core error.
inline void set_error(const posix_ipc::IpcError& error) {
    using K = posix_ipc::ErrorKind;
    // Ctrl-C (or any exception a Python signal handler raises) wins over
    // SignalError, as upstream.
    if (error.kind() == K::SignalError && PyErr_CheckSignals() != 0) return;
    if (posix_ipc::is_ipc_specific(error.kind())) {
        PyErr_SetString(ipc_error_classes[static_cast<int>(error.kind())], error.what());
        return;
    }
    PyObject* type = PyExc_OSError;
    switch (error.kind()) {
    case K::ValueError: type = PyExc_ValueError; break;
    case K::TypeError: type = PyExc_TypeError; break;
    case K::OverflowError: type = PyExc_OverflowError; break;
    case K::MemoryError: type = PyExc_MemoryError; break;
    case K::AttributeError: type = PyExc_AttributeError; break;
    default:  // OSError: with its errno when there is one
        if (error.error_number() != 0) {
            PyObject* value = Py_BuildValue("(is)", error.error_number(), error.what());
            if (value) {
                PyErr_SetObject(PyExc_OSError, value);
                Py_DECREF(value);
            }
            return;
        }
        break;
    }
    PyErr_SetString(type, error.what());
}

inline void set_error(posix_ipc::ErrorCode code) { set_error(posix_ipc::IpcError(code)); }

// Ends every try block of an entry point: any C++ exception becomes a Python
// error (std::bad_alloc: MemoryError), except the forced unwind of a thread
// CPython ends with pthread_exit at interpreter exit, which must go on.
#define POSIX_IPC_PYTHON_CATCH_ALL(...)                                 \
    catch (...) {                                                       \
        if (posix_ipc_binding::BlockingRegion::thread_exiting()) throw; \
        posix_ipc_python::set_error(posix_ipc::current_error());        \
        __VA_ARGS__;                                                    \
    }

// Conversions used by the typemaps; each returns false with a Python error set.

inline bool to_name(PyObject* object, posix_ipc::Name& name) {
    try {
        if (object == Py_None) {
            name = posix_ipc::Name::random();
        } else if (PyUnicode_Check(object)) {
            Py_ssize_t size = 0;
            const char* text = PyUnicode_AsUTF8AndSize(object, &size);
            if (!text) return false;
            name = posix_ipc::Name::from(std::string(text, static_cast<size_t>(size)));
        } else if (PyBytes_Check(object)) {
            name = posix_ipc::Name::from(
                std::string(PyBytes_AS_STRING(object), static_cast<size_t>(PyBytes_GET_SIZE(object))));
        } else {
            set_error(posix_ipc::ErrorCode::BadNameType);
            return false;
        }
    } POSIX_IPC_PYTHON_CATCH_ALL(return false)
    return true;
}

inline bool to_timeout(PyObject* object, posix_ipc::Timeout& timeout) {
    if (object == Py_None) {
        timeout = posix_ipc::Timeout::forever();
        return true;
    }
    double seconds;
    if (PyFloat_Check(object)) {
        seconds = PyFloat_AS_DOUBLE(object);
    } else if (PyLong_Check(object)) {
        seconds = PyLong_AsDouble(object);
        if (seconds == -1.0 && PyErr_Occurred()) {  // an int beyond double
            PyErr_Clear();
            PyObject* zero = PyLong_FromLong(0);
            const int negative = zero ? PyObject_RichCompareBool(object, zero, Py_LT) : -1;
            Py_XDECREF(zero);
            if (negative < 0) return false;
            seconds = negative ? -1.0 : HUGE_VAL;
        }
    } else {
        set_error(posix_ipc::ErrorCode::BadTimeout);
        return false;
    }
    try {
        timeout = posix_ipc::Timeout::seconds(seconds);
    } POSIX_IPC_PYTHON_CATCH_ALL(return false)
    return true;
}

// bytes, str (as UTF-8) or any buffer. `view->obj` is set when a buffer must be released.
inline bool to_bytes(PyObject* object, posix_ipc::Bytes& bytes, Py_buffer* view,
                     posix_ipc::ErrorCode wrong_type) {
    view->obj = nullptr;
    if (PyBytes_Check(object)) {
        bytes = {PyBytes_AS_STRING(object), static_cast<size_t>(PyBytes_GET_SIZE(object))};
        return true;
    }
    if (PyUnicode_Check(object)) {
        Py_ssize_t size = 0;
        const char* text = PyUnicode_AsUTF8AndSize(object, &size);
        if (!text) return false;
        bytes = {text, static_cast<size_t>(size)};
        return true;
    }
    if (PyObject_CheckBuffer(object)) {
        if (PyObject_GetBuffer(object, view, PyBUF_SIMPLE) != 0) return false;
        bytes = {static_cast<const char*>(view->buf), static_cast<size_t>(view->len)};
        return true;
    }
    set_error(wrong_type);
    return false;
}

// An integer argument (int, bool or any __index__ object) for the parameter
// called `parameter`. A value beyond long long raises the error the core
// gives that parameter for any other value outside its range
// (posix_ipc::out_of_range_error, core/include/posix_ipc/signatures.hpp).
inline bool to_long_long(PyObject* object, long long& value, const char* parameter) {
    PyObject* index = PyNumber_Index(object);  // TypeError "'str' object cannot be interpreted as an integer"
    if (!index) return false;
    int overflow = 0;
    value = PyLong_AsLongLongAndOverflow(index, &overflow);
    Py_DECREF(index);
    if (overflow != 0) {
        set_error(posix_ipc::out_of_range_error(parameter));
        return false;
    }
    return !(value == -1 && PyErr_Occurred());
}

// The seconds a timeout argument means (None: forever), checked exactly as
// acquire/send/receive check it, for the asyncio methods (_asyncio.py).
inline PyObject* timeout_seconds(PyObject* timeout) {
    posix_ipc::Timeout checked;
    if (!to_timeout(timeout, checked)) return nullptr;
    if (checked.is_forever()) Py_RETURN_NONE;
    return PyFloat_FromDouble(checked.is_poll() ? 0.0 : checked.value());
}

// str(shm): the name.
inline PyObject* shared_memory_str(const posix_ipc::SharedMemory& memory) {
    return PyUnicode_FromString(memory.name().c_str());
}

// repr(shm): e.g. posix_ipc.SharedMemory("/name", mode=0600), as upstream.
inline PyObject* shared_memory_repr(const posix_ipc::SharedMemory& memory) {
    char mode[24];  // PyUnicode_FromFormat has no octal
    std::snprintf(mode, sizeof mode, "0%lo", static_cast<unsigned long>(memory.mode()));
    return PyUnicode_FromFormat("posix_ipc.SharedMemory(\"%s\", mode=%s)", memory.name().c_str(), mode);
}

// Truthiness, as Python's own flags work (read=0 is False).
inline bool to_bool(PyObject* object, bool& value) {
    const int truth = PyObject_IsTrue(object);
    if (truth < 0) return false;
    value = truth != 0;
    return true;
}

inline PyObject* received_to_tuple(const posix_ipc::Received& received) {
    PyObject* message = PyBytes_FromStringAndSize(received.data, static_cast<Py_ssize_t>(received.size));
    if (!message) return nullptr;
    PyObject* priority = PyLong_FromUnsignedLong(received.priority);
    if (!priority) {
        Py_DECREF(message);
        return nullptr;
    }
    PyObject* pair = PyTuple_New(2);
    if (!pair) {
        Py_DECREF(message);
        Py_DECREF(priority);
        return nullptr;
    }
    PyTuple_SET_ITEM(pair, 0, message);
    PyTuple_SET_ITEM(pair, 1, priority);
    return pair;
}

// True once the interpreter has begun to finalize (or is gone): from then on a
// foreign thread that asks for the GIL is ended by CPython with pthread_exit.
inline bool interpreter_exiting() {
#if PY_VERSION_HEX >= 0x030D0000
    return !Py_IsInitialized() || Py_IsFinalizing();
#else
    return !Py_IsInitialized() || _Py_IsFinalizing();
#endif
}

// (function, param) for a thread notification, run once on the core's
// notification thread. That thread can be ended by CPython with pthread_exit
// inside PyGILState_Ensure (or inside the callback) when the interpreter starts
// to finalize meanwhile; the forced unwind then runs the destructors of the
// frames it crosses, and one that called into Python (or any noexcept frame)
// would abort the process. So the references are dropped under the same GIL
// hold as the call, and the destructor touches Python only when this thread
// already holds the GIL (a cancelled request, dropped by a Python call);
// otherwise, at exit, the two references are left to the dying interpreter.
class NotificationCall {
public:
    NotificationCall(PyObject* function, PyObject* param) : function_(function), param_(param) {
        Py_INCREF(function_);
        Py_INCREF(param_);
    }
    ~NotificationCall() {
        if (!function_ || interpreter_exiting() || !PyGILState_Check()) return;
        Py_CLEAR(function_);
        Py_CLEAR(param_);
    }
    NotificationCall(const NotificationCall&) = delete;
    NotificationCall& operator=(const NotificationCall&) = delete;

    void operator()() {
        if (!function_ || interpreter_exiting()) return;
        PyGILState_STATE gil = PyGILState_Ensure();  // may end this thread (see above)
        PyObject* result = PyObject_CallOneArg(function_, param_);
        if (result) {
            Py_DECREF(result);
        } else {
            PyErr_WriteUnraisable(function_);
        }
        Py_CLEAR(function_);
        Py_CLEAR(param_);
        PyGILState_Release(gil);
    }

private:
    PyObject* function_;
    PyObject* param_;
};

// The notification argument: None cancels, an int asks for that signal,
// (function, param) calls function(param) on a new thread; the core
// validates the signal number.
inline bool to_notification(PyObject* notification, posix_ipc::NotificationRequest& request) {
    try {
        if (notification == Py_None) {
            request = posix_ipc::NotificationRequest::cancel();
        } else if (PyLong_Check(notification)) {
            int overflow = 0;
            const long long signal_number = PyLong_AsLongLongAndOverflow(notification, &overflow);
            if (signal_number == -1 && PyErr_Occurred()) return false;
            // Beyond long long is no signal either: the core's BadNotification.
            request = posix_ipc::NotificationRequest::signal(overflow ? 0 : signal_number);
        } else if (PyTuple_Check(notification) && PyTuple_GET_SIZE(notification) == 2 &&
                   PyCallable_Check(PyTuple_GET_ITEM(notification, 0))) {
            auto call = std::make_shared<NotificationCall>(PyTuple_GET_ITEM(notification, 0),
                                                           PyTuple_GET_ITEM(notification, 1));
            request = posix_ipc::NotificationRequest::callback([call] { (*call)(); });
        } else {
            set_error(posix_ipc::ErrorCode::BadNotification);
            return false;
        }
    } POSIX_IPC_PYTHON_CATCH_ALL(return false)
    return true;
}

}  // namespace posix_ipc_python
