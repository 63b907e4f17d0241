// The language-neutral rules of message queue notifications, so that every
// binding only maps its own values onto them:
//   - NotificationRequest: the three forms a request takes (cancel, raise a
//     signal, run a callback) with the one validation of the signal number;
//   - NotificationInbox: tokens posted by the core's notification threads and
//     taken by the language's own thread, with a descriptor that polls
//     readable while tokens wait (each language drains it in its idiom).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "posix_ipc/wakeup.hpp"

namespace posix_ipc {

class NotificationRequest {
public:
    enum class Kind { Cancel, Signal, Callback };

    static NotificationRequest cancel() { return NotificationRequest(Kind::Cancel, 0, {}); }
    // A signal number from 1 to the system's last (NSIG - 1); anything else,
    // whatever integer type the language had, raises BadNotification.
    static NotificationRequest signal(long long signal_number);
    // `callback` runs once on a thread of the core's, unless cancelled or replaced first.
    static NotificationRequest callback(std::function<void()> callback);

    Kind kind() const noexcept { return kind_; }
    int signal_number() const noexcept { return signal_number_; }
    const std::function<void()>& function() const noexcept { return callback_; }

private:
    NotificationRequest(Kind kind, int signal_number, std::function<void()> callback)
        : kind_(kind), signal_number_(signal_number), callback_(std::move(callback)) {}

    Kind kind_;
    int signal_number_;
    std::function<void()> callback_;
};

// Shared (std::shared_ptr) between the language state that drains it and the
// callbacks that post to it, so a late notification never writes to a closed
// descriptor or freed memory.
class NotificationInbox {
public:
    // Raises the error of eventfd()/pipe() (OSError, MemoryError) when there is no descriptor to give.
    static std::shared_ptr<NotificationInbox> create();
    ~NotificationInbox();
    NotificationInbox(const NotificationInbox&) = delete;
    NotificationInbox& operator=(const NotificationInbox&) = delete;

    // A token never handed out before by this inbox (its first is 1).
    std::uint64_t next_token();
    // Any thread; never raises (a full queue would only be out of memory: dropped).
    void post(std::uint64_t token) noexcept;
    // The tokens posted so far, oldest first, emptying the inbox. With none
    // waiting, first waits up to `wait_seconds` (<= 0: not at all) for one.
    std::vector<std::uint64_t> take(double wait_seconds = 0.0);
    // Readable while tokens wait (an eventfd, or a pipe where there is
    // none), for a language's event loop.
    int fd() const noexcept { return wakeup_.read_fd(); }

private:
    explicit NotificationInbox(Wakeup wakeup) : wakeup_(wakeup) {}

    std::mutex mutex_;
    std::vector<std::uint64_t> tokens_;
    std::uint64_t last_token_ = 0;
    Wakeup wakeup_;
};

namespace defaults {
// MessageQueue's notification parameter: absent cancels.
inline const NotificationRequest notification = NotificationRequest::cancel();
}  // namespace defaults

}  // namespace posix_ipc
