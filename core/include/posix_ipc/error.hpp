// The one error model shared by every language binding: each failure is an
// ErrorCode, which fixes its class (ErrorKind) and its message text, plus the
// errno that caused it (0 when none did).
#pragma once

#include <stdexcept>
#include <string>

namespace posix_ipc {

// The Python exception class a failure maps to; Lua and Tcl use the same names.
enum class ErrorKind {
    Error,
    SignalError,
    PermissionsError,
    ExistentialError,
    BusyError,
    ValueError,
    TypeError,
    OverflowError,
    MemoryError,
    OSError,
};

// Every situation the modules report. The text of each is in error.cpp.
enum class ErrorCode {
    SemaphoreNotFound,
    SemaphoreExists,
    SemaphoreClosed,
    SemaphoreBusy,
    SemaphoreOverflow,
    BadInitialValue,
    WaitInterrupted,
    BadTimeout,
    TimeoutTooLarge,
    SharedMemoryNotFound,
    SharedMemoryExists,
    BadSize,
    SharedMemoryClosed,
    SharedMemoryReadOnly,
    OutOfBounds,
    QueueNotFound,
    QueueExists,
    InvalidParameters,
    MessageTooLong,
    BadPriority,
    QueueFull,
    QueueEmpty,
    QueueNotReadable,
    QueueNotWritable,
    NoReadNoWrite,
    SendOnClosedQueue,
    ReceiveOnClosedQueue,
    QueueClosed,
    BadNotification,
    NotificationBusy,
    PermissionDenied,
    NameTooLong,
    NameHasNul,
    BadNameType,
    BadMessageType,
    BadDataType,
    BadBlockType,
    TooManyFilesProcess,
    TooManyFilesSystem,
    NotEnoughMemory,
    QueueLimitReached,        // queues_max reached (ENOSPC)
    QueueMemoryLimitReached,  // RLIMIT_MSGQUEUE reached (EMFILE while descriptors remain)
    SizeTooLarge,             // ftruncate: EFBIG (e.g. over RLIMIT_FSIZE)
    NotSupported,
    InternalError,
    RandomNameNeedsExcl,
    NoUnusedRandomName,
    ByteCountTooLarge,  // a C++ exception that is neither an IpcError nor std::bad_alloc
    SystemError,  // any other errno: the text is strerror(errno)
};

ErrorKind kind_of(ErrorCode code) noexcept;
// The code's text from the table (nullptr for SystemError, whose text is
// strerror's): for callers that must not allocate.
const char* text_of(ErrorCode code) noexcept;
// "BusyError", "ValueError", ... : the class name every language shows.
const char* kind_name(ErrorKind kind) noexcept;

class IpcError : public std::runtime_error {
public:
    explicit IpcError(ErrorCode code, int error_number = 0);

    ErrorCode code() const noexcept { return code_; }
    ErrorKind kind() const noexcept { return kind_of(code_); }
    const char* kind_name() const noexcept { return posix_ipc::kind_name(kind()); }
    int error_number() const noexcept { return errno_; }

private:
    ErrorCode code_;
    int errno_;
};

[[noreturn]] void raise(ErrorCode code, int error_number = 0);

// The exception being handled (call only inside a catch block) as the core's
// error: an IpcError as it is, std::bad_alloc as NotEnoughMemory (the
// language's MemoryError), anything else as InternalError. Every binding entry
// point ends with `catch (...)` and this, so no C++ exception escapes into an
// interpreter (which would abort the process).
IpcError current_error() noexcept;
// Maps an errno from an open/unlink call to the code of that object type.
[[noreturn]] void raise_open_error(int error_number, ErrorCode not_found, ErrorCode exists);

}  // namespace posix_ipc
