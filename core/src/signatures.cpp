#include "posix_ipc/signatures.hpp"

#include <iterator>

namespace posix_ipc {

namespace {

// A default known when compiling, as the table's function.
template <long long V>
constexpr long long value() { return V; }
long long queue_messages_default() { return queue_messages_max_default(); }
long long queue_message_size_default() { return queue_message_size_max_default(); }

constexpr Parameter name{"name", ParameterType::Name, true, nullptr};
constexpr Parameter flags{"flags", ParameterType::Integer, false, value<defaults::flags>};
constexpr Parameter mode{"mode", ParameterType::Integer, false, value<defaults::mode>};
constexpr Parameter timeout{"timeout", ParameterType::Timeout, false, nullptr};
constexpr Parameter offset{"offset", ParameterType::Integer, false, value<defaults::offset>};

#define POSIX_IPC_CALL(METHOD, NAME, PARAMETERS) {Method::METHOD, NAME, PARAMETERS, int(std::size(PARAMETERS))}
#define POSIX_IPC_BARE_CALL(METHOD, NAME) {Method::METHOD, NAME, nullptr, 0}

constexpr Parameter semaphore_new[] = {name, flags, mode, {"initial_value", ParameterType::Integer, false, value<defaults::initial_value>}};
constexpr Parameter acquire_parameters[] = {timeout};
constexpr Signature semaphore_calls[] = {
    POSIX_IPC_CALL(Construct, "Semaphore", semaphore_new),
    POSIX_IPC_CALL(Acquire, "acquire", acquire_parameters),
    POSIX_IPC_BARE_CALL(Release, "release"),
    POSIX_IPC_BARE_CALL(Close, "close"),
    POSIX_IPC_BARE_CALL(Unlink, "unlink"),
};

constexpr Parameter shared_memory_new[] = {
    name, flags, mode, {"size", ParameterType::Integer, false, value<defaults::size>}, {"read_only", ParameterType::Boolean, false, value<defaults::read_only>}};
constexpr Parameter read_parameters[] = {{"byte_count", ParameterType::Integer, false, value<defaults::byte_count>}, offset};
constexpr Parameter write_parameters[] = {{"data", ParameterType::Bytes, true, nullptr}, offset};
constexpr Signature shared_memory_calls[] = {
    POSIX_IPC_CALL(Construct, "SharedMemory", shared_memory_new),
    POSIX_IPC_CALL(Read, "read", read_parameters),
    POSIX_IPC_CALL(Write, "write", write_parameters),
    POSIX_IPC_BARE_CALL(Fileno, "fileno"),
    POSIX_IPC_BARE_CALL(CloseFd, "close_fd"),
    POSIX_IPC_BARE_CALL(Unlink, "unlink"),
};

constexpr Parameter message_queue_new[] = {
    name, flags, mode,
    {"max_messages", ParameterType::Integer, false, queue_messages_default},
    {"max_message_size", ParameterType::Integer, false, queue_message_size_default},
    {"read", ParameterType::Boolean, false, value<defaults::read>},
    {"write", ParameterType::Boolean, false, value<defaults::write>}};
constexpr Parameter send_parameters[] = {
    {"message", ParameterType::Bytes, true, nullptr}, timeout, {"priority", ParameterType::Integer, false, value<defaults::priority>}};
constexpr Parameter receive_parameters[] = {timeout};
constexpr Parameter notify_parameters[] = {{"notification", ParameterType::Notification, false, nullptr}};
constexpr Signature message_queue_calls[] = {
    POSIX_IPC_CALL(Construct, "MessageQueue", message_queue_new),
    POSIX_IPC_CALL(Send, "send", send_parameters),
    POSIX_IPC_CALL(Receive, "receive", receive_parameters),
    POSIX_IPC_BARE_CALL(Fileno, "fileno"),
    POSIX_IPC_CALL(Notify, "request_notification", notify_parameters),
    POSIX_IPC_BARE_CALL(Close, "close"),
    POSIX_IPC_BARE_CALL(Unlink, "unlink"),
};

}  // namespace

template <>
const ClassSignatures& signatures<Semaphore>() {
    static const ClassSignatures table{"Semaphore", semaphore_calls, int(std::size(semaphore_calls))};
    return table;
}
template <>
const ClassSignatures& signatures<SharedMemory>() {
    static const ClassSignatures table{"SharedMemory", shared_memory_calls, int(std::size(shared_memory_calls))};
    return table;
}
template <>
const ClassSignatures& signatures<MessageQueue>() {
    static const ClassSignatures table{"MessageQueue", message_queue_calls, int(std::size(message_queue_calls))};
    return table;
}

}  // namespace posix_ipc
