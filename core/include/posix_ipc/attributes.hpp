// The attributes of each class (sem.value, mq.block, ...) as a run-time
// table, for bindings that dispatch attribute access themselves (Lua's
// __index, Tcl's cget/configure). The table is filled, once per process when
// the module is loaded, by the one declaration of each attribute:
// POSIX_IPC_ATTRIBUTE in swig/posix_ipc.i, which also gives SWIG its attribute.
#pragma once

#include <string>
#include <type_traits>
#include <vector>

#include "posix_ipc/error.hpp"

namespace posix_ipc {

struct AttributeValue {
    enum class Type { Integer, Boolean, Text };
    Type type;
    long long number;  // Integer, Boolean (0 or 1)
    const char* text;  // Text: owned by the object, valid while it lives
};

template <class V>
AttributeValue attribute_value(const V& value) {
    if constexpr (std::is_same_v<V, bool>) {
        return {AttributeValue::Type::Boolean, value ? 1 : 0, nullptr};
    } else if constexpr (std::is_integral_v<V>) {
        return {AttributeValue::Type::Integer, static_cast<long long>(value), nullptr};
    } else {
        return {AttributeValue::Type::Text, 0, static_cast<const char*>(value)};
    }
}

template <class T>
struct Attribute {
    const char* name;
    AttributeValue (*get)(const T& object);  // may raise IpcError (e.g. on a closed queue)
    void (*set)(T& object, bool value);      // nullptr: read-only
    ErrorCode bad_value;                     // raised by a binding for a value set of the wrong type
};

// In declaration order.
template <class T>
std::vector<Attribute<T>>& attributes() {
    static std::vector<Attribute<T>> table;
    return table;
}

// A namespace-scope object of this type adds one attribute while the module
// is being loaded (static initialization: once per process, in order).
template <class T>
struct AttributeRegistration {
    explicit AttributeRegistration(const Attribute<T>& attribute) { attributes<T>().push_back(attribute); }
};

}  // namespace posix_ipc
