// Blocking calls are templates on a "region" type: an object of it lives for
// exactly the time a call may block. Python's binding passes one that releases
// the GIL; the core's tests and bindings with nothing to release use NoRegion.
#pragma once

#include <cstddef>
#include <string>

namespace posix_ipc {

struct NoRegion {};

// A borrowed run of bytes (a message or data to write); binary-safe.
struct Bytes {
    const char* data;
    std::size_t size;
};

// Bytes returned by value (e.g. SharedMemory::read); binary-safe.
using ByteString = std::string;

}  // namespace posix_ipc
