#include "posix_ipc/notification.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>

#include "posix_ipc/error.hpp"

namespace posix_ipc {

NotificationRequest NotificationRequest::signal(long long signal_number) {
    if (signal_number <= 0 || signal_number >= NSIG) raise(ErrorCode::BadNotification);
    return NotificationRequest(Kind::Signal, static_cast<int>(signal_number), {});
}

NotificationRequest NotificationRequest::callback(std::function<void()> callback) {
    if (!callback) raise(ErrorCode::BadNotification);
    return NotificationRequest(Kind::Callback, 0, std::move(callback));
}

std::shared_ptr<NotificationInbox> NotificationInbox::create() {
    Wakeup wakeup;
    if (const int error = wakeup.open()) {
        raise(error == ENOMEM ? ErrorCode::NotEnoughMemory
              : error == EMFILE ? ErrorCode::TooManyFilesProcess
              : error == ENFILE ? ErrorCode::TooManyFilesSystem
                                : ErrorCode::SystemError,
              error);
    }
    try {
        return std::shared_ptr<NotificationInbox>(new NotificationInbox(wakeup));
    } catch (...) {
        wakeup.close();
        throw;
    }
}

NotificationInbox::~NotificationInbox() { wakeup_.close(); }

std::uint64_t NotificationInbox::next_token() {
    std::lock_guard<std::mutex> lock(mutex_);
    return ++last_token_;
}

void NotificationInbox::post(std::uint64_t token) noexcept {
    try {
        std::lock_guard<std::mutex> lock(mutex_);
        tokens_.push_back(token);
    } catch (...) {
        return;  // out of memory on a notification thread: nothing to report it to
    }
    wakeup_.signal();
}

std::vector<std::uint64_t> NotificationInbox::take(double wait_seconds) {
    bool empty;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        empty = tokens_.empty();
    }
    if (empty && wait_seconds > 0) {
        struct pollfd ready {};
        ready.fd = wakeup_.read_fd();
        ready.events = POLLIN;
        const double ms = std::ceil(wait_seconds * 1000.0);
        ::poll(&ready, 1, ms > 2147483647.0 ? -1 : static_cast<int>(ms));
    }
    std::vector<std::uint64_t> taken;
    std::lock_guard<std::mutex> lock(mutex_);
    taken.swap(tokens_);
    wakeup_.drain();  // readable again only after the next post
    return taken;
}

}  // namespace posix_ipc
