// The Tcl object commands of Semaphore, SharedMemory and MessageQueue, and the
// module init. Included by swig/tcl.i in the wrapper section, after the
// attribute table's entries (POSIX_IPC_ATTRIBUTE in posix_ipc.i).
//
// SWIG generates no Tcl objects for these classes (swig/tcl.i says why);
// these are freed by `$obj destroy` (or `rename $obj {}`), call the core
// directly, and dispatch with Tcl_GetIndexFromObj, which caches the index in
// the Tcl_Obj. Their methods, parameters, -options, defaults and usage text
// come from the core's table (posix_ipc::signatures<T>(), signatures.hpp):
// what is written here is only what each call does.
#pragma once

#include <cstdlib>
#include <iterator>
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

// ---- calls: their syntax, from the core's one table (posix_ipc::signatures<T>()) ----
// Each parameter is the option "-" + its name; a parameter without a default
// must be given; leading parameters that are a message, data or a
// notification are positional only (never taken for an option name).
constexpr int kMaxParameters = 8;

struct CallSyntax {
    const posix_ipc::Signature* signature = nullptr;
    const char* const* options = nullptr;  // "-name" for each parameter, then nullptr
    const char* usage = nullptr;           // "name ?flags? ..."
    int leading = 0;                       // positional-only parameters
};

// Made once per process by init() and never freed (as the attribute options).
inline CallSyntax make_syntax(const posix_ipc::Signature& signature) {
    CallSyntax call;
    call.signature = &signature;
    auto* options = new const char*[signature.count + 1];
    std::string usage;
    bool leading = true;
    for (int i = 0; i < signature.count; ++i) {
        const posix_ipc::Parameter& parameter = signature.parameters[i];
        options[i] = (new std::string(std::string("-") + parameter.name))->c_str();
        if (!usage.empty()) usage += ' ';
        usage += parameter.required ? std::string(parameter.name) : "?" + std::string(parameter.name) + "?";
        leading = leading && (parameter.type == posix_ipc::ParameterType::Bytes ||
                              parameter.type == posix_ipc::ParameterType::Notification);
        if (leading) ++call.leading;
    }
    options[signature.count] = nullptr;
    call.options = options;
    call.usage = (new std::string(usage))->c_str();
    return call;
}

// The values of one call, in the table's order: each converted (or its
// default) by its parameter's type.
struct Values {
    Tcl_Obj* slots[kMaxParameters];     // as given; nullptr = not given
    long long numbers[kMaxParameters];  // Integer, Boolean (0 or 1)
    posix_ipc::Name name;               // the Name parameter
    posix_ipc::Bytes bytes{};           // the Bytes parameter
    posix_ipc::Timeout timeout;         // the Timeout parameter (absent: forever)
    long long integer(int i) const { return numbers[i]; }
    bool boolean(int i) const { return numbers[i] != 0; }
};

// Fills values.slots from objv[first..objc), then converts them in order.
inline int parse_call(Tcl_Interp* interp, const CallSyntax& call, int objc, Tcl_Obj* const objv[], int first,
                      Values& values) {
    const posix_ipc::Signature& signature = *call.signature;
    const int count = signature.count;
    Tcl_Obj** slots = values.slots;
    for (int k = 0; k < count; ++k) slots[k] = nullptr;
    int position = 0;
    int i = first;
    for (; i < objc; ++i) {
        if (position >= call.leading && call.leading < count && looks_like_option(objv[i])) break;
        if (position >= count) {
            Tcl_WrongNumArgs(interp, first, objv, call.usage);
            return TCL_ERROR;
        }
        slots[position++] = objv[i];
    }
    for (; i < objc; i += 2) {
        int index;
        if (Tcl_GetIndexFromObj(interp, objv[i], call.options + call.leading, "option", 0, &index) != TCL_OK)
            return TCL_ERROR;
        index += call.leading;
        if (i + 1 >= objc) {
            Tcl_SetObjResult(interp, Tcl_ObjPrintf("value for \"%s\" missing", call.options[index]));
            Tcl_SetErrorCode(interp, "TCL", "ARGUMENT", "MISSING", static_cast<char*>(nullptr));
            return TCL_ERROR;
        }
        if (slots[index]) {
            Tcl_SetObjResult(interp, Tcl_ObjPrintf("multiple values for \"%s\"", call.options[index]));
            Tcl_SetErrorCode(interp, "TCL", "ARGUMENT", "DUPLICATE", static_cast<char*>(nullptr));
            return TCL_ERROR;
        }
        slots[index] = objv[i + 1];
    }
    for (int k = 0; k < count; ++k) {
        if (!slots[k] && signature.parameters[k].required) {
            Tcl_WrongNumArgs(interp, first, objv, call.usage);
            return TCL_ERROR;
        }
    }
    for (int k = 0; k < count; ++k) {
        const posix_ipc::Parameter& parameter = signature.parameters[k];
        Tcl_Obj* given = slots[k];
        int status = TCL_OK;
        switch (parameter.type) {
        case posix_ipc::ParameterType::Name: status = to_name(interp, given, values.name); break;
        case posix_ipc::ParameterType::Integer:
            if (given) status = to_wide(interp, given, values.numbers[k]);
            else values.numbers[k] = parameter.default_value();
            break;
        case posix_ipc::ParameterType::Boolean: {
            bool flag = parameter.default_value() != 0;
            if (given) status = to_bool(interp, given, flag);
            values.numbers[k] = flag ? 1 : 0;
            break;
        }
        case posix_ipc::ParameterType::Bytes: status = to_bytes(interp, given, values.bytes); break;
        case posix_ipc::ParameterType::Timeout:
            if (given) status = to_timeout(interp, given, values.timeout);
            break;
        case posix_ipc::ParameterType::Notification: break;  // the Notify case reads the slot
        }
        if (status != TCL_OK) return TCL_ERROR;
    }
    return TCL_OK;
}

// ---- handles ----------------------------------------------------------------------

// What a handle of T holds besides the object: a queue, its channel.
template <class T>
struct HandleExtras {};
template <>
struct HandleExtras<posix_ipc::MessageQueue> {
    QueueChannel* channel = nullptr;  // `$q channel`, made on first use (posix_ipc_tcl_channel.hpp)
    std::uint64_t notification_token = 0;  // of its pending callback in the interp's inbox, 0 if none
};

// What an object command owns. The core object never closes on destruction,
// so freeing a handle neither closes nor unlinks (as `del` in Python).
template <class T>
struct Handle : HandleExtras<T> {
    std::unique_ptr<T> object;
    Tcl_Command token = nullptr;
    Tcl_Interp* interp = nullptr;
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
    handle->interp = interp;
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

// ---- the object commands ------------------------------------------------------------
// `$obj method ?arg ...?`: the core's methods, in the table's order (with
// their parameters, from the table), then Tcl's own: cget, configure,
// destroy, and `$s with`, `$q channel`.
enum class TclMethod { Cget, Configure, With, Channel, Destroy };
struct TclMethodName {
    const char* name;
    TclMethod method;
};
template <class T> struct TclMethods {
    static constexpr TclMethodName list[] = {
        {"cget", TclMethod::Cget}, {"configure", TclMethod::Configure}, {"destroy", TclMethod::Destroy}};
};
template <> struct TclMethods<posix_ipc::Semaphore> {
    static constexpr TclMethodName list[] = {{"cget", TclMethod::Cget}, {"configure", TclMethod::Configure},
                                             {"with", TclMethod::With}, {"destroy", TclMethod::Destroy}};
};
template <> struct TclMethods<posix_ipc::MessageQueue> {
    static constexpr TclMethodName list[] = {{"channel", TclMethod::Channel}, {"cget", TclMethod::Cget},
                                             {"configure", TclMethod::Configure}, {"destroy", TclMethod::Destroy}};
};

// Per class, made once per process by init() and never freed: the syntax of
// each call ([0] the constructor) and the method names for Tcl_GetIndexFromObj.
template <class T>
struct ClassCache {
    static inline const CallSyntax* calls = nullptr;
    static inline int core_methods = 0;  // calls[1 .. core_methods]
    static inline const char* const* methods = nullptr;
};

template <class T>
void cache_calls() {
    static const bool cached = [] {
        const posix_ipc::ClassSignatures& table = posix_ipc::signatures<T>();
        auto* calls = new CallSyntax[table.count];
        for (int i = 0; i < table.count; ++i) calls[i] = make_syntax(table.calls[i]);
        const auto& own = TclMethods<T>::list;
        const int own_count = static_cast<int>(std::size(own));
        auto* methods = new const char*[table.count - 1 + own_count + 1];
        for (int i = 1; i < table.count; ++i) methods[i - 1] = table.calls[i].name;
        for (int i = 0; i < own_count; ++i) methods[table.count - 1 + i] = own[i].name;
        methods[table.count - 1 + own_count] = nullptr;
        ClassCache<T>::calls = calls;
        ClassCache<T>::core_methods = table.count - 1;
        ClassCache<T>::methods = methods;
        return true;
    }();
    (void)cached;
}

inline void close_object(Handle<posix_ipc::Semaphore>& handle) { handle.object->close(); }
inline void close_object(Handle<posix_ipc::SharedMemory>& handle) { handle.object->close_fd(); }
inline void close_object(Handle<posix_ipc::MessageQueue>& handle) {
    detach_channel(handle.channel);  // first: the descriptor's number may be reused at once
    handle.object->close();
    forget_notification(handle.interp, handle.notification_token);  // closing drops the request
}

// The methods more than one class has: close (close_fd), unlink, fileno.
template <class T>
int common_method(Tcl_Interp* interp, Handle<T>& handle, posix_ipc::Method method) {
    switch (method) {
    case posix_ipc::Method::Close:
    case posix_ipc::Method::CloseFd: close_object(handle); return TCL_OK;
    case posix_ipc::Method::Unlink: handle.object->unlink(); return TCL_OK;
    case posix_ipc::Method::Fileno:
        if constexpr (std::is_same_v<T, posix_ipc::Semaphore>) break;
        else Tcl_SetObjResult(interp, Tcl_NewIntObj(handle.object->fileno()));
        return TCL_OK;
    default: break;
    }
    // A method in the core's table that this binding does not implement.
    Tcl_SetObjResult(interp, Tcl_NewStringObj("posix_ipc: method not implemented for Tcl", -1));
    return TCL_ERROR;
}

// The core's methods of each class (after those with no parameters had their argument count checked).
inline int core_method(Tcl_Interp* interp, Handle<posix_ipc::Semaphore>& handle, const CallSyntax& call, int objc,
                       Tcl_Obj* const objv[]) {
    posix_ipc::Semaphore& self = *handle.object;
    switch (call.signature->method) {
    case posix_ipc::Method::Acquire: {
        if (objc == 2) {
            self.acquire<posix_ipc_binding::BlockingRegion>(posix_ipc::Timeout());
            return TCL_OK;
        }
        Values values;
        if (parse_call(interp, call, objc, objv, 2, values) != TCL_OK) return TCL_ERROR;
        self.acquire<posix_ipc_binding::BlockingRegion>(values.timeout);
        return TCL_OK;
    }
    case posix_ipc::Method::Release: self.release(); return TCL_OK;
    default: return common_method(interp, handle, call.signature->method);
    }
}

inline int core_method(Tcl_Interp* interp, Handle<posix_ipc::SharedMemory>& handle, const CallSyntax& call, int objc,
                       Tcl_Obj* const objv[]) {
    posix_ipc::SharedMemory& self = *handle.object;
    switch (call.signature->method) {
    case posix_ipc::Method::Read: {
        Values values;
        if (parse_call(interp, call, objc, objv, 2, values) != TCL_OK) return TCL_ERROR;
        // A byte array holds at most INT_MAX bytes in Tcl 8.6 (TCL_SIZE_MAX in 9).
        const posix_ipc::ByteString bytes = self.read(values.integer(0), values.integer(1), kMaxByteArray);
        Tcl_SetObjResult(interp, Tcl_NewByteArrayObj(reinterpret_cast<const unsigned char*>(bytes.data()),
                                                     static_cast<Size>(bytes.size())));
        return TCL_OK;
    }
    case posix_ipc::Method::Write: {
        Values values;
        if (parse_call(interp, call, objc, objv, 2, values) != TCL_OK) return TCL_ERROR;
        self.write(values.bytes, values.integer(1));
        return TCL_OK;
    }
    default: return common_method(interp, handle, call.signature->method);
    }
}

inline int core_method(Tcl_Interp* interp, Handle<posix_ipc::MessageQueue>& handle, const CallSyntax& call, int objc,
                       Tcl_Obj* const objv[]) {
    posix_ipc::MessageQueue& self = *handle.object;
    switch (call.signature->method) {
    case posix_ipc::Method::Send: {
        if (objc == 3) {  // the message alone: no option parsing
            posix_ipc::Bytes message;
            if (to_bytes(interp, objv[2], message) != TCL_OK) return TCL_ERROR;
            self.send<posix_ipc_binding::BlockingRegion>(message, posix_ipc::Timeout(), posix_ipc::defaults::priority);
            return TCL_OK;
        }
        Values values;
        if (parse_call(interp, call, objc, objv, 2, values) != TCL_OK) return TCL_ERROR;
        self.send<posix_ipc_binding::BlockingRegion>(values.bytes, values.timeout, values.integer(2));
        return TCL_OK;
    }
    case posix_ipc::Method::Receive: {
        if (objc == 2) {
            Tcl_SetObjResult(interp, received_to_list(self.receive<posix_ipc_binding::BlockingRegion>(posix_ipc::Timeout())));
            return TCL_OK;
        }
        Values values;
        if (parse_call(interp, call, objc, objv, 2, values) != TCL_OK) return TCL_ERROR;
        Tcl_SetObjResult(interp, received_to_list(self.receive<posix_ipc_binding::BlockingRegion>(values.timeout)));
        return TCL_OK;
    }
    case posix_ipc::Method::RequestNotification: {
        Values values;
        if (parse_call(interp, call, objc, objv, 2, values) != TCL_OK) return TCL_ERROR;
        posix_ipc::NotificationRequest request = posix_ipc::NotificationRequest::cancel();
        std::uint64_t token = 0;
        if (to_notification_request(interp, values.slots[0], request, token) != TCL_OK) return TCL_ERROR;
        try {
            self.request_notification(std::move(request));
        } catch (...) {
            forget_notification(interp, token);  // never made: its command goes
            throw;
        }
        forget_notification(interp, handle.notification_token);  // replaced (or cancelled)
        handle.notification_token = token;
        return TCL_OK;
    }
    default: return common_method(interp, handle, call.signature->method);
    }
}

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

template <class T>
int tcl_method(Tcl_Interp* interp, Handle<T>& handle, TclMethod method, int objc, Tcl_Obj* const objv[]) {
    switch (method) {
    case TclMethod::Cget: return cget_method(interp, *handle.object, objc, objv);
    case TclMethod::Configure: return configure_method(interp, *handle.object, objc, objv);
    case TclMethod::Destroy:
        if (objc != 2) break;
        Tcl_DeleteCommandFromToken(interp, handle.token);
        return TCL_OK;
    case TclMethod::With:
        if constexpr (std::is_same_v<T, posix_ipc::Semaphore>) return semaphore_with(interp, &handle, objc, objv);
        break;
    case TclMethod::Channel:
        if constexpr (std::is_same_v<T, posix_ipc::MessageQueue>) {
            if (objc != 2) break;
            return queue_channel(interp, *handle.object, handle.channel);
        }
        break;
    }
    Tcl_WrongNumArgs(interp, 2, objv, nullptr);
    return TCL_ERROR;
}

// The object command of every class (for a semaphore, its NRE implementation).
template <class T>
int object_command(ClientData data, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    auto* handle = static_cast<Handle<T>*>(data);
    int index;
    if (method_of(interp, objc, objv, ClassCache<T>::methods, index) != TCL_OK) return TCL_ERROR;
    try {
        if (index >= ClassCache<T>::core_methods)
            return tcl_method(interp, *handle, TclMethods<T>::list[index - ClassCache<T>::core_methods].method, objc,
                              objv);
        const CallSyntax& call = ClassCache<T>::calls[index + 1];
        if (call.signature->count == 0 && objc != 2) {
            Tcl_WrongNumArgs(interp, 2, objv, nullptr);
            return TCL_ERROR;
        }
        return core_method(interp, *handle, call, objc, objv);
    } catch (...) {
        return object_error(interp);
    }
}

// A semaphore's command called outside NRE (e.g. from C): runs the NRE command to its end.
inline int semaphore_command(ClientData data, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    return Tcl_NRCallObjProc(interp, object_command<posix_ipc::Semaphore>, data, objc, objv);
}

// ---- constructors: posix_ipc::Semaphore name ?flags? ... (or -option value), from the table ----
// The values are the table's, by position (as SWIG's arg1, arg2, ...): the
// build stops if the table's constructors and these calls part.
static_assert(posix_ipc::signature_table::semaphore.calls[0].count == 4 &&
              posix_ipc::signature_table::shared_memory.calls[0].count == 5 &&
              posix_ipc::signature_table::message_queue.calls[0].count == 7);
inline std::unique_ptr<posix_ipc::Semaphore> construct(const Values& v, posix_ipc::Semaphore*) {
    return std::make_unique<posix_ipc::Semaphore>(v.name, v.integer(1), v.integer(2), v.integer(3));
}
inline std::unique_ptr<posix_ipc::SharedMemory> construct(const Values& v, posix_ipc::SharedMemory*) {
    return std::make_unique<posix_ipc::SharedMemory>(v.name, v.integer(1), v.integer(2), v.integer(3), v.boolean(4));
}
inline std::unique_ptr<posix_ipc::MessageQueue> construct(const Values& v, posix_ipc::MessageQueue*) {
    return std::make_unique<posix_ipc::MessageQueue>(v.name, v.integer(1), v.integer(2), v.integer(3), v.integer(4),
                                                     v.boolean(5), v.boolean(6));
}

// The prefix of automatic command names (::posix_ipc::sem1, ...).
inline const char* object_prefix(posix_ipc::Semaphore*) { return "sem"; }
inline const char* object_prefix(posix_ipc::SharedMemory*) { return "shm"; }
inline const char* object_prefix(posix_ipc::MessageQueue*) { return "mq"; }

template <class T>
int constructor_command(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    std::string command_name;
    int first;
    if (chosen_name(interp, objc, objv, command_name, first) != TCL_OK) return TCL_ERROR;
    Values values;
    if (parse_call(interp, ClassCache<T>::calls[0], objc, objv, first, values) != TCL_OK) return TCL_ERROR;
    try {
        std::unique_ptr<T> object = construct(values, static_cast<T*>(nullptr));
        if constexpr (std::is_same_v<T, posix_ipc::Semaphore>)
            return make_object(interp, object_prefix(static_cast<T*>(nullptr)), semaphore_command, std::move(object),
                               command_name, object_command<T>);
        else
            return make_object(interp, object_prefix(static_cast<T*>(nullptr)), object_command<T>, std::move(object),
                               command_name);
    } catch (...) {
        return object_error(interp);
    }
}

template <class T>
int define_class(Tcl_Interp* interp, Tcl_Namespace* ns) {
    cache_attributes<T>();
    cache_calls<T>();
    const char* name = posix_ipc::signatures<T>().name;
    Tcl_CreateObjCommand(interp, (std::string("::posix_ipc::") + name).c_str(), constructor_command<T>, nullptr,
                         nullptr);
    return Tcl_Export(interp, ns, name, 0);
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
        create_interp_notifications(interp);
    } catch (...) {
        return set_error(interp, posix_ipc::current_error());
    }
    // `namespace import posix_ipc::*` brings in the public commands (the
    // objects' commands, sem1 ..., are not exported).
    Tcl_Namespace* ns = Tcl_FindNamespace(interp, "::posix_ipc", nullptr, 0);
    if (ns == nullptr) return TCL_ERROR;
    try {
        if (define_class<posix_ipc::Semaphore>(interp, ns) != TCL_OK ||
            define_class<posix_ipc::SharedMemory>(interp, ns) != TCL_OK ||
            define_class<posix_ipc::MessageQueue>(interp, ns) != TCL_OK)
            return TCL_ERROR;
    } catch (...) {
        return set_error(interp, posix_ipc::current_error());
    }
    // Tcl has no signal API: the core's counter, as commands with Tcl's own
    // "wrong # args" (SWIG's wrappers word that differently).
    Tcl_CreateObjCommand(interp, "::posix_ipc::catch_signal", catch_signal_command, nullptr, nullptr);
    Tcl_CreateObjCommand(interp, "::posix_ipc::default_signal", default_signal_command, nullptr, nullptr);
    Tcl_CreateObjCommand(interp, "::posix_ipc::signal_count", signal_count_command, nullptr, nullptr);
    for (const char* command : {"catch_signal", "default_signal", "signal_count", "unlink_semaphore",
                                "unlink_shared_memory", "unlink_message_queue"})
        if (Tcl_Export(interp, ns, command, 0) != TCL_OK) return TCL_ERROR;
    // As upstream's Python module where the platform has no message queues
    // (macOS): neither the class nor the unlink function.
    if (!posix_ipc::MESSAGE_QUEUES_SUPPORTED) {
        Tcl_DeleteCommand(interp, "::posix_ipc::MessageQueue");
        Tcl_DeleteCommand(interp, "::posix_ipc::unlink_message_queue");
    }
    return TCL_OK;
}

}  // namespace posix_ipc_tcl
