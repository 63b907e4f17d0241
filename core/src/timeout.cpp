#include "posix_ipc/timeout.hpp"

#include <cmath>

#include "posix_ipc/error.hpp"

namespace posix_ipc {

namespace {
// Far enough for any real wait, and safe to add to any clock reading.
constexpr double kMaxTimeoutSeconds = 1e12;
}

Timeout Timeout::seconds(double seconds) {
    if (std::isnan(seconds) || seconds < 0) raise(ErrorCode::BadTimeout);
    if (seconds > kMaxTimeoutSeconds) raise(ErrorCode::TimeoutTooLarge);
    if (seconds == 0) return poll();
    return Timeout(Kind::Finite, seconds);
}

struct timespec Timeout::deadline(clockid_t clock) const noexcept {
    struct timespec now {};
    if (kind_ == Kind::Poll) return now;  // any time in the past: do not wait
    clock_gettime(clock, &now);
    const double whole = std::floor(seconds_);
    now.tv_sec += static_cast<time_t>(whole);
    now.tv_nsec += static_cast<long>((seconds_ - whole) * 1e9);
    if (now.tv_nsec >= 1000000000L) {
        now.tv_sec += 1;
        now.tv_nsec -= 1000000000L;
    }
    return now;
}

}  // namespace posix_ipc
