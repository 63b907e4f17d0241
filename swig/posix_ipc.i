// The interface shared by every language. Each language's module file
// (python.i, lua.i, tcl.i) sets %module and, before including this file,
// provides:
//   - typemaps for posix_ipc::Name, posix_ipc::Bytes and posix_ipc::ByteString;
//   - POSIX_IPC_RAISE(error): turn a posix_ipc::IpcError into the language's
//     error and SWIG_fail;
//   - POSIX_IPC_RETHROW_IF_THREAD_EXIT: nothing, or (Python) a rethrow when
//     CPython is ending the thread with pthread_exit (a forced unwind).
// Everything a language adds beyond this (notifications, repr, ...) is in its file.

%{
#include "posix_ipc/posix_ipc.hpp"
#include "posix_ipc/attributes.hpp"
%}

// The one exception handler: every wrapped call maps the core's error model.
%exception {
  try {
    $action
  } catch (...) {
    // Any C++ exception (std::bad_alloc: MemoryError) becomes the language's error.
    POSIX_IPC_RETHROW_IF_THREAD_EXIT;
    POSIX_IPC_RAISE(posix_ipc::current_error());
  }
}

// ---- constants --------------------------------------------------------------
// Not listed here: each language defines them at init from the one table,
// posix_ipc::module_constants() (core/src/constants.cpp).

// ---- classes: the core's own declarations -------------------------------------
// SWIG reads the constructors, methods and unlink_* functions, with their
// parameters and defaults, from the core's headers: their one C++
// declaration. %import tells SWIG the names the defaults use
// (posix_ipc::defaults, the system's queue limits) and the POSIX_IPC_API
// marker (api.hpp) without wrapping them.

// The types each language's typemaps convert.
namespace posix_ipc {
class Name;
class NotificationRequest;
struct Bytes;
typedef std::string ByteString;
}
// NotificationRequest is %imported, never wrapped; the rename only keeps
// "function" (a Lua keyword) from a warning.
%rename(callback_function) posix_ipc::NotificationRequest::function;
%import "posix_ipc/constants.hpp"
%import "posix_ipc/api.hpp"
%import "posix_ipc/notification.hpp"

// Not part of the interface: the hot methods acquire, release, send and
// receive (each language calls the core's templates itself, with its
// BlockingRegion, because SWIG 4.1's generated argument handling costs as much
// as the call; SWIG wraps no template without %template, so only Semaphore's
// plain overloads are named), and what the core keeps for the bindings' own use.
%ignore posix_ipc::Semaphore::acquire;
%ignore posix_ipc::Semaphore::try_acquire;
%ignore posix_ipc::Semaphore::release;
%ignore posix_ipc::Semaphore::closed;
%ignore posix_ipc::SharedMemory::read(long long, long long, unsigned long long) const;
%ignore posix_ipc::SharedMemory::read_only;
%ignore posix_ipc::MessageQueue::closed;
%ignore posix_ipc::MessageQueue::can_read;
%ignore posix_ipc::MessageQueue::can_write;
%ignore posix_ipc::Received;

// ---- attributes ---------------------------------------------------------------
// The one declaration of each attribute: SWIG's attribute and the entry of
// posix_ipc::attributes<Class>() that Lua and Tcl dispatch through
// (core/include/posix_ipc/attributes.hpp), in place of the core's getter of
// that name. GET reads it from `self`, a const Class*.
// A language whose attributes all go through the table (Lua) defines
// POSIX_IPC_ATTRIBUTES_BY_TABLE_ONLY: SWIG then makes no wrappers for them.
#ifdef POSIX_IPC_ATTRIBUTES_BY_TABLE_ONLY
%define POSIX_IPC_SWIG_ATTRIBUTE(CLASS, TYPE, NAME) %enddef
%define POSIX_IPC_SWIG_WRITABLE_ATTRIBUTE(CLASS, TYPE, NAME) %enddef
#else
%define POSIX_IPC_SWIG_ATTRIBUTE(CLASS, TYPE, NAME)
%extend posix_ipc::CLASS {
  %immutable;
  const TYPE NAME;
  %mutable;
}
%enddef
%define POSIX_IPC_SWIG_WRITABLE_ATTRIBUTE(CLASS, TYPE, NAME)
%extend posix_ipc::CLASS {
  TYPE NAME;
}
%enddef
#endif

%define POSIX_IPC_ATTRIBUTE(CLASS, TYPE, NAME, GET)
%ignore posix_ipc::CLASS::NAME() const;
POSIX_IPC_SWIG_ATTRIBUTE(CLASS, TYPE, NAME)
%{
inline const TYPE posix_ipc_##CLASS##_##NAME##_get(const posix_ipc::CLASS* self) { return GET; }
static const posix_ipc::AttributeRegistration<posix_ipc::CLASS> posix_ipc_##CLASS##_##NAME##_attribute({
    #NAME, [](const posix_ipc::CLASS& object) { return posix_ipc::attribute_value(posix_ipc_##CLASS##_##NAME##_get(&object)); },
    nullptr, posix_ipc::ErrorCode::SystemError});
%}
%enddef
// A boolean attribute that can be written: SET(self, value); BAD_VALUE is the
// error a binding raises for a value that is not a boolean.
%define POSIX_IPC_BOOLEAN_ATTRIBUTE(CLASS, NAME, GET, SET, BAD_VALUE)
%ignore posix_ipc::CLASS::NAME() const;
%ignore posix_ipc::CLASS::set_##NAME;
POSIX_IPC_SWIG_WRITABLE_ATTRIBUTE(CLASS, bool, NAME)
%{
inline bool posix_ipc_##CLASS##_##NAME##_get(const posix_ipc::CLASS* self) { return GET; }
inline void posix_ipc_##CLASS##_##NAME##_set(posix_ipc::CLASS* self, bool value) { SET; }
static const posix_ipc::AttributeRegistration<posix_ipc::CLASS> posix_ipc_##CLASS##_##NAME##_attribute({
    #NAME, [](const posix_ipc::CLASS& object) { return posix_ipc::attribute_value(posix_ipc_##CLASS##_##NAME##_get(&object)); },
    [](posix_ipc::CLASS& object, bool value) { posix_ipc_##CLASS##_##NAME##_set(&object, value); },
    posix_ipc::ErrorCode::BAD_VALUE});
%}
%enddef

POSIX_IPC_ATTRIBUTE(Semaphore, char*, name, self->name().c_str())
POSIX_IPC_ATTRIBUTE(Semaphore, long, mode, self->mode())
POSIX_IPC_ATTRIBUTE(Semaphore, int, value, self->value())

POSIX_IPC_ATTRIBUTE(SharedMemory, char*, name, self->name().c_str())
POSIX_IPC_ATTRIBUTE(SharedMemory, long, mode, self->mode())
POSIX_IPC_ATTRIBUTE(SharedMemory, int, fd, self->fd())
POSIX_IPC_ATTRIBUTE(SharedMemory, long long, size, self->size())

POSIX_IPC_ATTRIBUTE(MessageQueue, char*, name, self->name().c_str())
POSIX_IPC_ATTRIBUTE(MessageQueue, long, mode, self->mode())
POSIX_IPC_ATTRIBUTE(MessageQueue, int, mqd, self->mqd())
POSIX_IPC_BOOLEAN_ATTRIBUTE(MessageQueue, block, self->block(), self->set_block(value), BadBlockType)
POSIX_IPC_ATTRIBUTE(MessageQueue, long, max_messages, self->max_messages())
POSIX_IPC_ATTRIBUTE(MessageQueue, long, max_message_size, self->max_message_size())
POSIX_IPC_ATTRIBUTE(MessageQueue, long, current_messages, self->current_messages())

%include "posix_ipc/semaphore.hpp"
%include "posix_ipc/shared_memory.hpp"
%include "posix_ipc/message_queue.hpp"
