#include "posix_ipc/wakeup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "posix_ipc/config.h"
#if POSIX_IPC_HAVE_EVENTFD
#include <sys/eventfd.h>
#endif

namespace posix_ipc {

int open_nonblocking_pipe(int fds[2]) noexcept {
#if POSIX_IPC_HAVE_PIPE2
    return pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0 ? 0 : errno;
#else
    if (pipe(fds) != 0) return errno;
    for (int i = 0; i < 2; ++i) {
        if (fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0 ||
            fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK) != 0) {
            const int error = errno;
            ::close(fds[0]);
            ::close(fds[1]);
            return error;
        }
    }
    return 0;
#endif
}

int Wakeup::open() noexcept {
#if POSIX_IPC_HAVE_EVENTFD
    const int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0) return errno;
    read_fd_ = write_fd_ = fd;
#else
    int fds[2];
    const int error = open_nonblocking_pipe(fds);
    if (error != 0) return error;
    read_fd_ = fds[0];
    write_fd_ = fds[1];
#endif
    return 0;
}

void Wakeup::close() noexcept {
    if (read_fd_ < 0) return;
    ::close(read_fd_);
    if (write_fd_ != read_fd_) ::close(write_fd_);
    read_fd_ = write_fd_ = -1;
}

void Wakeup::signal() noexcept {
#if POSIX_IPC_HAVE_EVENTFD
    const std::uint64_t one = 1;
    ssize_t ignored = ::write(write_fd_, &one, sizeof one);
#else
    const char one = 1;  // a full pipe is already readable: EAGAIN loses nothing
    ssize_t ignored = ::write(write_fd_, &one, 1);
#endif
    (void)ignored;
}

void Wakeup::drain() noexcept {
#if POSIX_IPC_HAVE_EVENTFD
    std::uint64_t count;
    ssize_t ignored = ::read(read_fd_, &count, sizeof count);
    (void)ignored;
#else
    char buffer[64];
    while (::read(read_fd_, buffer, sizeof buffer) > 0) {
    }
#endif
}

int try_open_descriptor() noexcept {
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    ::close(fd);
    return 0;
}

}  // namespace posix_ipc
