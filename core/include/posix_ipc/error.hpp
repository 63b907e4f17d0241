// The one error model shared by every language binding: each failure is an
// ErrorCode, which fixes its class (ErrorKind) and its message text, plus the
// errno that caused it (0 when none did).
#pragma once

#include <stdexcept>
#include <string>

namespace posix_ipc {

// The class of a failure, by the name every language shows. The first five
// are specific to IPC (posix_ipc.Error and its subclasses); the others are
// general classes that a language with built-in ones (Python) maps to its own.
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
    AttributeError,
};
constexpr int kErrorKindCount = static_cast<int>(ErrorKind::AttributeError) + 1;

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
    InternalError,  // a C++ exception that is neither an IpcError nor std::bad_alloc
    RandomNameNeedsExcl,
    NoUnusedRandomName,
    ByteCountTooLarge,
    BadSignalNumber,
    AttributeNotWritable,  // the text names the attribute: see attribute_not_writable()
    AttributeNotFound,     // the same: see attribute_not_found()
    SystemError,  // any other errno: the text is strerror(errno)
};
constexpr int kErrorCodeCount = static_cast<int>(ErrorCode::SystemError) + 1;

ErrorKind kind_of(ErrorCode code) noexcept;
// The code's text from the table (nullptr for SystemError, whose text is
// strerror's): for callers that must not allocate.
const char* text_of(ErrorCode code) noexcept;
// "BusyError", "ValueError", ... : the class name every language shows.
const char* kind_name(ErrorKind kind) noexcept;

// ---- the error tree ------------------------------------------------------------
// Error is the root: every other class derives from it (a language whose
// built-in classes stand in for the general ones keeps their own parents).
// parent_of(Error) is Error itself.
ErrorKind parent_of(ErrorKind kind) noexcept;
// Error and its four subclasses, which every language defines as classes of its own.
bool is_ipc_specific(ErrorKind kind) noexcept;
// One paragraph on when the class is raised (Python's docstrings).
const char* kind_doc(ErrorKind kind) noexcept;

class IpcError : public std::runtime_error {
public:
    explicit IpcError(ErrorCode code, int error_number = 0);
    // A code whose text names something (AttributeNotWritable).
    IpcError(ErrorCode code, const std::string& message);

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
// AttributeError "attribute 'mode' of 'posix_ipc.Semaphore' objects is not
// writable", worded as CPython words it, for every language.
IpcError attribute_not_writable(const char* class_name, const char* attribute);
// AttributeError "'posix_ipc.Semaphore' object has no attribute 'valeu'", as CPython.
IpcError attribute_not_found(const char* class_name, const char* attribute);
// Maps an errno from an open/unlink call to the code of that object type.
[[noreturn]] void raise_open_error(int error_number, ErrorCode not_found, ErrorCode exists);

}  // namespace posix_ipc
