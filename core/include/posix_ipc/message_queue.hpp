// A POSIX message queue handle (mq_open & co.).
#pragma once

#include "posix_ipc/config.h"
#if POSIX_IPC_HAVE_MQUEUE
#include <mqueue.h>
#if POSIX_IPC_SIMULATED_MQD_POINTER
#include "posix_ipc/simulated_freebsd.hpp"
#endif
#endif

#include <cerrno>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "posix_ipc/api.hpp"
#include "posix_ipc/blocking.hpp"
#include "posix_ipc/constants.hpp"
#include "posix_ipc/name.hpp"
#include "posix_ipc/notification.hpp"
#include "posix_ipc/timeout.hpp"
#include "posix_ipc/wakeup.hpp"

namespace posix_ipc {

#if !POSIX_IPC_HAVE_MQUEUE
// No message queues here (macOS): the class is still declared, so the
// bindings compile as everywhere, but its constructor raises NotSupported
// (core/src/message_queue.cpp) and the modules leave it out.
struct NoMessageQueues;
using mqd_t = NoMessageQueues*;
#endif

// A received message. `data` points into a per-thread buffer that stays valid
// until the same thread's next receive(), so no call allocates max_message_size.
struct Received {
    const char* data;
    std::size_t size;
    unsigned priority;
};

class MessageQueue {
public:
    POSIX_IPC_API MessageQueue(const Name& name, long long flags = defaults::flags, long long mode = defaults::mode,
                               long long max_messages = queue_messages_max_default(),
                               long long max_message_size = queue_message_size_max_default(),
                               bool read = defaults::read, bool write = defaults::write);
    // As upstream, the queue's descriptor is closed only by close().
    ~MessageQueue();
    MessageQueue(const MessageQueue&) = delete;
    MessageQueue& operator=(const MessageQueue&) = delete;

    // Each first tries without waiting, outside the region (no GIL round trip
    // when there is room or a message). A wait registers with the handle, so
    // close() from another thread wakes it (the closed queue's error) and
    // the real mq_close waits until it is out: its descriptor number is never
    // reused under it.
    template <class Region = NoRegion>
    POSIX_IPC_API void send(Bytes message, const Timeout& timeout, long long priority = defaults::priority) {
        check_send(message, priority);
        int rc = send_now(message, static_cast<unsigned>(priority));
        if ((rc == ETIMEDOUT || rc == EAGAIN) && block_ && !timeout.is_poll()) {
            Waiter waiter;
            rc = begin_wait(waiter);
            if (rc == 0) {
                {
                    [[maybe_unused]] Region blocking;
                    rc = send_waiting(waiter, message, timeout, static_cast<unsigned>(priority));
                }
                end_wait();
            }
        }
        if (rc != 0) raise_send_error(rc);
    }

    template <class Region = NoRegion>
    POSIX_IPC_API Received receive(const Timeout& timeout) {
        char* buffer = check_receive();
        Received received{buffer, 0, 0};
        int rc = receive_now(buffer, received);
        if ((rc == ETIMEDOUT || rc == EAGAIN) && block_ && !timeout.is_poll()) {
            Waiter waiter;
            rc = begin_wait(waiter);
            if (rc == 0) {
                {
                    [[maybe_unused]] Region blocking;
                    rc = receive_waiting(waiter, buffer, timeout, received);
                }
                end_wait();
            }
        }
        if (rc != 0) raise_receive_error(rc);
        return received;
    }

    // The queue's descriptor (pollable), -1 once closed. mqd_t itself may be
    // a pointer (FreeBSD): it is never converted to a number.
    int mqd() const noexcept;
    POSIX_IPC_API int fileno() const noexcept { return mqd(); }  // the method every language has (mqd is the attribute)

    // Notification when the queue goes from empty to non-empty: one per
    // request (see notification.hpp), or cancels the one this process has.
    // A request replaces the one this process made through any handle of the
    // queue; another process's registration raises NotificationBusy.
    POSIX_IPC_API void request_notification(const NotificationRequest& notification = defaults::notification);

    POSIX_IPC_API void close();
    POSIX_IPC_API void unlink();

    bool closed() const noexcept { return mqd_ == no_queue(); }
    bool block() const;
    void set_block(bool block);
    long max_messages() const;
    long max_message_size() const;
    long current_messages() const;
    const std::string& name() const noexcept { return name_; }
    long mode() const noexcept { return mode_; }
    bool can_read() const noexcept { return read_; }
    bool can_write() const noexcept { return write_; }

private:
    // What mq_open returns on failure, (mqd_t)-1 by POSIX whatever mqd_t is:
    // "no queue" here.
    static mqd_t no_queue() noexcept { return (mqd_t)-1; }
    void request_signal_notification(int signal_number);
    void request_callback_notification(std::function<void()> callback);
    void cancel_notification();
    void check_send(Bytes message, long long priority) const;
    char* check_receive() const;
    // Without waiting: 0, ETIMEDOUT (full / empty; EAGAIN with O_NONBLOCK) or another errno.
    int send_now(Bytes message, unsigned priority) noexcept;
    int receive_now(char* buffer, Received& received) noexcept;
    // What a waiting call uses: copies taken under the lock, valid until end_wait().
    struct Waiter {
        mqd_t mqd;
        int wake_fd;
    };
    // 0, or EBADF when the handle was closed meanwhile (or another errno).
    int begin_wait(Waiter& waiter);
    void end_wait() noexcept;
    // Wait and retry until done: 0, ETIMEDOUT, EBADF (closed by another
    // thread meanwhile), EINTR or another errno.
    int send_waiting(const Waiter& waiter, Bytes message, const Timeout& timeout, unsigned priority) noexcept;
    int receive_waiting(const Waiter& waiter, char* buffer, const Timeout& timeout, Received& received) noexcept;
    [[noreturn]] void raise_send_error(int error) const;
    [[noreturn]] void raise_receive_error(int error) const;
    void check_open() const;
    void forget_notification();
    // After the process's registration for this queue is gone (cancel, close).
    void drop_registration();

    mqd_t mqd_ = no_queue();
    std::string name_;
    long mode_;
    bool read_;
    bool write_;
    bool block_ = true;
    long max_messages_ = 0;
    long max_message_size_ = 0;
    std::uint64_t notification_ = 0;  // this handle's pending callback ticket, 0 if none
    std::uint64_t queue_id_ = 0;      // the queue's inode: the same for every handle of it
    // Threads waiting in send/receive. close() while there are some wakes
    // them through wake_ (an eventfd, or a pipe) and leaves the real mq_close
    // of close_after_wait_ to the last one out, as Semaphore does.
    std::mutex waiters_mutex_;
    int waiters_ = 0;
    Wakeup wake_;
    mqd_t close_after_wait_ = no_queue();
};

// Raises BadNameType for a random Name: there is nothing to unlink.
void unlink_message_queue(const Name& name);

}  // namespace posix_ipc
