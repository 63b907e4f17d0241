// A validated wait limit: forever, poll (never wait), or a number of seconds.
#pragma once

#include <time.h>

namespace posix_ipc {

class Timeout {
public:
    Timeout() noexcept : Timeout(Kind::Forever, 0.0) {}
    static Timeout forever() noexcept { return Timeout(Kind::Forever, 0.0); }
    static Timeout poll() noexcept { return Timeout(Kind::Poll, 0.0); }
    // Negative or NaN: BadTimeout; infinite or beyond time_t: TimeoutTooLarge.
    static Timeout seconds(double seconds);

    bool is_forever() const noexcept { return kind_ == Kind::Forever; }
    bool is_poll() const noexcept { return kind_ == Kind::Poll; }
    double value() const noexcept { return seconds_; }

    // The absolute time at which the wait ends, on the given clock.
    struct timespec deadline(clockid_t clock) const noexcept;

private:
    enum class Kind { Forever, Poll, Finite };
    Timeout(Kind kind, double seconds) noexcept : kind_(kind), seconds_(seconds) {}

    Kind kind_;
    double seconds_;
};

}  // namespace posix_ipc
