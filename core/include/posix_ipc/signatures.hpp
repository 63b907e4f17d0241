// The parameters of every constructor and method the languages share: their
// names, order, kinds and defaults, at run time, for what parses arguments
// itself (Lua's table form, Tcl's positional values and -options, Python's
// hot methods). The table is generated (signature_table.hpp, in the build
// tree) by core/make_signatures.py from the class headers' declarations
// marked POSIX_IPC_API, which SWIG wraps too: one declaration for both.
#pragma once

#include <cstring>

#include "posix_ipc/api.hpp"
#include "posix_ipc/constants.hpp"
#include "posix_ipc/error.hpp"

namespace posix_ipc {

enum class ParameterType {
    Name,          // "" / nil / None: a random name
    Integer,
    Boolean,
    Bytes,         // a message or data: never taken for an option name
    Timeout,       // absent: wait forever
    Notification,  // absent: cancel; never taken for an option name
};

struct Parameter {
    const char* name;
    ParameterType type;
    bool required;
    long long (*default_value)();  // Integer and Boolean (0 or 1); nullptr for the others
};

// What each call is, for a binding's dispatch: Construct, then one
// enumerator per method name (close_fd: CloseFd), defined by the table.
enum class Method : int;

struct Signature {
    Method method;
    const char* name;  // the class's name for a constructor
    const Parameter* parameters;
    int count;
};

struct ClassSignatures {
    const char* name;
    const Signature* calls;  // [0] is the constructor, then the methods, in the docs' order
    int count;
};

class Semaphore;
class SharedMemory;
class MessageQueue;

template <class T>
const ClassSignatures& signatures();

namespace signature_table {
// A default known when compiling, as the table's function.
template <long long V>
constexpr long long value() { return V; }
}  // namespace signature_table

}  // namespace posix_ipc

// Method, and signatures<T>() for the three classes.
#include "posix_ipc/signature_table.hpp"

namespace posix_ipc {

// The entry of T's `method` (Method::Construct: the constructor).
template <class T>
const Signature& signature_of(Method method) {
    const ClassSignatures& table = signatures<T>();
    for (int c = 0; c < table.count; ++c)
        if (table.calls[c].method == method) return table.calls[c];
    return table.calls[0];
}

// An integer's error for a value beyond what the language can convert
// (Python's ints beyond long long): the one the core gives that parameter
// for any other value outside its range (a parameter name means the same in
// every call that has it). Core test: Signatures.OutOfRangeErrorIsTheCoresOwn.
inline ErrorCode out_of_range_error(const char* parameter) {
    const struct {
        const char* parameter;
        ErrorCode error;
    } rules[] = {{"initial_value", ErrorCode::BadInitialValue},
                 {"size", ErrorCode::BadSize},
                 {"byte_count", ErrorCode::OutOfBounds},
                 {"offset", ErrorCode::OutOfBounds},
                 {"priority", ErrorCode::BadPriority}};
    for (const auto& rule : rules)
        if (std::strcmp(rule.parameter, parameter) == 0) return rule.error;
    return ErrorCode::InvalidParameters;
}

}  // namespace posix_ipc
