// The simulated FreeBSD lane (-DPOSIX_IPC_SIMULATE_PLATFORM=freebsd) on glibc:
// what FreeBSD has and glibc has not, built on what glibc has, so the core's
// FreeBSD code paths compile and run here.
//   - mqd_t is a pointer on FreeBSD (to a struct holding the descriptor), with
//     mq_getfd_np() for the descriptor. Here posix_ipc::mqd_t is such a
//     pointer and posix_ipc::mq_* unwrap it for glibc, so the core (whose
//     unqualified mq_* calls and mqd_t find these first) is compiled against
//     an opaque handle: a cast of it to or from int would not compile.
//   - sem_clockwait_np(sem, clock, TIMER_ABSTIME, deadline, remaining):
//     glibc has no such call; this one waits with sem_timedwait until the
//     same moment expressed on CLOCK_REALTIME (so, unlike FreeBSD's, a
//     wall-clock jump during the wait moves its end).
// Nothing of this is built outside that lane.
#pragma once

#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <time.h>

#include <cerrno>
#include <cstdint>
#include <new>

namespace posix_ipc {
namespace simulated_freebsd {
struct Queue {
    ::mqd_t descriptor;
};
}  // namespace simulated_freebsd

using mqd_t = simulated_freebsd::Queue*;

namespace simulated_freebsd {
// mq_open's failure value, (mqd_t)-1, as FreeBSD's libc returns it.
inline mqd_t failed() noexcept { return reinterpret_cast<mqd_t>(static_cast<std::intptr_t>(-1)); }
inline mqd_t wrap(::mqd_t descriptor) noexcept {
    if (descriptor == static_cast<::mqd_t>(-1)) return failed();
    auto* queue = new (std::nothrow) Queue{descriptor};
    if (queue == nullptr) {
        ::mq_close(descriptor);
        errno = ENOMEM;
        return failed();
    }
    return queue;
}
}  // namespace simulated_freebsd

inline mqd_t mq_open(const char* name, int flags, mode_t mode, struct mq_attr* attributes) {
    return simulated_freebsd::wrap(::mq_open(name, flags, mode, attributes));
}
inline int mq_close(mqd_t queue) {
    const int rc = ::mq_close(queue->descriptor);
    if (rc == 0) delete queue;
    return rc;
}
inline int mq_getattr(mqd_t queue, struct mq_attr* attributes) { return ::mq_getattr(queue->descriptor, attributes); }
inline int mq_setattr(mqd_t queue, const struct mq_attr* attributes, struct mq_attr* old) {
    return ::mq_setattr(queue->descriptor, attributes, old);
}
inline int mq_timedsend(mqd_t queue, const char* data, size_t size, unsigned priority, const struct timespec* deadline) {
    return ::mq_timedsend(queue->descriptor, data, size, priority, deadline);
}
inline ssize_t mq_timedreceive(mqd_t queue, char* buffer, size_t size, unsigned* priority,
                               const struct timespec* deadline) {
    return ::mq_timedreceive(queue->descriptor, buffer, size, priority, deadline);
}
inline int mq_notify(mqd_t queue, const struct sigevent* event) { return ::mq_notify(queue->descriptor, event); }
inline int mq_getfd_np(mqd_t queue) { return queue->descriptor; }

inline int sem_clockwait_np(sem_t* sem, clockid_t clock, int flags, const struct timespec* time,
                            struct timespec* remaining) {
    (void)remaining;  // only filled by FreeBSD for a relative wait cut short
    if (clock != CLOCK_MONOTONIC || flags != TIMER_ABSTIME) {
        errno = EINVAL;
        return -1;
    }
    struct timespec now_monotonic {}, deadline {};
    clock_gettime(CLOCK_MONOTONIC, &now_monotonic);
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += time->tv_sec - now_monotonic.tv_sec;
    deadline.tv_nsec += time->tv_nsec - now_monotonic.tv_nsec;
    while (deadline.tv_nsec < 0) {
        deadline.tv_nsec += 1000000000L;
        --deadline.tv_sec;
    }
    while (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_nsec -= 1000000000L;
        ++deadline.tv_sec;
    }
    return sem_timedwait(sem, &deadline);
}

}  // namespace posix_ipc
