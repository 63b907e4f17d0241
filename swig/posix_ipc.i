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

// ---- classes (the exposed subset of core/include/posix_ipc) -----------------
// The hot methods acquire, release, send and receive are not declared here:
// each language calls the core's templates itself, with its BlockingRegion,
// because SWIG 4.1's generated argument handling costs as much as the call.
namespace posix_ipc {

// Converted by each language's typemaps.
class Name;
class NotificationRequest;
struct Bytes;
typedef std::string ByteString;

class Semaphore {
public:
  Semaphore(const Name& name, long long flags = posix_ipc::defaults::flags, long long mode = posix_ipc::defaults::mode,
            long long initial_value = posix_ipc::defaults::initial_value);
  void close();
  void unlink();
};

class SharedMemory {
public:
  SharedMemory(const Name& name, long long flags = posix_ipc::defaults::flags,
               long long mode = posix_ipc::defaults::mode, long long size = posix_ipc::defaults::size,
               bool read_only = posix_ipc::defaults::read_only);
  void close_fd();
  void unlink();
  ByteString read(long long byte_count = posix_ipc::defaults::byte_count,
                  long long offset = posix_ipc::defaults::offset) const;
  void write(Bytes data, long long offset = posix_ipc::defaults::offset);
  int fileno() const;
};

class MessageQueue {
public:
  MessageQueue(const Name& name, long long flags = posix_ipc::defaults::flags,
               long long mode = posix_ipc::defaults::mode,
               long long max_messages = posix_ipc::queue_messages_max_default(),
               long long max_message_size = posix_ipc::queue_message_size_max_default(),
               bool read = posix_ipc::defaults::read, bool write = posix_ipc::defaults::write);
  // Each language's typemap makes the request from its own values.
  void request_notification(const NotificationRequest& notification = posix_ipc::defaults::notification);
  int fileno() const;
  void close();
  void unlink();
};

void unlink_semaphore(const Name& name);
void unlink_shared_memory(const Name& name);
void unlink_message_queue(const Name& name);

}  // namespace posix_ipc

// ---- attributes ---------------------------------------------------------------
// The one declaration of each attribute: SWIG's attribute and the entry of
// posix_ipc::attributes<Class>() that Lua and Tcl dispatch through (core/include/posix_ipc/attributes.hpp). GET reads it
// from `self`, a const Class*.
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
