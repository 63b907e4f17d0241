// A POSIX named semaphore handle (sem_open & co.).
#pragma once

#include <semaphore.h>

#include <mutex>
#include <string>

#include "posix_ipc/api.hpp"
#include "posix_ipc/blocking.hpp"
#include "posix_ipc/error.hpp"
#include "posix_ipc/name.hpp"
#include "posix_ipc/timeout.hpp"

namespace posix_ipc {

class Semaphore {
public:
    POSIX_IPC_API Semaphore(const Name& name, long long flags = defaults::flags, long long mode = defaults::mode,
                            long long initial_value = defaults::initial_value);
    // As upstream, the destructor does not close: closing is always explicit.
    ~Semaphore() = default;
    Semaphore(const Semaphore&) = delete;
    Semaphore& operator=(const Semaphore&) = delete;

    // Uncontended acquires never enter the region (no GIL round trip).
    template <class Region = NoRegion>
    POSIX_IPC_API void acquire(const Timeout& timeout) {
        if (try_acquire()) return;
        if (timeout.is_poll()) raise(ErrorCode::SemaphoreBusy);
        sem_t* sem = begin_wait();
        int error;
        {
            [[maybe_unused]] Region blocking;  // nothing raises while it lives
            error = wait(sem, timeout);
        }
        end_wait();
        if (error != 0) raise_wait_error(error);
    }
    void acquire() { acquire<NoRegion>(Timeout::forever()); }

    // True when the semaphore was decremented without waiting. Inline with
    // release(): together they are the hot path of every binding.
    bool try_acquire() {
        if (sem_trywait(open_handle()) == 0) return true;
        return retry_try_acquire();
    }
    POSIX_IPC_API void release() {
        if (sem_post(open_handle()) != 0) raise_release_error();
    }
    POSIX_IPC_API void close();
    POSIX_IPC_API void unlink();

    int value() const;
    const std::string& name() const noexcept { return name_; }
    long mode() const noexcept { return mode_; }
    bool closed() const noexcept { return handle_ == nullptr; }

private:
    sem_t* open_handle() const {
        if (handle_ == nullptr) raise(ErrorCode::SemaphoreClosed);
        return handle_;
    }
    bool retry_try_acquire();
    [[noreturn]] void raise_release_error() const;
    // A wait registers with the handle, so close() from another thread leaves
    // the real sem_close to the last waiter out.
    sem_t* begin_wait();
    static int wait(sem_t* sem, const Timeout& timeout) noexcept;  // 0 or an errno
    void end_wait() noexcept;
    [[noreturn]] static void raise_wait_error(int error);

    sem_t* handle_ = nullptr;
    std::string name_;
    long mode_;
    // A thread may close the handle while another waits on it (with the GIL
    // released): the real sem_close is then left to the last waiter.
    std::mutex waiters_mutex_;
    int waiters_ = 0;
    sem_t* close_after_wait_ = nullptr;
};

// Raises BadNameType for a random Name: there is nothing to unlink.
void unlink_semaphore(const Name& name);

}  // namespace posix_ipc
