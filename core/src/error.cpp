#include "posix_ipc/error.hpp"

#include <cerrno>
#include <cstring>
#include <new>
#include <string>

#include "posix_ipc/constants.hpp"

namespace posix_ipc {
namespace {

struct Entry {
    ErrorKind kind;
    const char* text;
};

// The one table of classes and texts. Texts match posix_ipc 1.3.2 where it has one.
Entry entry(ErrorCode code) noexcept {
    using K = ErrorKind;
    switch (code) {
    case ErrorCode::SemaphoreNotFound: return {K::ExistentialError, "No semaphore exists with the specified name"};
    case ErrorCode::SemaphoreExists: return {K::ExistentialError, "A semaphore with the specified name already exists"};
    case ErrorCode::SemaphoreClosed: return {K::ExistentialError, "The semaphore has been closed"};
    case ErrorCode::SemaphoreBusy: return {K::BusyError, "Semaphore is busy"};
    case ErrorCode::SemaphoreOverflow: return {K::ValueError, "The semaphore's value would exceed SEMAPHORE_VALUE_MAX"};
    case ErrorCode::BadInitialValue: return {K::ValueError, "The initial value must be between 0 and SEMAPHORE_VALUE_MAX"};
    case ErrorCode::WaitInterrupted: return {K::SignalError, "The wait was interrupted by a signal"};
    case ErrorCode::BadTimeout: return {K::TypeError, "The timeout must be None or a non-negative number"};
    case ErrorCode::TimeoutTooLarge: return {K::OverflowError, "The timeout is too large"};
    case ErrorCode::SharedMemoryNotFound: return {K::ExistentialError, "No shared memory exists with the specified name"};
    case ErrorCode::SharedMemoryExists: return {K::ExistentialError, "Shared memory with the specified name already exists"};
    case ErrorCode::BadSize: return {K::ValueError, "The size is invalid or the memory is read-only"};
    case ErrorCode::SharedMemoryClosed: return {K::ExistentialError, "The shared memory's file descriptor has been closed"};
    case ErrorCode::SharedMemoryReadOnly: return {K::PermissionsError, "The shared memory is read-only"};
    case ErrorCode::OutOfBounds: return {K::ValueError, "The offset and byte count must lie within the segment"};
    case ErrorCode::QueueNotFound: return {K::ExistentialError, "No queue exists with the specified name"};
    case ErrorCode::QueueExists: return {K::ExistentialError, "A queue with the specified name already exists"};
    case ErrorCode::InvalidParameters: return {K::ValueError, "Invalid parameter(s)"};
    case ErrorCode::MessageTooLong: return {K::ValueError, "The message is too long"};
    case ErrorCode::BadPriority: return {K::ValueError, "The priority must be a positive number no greater than QUEUE_PRIORITY_MAX (32767)"};
    case ErrorCode::QueueFull: return {K::BusyError, "The queue is full"};
    case ErrorCode::QueueEmpty: return {K::BusyError, "The queue is empty"};
    case ErrorCode::QueueNotReadable: return {K::PermissionsError, "The queue is not open for reading"};
    case ErrorCode::QueueNotWritable: return {K::PermissionsError, "The queue is not open for writing"};
    case ErrorCode::NoReadNoWrite: return {K::ValueError, "At least one of read or write must be True"};
    case ErrorCode::SendOnClosedQueue: return {K::ExistentialError, "The message queue does not exist or is not open for writing"};
    case ErrorCode::ReceiveOnClosedQueue: return {K::ExistentialError, "The message queue does not exist or is not open for reading"};
    case ErrorCode::QueueClosed: return {K::ExistentialError, "The queue does not exist"};
    case ErrorCode::BadNotification: return {K::ValueError, "The notification must be None, an integer, or a tuple of (function, parameter)"};
    case ErrorCode::NotificationBusy: return {K::BusyError, "The queue is already delivering notifications elsewhere"};
    case ErrorCode::PermissionDenied: return {K::PermissionsError, "Permission denied"};
    case ErrorCode::NameTooLong: return {K::ValueError, "The name is too long"};
    case ErrorCode::NameHasNul: return {K::ValueError, "The name must not contain a NUL byte"};
    case ErrorCode::BadNameType: return {K::TypeError, "The name must be None, a string or bytes"};
    case ErrorCode::BadMessageType: return {K::TypeError, "The message must be bytes or a string"};
    case ErrorCode::BadDataType: return {K::TypeError, "The data must be bytes or a string"};
    case ErrorCode::BadBlockType: return {K::TypeError, "The block attribute must be a boolean"};
    case ErrorCode::TooManyFilesProcess: return {K::OSError, "This process already has the maximum number of files open"};
    case ErrorCode::TooManyFilesSystem: return {K::OSError, "The system limit on the total number of open files has been reached"};
    case ErrorCode::NotEnoughMemory: return {K::MemoryError, "Not enough memory"};
    case ErrorCode::QueueLimitReached: return {K::OSError, "Insufficient space for a new queue"};
    case ErrorCode::QueueMemoryLimitReached: return {K::OSError, "The queue would exceed this user's message queue memory limit (RLIMIT_MSGQUEUE)"};
    case ErrorCode::SizeTooLarge: return {K::ValueError, "The size is too large"};
    case ErrorCode::NotSupported: return {K::Error, "This operation is not supported on this platform"};
    case ErrorCode::ByteCountTooLarge: return {K::OverflowError, "The byte count is larger than the biggest byte string of the language"};
    case ErrorCode::RandomNameNeedsExcl: return {K::ValueError, "Name can only be None if O_EXCL is set"};
    case ErrorCode::NoUnusedRandomName: return {K::ExistentialError, "No unused random name was found in 100 tries"};
    case ErrorCode::InternalError: return {K::Error, "Internal error: an unexpected C++ exception"};
    case ErrorCode::BadSignalNumber: return {K::ValueError, "invalid signal number"};
    case ErrorCode::AttributeNotWritable: return {K::AttributeError, "attribute '%s' of '%s' objects is not writable"};
    case ErrorCode::AttributeNotFound: return {K::AttributeError, "'%s' object has no attribute '%s'"};
    case ErrorCode::SystemError: return {K::OSError, nullptr};
    }
    return {K::Error, "Unknown error"};
}

std::string message_for(ErrorCode code, int error_number) {
    const Entry e = entry(code);
    if (e.text) return e.text;
    return std::strerror(error_number);
}

}  // namespace

ErrorKind kind_of(ErrorCode code) noexcept { return entry(code).kind; }

const char* text_of(ErrorCode code) noexcept { return entry(code).text; }

const char* kind_name(ErrorKind kind) noexcept {
    switch (kind) {
    case ErrorKind::Error: return "Error";
    case ErrorKind::SignalError: return "SignalError";
    case ErrorKind::PermissionsError: return "PermissionsError";
    case ErrorKind::ExistentialError: return "ExistentialError";
    case ErrorKind::BusyError: return "BusyError";
    case ErrorKind::ValueError: return "ValueError";
    case ErrorKind::TypeError: return "TypeError";
    case ErrorKind::OverflowError: return "OverflowError";
    case ErrorKind::MemoryError: return "MemoryError";
    case ErrorKind::OSError: return "OSError";
    case ErrorKind::AttributeError: return "AttributeError";
    }
    return "Error";
}

ErrorKind parent_of(ErrorKind) noexcept { return ErrorKind::Error; }

bool is_ipc_specific(ErrorKind kind) noexcept {
    switch (kind) {
    case ErrorKind::Error:
    case ErrorKind::SignalError:
    case ErrorKind::PermissionsError:
    case ErrorKind::ExistentialError:
    case ErrorKind::BusyError: return true;
    default: return false;
    }
}

const char* kind_doc(ErrorKind kind) noexcept {
    switch (kind) {
    case ErrorKind::Error: return "The base class of the errors specific to IPC that posix_ipc raises.";
    case ErrorKind::SignalError:
        return "Raised when a waiting call (acquire, send, receive) is interrupted by a signal\n"
               "other than the one that raises KeyboardInterrupt.";
    case ErrorKind::PermissionsError:
        return "Raised when the IPC object's permissions (or how this handle was opened:\n"
               "read_only, read=False, write=False) do not allow the operation.";
    case ErrorKind::ExistentialError:
        return "Raised when an IPC object does not exist (or already exists, with O_CREX),\n"
               "or the handle used has been closed.";
    case ErrorKind::BusyError:
        return "Raised when a call would wait longer than its timeout allows (a semaphore\n"
               "that is taken, a full or empty queue), or a queue already has a notification\n"
               "request.";
    case ErrorKind::ValueError: return "An argument has the right type but a value outside what the call accepts.";
    case ErrorKind::TypeError: return "An argument has a type the call does not accept.";
    case ErrorKind::OverflowError: return "A number is too large for the system call it is passed to.";
    case ErrorKind::MemoryError: return "The system had not enough memory for the call.";
    case ErrorKind::OSError: return "Any other failure of a system call, with its errno.";
    case ErrorKind::AttributeError: return "An attribute that cannot be written (or does not exist) was assigned.";
    }
    return "";
}

IpcError::IpcError(ErrorCode code, int error_number)
    : std::runtime_error(message_for(code, error_number)), code_(code), errno_(error_number) {}

IpcError::IpcError(ErrorCode code, const std::string& message)
    : std::runtime_error(message), code_(code), errno_(0) {}

void raise(ErrorCode code, int error_number) { throw IpcError(code, error_number); }

IpcError attribute_not_found(const char* class_name, const char* attribute) {
    return IpcError(ErrorCode::AttributeNotFound,
                    std::string("'") + class_name + "' object has no attribute '" + attribute + "'");
}

IpcError attribute_not_writable(const char* class_name, const char* attribute) {
    return IpcError(ErrorCode::AttributeNotWritable,
                    std::string("attribute '") + attribute + "' of '" + class_name + "' objects is not writable");
}

namespace {
// Made at load time: copying an IpcError never allocates, so current_error()
// works when memory has run out.
const IpcError out_of_memory_error(ErrorCode::NotEnoughMemory);
const IpcError internal_error(ErrorCode::InternalError);
}  // namespace

IpcError current_error() noexcept {
    try {
        throw;
    } catch (const IpcError& error) {
        return error;
    } catch (const std::bad_alloc&) {
        return out_of_memory_error;
    } catch (...) {
        return internal_error;
    }
}

void raise_open_error(int error_number, ErrorCode not_found, ErrorCode exists) {
    switch (error_number) {
    case EACCES: raise(ErrorCode::PermissionDenied, error_number);
    case EEXIST: raise(exists, error_number);
    case ENOENT: raise(not_found, error_number);
    case EINVAL: raise(ErrorCode::InvalidParameters, error_number);
    case EMFILE: raise(ErrorCode::TooManyFilesProcess, error_number);
    case ENFILE: raise(ErrorCode::TooManyFilesSystem, error_number);
    case ENAMETOOLONG: raise(ErrorCode::NameTooLong, error_number);
    case ENOMEM: raise(ErrorCode::NotEnoughMemory, error_number);
    case ENOSPC: raise(ErrorCode::QueueLimitReached, error_number);
    case EINTR: raise(ErrorCode::WaitInterrupted, error_number);
    default: raise(ErrorCode::SystemError, error_number);
    }
}

}  // namespace posix_ipc
