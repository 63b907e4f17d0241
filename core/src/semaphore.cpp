#include "posix_ipc/semaphore.hpp"

#include <fcntl.h>

#include <cerrno>

#include "posix_ipc/config.h"
#include "posix_ipc/constants.hpp"
#if POSIX_IPC_SIMULATED_SEM_CLOCKWAIT_NP
#include "posix_ipc/simulated_freebsd.hpp"
#endif

namespace posix_ipc {

Semaphore::Semaphore(const Name& name, long long flags, long long mode, long long initial_value)
    : mode_(static_cast<long>(mode)) {
    check_flags_and_mode(flags, mode);
    check_name_and_flags(name, flags);
    if (initial_value < 0 || initial_value > SEMAPHORE_VALUE_MAX) raise(ErrorCode::BadInitialValue);
    const int open_flags = static_cast<int>(flags) & (O_CREAT | O_EXCL);
    for (int tries = 1;; ++tries) {
        // Not the conditional operator: its result would be a copy of the text,
        // one more allocation per object.
        if (name.is_random())
            name_ = random_name();
        else
            name_ = name.text();
        handle_ = sem_open(name_.c_str(), open_flags, static_cast<mode_t>(mode),
                           static_cast<unsigned>(initial_value));
        if (handle_ != SEM_FAILED) return;
        handle_ = nullptr;
        const int error = errno;
        if (!(name.is_random() && error == EEXIST))
            raise_open_error(error, ErrorCode::SemaphoreNotFound, ErrorCode::SemaphoreExists);
        if (tries == RANDOM_NAME_TRIES) raise(ErrorCode::NoUnusedRandomName, error);
    }
}

// After a failed sem_trywait: EAGAIN means "would wait"; EINTR is retried.
bool Semaphore::retry_try_acquire() {
    for (;;) {
        if (errno == EAGAIN) return false;
        if (errno != EINTR) raise(ErrorCode::SystemError, errno);
        if (sem_trywait(open_handle()) == 0) return true;
    }
}

sem_t* Semaphore::begin_wait() {
    std::lock_guard<std::mutex> lock(waiters_mutex_);
    sem_t* sem = open_handle();
    ++waiters_;
    return sem;
}

int Semaphore::wait(sem_t* sem, const Timeout& timeout) noexcept {
    int rc;
    if (timeout.is_forever()) {
        rc = sem_wait(sem);
    } else {
#if POSIX_IPC_HAVE_SEM_CLOCKWAIT
        // A monotonic deadline: a wall-clock jump neither stretches nor cuts the wait.
        const struct timespec deadline = timeout.deadline(CLOCK_MONOTONIC);
        rc = sem_clockwait(sem, CLOCK_MONOTONIC, &deadline);
#elif POSIX_IPC_HAVE_SEM_CLOCKWAIT_NP
        const struct timespec deadline = timeout.deadline(CLOCK_MONOTONIC);  // FreeBSD: the same, by another name
        rc = sem_clockwait_np(sem, CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nullptr);
#elif POSIX_IPC_HAVE_SEM_TIMEDWAIT
        const struct timespec deadline = timeout.deadline(CLOCK_REALTIME);  // POSIX's only clock for it
        rc = sem_timedwait(sem, &deadline);
#else
        // No timed wait (macOS): as upstream, a timeout > 0 waits as long as
        // it takes (SEMAPHORE_TIMEOUT_SUPPORTED is false).
        rc = sem_wait(sem);
#endif
    }
    return rc == 0 ? 0 : errno;
}

void Semaphore::end_wait() noexcept {
    std::lock_guard<std::mutex> lock(waiters_mutex_);
    if (--waiters_ == 0 && close_after_wait_ != nullptr) {
        sem_close(close_after_wait_);
        close_after_wait_ = nullptr;
    }
}

void Semaphore::raise_wait_error(int error) {
    switch (error) {
    case ETIMEDOUT:
    case EAGAIN: raise(ErrorCode::SemaphoreBusy, error);
    case EINTR: raise(ErrorCode::WaitInterrupted, error);
    default: raise(ErrorCode::SystemError, error);
    }
}

void Semaphore::raise_release_error() const {
    if (errno == EOVERFLOW) raise(ErrorCode::SemaphoreOverflow, errno);
    raise(ErrorCode::SystemError, errno);
}

void Semaphore::close() {
    std::lock_guard<std::mutex> lock(waiters_mutex_);
    sem_t* sem = open_handle();
    handle_ = nullptr;
    if (waiters_ > 0) {
        close_after_wait_ = sem;
        return;
    }
    if (sem_close(sem) != 0) raise(ErrorCode::SystemError, errno);
}

void Semaphore::unlink() { unlink_semaphore(Name::from(name_)); }

int Semaphore::value() const {
#if POSIX_IPC_HAVE_SEM_GETVALUE
    int value = 0;
    if (sem_getvalue(open_handle(), &value) != 0) raise(ErrorCode::SystemError, errno);
    return value;
#else
    // As upstream where sem_getvalue does not work (macOS): the attribute is
    // not there (SEMAPHORE_VALUE_SUPPORTED is false).
    throw attribute_not_found("posix_ipc.Semaphore", "value");
#endif
}

void unlink_semaphore(const Name& name) {
    if (name.is_random()) raise(ErrorCode::BadNameType);
    if (sem_unlink(name.text().c_str()) != 0)
        raise_open_error(errno, ErrorCode::SemaphoreNotFound, ErrorCode::SemaphoreExists);
}

}  // namespace posix_ipc
