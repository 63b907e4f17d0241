// MessageQueue where the platform has no message queues (macOS): every way in
// raises NotSupported, so nothing reaches mq_*. The modules do not offer the
// class there at all (MESSAGE_QUEUES_SUPPORTED is false), as upstream.
#include "posix_ipc/message_queue.hpp"

#include "posix_ipc/error.hpp"

namespace posix_ipc {

MessageQueue::MessageQueue(const Name&, long long, long long mode, long long, long long, bool read, bool write)
    : mode_(static_cast<long>(mode)), read_(read), write_(write) {
    raise(ErrorCode::NotSupported);
}

MessageQueue::~MessageQueue() = default;

int MessageQueue::mqd() const noexcept { return -1; }
void MessageQueue::check_open() const { raise(ErrorCode::NotSupported); }
void MessageQueue::check_send(Bytes, long long) const { raise(ErrorCode::NotSupported); }
char* MessageQueue::check_receive() const { raise(ErrorCode::NotSupported); }
int MessageQueue::send_now(Bytes, unsigned) noexcept { return ENOSYS; }
int MessageQueue::receive_now(char*, Received&) noexcept { return ENOSYS; }
int MessageQueue::begin_wait(Waiter&) { return ENOSYS; }
void MessageQueue::end_wait() noexcept {}
int MessageQueue::send_waiting(const Waiter&, Bytes, const Timeout&, unsigned) noexcept { return ENOSYS; }
int MessageQueue::receive_waiting(const Waiter&, char*, const Timeout&, Received&) noexcept { return ENOSYS; }
void MessageQueue::raise_send_error(int) const { raise(ErrorCode::NotSupported); }
void MessageQueue::raise_receive_error(int) const { raise(ErrorCode::NotSupported); }
void MessageQueue::request_notification(const NotificationRequest&) { raise(ErrorCode::NotSupported); }
void MessageQueue::close() { raise(ErrorCode::NotSupported); }
void MessageQueue::unlink() { raise(ErrorCode::NotSupported); }
bool MessageQueue::block() const { raise(ErrorCode::NotSupported); }
void MessageQueue::set_block(bool) { raise(ErrorCode::NotSupported); }
long MessageQueue::max_messages() const { raise(ErrorCode::NotSupported); }
long MessageQueue::max_message_size() const { raise(ErrorCode::NotSupported); }
long MessageQueue::current_messages() const { raise(ErrorCode::NotSupported); }

void unlink_message_queue(const Name&) { raise(ErrorCode::NotSupported); }

}  // namespace posix_ipc
