// The parameters of every constructor and method the languages share: their
// names, order, kinds and defaults, at run time. The C++ declarations (the
// core's headers, which swig/posix_ipc.i %includes: Python's keyword
// arguments and Lua's wrappers) take their defaults from `defaults`; what
// parses arguments itself (Lua's table form, Tcl's positional values and
// -options, Python's hot methods) reads the table. The ctest one_declaration
// holds the headers' parameters to it.
#pragma once

#include <cstring>
#include <iterator>

#include "posix_ipc/constants.hpp"
#include "posix_ipc/error.hpp"

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
    // An Integer's error for a value beyond what the language can convert
    // (Python's ints beyond long long): the one the core gives that
    // parameter for any other value outside its range.
    ErrorCode out_of_range = ErrorCode::InvalidParameters;
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

// ---- the table ----------------------------------------------------------------------
// Each class: its constructor, then its methods in the docs' order. A method
// is one entry here (and a Method above, for the bindings' dispatch).
namespace signature_table {

// A default known when compiling, as the table's function.
template <long long V>
constexpr long long value() { return V; }
inline long long queue_messages_default() { return queue_messages_max_default(); }
inline long long queue_message_size_default() { return queue_message_size_max_default(); }

using T = ParameterType;
inline constexpr Parameter name{"name", T::Name, true, nullptr};
inline constexpr Parameter flags{"flags", T::Integer, false, value<defaults::flags>};
inline constexpr Parameter mode{"mode", T::Integer, false, value<defaults::mode>};
inline constexpr Parameter timeout{"timeout", T::Timeout, false, nullptr};
inline constexpr Parameter offset{"offset", T::Integer, false, value<defaults::offset>, ErrorCode::OutOfBounds};

#define POSIX_IPC_CALL(METHOD, NAME, PARAMETERS) {Method::METHOD, NAME, PARAMETERS, int(std::size(PARAMETERS))}
#define POSIX_IPC_BARE_CALL(METHOD, NAME) {Method::METHOD, NAME, nullptr, 0}

inline constexpr Parameter semaphore_new[] = {
    name, flags, mode, {"initial_value", T::Integer, false, value<defaults::initial_value>, ErrorCode::BadInitialValue}};
inline constexpr Parameter acquire_parameters[] = {timeout};
inline constexpr Signature semaphore_calls[] = {
    POSIX_IPC_CALL(Construct, "Semaphore", semaphore_new),
    POSIX_IPC_CALL(Acquire, "acquire", acquire_parameters),
    POSIX_IPC_BARE_CALL(Release, "release"),
    POSIX_IPC_BARE_CALL(Close, "close"),
    POSIX_IPC_BARE_CALL(Unlink, "unlink"),
};

inline constexpr Parameter shared_memory_new[] = {
    name, flags, mode,
    {"size", T::Integer, false, value<defaults::size>, ErrorCode::BadSize},
    {"read_only", T::Boolean, false, value<defaults::read_only>}};
inline constexpr Parameter read_parameters[] = {{"byte_count", T::Integer, false, value<defaults::byte_count>, ErrorCode::OutOfBounds}, offset};
inline constexpr Parameter write_parameters[] = {{"data", T::Bytes, true, nullptr}, offset};
inline constexpr Signature shared_memory_calls[] = {
    POSIX_IPC_CALL(Construct, "SharedMemory", shared_memory_new),
    POSIX_IPC_CALL(Read, "read", read_parameters),
    POSIX_IPC_CALL(Write, "write", write_parameters),
    POSIX_IPC_BARE_CALL(Fileno, "fileno"),
    POSIX_IPC_BARE_CALL(CloseFd, "close_fd"),
    POSIX_IPC_BARE_CALL(Unlink, "unlink"),
};

inline constexpr Parameter message_queue_new[] = {
    name, flags, mode,
    {"max_messages", T::Integer, false, queue_messages_default},
    {"max_message_size", T::Integer, false, queue_message_size_default},
    {"read", T::Boolean, false, value<defaults::read>},
    {"write", T::Boolean, false, value<defaults::write>}};
inline constexpr Parameter send_parameters[] = {
    {"message", T::Bytes, true, nullptr}, timeout, {"priority", T::Integer, false, value<defaults::priority>, ErrorCode::BadPriority}};
inline constexpr Parameter receive_parameters[] = {timeout};
inline constexpr Parameter notify_parameters[] = {{"notification", T::Notification, false, nullptr}};
inline constexpr Signature message_queue_calls[] = {
    POSIX_IPC_CALL(Construct, "MessageQueue", message_queue_new),
    POSIX_IPC_CALL(Send, "send", send_parameters),
    POSIX_IPC_CALL(Receive, "receive", receive_parameters),
    POSIX_IPC_BARE_CALL(Fileno, "fileno"),
    POSIX_IPC_CALL(Notify, "request_notification", notify_parameters),
    POSIX_IPC_BARE_CALL(Close, "close"),
    POSIX_IPC_BARE_CALL(Unlink, "unlink"),
};

#undef POSIX_IPC_CALL
#undef POSIX_IPC_BARE_CALL

inline constexpr ClassSignatures semaphore{"Semaphore", semaphore_calls, int(std::size(semaphore_calls))};
inline constexpr ClassSignatures shared_memory{"SharedMemory", shared_memory_calls, int(std::size(shared_memory_calls))};
inline constexpr ClassSignatures message_queue{"MessageQueue", message_queue_calls, int(std::size(message_queue_calls))};

}  // namespace signature_table

template <> inline const ClassSignatures& signatures<Semaphore>() { return signature_table::semaphore; }
template <> inline const ClassSignatures& signatures<SharedMemory>() { return signature_table::shared_memory; }
template <> inline const ClassSignatures& signatures<MessageQueue>() { return signature_table::message_queue; }

// The entry of T's `method` (Method::Construct: the constructor).
template <class T>
const Signature& signature_of(Method method) {
    const ClassSignatures& table = signatures<T>();
    for (int c = 0; c < table.count; ++c)
        if (table.calls[c].method == method) return table.calls[c];
    return table.calls[0];
}

// The out-of-range error of the parameter called `name` (a parameter name
// means the same in every call that has it).
inline ErrorCode out_of_range_error(const char* name) {
    for (const ClassSignatures* cls : {&signature_table::semaphore, &signature_table::shared_memory,
                                       &signature_table::message_queue})
        for (int c = 0; c < cls->count; ++c)
            for (int p = 0; p < cls->calls[c].count; ++p)
                if (std::strcmp(cls->calls[c].parameters[p].name, name) == 0) return cls->calls[c].parameters[p].out_of_range;
    return ErrorCode::InvalidParameters;
}

}  // namespace posix_ipc
