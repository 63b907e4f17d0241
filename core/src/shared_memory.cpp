#include "posix_ipc/shared_memory.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <limits>

#include "posix_ipc/config.h"
#include "posix_ipc/constants.hpp"
#include "posix_ipc/error.hpp"
#include "posix_ipc/wakeup.hpp"

namespace posix_ipc {

namespace {

int open_segment(const std::string& name, int flags, mode_t mode) {
    return shm_open(name.c_str(), flags, mode);
}

[[noreturn]] void raise_shm_error(int error) {
    raise_open_error(error, ErrorCode::SharedMemoryNotFound, ErrorCode::SharedMemoryExists);
}

// Copies `size` bytes to `to` with the kernel doing the stores, and returns
// how many it copied: a page past the end of the file (another process
// truncated the segment) ends the copy short instead of raising SIGBUS in the
// caller. process_vm_writev on ourselves does it in one system call; where it
// is not allowed (seccomp, old kernels) a pipe does it: read() into the
// mapping faults the same way and returns EFAULT or a short count.
std::size_t copy_without_sigbus(char* to, const char* from, std::size_t size) {
    std::size_t done = 0;
#if POSIX_IPC_HAVE_PROCESS_VM_WRITEV
    while (done < size) {
        struct iovec local {const_cast<char*>(from + done), size - done};
        struct iovec remote {to + done, size - done};
        const ssize_t n = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (n == 0 || errno == EFAULT) return done;
        if (errno == EINTR) continue;
        break;  // ENOSYS, EPERM: the pipe below
    }
#endif  // else (not Linux): always the pipe
    // Non-blocking: a write takes what fits in the pipe (at least a page) and
    // returns, instead of waiting for a reader that is this same thread.
    int pipe_fds[2];
    if (const int error = open_nonblocking_pipe(pipe_fds)) raise(ErrorCode::SystemError, error);
    while (done < size) {
        const ssize_t in = ::write(pipe_fds[1], from + done, size - done);
        if (in < 0) {
            if (errno == EINTR) continue;
            const int error = errno;
            ::close(pipe_fds[0]);
            ::close(pipe_fds[1]);
            raise(ErrorCode::SystemError, error);
        }
        std::size_t moved = 0;
        while (moved < static_cast<std::size_t>(in)) {
            const ssize_t out = ::read(pipe_fds[0], to + done + moved, static_cast<std::size_t>(in) - moved);
            if (out < 0 && errno == EINTR) continue;
            if (out <= 0) {  // EFAULT: past the end of the file (the pipe holds `in` bytes, so never EAGAIN)
                ::close(pipe_fds[0]);
                ::close(pipe_fds[1]);
                return done + moved;
            }
            moved += static_cast<std::size_t>(out);
        }
        done += moved;
    }
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return done;
}

// A shared mapping of [offset, offset + size) of the segment, unmapped on destruction.
class Mapping {
public:
    Mapping(int fd, long long offset, std::size_t size) {
        const long long page = page_size();
        const long long start = offset - offset % page;
        lead_ = static_cast<std::size_t>(offset - start);
        length_ = lead_ + size;
        void* address = mmap(nullptr, length_, PROT_READ | PROT_WRITE, MAP_SHARED, fd, static_cast<off_t>(start));
        if (address == MAP_FAILED) {
            const int error = errno;
            if (error == EOVERFLOW) return;  // the page runs past the largest off_t: see mapped()
            if (error == EACCES) raise(ErrorCode::SharedMemoryReadOnly, error);
            if (error == ENOMEM) raise(ErrorCode::NotEnoughMemory, error);
            raise(ErrorCode::SystemError, error);
        }
        base_ = static_cast<char*>(address);
    }
    ~Mapping() {
        if (base_) munmap(base_, length_);
    }
    // False only for a range whose last page ends past the largest off_t
    // (a sparse segment of nearly 2^63 bytes), which no mapping can cover.
    bool mapped() const noexcept { return base_ != nullptr; }
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;

    char* at_offset() const noexcept { return base_ + lead_; }

private:
    char* base_ = nullptr;
    std::size_t lead_ = 0;
    std::size_t length_ = 0;
};

}  // namespace

SharedMemory::SharedMemory(const Name& name, long long flags, long long mode, long long size, bool read_only)
    : mode_(static_cast<long>(mode)), read_only_(read_only) {
    check_flags_and_mode(flags, mode);
    check_name_and_flags(name, flags);
    if (size < 0 || (size > 0 && read_only) || size > std::numeric_limits<off_t>::max())
        raise(ErrorCode::BadSize);
    const int access = read_only ? O_RDONLY : O_RDWR;
    const int wanted = (static_cast<int>(flags) & (O_CREAT | O_EXCL | O_TRUNC)) | access;
    bool created = false;
    for (int tries = 1;; ++tries) {
        // Not the conditional operator: its result would be a copy of the text,
        // one more allocation per object.
        if (name.is_random())
            name_ = random_name();
        else
            name_ = name.text();
        if ((wanted & O_CREAT) && !(wanted & O_EXCL)) {
            // Create exclusively first, so a failure below knows whether the
            // segment is ours to remove again.
            fd_ = open_segment(name_, wanted | O_EXCL, static_cast<mode_t>(mode));
            if (fd_ >= 0) {
                created = true;
            } else if (errno == EEXIST) {
                fd_ = open_segment(name_, wanted & ~O_CREAT, static_cast<mode_t>(mode));
                if (fd_ < 0 && errno == ENOENT) continue;  // removed meanwhile: try again
            }
        } else {
            fd_ = open_segment(name_, wanted, static_cast<mode_t>(mode));
            created = fd_ >= 0 && (wanted & O_CREAT);
        }
        if (fd_ >= 0) break;
        if (!(name.is_random() && errno == EEXIST)) raise_shm_error(errno);
        if (tries == RANDOM_NAME_TRIES) raise(ErrorCode::NoUnusedRandomName, errno);
    }
    if (size > 0 && ftruncate(fd_, static_cast<off_t>(size)) != 0) {
        const int error = errno;
        ::close(fd_);
        fd_ = -1;
        if (created) shm_unlink(name_.c_str());
        if (error == EFBIG) raise(ErrorCode::SizeTooLarge, error);
        if (error == EINVAL) raise(ErrorCode::BadSize, error);
        if (error == EACCES || error == EPERM || error == EBADF) raise(ErrorCode::PermissionDenied, error);
        raise(ErrorCode::SystemError, error);
    }
}

int SharedMemory::open_fd() const {
    if (fd_ < 0) raise(ErrorCode::SharedMemoryClosed);
    return fd_;
}

void SharedMemory::close_fd() {
    if (fd_ < 0) return;
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0 && errno != EINTR) raise(ErrorCode::SystemError, errno);
}

// name_ was checked when the segment was opened: no second Name to build.
void SharedMemory::unlink() {
    if (shm_unlink(name_.c_str()) != 0) raise_shm_error(errno);
}

long long SharedMemory::size() const {
    struct stat info {};
    if (fstat(open_fd(), &info) != 0) raise(ErrorCode::SystemError, errno);
    return static_cast<long long>(info.st_size);
}

ByteString SharedMemory::read(long long byte_count, long long offset) const {
    return read(byte_count, offset, ByteString().max_size());
}

ByteString SharedMemory::read(long long byte_count, long long offset, unsigned long long max_bytes) const {
    const long long total = size();
    if (offset < 0 || byte_count < 0 || offset > total) raise(ErrorCode::OutOfBounds);
    if (byte_count == 0) byte_count = total - offset;
    if (byte_count > total - offset) raise(ErrorCode::OutOfBounds);
    // A sparse segment can be larger than any string (2^62 bytes on tmpfs).
    if (static_cast<unsigned long long>(byte_count) > ByteString().max_size()) raise(ErrorCode::NotEnoughMemory);
    if (static_cast<unsigned long long>(byte_count) > max_bytes) raise(ErrorCode::ByteCountTooLarge);
    ByteString data(static_cast<std::size_t>(byte_count), '\0');
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = pread(fd_, &data[done], data.size() - done, static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            raise(ErrorCode::SystemError, errno);
        }
        // Shrunk by another process since the size check: never return short data.
        if (n == 0) raise(ErrorCode::OutOfBounds);
        done += static_cast<std::size_t>(n);
    }
    return data;
}

void SharedMemory::write(Bytes data, long long offset) {
    const long long total = size();
    if (read_only_) raise(ErrorCode::SharedMemoryReadOnly);
    if (offset < 0 || offset > total || static_cast<long long>(data.size) > total - offset)
        raise(ErrorCode::OutOfBounds);
    if (data.size == 0) return;
    // Not pwrite: when another process truncates the segment after the check
    // above, pwrite would grow it back. Stores through a mapping never change
    // the file's size; a page that is past the end now ends the copy short,
    // and the write raises, having written only bytes inside the segment.
    const Mapping mapping(fd_, offset, data.size);
    if (mapping.mapped()) {
        if (copy_without_sigbus(mapping.at_offset(), data.data, data.size) < data.size) raise(ErrorCode::OutOfBounds);
        return;
    }
    std::size_t done = 0;  // only for the unmappable last page of the off_t range
    while (done < data.size) {
        const ssize_t n = pwrite(fd_, data.data + done, data.size - done, static_cast<off_t>(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EBADF) raise(ErrorCode::SharedMemoryReadOnly, errno);
            raise(ErrorCode::SystemError, errno);
        }
        done += static_cast<std::size_t>(n);
    }
}

void unlink_shared_memory(const Name& name) {
    if (name.is_random()) raise(ErrorCode::BadNameType);
    if (shm_unlink(name.text().c_str()) != 0) raise_shm_error(errno);
}

}  // namespace posix_ipc
