// A descriptor that polls readable once signalled, until drained: an eventfd
// where the platform has one, else the read end of a non-blocking pipe
// (macOS). For the notification inbox and for waking a queue's waiters.
#pragma once

namespace posix_ipc {

class Wakeup {
public:
    // 0, or the errno of eventfd()/pipe() (nothing is left open then).
    int open() noexcept;
    void close() noexcept;
    bool is_open() const noexcept { return read_fd_ >= 0; }
    // Any thread, never blocks: makes read_fd() readable.
    void signal() noexcept;
    // Empties it: read_fd() polls readable again only after the next signal().
    void drain() noexcept;
    int read_fd() const noexcept { return read_fd_; }

private:
    int read_fd_ = -1;
    int write_fd_ = -1;  // == read_fd_ for an eventfd
};

// A non-blocking, close-on-exec pipe (pipe2 where the platform has it):
// 0, or the errno (nothing is left open then).
int open_nonblocking_pipe(int fds[2]) noexcept;

// A new descriptor that is not kept (to learn whether this process is at its
// descriptor limit): 0, or the errno of opening one.
int try_open_descriptor() noexcept;

}  // namespace posix_ipc
