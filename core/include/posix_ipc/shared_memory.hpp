// A POSIX shared memory segment handle (shm_open & co.): a file descriptor,
// plus bounds-checked read/write so languages without mmap can use the bytes.
#pragma once

#include <string>

#include "posix_ipc/api.hpp"
#include "posix_ipc/blocking.hpp"
#include "posix_ipc/name.hpp"

namespace posix_ipc {

class SharedMemory {
public:
    POSIX_IPC_API SharedMemory(const Name& name, long long flags = defaults::flags, long long mode = defaults::mode,
                               long long size = defaults::size, bool read_only = defaults::read_only);
    // As upstream, the descriptor is closed only by close_fd().
    ~SharedMemory() = default;
    SharedMemory(const SharedMemory&) = delete;
    SharedMemory& operator=(const SharedMemory&) = delete;

    // byte_count 0 means "to the end". Both raise OutOfBounds past the end.
    POSIX_IPC_API ByteString read(long long byte_count = defaults::byte_count,
                                  long long offset = defaults::offset) const;
    // The same, for a language whose byte strings hold at most `max_bytes`:
    // a larger read raises ByteCountTooLarge before anything is read.
    ByteString read(long long byte_count, long long offset, unsigned long long max_bytes) const;
    POSIX_IPC_API void write(Bytes data, long long offset = defaults::offset);
    POSIX_IPC_API int fileno() const noexcept { return fd_; }  // the method every language has (fd is the attribute)
    // Closes the descriptor; a second call does nothing, as upstream.
    POSIX_IPC_API void close_fd();
    POSIX_IPC_API void unlink();

    int fd() const noexcept { return fd_; }
    long long size() const;
    const std::string& name() const noexcept { return name_; }
    long mode() const noexcept { return mode_; }
    bool read_only() const noexcept { return read_only_; }

private:
    int open_fd() const;

    int fd_ = -1;
    std::string name_;
    long mode_;
    bool read_only_;
};

// Raises BadNameType for a random Name: there is nothing to unlink.
void unlink_shared_memory(const Name& name);

}  // namespace posix_ipc
