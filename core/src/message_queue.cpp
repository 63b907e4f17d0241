#include "posix_ipc/message_queue.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "posix_ipc/config.h"
#include "posix_ipc/error.hpp"
#include "posix_ipc/wakeup.hpp"

#if POSIX_IPC_HAVE_MQUEUE

namespace posix_ipc {

namespace {

// Callback notifications in flight, by ticket. The kernel hands the ticket
// (not a pointer) to the notifying thread, so a cancel racing a delivery can
// never free what that thread is about to run.
class NotificationRegistry {
public:
    // `queue` identifies the queue (its inode), whichever handle registered.
    std::uint64_t add(std::function<void()> callback, std::uint64_t queue) {
        std::lock_guard<std::mutex> lock(mutex_);
        const std::uint64_t ticket = ++last_ticket_;
        callbacks_.emplace(ticket, Entry{std::move(callback), queue});
        return ticket;
    }

    // Removes and returns the ticket's callback (empty if it is gone). The
    // caller destroys it outside the lock: a binding's destructor may need a
    // language lock (the GIL) that another thread holds while it waits here.
    std::function<void()> take(std::uint64_t ticket) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto found = callbacks_.find(ticket);
        if (found == callbacks_.end()) return {};
        std::function<void()> callback = std::move(found->second.callback);
        callbacks_.erase(found);
        return callback;
    }

    // The kernel keeps one registration per queue and process, and any handle
    // of the process can cancel it (by closing or by mq_notify(NULL)): drop
    // whatever ticket a handle of that queue left.
    std::vector<std::function<void()>> take_queue(std::uint64_t queue) {
        std::vector<std::function<void()>> taken;
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto it = callbacks_.begin(); it != callbacks_.end();) {
            if (it->second.queue == queue) {
                taken.push_back(std::move(it->second.callback));
                it = callbacks_.erase(it);
            } else {
                ++it;
            }
        }
        return taken;
    }

private:
    std::mutex mutex_;
    std::uint64_t last_ticket_ = 0;
    struct Entry {
        std::function<void()> callback;
        std::uint64_t queue;
    };
    std::unordered_map<std::uint64_t, Entry> callbacks_;
};

NotificationRegistry& registry() {
    static auto* instance = new NotificationRegistry();  // never destroyed: threads may outlive exit
    return *instance;
}

void deliver_notification(union sigval value) {
    const auto ticket = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(value.sival_ptr));
    // The bindings' callbacks throw nothing (an exception leaving this thread
    // would abort the process); Python's may be ended by pthread_exit, whose
    // forced unwind must pass, so nothing here catches.
    std::function<void()> callback = registry().take(ticket);
    if (callback) callback();
}

std::vector<char>& receive_buffer(std::size_t size) {
    thread_local std::vector<char> buffer;
    if (buffer.size() < size) buffer.resize(size);
    return buffer;
}

const struct timespec kPollDeadline = {0, 0};

// True when this process can still open a descriptor (so an EMFILE came from
// something else than RLIMIT_NOFILE).
bool below_descriptor_limit() noexcept { return try_open_descriptor() != EMFILE; }

// The descriptor behind a queue handle, for poll and fstat.
int queue_descriptor(mqd_t mqd) noexcept {
#if POSIX_IPC_HAVE_MQ_GETFD_NP
    return mq_getfd_np(mqd);  // FreeBSD: mqd_t is a pointer
#else
    return mqd;  // Linux: mqd_t is the descriptor itself
#endif
}

// Waits until the queue's descriptor is ready for `events` (POLLIN: a message
// is waiting; POLLOUT: there is room), or wake_fd is readable (the handle was
// closed by another thread), a signal arrives, or the monotonic deadline
// passes. 0, EBADF (closed), EINTR or ETIMEDOUT.
int wait_ready(mqd_t mqd, int wake_fd, short events, const Timeout& timeout,
               const struct timespec& deadline) noexcept {
    struct pollfd fds[2] = {{queue_descriptor(mqd), events, 0}, {wake_fd, POLLIN, 0}};
    struct timespec remaining {};
    struct timespec* limit = nullptr;
    if (!timeout.is_forever()) {
        struct timespec now {};
        clock_gettime(CLOCK_MONOTONIC, &now);
        remaining.tv_sec = deadline.tv_sec - now.tv_sec;
        remaining.tv_nsec = deadline.tv_nsec - now.tv_nsec;
        if (remaining.tv_nsec < 0) {
            remaining.tv_nsec += 1000000000L;
            --remaining.tv_sec;
        }
        if (remaining.tv_sec < 0) return ETIMEDOUT;
        limit = &remaining;
    }
#if POSIX_IPC_HAVE_PPOLL
    const int ready = ppoll(fds, 2, limit, nullptr);
#else
    // poll counts whole milliseconds: round up, so the wait never ends early.
    const int ms = limit == nullptr ? -1
                   : remaining.tv_sec > 2000000 ? 2000000000
                   : static_cast<int>(remaining.tv_sec * 1000 + (remaining.tv_nsec + 999999) / 1000000);
    const int ready = poll(fds, 2, ms);
#endif
    if (ready < 0) return errno;
    if (fds[1].revents != 0) return EBADF;
    if (ready == 0) return ETIMEDOUT;
    return 0;
}

// Monotonic, so a wall-clock jump neither stretches nor cuts a wait.
struct timespec wait_deadline(const Timeout& timeout) noexcept {
    return timeout.is_forever() ? timespec{} : timeout.deadline(CLOCK_MONOTONIC);
}

}  // namespace

MessageQueue::MessageQueue(const Name& name, long long flags, long long mode, long long max_messages,
                           long long max_message_size, bool read, bool write)
    : mode_(static_cast<long>(mode)), read_(read), write_(write) {
    check_flags_and_mode(flags, mode);
    check_name_and_flags(name, flags);
    if (!read && !write) raise(ErrorCode::NoReadNoWrite);
    const int access = read && write ? O_RDWR : (read ? O_RDONLY : O_WRONLY);
    const int open_flags = (static_cast<int>(flags) & (O_CREAT | O_EXCL | O_NONBLOCK)) | access;
    struct mq_attr attributes {};
    if (open_flags & O_CREAT) {
        if (max_messages <= 0 || max_messages > LONG_MAX || max_message_size <= 0 ||
            max_message_size > LONG_MAX)
            raise(ErrorCode::InvalidParameters);
        attributes.mq_maxmsg = static_cast<long>(max_messages);
        attributes.mq_msgsize = static_cast<long>(max_message_size);
    }
    for (int tries = 1;; ++tries) {
        // Not the conditional operator: its result would be a copy of the text,
        // one more allocation per object.
        if (name.is_random())
            name_ = random_name();
        else
            name_ = name.text();
        mqd_ = mq_open(name_.c_str(), open_flags, static_cast<mode_t>(mode),
                       (open_flags & O_CREAT) ? &attributes : nullptr);
        if (mqd_ != no_queue()) break;
        const int error = errno;
        // Linux says EMFILE both at the descriptor limit and when the queue
        // would take this user over RLIMIT_MSGQUEUE bytes: tell them apart.
        if (error == EMFILE && (open_flags & O_CREAT) && below_descriptor_limit())
            raise(ErrorCode::QueueMemoryLimitReached, error);
        if (!(name.is_random() && error == EEXIST))
            raise_open_error(error, ErrorCode::QueueNotFound, ErrorCode::QueueExists);
        if (tries == RANDOM_NAME_TRIES) raise(ErrorCode::NoUnusedRandomName, error);
    }
    // Size limits never change for a queue's life, so read them once.
    if (mq_getattr(mqd_, &attributes) != 0) {
        const int error = errno;
        mq_close(mqd_);
        mqd_ = no_queue();
        raise(ErrorCode::SystemError, error);
    }
    struct stat info {};
    if (fstat(queue_descriptor(mqd_), &info) == 0) queue_id_ = static_cast<std::uint64_t>(info.st_ino);
    max_messages_ = attributes.mq_maxmsg;
    max_message_size_ = attributes.mq_msgsize;
    block_ = !(attributes.mq_flags & O_NONBLOCK);
}

void MessageQueue::check_open() const {
    if (closed()) raise(ErrorCode::QueueClosed);
}

void MessageQueue::check_send(Bytes message, long long priority) const {
    if (!write_) raise(ErrorCode::QueueNotWritable);
    if (closed()) raise(ErrorCode::SendOnClosedQueue, EBADF);
    if (static_cast<long long>(message.size) > max_message_size_) raise(ErrorCode::MessageTooLong);
    if (priority < 0 || priority > QUEUE_PRIORITY_MAX) raise(ErrorCode::BadPriority);
}

char* MessageQueue::check_receive() const {
    if (!read_) raise(ErrorCode::QueueNotReadable);
    if (closed()) raise(ErrorCode::ReceiveOnClosedQueue, EBADF);
    return receive_buffer(static_cast<std::size_t>(max_message_size_)).data();
}

namespace {
// A deadline in the past: the call returns at once (ETIMEDOUT, or EAGAIN with
// O_NONBLOCK) instead of waiting.
int send_without_waiting(mqd_t mqd, Bytes message, unsigned priority) noexcept {
    return mq_timedsend(mqd, message.data, message.size, priority, &kPollDeadline) == 0 ? 0 : errno;
}

int receive_without_waiting(mqd_t mqd, char* buffer, std::size_t capacity, Received& received) noexcept {
    const ssize_t size = mq_timedreceive(mqd, buffer, capacity, &received.priority, &kPollDeadline);
    if (size < 0) return errno;
    received.size = static_cast<std::size_t>(size);
    return 0;
}
}  // namespace

int MessageQueue::send_now(Bytes message, unsigned priority) noexcept {
    return send_without_waiting(mqd_, message, priority);
}

int MessageQueue::receive_now(char* buffer, Received& received) noexcept {
    return receive_without_waiting(mqd_, buffer, static_cast<std::size_t>(max_message_size_), received);
}

int MessageQueue::begin_wait(Waiter& waiter) {
    std::lock_guard<std::mutex> lock(waiters_mutex_);
    if (closed()) return EBADF;
    if (!wake_.is_open()) {
        if (const int error = wake_.open()) return error;
    }
    ++waiters_;
    waiter = Waiter{mqd_, wake_.read_fd()};
    return 0;
}

void MessageQueue::end_wait() noexcept {
    std::lock_guard<std::mutex> lock(waiters_mutex_);
    if (--waiters_ == 0 && close_after_wait_ != no_queue()) {
        mq_close(close_after_wait_);
        close_after_wait_ = no_queue();
        wake_.close();
    }
}

int MessageQueue::send_waiting(const Waiter& waiter, Bytes message, const Timeout& timeout,
                               unsigned priority) noexcept {
    const struct timespec deadline = wait_deadline(timeout);
    for (;;) {
        const int rc = wait_ready(waiter.mqd, waiter.wake_fd, POLLOUT, timeout, deadline);
        if (rc != 0) return rc;
        const int sent = send_without_waiting(waiter.mqd, message, priority);
        if (sent != ETIMEDOUT && sent != EAGAIN) return sent;  // else another sender took the room first
    }
}

int MessageQueue::receive_waiting(const Waiter& waiter, char* buffer, const Timeout& timeout,
                                  Received& received) noexcept {
    const struct timespec deadline = wait_deadline(timeout);
    const std::size_t capacity = static_cast<std::size_t>(max_message_size_);
    for (;;) {
        const int rc = wait_ready(waiter.mqd, waiter.wake_fd, POLLIN, timeout, deadline);
        if (rc != 0) return rc;
        const int got = receive_without_waiting(waiter.mqd, buffer, capacity, received);
        if (got != ETIMEDOUT && got != EAGAIN) return got;  // else another receiver took the message first
    }
}

void MessageQueue::raise_send_error(int error) const {
    switch (error) {
    case EAGAIN:
    case ETIMEDOUT: raise(ErrorCode::QueueFull, error);
    case EBADF: raise(ErrorCode::SendOnClosedQueue, error);
    case EINTR: raise(ErrorCode::WaitInterrupted, error);
    case EMSGSIZE: raise(ErrorCode::MessageTooLong, error);
    case EINVAL: raise(ErrorCode::InvalidParameters, error);
    default: raise(ErrorCode::SystemError, error);
    }
}

void MessageQueue::raise_receive_error(int error) const {
    switch (error) {
    case EAGAIN:
    case ETIMEDOUT: raise(ErrorCode::QueueEmpty, error);
    case EBADF: raise(ErrorCode::ReceiveOnClosedQueue, error);
    case EINTR: raise(ErrorCode::WaitInterrupted, error);
    case EINVAL: raise(ErrorCode::InvalidParameters, error);
    default: raise(ErrorCode::SystemError, error);
    }
}

namespace {
[[noreturn]] void raise_notify_error(int error) {
    switch (error) {
    case EBUSY: raise(ErrorCode::NotificationBusy, error);
    case EBADF: raise(ErrorCode::QueueClosed, error);
    case EINVAL: raise(ErrorCode::BadNotification, error);
    default: raise(ErrorCode::SystemError, error);
    }
}
}  // namespace

void MessageQueue::request_notification(const NotificationRequest& request) {
    switch (request.kind()) {
    case NotificationRequest::Kind::Cancel: cancel_notification(); break;
    case NotificationRequest::Kind::Signal: request_signal_notification(request.signal_number()); break;
    case NotificationRequest::Kind::Callback: request_callback_notification(request.function()); break;
    }
}

void MessageQueue::request_signal_notification(int signal_number) {
    check_open();
    // The number was checked by NotificationRequest::signal. As upstream: a
    // new request replaces this process's previous one, made through any
    // handle of the queue (the kernel keeps one per process).
    cancel_notification();
    struct sigevent event {};
    event.sigev_notify = SIGEV_SIGNAL;
    event.sigev_signo = signal_number;
    if (mq_notify(mqd_, &event) != 0) raise_notify_error(errno);
}

void MessageQueue::request_callback_notification(std::function<void()> callback) {
    check_open();
#if !POSIX_IPC_HAVE_SIGEV_THREAD
    (void)callback;
    raise(ErrorCode::NotSupported);  // no SIGEV_THREAD: nothing to run the callback on
#else
    cancel_notification();  // replaces this process's previous request, as above
    const std::uint64_t ticket = registry().add(std::move(callback), queue_id_);
    struct sigevent event {};
    event.sigev_notify = SIGEV_THREAD;
    event.sigev_notify_function = deliver_notification;
    event.sigev_value.sival_ptr = reinterpret_cast<void*>(static_cast<std::uintptr_t>(ticket));
    if (mq_notify(mqd_, &event) != 0) {
        const int error = errno;
        registry().take(ticket);
        raise_notify_error(error);
    }
    notification_ = ticket;
#endif
}

void MessageQueue::cancel_notification() {
    check_open();
    // Linux removes only this process's registration: another process's stays
    // (and this succeeds), so the request that follows meets EBUSY.
    if (mq_notify(mqd_, nullptr) != 0) raise_notify_error(errno);
    drop_registration();
}

void MessageQueue::forget_notification() {
    if (notification_ != 0) {
        registry().take(notification_);
        notification_ = 0;
    }
}

void MessageQueue::drop_registration() {
    if (queue_id_ == 0) {  // the queue has no inode to know it by: only this handle's ticket
        forget_notification();
        return;
    }
    notification_ = 0;
    registry().take_queue(queue_id_);
}

MessageQueue::~MessageQueue() { wake_.close(); }

int MessageQueue::mqd() const noexcept { return closed() ? -1 : queue_descriptor(mqd_); }

void MessageQueue::close() {
    mqd_t mqd;
    {
        std::lock_guard<std::mutex> lock(waiters_mutex_);
        check_open();
        mqd = mqd_;
        mqd_ = no_queue();
        if (waiters_ > 0) {
            // Threads wait on this descriptor: wake them (the closed queue's error);
            // the last one out closes it, so its number is not reused under them.
            close_after_wait_ = mqd;
            wake_.signal();
            mqd = no_queue();
        }
    }
    // Closing drops this process's registration, so its callback can never run.
    drop_registration();
    if (mqd == no_queue()) return;
    wake_.close();
    if (mq_close(mqd) != 0) raise(ErrorCode::SystemError, errno);
}

void MessageQueue::unlink() { unlink_message_queue(Name::from(name_)); }

bool MessageQueue::block() const {
    check_open();
    return block_;
}

void MessageQueue::set_block(bool block) {
    check_open();
    struct mq_attr attributes {};
    attributes.mq_flags = block ? 0 : O_NONBLOCK;
    if (mq_setattr(mqd_, &attributes, nullptr) != 0) raise(ErrorCode::SystemError, errno);
    block_ = block;
}

long MessageQueue::max_messages() const {
    check_open();
    return max_messages_;
}

long MessageQueue::max_message_size() const {
    check_open();
    return max_message_size_;
}

long MessageQueue::current_messages() const {
    check_open();
    struct mq_attr attributes {};
    if (mq_getattr(mqd_, &attributes) != 0) raise(ErrorCode::SystemError, errno);
    return attributes.mq_curmsgs;
}

void unlink_message_queue(const Name& name) {
    if (name.is_random()) raise(ErrorCode::BadNameType);
    if (mq_unlink(name.text().c_str()) != 0)
        raise_open_error(errno, ErrorCode::QueueNotFound, ErrorCode::QueueExists);
}

}  // namespace posix_ipc

#else  // no message queues on this platform (macOS)

// Every way in raises NotSupported, so nothing reaches mq_*. The modules do
// not offer the class there at all (MESSAGE_QUEUES_SUPPORTED is false), as upstream.
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

#endif  // POSIX_IPC_HAVE_MQUEUE
