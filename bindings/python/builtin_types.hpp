// What SWIG 4.1 cannot be told about its -builtin types, done once at import
// (prepare_types, which swig/python.i wraps as _prepare_types for the
// package's __init__.py), on the type objects the module exports:
// - its docstrings (below: SWIG wraps each multi-line one in newlines);
// - SWIG's plumbing: -builtin always puts `this` and `thisown` in each type's
//   dict, and its SwigPyObject base type always has disown/own/acquire/
//   append/next, which would let MessageQueue.acquire() or disown() change
//   who frees the C++ object; no %feature leaves them out, so they are taken
//   out of the type dicts here. SWIG's own code reaches the C++ object
//   without them. So is the `__dict__` getter SWIG adds even with
//   tp_dictoffset 0: upstream's objects have no __dict__, and without it
//   no object ever holds a dict (which lets SharedMemory's tp_dealloc,
//   fast_methods.hpp, free the object with SWIG's public calls only).
// This is the one file of the binding that edits a SWIG type's dict
// (tests/check_one_declaration.py allows it here only).
#pragma once

#include <Python.h>

#include <cstring>

#include "fast_methods.hpp"

namespace posix_ipc_python {

// SWIG (-builtin) wraps every multi-line docstring in newlines ("\n<doc>\n"),
// which hides a leading "name(...)\n--\n\n" text signature from
// inspect.signature(). fix_docs() points each such docstring of a method or
// getset table (a type's: tp_methods, tp_getset) at a trimmed copy. The
// tables are static and the descriptors read them on every __doc__ access,
// so this works after PyType_Ready too; the copies live as long as the
// process. Idempotent.
inline const char* trimmed_doc(const char* doc) {
    if (!doc || doc[0] != '\n') return doc;
    const char* text = doc + 1;
    size_t size = std::strlen(text);
    while (size > 0 && (text[size - 1] == '\n' || text[size - 1] == ' ')) --size;
    char* copy = new char[size + 1];
    std::memcpy(copy, text, size);
    copy[size] = '\0';
    return copy;
}

inline void fix_docs(PyMethodDef* methods) {
    for (; methods && methods->ml_name; ++methods) methods->ml_doc = trimmed_doc(methods->ml_doc);
}

inline void fix_docs(PyGetSetDef* getsets) {
    for (; getsets && getsets->name; ++getsets) getsets->doc = trimmed_doc(getsets->doc);
}

// A type's docstring may start with the constructor's text signature
// ("Name(params)\n--\n\n"), which __text_signature__ reads from tp_doc;
// __doc__ (set from tp_doc by PyType_Ready) keeps only the text after it.
inline int fix_docs(PyTypeObject* type) {
    fix_docs(type->tp_methods);
    fix_docs(type->tp_getset);
    if (!type->tp_doc || type->tp_doc[0] != '\n') return 0;  // done before
    type->tp_doc = trimmed_doc(type->tp_doc);
    const char* text = std::strstr(type->tp_doc, "\n--\n\n");
    PyObject* doc = PyUnicode_FromString(text ? text + 5 : type->tp_doc);
    if (!doc) return -1;
    const int rc = PyDict_SetItemString(type->tp_dict, "__doc__", doc);
    Py_DECREF(doc);
    PyType_Modified(type);
    return rc;
}

// Makes a SWIG -builtin type look like upstream's, without SWIG's
// plumbing (this, thisown; disown/own/acquire/append/next from its
// SwigPyObject base, a type private to this module), which would otherwise
// let MessageQueue.acquire() or disown() change who frees the C++ object.
// SWIG's own code reaches the C++ object without these attributes.
inline int present_as_upstream(PyTypeObject* type) {
    PyTypeObject* swig_base = type->tp_base;
    struct { PyTypeObject* owner; const char* name; } const plumbing[] = {
        {type, "this"}, {type, "thisown"}, {type, "__dict__"},
        {swig_base, "disown"}, {swig_base, "own"}, {swig_base, "acquire"},
        {swig_base, "append"}, {swig_base, "next"},
    };
    for (const auto& entry : plumbing) {
        if (!entry.owner || !entry.owner->tp_dict) continue;
        if (PyDict_DelItemString(entry.owner->tp_dict, entry.name) < 0) {
            if (!PyErr_ExceptionMatches(PyExc_KeyError)) return -1;
            PyErr_Clear();  // already gone (the base is shared by the three types)
        }
        PyType_Modified(entry.owner);
    }
    return 0;
}

// The module's dict, kept by swig/python.i's %init for prepare_types.
inline PyObject* module_dict = nullptr;

// Gives the three types their docstrings and upstream's attributes, and
// returns the compiled members the package's Semaphore and MessageQueue add
// to SWIG's (fast_methods.hpp):
// {"Semaphore": {name: descriptor}, "MessageQueue": {...}}.
// Run once, by the package's __init__.py: SWIG adds the types to the module
// only after the %init code has run.
inline PyObject* prepare_types() {
    const char* const names[3] = {"Semaphore", "SharedMemory", "MessageQueue"};
    PyTypeObject* types[3];
    for (int i = 0; i < 3; ++i) {
        PyObject* type = module_dict ? PyDict_GetItemString(module_dict, names[i]) : nullptr;  // borrowed
        if (!type || !PyType_Check(type)) return PyErr_Format(PyExc_SystemError, "no type %s", names[i]);
        types[i] = reinterpret_cast<PyTypeObject*>(type);
        if (fix_docs(types[i]) < 0 || present_as_upstream(types[i]) < 0) return nullptr;
    }
    return compiled_members(types[0], types[2]);
}

}  // namespace posix_ipc_python
