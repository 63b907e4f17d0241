// The parameters of every constructor and method the languages share: their
// names, order, kinds and defaults, declared once. The C++ declarations (the
// core's headers, swig/posix_ipc.i, which SWIG turns into Python's keyword
// arguments and Lua's wrappers) take their defaults from `defaults`; the
// bindings that parse arguments themselves (Lua's table form, Tcl's
// positional values and -options) read the table.
#pragma once

#include "posix_ipc/constants.hpp"

namespace posix_ipc {

// Every default, named once.
namespace defaults {
inline constexpr long long flags = 0;
inline constexpr long long mode = 0600;
inline constexpr long long initial_value = 0;  // Semaphore
inline constexpr long long size = 0;           // SharedMemory
inline constexpr bool read_only = false;
inline constexpr long long byte_count = 0;  // SharedMemory read: to the end
inline constexpr long long offset = 0;
inline constexpr bool read = true;  // MessageQueue: open for reading, writing
inline constexpr bool write = true;
inline constexpr long long priority = 0;
// A queue's two limits default to the system's: queue_messages_max_default()
// and queue_message_size_max_default() (constants.hpp).
}  // namespace defaults

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

// What each method is, for a binding's dispatch (its name is in the table).
enum class Method {
    Construct, Acquire, Release, Close, CloseFd, Unlink, Read, Write, Fileno, Send, Receive, Notify
};

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
template <> const ClassSignatures& signatures<Semaphore>();
template <> const ClassSignatures& signatures<SharedMemory>();
template <> const ClassSignatures& signatures<MessageQueue>();

}  // namespace posix_ipc
