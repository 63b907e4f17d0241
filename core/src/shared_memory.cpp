#include "posix_ipc/shared_memory.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <limits>

#include "posix_ipc/error.hpp"

namespace posix_ipc {

namespace {

int open_segment(const std::string& name, int flags, mode_t mode) {
    return shm_open(name.c_str(), flags, mode);
}

[[noreturn]] void raise_shm_error(int error) {
    raise_open_error(error, ErrorCode::SharedMemoryNotFound, ErrorCode::SharedMemoryExists);
}

}  // namespace

SharedMemory::SharedMemory(const Name& name, long long flags, long long mode, long long size, bool read_only)
    : mode_(static_cast<long>(mode)), read_only_(read_only) {
    check_flags_and_mode(flags, mode);
    if (size < 0 || (size > 0 && read_only) || size > std::numeric_limits<off_t>::max())
        raise(ErrorCode::BadSize);
    const int access = read_only ? O_RDONLY : O_RDWR;
    const int wanted = (static_cast<int>(flags) & (O_CREAT | O_EXCL | O_TRUNC)) | access;
    bool created = false;
    for (;;) {
        name_ = name.is_random() ? random_name() : name.text();
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
    }
    if (size > 0 && ftruncate(fd_, static_cast<off_t>(size)) != 0) {
        const int error = errno;
        ::close(fd_);
        fd_ = -1;
        if (created) shm_unlink(name_.c_str());
        if (error == EINVAL || error == EFBIG) raise(ErrorCode::BadSize, error);
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

void SharedMemory::unlink() { unlink_shared_memory(Name::from(name_)); }

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
        if (n == 0) break;  // shrunk by another process meanwhile
        done += static_cast<std::size_t>(n);
    }
    data.resize(done);
    return data;
}

void SharedMemory::write(Bytes data, long long offset) {
    const long long total = size();
    if (read_only_) raise(ErrorCode::SharedMemoryReadOnly);
    if (offset < 0 || offset > total || static_cast<long long>(data.size) > total - offset)
        raise(ErrorCode::OutOfBounds);
    std::size_t done = 0;
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
