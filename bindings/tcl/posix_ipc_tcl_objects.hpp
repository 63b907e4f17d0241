// The Tcl object commands of Semaphore, SharedMemory and MessageQueue, and the
// module init. Included by swig/tcl.i in the wrapper section, after the
// attribute table's entries (POSIX_IPC_ATTRIBUTE in posix_ipc.i).
//
// SWIG generates no Tcl objects for these classes (swig/tcl.i says why);
// these are freed by `$obj destroy` (or `rename $obj {}`), call the core
// directly, and dispatch with Tcl_GetIndexFromObj, which caches the index in
// the Tcl_Obj.
#pragma once

#include <cstdlib>
#include <memory>
#include <string>
#include <type_traits>

#include "posix_ipc_tcl.hpp"
#include "posix_ipc_tcl_channel.hpp"

namespace posix_ipc_tcl {

// ---- arguments -------------------------------------------------------------------
// Every command with optional parameters takes them in the Python positional
// order, then (or instead) as -option value pairs named after the Python
// keywords. The rule (docs/tcl.md, "Create and open"):
//  - the first `leading` arguments are always values: a message or data (and
//    a notification) is never taken for an option, nor turned into a string;
//  - after them, an argument that starts with "-" and a letter and is not a
//    number (-Inf, -NaN are numbers) ends the positional values; negative
//    numbers such as -1 or -0.5 stay positional;
//  - from there on every argument is an option followed by its value.
// Mistakes in that syntax are Tcl's own errors, as for subcommands and cget
// options (-errorcode starting with TCL, never POSIX_IPC, so a `trap
// {POSIX_IPC}` around an IPC call does not hide a typo):
//   bad option "-foo": must be -timeout or -priority   {TCL LOOKUP INDEX option -foo}
//   value for "-priority" missing                      {TCL ARGUMENT MISSING}
//   multiple values for "-timeout"                     {TCL ARGUMENT DUPLICATE}
//   wrong # args: should be "..."                      {TCL WRONGARGS}
// One rule for every name (subcommands, these options, cget/configure): a
// unique prefix will do, as in Tcl's own commands (-fl is -flags; an
// ambiguous one such as -max_message is Tcl's "ambiguous option" error).

// "-" and a letter, and not a number such as -Inf or -NaN.
inline bool looks_like_option(Tcl_Obj* object) {
    Size length = 0;
    const char* text = Tcl_GetStringFromObj(object, &length);
    if (length < 2 || text[0] != '-') return false;
    const char letter = static_cast<char>(text[1] | 0x20);
    if (letter < 'a' || letter > 'z') return false;
    char* end = nullptr;
    std::strtod(text, &end);
    return end != text + length;
}

// Fills slots[0..count) (nullptr = not given) from objv[first..objc).
// `options` holds "-name" for each parameter in the Python order, then
// nullptr; options before `leading` are positional only (they are not listed
// in the errors; with no other option, an extra argument is wrong # args).
inline int parse_args(Tcl_Interp* interp, int objc, Tcl_Obj* const objv[], int first, const char* const* options,
                      int count, int leading, Tcl_Obj** slots, const char* usage) {
    for (int k = 0; k < count; ++k) slots[k] = nullptr;
    int position = 0;
    int i = first;
    for (; i < objc; ++i) {
        if (position >= leading && leading < count && looks_like_option(objv[i])) break;
        if (position >= count) {
            Tcl_WrongNumArgs(interp, first, objv, usage);
            return TCL_ERROR;
        }
        slots[position++] = objv[i];
    }
    for (; i < objc; i += 2) {
        int index;
        if (Tcl_GetIndexFromObj(interp, objv[i], options + leading, "option", 0, &index) != TCL_OK)
            return TCL_ERROR;
        index += leading;
        if (i + 1 >= objc) {
            Tcl_SetObjResult(interp, Tcl_ObjPrintf("value for \"%s\" missing", options[index]));
            Tcl_SetErrorCode(interp, "TCL", "ARGUMENT", "MISSING", static_cast<char*>(nullptr));
            return TCL_ERROR;
        }
        if (slots[index]) {
            Tcl_SetObjResult(interp, Tcl_ObjPrintf("multiple values for \"%s\"", options[index]));
            Tcl_SetErrorCode(interp, "TCL", "ARGUMENT", "DUPLICATE", static_cast<char*>(nullptr));
            return TCL_ERROR;
        }
        slots[index] = objv[i + 1];
    }
    return TCL_OK;
}

inline int wide_arg(Tcl_Interp* interp, Tcl_Obj* object, long long& value) {
    return object ? to_wide(interp, object, value) : TCL_OK;
}
inline int bool_arg(Tcl_Interp* interp, Tcl_Obj* object, bool& value) {
    return object ? to_bool(interp, object, value) : TCL_OK;
}
inline int timeout_arg(Tcl_Interp* interp, Tcl_Obj* object, posix_ipc::Timeout& value) {
    return object ? to_timeout(interp, object, value) : TCL_OK;
}

// ---- handles ----------------------------------------------------------------------

// What a handle of T holds besides the object: a queue, its channel.
template <class T>
struct HandleExtras {};
template <>
struct HandleExtras<posix_ipc::MessageQueue> {
    QueueChannel* channel = nullptr;  // `$q channel`, made on first use (posix_ipc_tcl_channel.hpp)
};

// What an object command owns. The core object never closes on destruction,
// so freeing a handle neither closes nor unlinks (as `del` in Python).
template <class T>
struct Handle : HandleExtras<T> {
    std::unique_ptr<T> object;
    Tcl_Command token = nullptr;
};

template <class T>
void free_handle(FreeProcData data) {
    delete reinterpret_cast<Handle<T>*>(data);
}

template <class T>
void delete_handle(ClientData data) {
    // A queue's channel goes with the object (the descriptor stays open).
    if constexpr (std::is_same_v<T, posix_ipc::MessageQueue>)
        detach_channel(static_cast<Handle<T>*>(data)->channel);
    // `$s with` may be running a script that destroys its own semaphore.
    Tcl_EventuallyFree(data, free_handle<T>);
}

inline std::atomic<unsigned long> object_counter{0};

// `Class create NAME ...` (as TclOO's create): the command name the caller
// chose, or nullptr for an automatic one (::posix_ipc::sem1, ...). Sets
// `first` to the index of the first constructor argument. A name that is
// already a command is refused before anything is opened.
inline int chosen_name(Tcl_Interp* interp, int objc, Tcl_Obj* const objv[], std::string& name, int& first) {
    name.clear();
    first = 1;
    if (objc < 3 || std::strcmp(Tcl_GetString(objv[1]), "create") != 0) return TCL_OK;  // IPC names start with "/"
    first = 3;
    // Relative to the current namespace, as TclOO's create (Tcl_CreateObjCommand
    // would put an unqualified name in the global one).
    const char* given = Tcl_GetString(objv[2]);
    if (given[0] == ':' && given[1] == ':') {
        name = given;
    } else {
        const Tcl_Namespace* current = Tcl_GetCurrentNamespace(interp);
        name = current->parentPtr ? std::string(current->fullName) + "::" + given : std::string("::") + given;
    }
    if (Tcl_FindCommand(interp, name.c_str(), nullptr, TCL_GLOBAL_ONLY) == nullptr) return TCL_OK;
    Tcl_SetObjResult(interp, Tcl_ObjPrintf("can't create object \"%s\": command already exists with that name",
                                           name.c_str()));
    Tcl_SetErrorCode(interp, "TCL", "OPERATION", "OVERWRITE_OBJECT", static_cast<char*>(nullptr));
    return TCL_ERROR;
}

// `nr_command`, when given, is the command's NRE implementation.
template <class T>
int make_object(Tcl_Interp* interp, const char* prefix, Tcl_ObjCmdProc* command, std::unique_ptr<T> object,
                const std::string& chosen = std::string(), Tcl_ObjCmdProc* nr_command = nullptr) {
    std::string name;
    Tcl_CmdInfo info;
    if (!chosen.empty()) {
        name = chosen;  // qualified by chosen_name
    } else {
        do {
            name = std::string("::posix_ipc::") + prefix + std::to_string(++object_counter);
        } while (Tcl_GetCommandInfo(interp, name.c_str(), &info));
    }
    auto* handle = new Handle<T>;
    handle->object = std::move(object);
    handle->token = nr_command ? Tcl_NRCreateCommand(interp, name.c_str(), command, nr_command, handle, delete_handle<T>)
                               : Tcl_CreateObjCommand(interp, name.c_str(), command, handle, delete_handle<T>);
    Tcl_Obj* full = Tcl_NewObj();
    Tcl_GetCommandFullName(interp, handle->token, full);
    Tcl_SetObjResult(interp, full);
    return TCL_OK;
}

// `$obj configure` with nothing or one option reads (as cget); pairs write.
template <class Get, class Set>
int configure(Tcl_Interp* interp, int objc, Tcl_Obj* const objv[], const char* const* options, Get get,
              Set set) {
    if (objc == 2) {
        Tcl_Obj* all = Tcl_NewListObj(0, nullptr);
        for (int i = 0; options[i]; ++i) {
            if (get(i) != TCL_OK) {
                Tcl_DecrRefCount(all);
                return TCL_ERROR;
            }
            Tcl_ListObjAppendElement(nullptr, all, Tcl_NewStringObj(options[i], -1));
            Tcl_ListObjAppendElement(nullptr, all, Tcl_GetObjResult(interp));
        }
        Tcl_SetObjResult(interp, all);
        return TCL_OK;
    }
    int option;
    if (objc == 3) {
        if (Tcl_GetIndexFromObj(interp, objv[2], options, "option", 0, &option) != TCL_OK) return TCL_ERROR;
        return get(option);
    }
    if (objc % 2 != 0) {
        Tcl_WrongNumArgs(interp, 2, objv, "?-option value ...?");
        return TCL_ERROR;
    }
    // All or nothing (as Tk widgets): every pair is checked before any is set.
    for (int pass = 0; pass < 2; ++pass) {
        for (int i = 2; i < objc; i += 2) {
            if (Tcl_GetIndexFromObj(interp, objv[i], options, "option", 0, &option) != TCL_OK) return TCL_ERROR;
            if (set(option, objv[i + 1], pass == 1) != TCL_OK) return TCL_ERROR;
        }
    }
    Tcl_ResetResult(interp);
    return TCL_OK;
}

inline int cget(Tcl_Interp* interp, int objc, Tcl_Obj* const objv[], const char* const* options, int& option) {
    if (objc != 3) {
        Tcl_WrongNumArgs(interp, 2, objv, "-option");
        return TCL_ERROR;
    }
    return Tcl_GetIndexFromObj(interp, objv[2], options, "option", 0, &option);
}

// ---- attributes, from the one table (posix_ipc::attributes<T>()) ----------------
// cget/configure options are "-" and the attribute's name, in declaration order.
template <class T> struct TclClass;
template <> struct TclClass<posix_ipc::Semaphore> { static constexpr const char* name = "posix_ipc.Semaphore"; };
template <> struct TclClass<posix_ipc::SharedMemory> { static constexpr const char* name = "posix_ipc.SharedMemory"; };
template <> struct TclClass<posix_ipc::MessageQueue> { static constexpr const char* name = "posix_ipc.MessageQueue"; };

// The table and its options {"-name", ..., nullptr} (for Tcl_GetIndexFromObj),
// made once per process by init() (after the module's static initialization
// has filled the table) and never freed; the object commands, which exist
// only after init(), read these plain pointers.
template <class T>
struct AttributeCache {
    static inline const posix_ipc::Attribute<T>* table = nullptr;
    static inline const char* const* options = nullptr;
};

template <class T>
void cache_attributes() {
    static const bool cached = [] {
        const auto& table = posix_ipc::attributes<T>();
        auto* list = new const char*[table.size() + 1];
        for (size_t i = 0; i < table.size(); ++i) list[i] = (new std::string(std::string("-") + table[i].name))->c_str();
        list[table.size()] = nullptr;
        AttributeCache<T>::table = table.data();
        AttributeCache<T>::options = list;
        return true;
    }();
    (void)cached;
}

template <class T>
const char* const* attribute_options() {
    return AttributeCache<T>::options;
}

template <class T>
int get_attribute(Tcl_Interp* interp, T& object, int option) {
    const posix_ipc::AttributeValue value = AttributeCache<T>::table[option].get(object);
    switch (value.type) {
    case posix_ipc::AttributeValue::Type::Text: Tcl_SetObjResult(interp, Tcl_NewStringObj(value.text, -1)); break;
    case posix_ipc::AttributeValue::Type::Boolean: Tcl_SetObjResult(interp, Tcl_NewBooleanObj(value.number != 0)); break;
    // long is 64 bits on the LP64 systems the project builds for (Tcl_NewWideIntObj costs more).
    case posix_ipc::AttributeValue::Type::Integer: Tcl_SetObjResult(interp, Tcl_NewLongObj(static_cast<long>(value.number))); break;
    }
    return TCL_OK;
}

// A writable attribute takes a Tcl boolean; the others are AttributeError.
// With apply false it only checks.
template <class T>
int set_attribute(Tcl_Interp* interp, T& object, int option, Tcl_Obj* value, bool apply = true) {
    const posix_ipc::Attribute<T>& attribute = AttributeCache<T>::table[option];
    if (!attribute.set) return set_error(interp, posix_ipc::attribute_not_writable(TclClass<T>::name, attribute.name));
    int flag;
    if (Tcl_GetBooleanFromObj(nullptr, value, &flag) != TCL_OK) return set_error(interp, attribute.bad_value);
    if (apply) attribute.set(object, flag != 0);
    return TCL_OK;
}

// $obj cget -option, $obj configure ?-option? ?value -option value ...?
template <class T>
int cget_method(Tcl_Interp* interp, T& object, int objc, Tcl_Obj* const objv[]) {
    int option;
    if (cget(interp, objc, objv, attribute_options<T>(), option) != TCL_OK) return TCL_ERROR;
    return get_attribute(interp, object, option);
}

template <class T>
int configure_method(Tcl_Interp* interp, T& object, int objc, Tcl_Obj* const objv[]) {
    return configure(
        interp, objc, objv, attribute_options<T>(), [&](int option) { return get_attribute(interp, object, option); },
        [&](int option, Tcl_Obj* value, bool apply) { return set_attribute(interp, object, option, value, apply); });
}

// Which method an object command call names ($obj method ?arg ...?).
inline int method_of(Tcl_Interp* interp, int objc, Tcl_Obj* const objv[], const char* const* methods, int& method) {
    if (objc < 2) {
        Tcl_WrongNumArgs(interp, 1, objv, "method ?arg ...?");
        return TCL_ERROR;
    }
    return Tcl_GetIndexFromObj(interp, objv[1], methods, "method", 0, &method);
}

// Inside a catch block: any C++ exception (std::bad_alloc: MemoryError) as a Tcl error.
inline int object_error(Tcl_Interp* interp) { return set_error(interp, posix_ipc::current_error()); }

// ---- close, unlink, destroy: the methods every object ends with -------------------
// Each method table ends with "close" ("close_fd" for shared memory),
// "unlink", "destroy"; the object command's switch hands them here as
// `method - <its first one>`. The hot methods keep their own cases.
enum { LIFECYCLE_CLOSE, LIFECYCLE_UNLINK, LIFECYCLE_DESTROY };

inline void close_object(Handle<posix_ipc::Semaphore>& handle) { handle.object->close(); }
inline void close_object(Handle<posix_ipc::SharedMemory>& handle) { handle.object->close_fd(); }
inline void close_object(Handle<posix_ipc::MessageQueue>& handle) {
    detach_channel(handle.channel);  // first: the descriptor's number may be reused at once
    handle.object->close();
}

template <class T>
int lifecycle_method(Tcl_Interp* interp, Handle<T>& handle, int which, int objc, Tcl_Obj* const objv[]) {
    if (objc != 2) {
        Tcl_WrongNumArgs(interp, 2, objv, nullptr);
        return TCL_ERROR;
    }
    try {
        switch (which) {
        case LIFECYCLE_CLOSE: close_object(handle); break;
        case LIFECYCLE_UNLINK: handle.object->unlink(); break;
        default: Tcl_DeleteCommandFromToken(interp, handle.token); break;
        }
    } catch (...) {
        return object_error(interp);
    }
    return TCL_OK;
}

// ---- Semaphore ------------------------------------------------------------------------

inline const char* const semaphore_methods[] = {"acquire", "release", "cget", "configure", "with",
                                                "close", "unlink", "destroy", nullptr};
enum { SEM_ACQUIRE, SEM_RELEASE, SEM_CGET, SEM_CONFIGURE, SEM_WITH, SEM_CLOSE, SEM_UNLINK, SEM_DESTROY };
static_assert(SEM_UNLINK - SEM_CLOSE == LIFECYCLE_UNLINK && SEM_DESTROY - SEM_CLOSE == LIFECYCLE_DESTROY);

// $s with ?timeout? script: acquire, evaluate in the caller's scope, release
// (also when the script fails or returns/breaks; its result and code stand).
// NRE-enabled (as `try`): the script runs on Tcl's own stack of callbacks, so
// it may `yield` inside a coroutine, and the release runs when it ends.
inline int semaphore_with_done(ClientData data[], Tcl_Interp* interp, int code) {
    auto* handle = static_cast<Handle<posix_ipc::Semaphore>*>(data[0]);
    Tcl_DecrRefCount(static_cast<Tcl_Obj*>(data[1]));
    int result = code;
    try {
        handle->object->release();
    } catch (...) {
        if (code == TCL_OK) result = object_error(interp);  // else the script's error wins
    }
    Tcl_Release(handle);
    if (result == TCL_ERROR && code == TCL_ERROR)
        Tcl_AddErrorInfo(interp, "\n    (body of semaphore \"with\")");
    return result;
}

inline int semaphore_with(Tcl_Interp* interp, Handle<posix_ipc::Semaphore>* handle, int objc,
                          Tcl_Obj* const objv[]) {
    if (objc != 3 && objc != 4) {
        Tcl_WrongNumArgs(interp, 2, objv, "?timeout? script");
        return TCL_ERROR;
    }
    posix_ipc::Timeout timeout;
    if (objc == 4 && to_timeout(interp, objv[2], timeout) != TCL_OK) return TCL_ERROR;
    try {
        handle->object->acquire<posix_ipc_binding::BlockingRegion>(timeout);
    } catch (...) {
        return object_error(interp);
    }
    // The handle outlives a script that destroys its own semaphore; the
    // script outlives the command words of a suspended coroutine.
    Tcl_Preserve(handle);
    Tcl_Obj* script = objv[objc - 1];
    Tcl_IncrRefCount(script);
    Tcl_NRAddCallback(interp, semaphore_with_done, handle, script, nullptr, nullptr);
    return Tcl_NREvalObj(interp, script, 0);
}

inline int semaphore_nr_command(ClientData data, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    auto* handle = static_cast<Handle<posix_ipc::Semaphore>*>(data);
    posix_ipc::Semaphore* self = handle->object.get();
    int method;
    if (method_of(interp, objc, objv, semaphore_methods, method) != TCL_OK) return TCL_ERROR;
    try {
        switch (method) {
        case SEM_ACQUIRE: {
            posix_ipc::Timeout timeout;
            if (objc > 2) {
                static const char* const options[] = {"-timeout", nullptr};
                Tcl_Obj* slots[1];
                if (parse_args(interp, objc, objv, 2, options, 1, 0, slots, "?timeout?") != TCL_OK) return TCL_ERROR;
                if (timeout_arg(interp, slots[0], timeout) != TCL_OK) return TCL_ERROR;
            }
            self->acquire<posix_ipc_binding::BlockingRegion>(timeout);
            return TCL_OK;
        }
        case SEM_RELEASE:
            if (objc != 2) break;
            self->release();
            return TCL_OK;
        case SEM_CGET: return cget_method(interp, *self, objc, objv);
        case SEM_CONFIGURE: return configure_method(interp, *self, objc, objv);
        case SEM_WITH: return semaphore_with(interp, handle, objc, objv);
        default: return lifecycle_method(interp, *handle, method - SEM_CLOSE, objc, objv);
        }
    } catch (...) {
        return object_error(interp);
    }
    Tcl_WrongNumArgs(interp, 2, objv, nullptr);
    return TCL_ERROR;
}

// Called outside NRE (e.g. from C): runs the NRE command to its end.
inline int semaphore_command(ClientData data, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    return Tcl_NRCallObjProc(interp, semaphore_nr_command, data, objc, objv);
}

// posix_ipc::Semaphore name ?flags? ?mode? ?initial_value?  (or -option value)
inline int semaphore_new(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    static const char* const options[] = {"-name", "-flags", "-mode", "-initial_value", nullptr};
    Tcl_Obj* slots[4];
    std::string command_name;
    int first;
    if (chosen_name(interp, objc, objv, command_name, first) != TCL_OK) return TCL_ERROR;
    if (parse_args(interp, objc, objv, first, options, 4, 0, slots, "name ?flags? ?mode? ?initial_value?") != TCL_OK)
        return TCL_ERROR;
    if (!slots[0]) {
        Tcl_WrongNumArgs(interp, first, objv, "name ?flags? ?mode? ?initial_value?");
        return TCL_ERROR;
    }
    posix_ipc::Name name;
    long long flags = 0, mode = 0600, initial_value = 0;
    if (to_name(interp, slots[0], name) != TCL_OK || wide_arg(interp, slots[1], flags) != TCL_OK ||
        wide_arg(interp, slots[2], mode) != TCL_OK || wide_arg(interp, slots[3], initial_value) != TCL_OK)
        return TCL_ERROR;
    try {
        auto object = std::make_unique<posix_ipc::Semaphore>(name, flags, mode, initial_value);
        return make_object(interp, "sem", semaphore_command, std::move(object), command_name, semaphore_nr_command);
    } catch (...) {
        return object_error(interp);
    }
}

// ---- SharedMemory -----------------------------------------------------------------------

inline const char* const shm_methods[] = {"read", "write", "fileno", "cget", "configure",
                                          "close_fd", "unlink", "destroy", nullptr};
enum { SHM_READ, SHM_WRITE, SHM_FILENO, SHM_CGET, SHM_CONFIGURE, SHM_CLOSE_FD, SHM_UNLINK, SHM_DESTROY };
static_assert(SHM_UNLINK - SHM_CLOSE_FD == LIFECYCLE_UNLINK && SHM_DESTROY - SHM_CLOSE_FD == LIFECYCLE_DESTROY);

inline int shm_command(ClientData data, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    auto* handle = static_cast<Handle<posix_ipc::SharedMemory>*>(data);
    posix_ipc::SharedMemory* self = handle->object.get();
    int method;
    if (method_of(interp, objc, objv, shm_methods, method) != TCL_OK) return TCL_ERROR;
    try {
        switch (method) {
        case SHM_READ: {
            static const char* const options[] = {"-byte_count", "-offset", nullptr};
            Tcl_Obj* slots[2];
            long long byte_count = 0, offset = 0;
            if (parse_args(interp, objc, objv, 2, options, 2, 0, slots, "?byte_count? ?offset?") != TCL_OK ||
                wide_arg(interp, slots[0], byte_count) != TCL_OK || wide_arg(interp, slots[1], offset) != TCL_OK)
                return TCL_ERROR;
            // A byte array holds at most INT_MAX bytes in Tcl 8.6 (TCL_SIZE_MAX in 9).
            const posix_ipc::ByteString bytes = self->read(byte_count, offset, kMaxByteArray);
            Tcl_SetObjResult(interp, Tcl_NewByteArrayObj(reinterpret_cast<const unsigned char*>(bytes.data()),
                                                         static_cast<Size>(bytes.size())));
            return TCL_OK;
        }
        case SHM_WRITE: {
            static const char* const options[] = {"-data", "-offset", nullptr};
            Tcl_Obj* slots[2];
            long long offset = 0;
            if (parse_args(interp, objc, objv, 2, options, 2, 1, slots, "data ?offset?") != TCL_OK ||
                wide_arg(interp, slots[1], offset) != TCL_OK)
                return TCL_ERROR;
            if (!slots[0]) {
                Tcl_WrongNumArgs(interp, 2, objv, "data ?offset?");
                return TCL_ERROR;
            }
            posix_ipc::Bytes data;
            if (to_bytes(interp, slots[0], data) != TCL_OK) return TCL_ERROR;
            self->write(data, offset);
            return TCL_OK;
        }
        case SHM_FILENO:
            if (objc != 2) break;
            Tcl_SetObjResult(interp, Tcl_NewIntObj(self->fd()));
            return TCL_OK;
        case SHM_CGET: return cget_method(interp, *self, objc, objv);
        case SHM_CONFIGURE: return configure_method(interp, *self, objc, objv);
        default: return lifecycle_method(interp, *handle, method - SHM_CLOSE_FD, objc, objv);
        }
    } catch (...) {
        return object_error(interp);
    }
    Tcl_WrongNumArgs(interp, 2, objv, nullptr);
    return TCL_ERROR;
}

// posix_ipc::SharedMemory name ?flags? ?mode? ?size? ?read_only?
inline int shm_new(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    static const char* const options[] = {"-name", "-flags", "-mode", "-size", "-read_only", nullptr};
    static const char* const usage = "name ?flags? ?mode? ?size? ?read_only?";
    Tcl_Obj* slots[5];
    std::string command_name;
    int first;
    if (chosen_name(interp, objc, objv, command_name, first) != TCL_OK) return TCL_ERROR;
    if (parse_args(interp, objc, objv, first, options, 5, 0, slots, usage) != TCL_OK) return TCL_ERROR;
    if (!slots[0]) {
        Tcl_WrongNumArgs(interp, first, objv, usage);
        return TCL_ERROR;
    }
    posix_ipc::Name name;
    long long flags = 0, mode = 0600, size = 0;
    bool read_only = false;
    if (to_name(interp, slots[0], name) != TCL_OK || wide_arg(interp, slots[1], flags) != TCL_OK ||
        wide_arg(interp, slots[2], mode) != TCL_OK || wide_arg(interp, slots[3], size) != TCL_OK ||
        bool_arg(interp, slots[4], read_only) != TCL_OK)
        return TCL_ERROR;
    try {
        auto object = std::make_unique<posix_ipc::SharedMemory>(name, flags, mode, size, read_only);
        return make_object(interp, "shm", shm_command, std::move(object), command_name);
    } catch (...) {
        return object_error(interp);
    }
}

// ---- MessageQueue -------------------------------------------------------------------------

inline const char* const mq_methods[] = {"send", "receive", "fileno", "channel", "cget", "configure",
                                         "request_notification", "close", "unlink", "destroy", nullptr};
enum {
    MQ_SEND, MQ_RECEIVE, MQ_FILENO, MQ_CHANNEL, MQ_CGET, MQ_CONFIGURE, MQ_NOTIFY, MQ_CLOSE, MQ_UNLINK, MQ_DESTROY
};
static_assert(MQ_UNLINK - MQ_CLOSE == LIFECYCLE_UNLINK && MQ_DESTROY - MQ_CLOSE == LIFECYCLE_DESTROY);
inline int mq_command(ClientData data, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    auto* handle = static_cast<Handle<posix_ipc::MessageQueue>*>(data);
    posix_ipc::MessageQueue* self = handle->object.get();
    int method;
    if (method_of(interp, objc, objv, mq_methods, method) != TCL_OK) return TCL_ERROR;
    try {
        switch (method) {
        case MQ_SEND: {
            posix_ipc::Timeout timeout;
            posix_ipc::Bytes message;
            long long priority = 0;
            if (objc == 3) {
                if (to_bytes(interp, objv[2], message) != TCL_OK) return TCL_ERROR;
                self->send<posix_ipc_binding::BlockingRegion>(message, timeout, priority);
                return TCL_OK;
            }
            static const char* const options[] = {"-message", "-timeout", "-priority", nullptr};
            static const char* const usage = "message ?timeout? ?priority?";
            Tcl_Obj* slots[3];
            if (parse_args(interp, objc, objv, 2, options, 3, 1, slots, usage) != TCL_OK ||
                timeout_arg(interp, slots[1], timeout) != TCL_OK || wide_arg(interp, slots[2], priority) != TCL_OK)
                return TCL_ERROR;
            if (!slots[0]) {
                Tcl_WrongNumArgs(interp, 2, objv, usage);
                return TCL_ERROR;
            }
            if (to_bytes(interp, slots[0], message) != TCL_OK) return TCL_ERROR;
            self->send<posix_ipc_binding::BlockingRegion>(message, timeout, priority);
            return TCL_OK;
        }
        case MQ_RECEIVE: {
            posix_ipc::Timeout timeout;
            if (objc > 2) {
                static const char* const options[] = {"-timeout", nullptr};
                Tcl_Obj* slots[1];
                if (parse_args(interp, objc, objv, 2, options, 1, 0, slots, "?timeout?") != TCL_OK ||
                    timeout_arg(interp, slots[0], timeout) != TCL_OK)
                    return TCL_ERROR;
            }
            Tcl_SetObjResult(interp, received_to_list(self->receive<posix_ipc_binding::BlockingRegion>(timeout)));
            return TCL_OK;
        }
        case MQ_FILENO:
            if (objc != 2) break;
            Tcl_SetObjResult(interp, Tcl_NewIntObj(self->mqd()));
            return TCL_OK;
        case MQ_CHANNEL:
            if (objc != 2) break;
            return queue_channel(interp, *self, handle->channel);
        case MQ_CGET: return cget_method(interp, *self, objc, objv);
        case MQ_CONFIGURE: return configure_method(interp, *self, objc, objv);
        case MQ_NOTIFY: {
            static const char* const options[] = {"-notification", nullptr};
            Tcl_Obj* slots[1];
            if (parse_args(interp, objc, objv, 2, options, 1, 1, slots, "?notification?") != TCL_OK)
                return TCL_ERROR;
            return request_notification(interp, *self, slots[0]);
        }
        default: return lifecycle_method(interp, *handle, method - MQ_CLOSE, objc, objv);
        }
    } catch (...) {
        return object_error(interp);
    }
    Tcl_WrongNumArgs(interp, 2, objv, nullptr);
    return TCL_ERROR;
}

// posix_ipc::MessageQueue name ?flags? ?mode? ?max_messages? ?max_message_size? ?read? ?write?
inline int mq_new(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    static const char* const options[] = {"-name", "-flags", "-mode", "-max_messages", "-max_message_size",
                                          "-read", "-write", nullptr};
    static const char* const usage = "name ?flags? ?mode? ?max_messages? ?max_message_size? ?read? ?write?";
    Tcl_Obj* slots[7];
    std::string command_name;
    int first;
    if (chosen_name(interp, objc, objv, command_name, first) != TCL_OK) return TCL_ERROR;
    if (parse_args(interp, objc, objv, first, options, 7, 0, slots, usage) != TCL_OK) return TCL_ERROR;
    if (!slots[0]) {
        Tcl_WrongNumArgs(interp, first, objv, usage);
        return TCL_ERROR;
    }
    posix_ipc::Name name;
    long long flags = 0, mode = 0600;
    long long max_messages = posix_ipc::queue_messages_max_default();
    long long max_message_size = posix_ipc::queue_message_size_max_default();
    bool read = true, write = true;
    if (to_name(interp, slots[0], name) != TCL_OK || wide_arg(interp, slots[1], flags) != TCL_OK ||
        wide_arg(interp, slots[2], mode) != TCL_OK || wide_arg(interp, slots[3], max_messages) != TCL_OK ||
        wide_arg(interp, slots[4], max_message_size) != TCL_OK || bool_arg(interp, slots[5], read) != TCL_OK ||
        bool_arg(interp, slots[6], write) != TCL_OK)
        return TCL_ERROR;
    try {
        auto object = std::make_unique<posix_ipc::MessageQueue>(name, flags, mode, max_messages, max_message_size,
                                                                read, write);
        return make_object(interp, "mq", mq_command, std::move(object), command_name);
    } catch (...) {
        return object_error(interp);
    }
}

// ---- read-only constants ---------------------------------------------------------------------

// A write restores the value and fails; an unset puts the variable back.
struct Constant {
    std::string name;  // fully qualified: traces may fire for a relative name
    Tcl_Obj* value;
};

inline char* constant_trace(ClientData data, Tcl_Interp* interp, const char*, const char*, int flags) {
    auto* constant = static_cast<Constant*>(data);
    // The interp's teardown (Tcl 9 has no TCL_INTERP_DESTROYED flag; both say so here).
    if ((flags & TCL_TRACE_UNSETS) && Tcl_InterpDeleted(interp)) {
        Tcl_DecrRefCount(constant->value);
        delete constant;
        return nullptr;
    }
    Tcl_SetVar2Ex(interp, constant->name.c_str(), nullptr, constant->value, TCL_GLOBAL_ONLY);
    if (flags & TCL_TRACE_UNSETS) {
        Tcl_TraceVar2(interp, constant->name.c_str(), nullptr,
                      TCL_TRACE_WRITES | TCL_TRACE_UNSETS | TCL_GLOBAL_ONLY, constant_trace, data);
        return nullptr;
    }
    return const_cast<char*>("constant is read-only");
}

inline void define_constant(Tcl_Interp* interp, const char* name, Tcl_Obj* value) {
    auto* constant = new Constant{std::string("::posix_ipc::") + name, value};
    Tcl_IncrRefCount(value);
    const char* full = constant->name.c_str();
    // Loaded again into the same interp: drop the old trace first.
    if (ClientData old = Tcl_VarTraceInfo2(interp, full, nullptr, TCL_GLOBAL_ONLY, constant_trace, nullptr)) {
        Tcl_UntraceVar2(interp, full, nullptr, TCL_TRACE_WRITES | TCL_TRACE_UNSETS | TCL_GLOBAL_ONLY,
                        constant_trace, old);
        Tcl_DecrRefCount(static_cast<Constant*>(old)->value);
        delete static_cast<Constant*>(old);
    }
    Tcl_SetVar2Ex(interp, full, nullptr, value, TCL_GLOBAL_ONLY);
    Tcl_TraceVar2(interp, full, nullptr, TCL_TRACE_WRITES | TCL_TRACE_UNSETS | TCL_GLOBAL_ONLY, constant_trace,
                  constant);
}

inline int init(Tcl_Interp* interp) {
#if TCL_MAJOR_VERSION < 9
    byte_array_type.store(Tcl_GetObjType("bytearray"), std::memory_order_relaxed);
#endif
    try {
        int count = 0;
        const posix_ipc::ModuleConstant* constants = posix_ipc::module_constants(count);
        for (int i = 0; i < count; ++i) {
            const posix_ipc::ModuleConstant& constant = constants[i];
            define_constant(interp, constant.name,
                            constant.type == posix_ipc::ModuleConstant::Type::Text
                                ? Tcl_NewStringObj(constant.text, -1)
                                : Tcl_NewWideIntObj(static_cast<Tcl_WideInt>(constant.number)));
        }
        // Every error's -errorcode starts with POSIX_IPC (the class Error); these
        // are Error and the subclasses specific to IPC, from the core's tree.
        // Every class an -errorcode can carry: Error, its IPC subclasses, and
        // the classes Python takes from its builtins (ValueError, TypeError, ...).
        Tcl_Obj* classes = Tcl_NewListObj(0, nullptr);
        for (int i = 0; i < posix_ipc::kErrorKindCount; ++i)
            Tcl_ListObjAppendElement(nullptr, classes,
                                     Tcl_NewStringObj(posix_ipc::kind_name(static_cast<posix_ipc::ErrorKind>(i)), -1));
        define_constant(interp, "ERROR_CLASSES", classes);
        cache_attributes<posix_ipc::Semaphore>();
        cache_attributes<posix_ipc::SharedMemory>();
        cache_attributes<posix_ipc::MessageQueue>();
    } catch (...) {
        return set_error(interp, posix_ipc::current_error());
    }
    Tcl_CreateObjCommand(interp, "::posix_ipc::Semaphore", semaphore_new, nullptr, nullptr);
    Tcl_CreateObjCommand(interp, "::posix_ipc::SharedMemory", shm_new, nullptr, nullptr);
    Tcl_CreateObjCommand(interp, "::posix_ipc::MessageQueue", mq_new, nullptr, nullptr);
    // Tcl has no signal API: the core's counter, as commands with Tcl's own
    // "wrong # args" (SWIG's wrappers word that differently).
    Tcl_CreateObjCommand(interp, "::posix_ipc::catch_signal", catch_signal_command, nullptr, nullptr);
    Tcl_CreateObjCommand(interp, "::posix_ipc::default_signal", default_signal_command, nullptr, nullptr);
    Tcl_CreateObjCommand(interp, "::posix_ipc::signal_count", signal_count_command, nullptr, nullptr);
    // `namespace import posix_ipc::*` brings in the public commands (the
    // objects' commands, sem1 ..., are not exported).
    Tcl_Namespace* ns = Tcl_FindNamespace(interp, "::posix_ipc", nullptr, 0);
    for (const char* command : {"Semaphore", "SharedMemory", "MessageQueue", "catch_signal", "default_signal",
                                "signal_count", "unlink_semaphore", "unlink_shared_memory", "unlink_message_queue"})
        if (ns == nullptr || Tcl_Export(interp, ns, command, 0) != TCL_OK) return TCL_ERROR;
    // As upstream's Python module where the platform has no message queues
    // (macOS): neither the class nor the unlink function.
    if (!posix_ipc::MESSAGE_QUEUES_SUPPORTED) {
        Tcl_DeleteCommand(interp, "::posix_ipc::MessageQueue");
        Tcl_DeleteCommand(interp, "::posix_ipc::unlink_message_queue");
    }
    interp_state(interp);
    return TCL_OK;
}

}  // namespace posix_ipc_tcl
