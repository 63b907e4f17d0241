// The interface shared by every language. Each language's module file
// (python.i, lua.i, tcl.i) sets %module and, before including this file,
// provides:
//   - typemaps for posix_ipc::Name, posix_ipc::Timeout, posix_ipc::Bytes,
//     posix_ipc::ByteString and posix_ipc::Received;
//   - posix_ipc_binding::BlockingRegion, alive while a call may block;
//   - POSIX_IPC_RAISE(error): turn a posix_ipc::IpcError into the language's
//     error and SWIG_fail;
//   - POSIX_IPC_RETHROW_IF_THREAD_EXIT: nothing, or (Python) a rethrow when
//     CPython is ending the thread with pthread_exit (a forced unwind).
// Everything a language adds beyond this (notifications, repr, ...) is in its file.

%{
#include "posix_ipc/posix_ipc.hpp"
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
%constant int O_CREAT = posix_ipc::O_CREAT_FLAG;
%constant int O_EXCL = posix_ipc::O_EXCL_FLAG;
%constant int O_CREX = posix_ipc::O_CREX_FLAG;
%constant int O_TRUNC = posix_ipc::O_TRUNC_FLAG;
%constant int O_RDONLY = posix_ipc::O_RDONLY_FLAG;
%constant int O_WRONLY = posix_ipc::O_WRONLY_FLAG;
%constant int O_RDWR = posix_ipc::O_RDWR_FLAG;
%constant int O_NONBLOCK = posix_ipc::O_NONBLOCK_FLAG;
%constant long PAGE_SIZE = posix_ipc::page_size();
%constant long SEMAPHORE_VALUE_MAX = posix_ipc::SEMAPHORE_VALUE_MAX;
%constant bool SEMAPHORE_TIMEOUT_SUPPORTED = posix_ipc::SEMAPHORE_TIMEOUT_SUPPORTED;
%constant bool SEMAPHORE_VALUE_SUPPORTED = posix_ipc::SEMAPHORE_VALUE_SUPPORTED;
%constant bool MESSAGE_QUEUES_SUPPORTED = posix_ipc::MESSAGE_QUEUES_SUPPORTED;
%constant long QUEUE_MESSAGES_MAX_DEFAULT = posix_ipc::queue_messages_max_default();
%constant long QUEUE_MESSAGE_SIZE_MAX_DEFAULT = posix_ipc::queue_message_size_max_default();
%constant long QUEUE_PRIORITY_MAX = posix_ipc::QUEUE_PRIORITY_MAX;
%constant int USER_SIGNAL_MIN = posix_ipc::user_signal_min();
%constant int USER_SIGNAL_MAX = posix_ipc::user_signal_max();
%constant const char* VERSION = posix_ipc::VERSION;

// ---- classes (the exposed subset of core/include/posix_ipc) -----------------
namespace posix_ipc {

// Converted by each language's typemaps.
class Name;
class Timeout;
struct Bytes;
struct Received;
typedef std::string ByteString;

class Semaphore {
public:
  Semaphore(const Name& name, long long flags = 0, long long mode = 0600, long long initial_value = 0);
  void release();
  void close();
  void unlink();
};

class SharedMemory {
public:
  SharedMemory(const Name& name, long long flags = 0, long long mode = 0600, long long size = 0,
               bool read_only = false);
  void close_fd();
  void unlink();
  ByteString read(long long byte_count = 0, long long offset = 0) const;
  void write(Bytes data, long long offset = 0);
};

class MessageQueue {
public:
  MessageQueue(const Name& name, long long flags = 0, long long mode = 0600,
               long long max_messages = posix_ipc::queue_messages_max_default(),
               long long max_message_size = posix_ipc::queue_message_size_max_default(),
               bool read = true, bool write = true);
  void close();
  void unlink();
};

void unlink_semaphore(const Name& name);
void unlink_shared_memory(const Name& name);
void unlink_message_queue(const Name& name);

}  // namespace posix_ipc

// ---- blocking calls and attributes ------------------------------------------
%extend posix_ipc::Semaphore {
  void acquire(posix_ipc::Timeout timeout = posix_ipc::Timeout()) {
    $self->acquire<posix_ipc_binding::BlockingRegion>(timeout);
  }
  %immutable;
  const char* name;
  const long mode;
  const int value;
  %mutable;
}

%extend posix_ipc::SharedMemory {
  int fileno() const { return $self->fd(); }
  %immutable;
  const char* name;
  const long mode;
  const int fd;
  const long long size;
  %mutable;
}

%extend posix_ipc::MessageQueue {
  void send(posix_ipc::Bytes message, posix_ipc::Timeout timeout = posix_ipc::Timeout(), long long priority = 0) {
    $self->send<posix_ipc_binding::BlockingRegion>(message, timeout, priority);
  }
  posix_ipc::Received receive(posix_ipc::Timeout timeout = posix_ipc::Timeout()) {
    return $self->receive<posix_ipc_binding::BlockingRegion>(timeout);
  }
  int fileno() const { return $self->mqd(); }
  bool block;
  %immutable;
  const char* name;
  const long mode;
  const int mqd;
  const long max_messages;
  const long max_message_size;
  const long current_messages;
  %mutable;
}

%{
// Accessors behind the attributes declared with %extend above.
#define posix_ipc_Semaphore_name_get(self) (self)->name().c_str()
#define posix_ipc_Semaphore_mode_get(self) (self)->mode()
#define posix_ipc_Semaphore_value_get(self) (self)->value()
#define posix_ipc_SharedMemory_name_get(self) (self)->name().c_str()
#define posix_ipc_SharedMemory_mode_get(self) (self)->mode()
#define posix_ipc_SharedMemory_fd_get(self) (self)->fd()
#define posix_ipc_SharedMemory_size_get(self) (self)->size()
#define posix_ipc_MessageQueue_block_get(self) (self)->block()
#define posix_ipc_MessageQueue_block_set(self, value) (self)->set_block(value)
#define posix_ipc_MessageQueue_name_get(self) (self)->name().c_str()
#define posix_ipc_MessageQueue_mode_get(self) (self)->mode()
#define posix_ipc_MessageQueue_mqd_get(self) (self)->mqd()
#define posix_ipc_MessageQueue_max_messages_get(self) (self)->max_messages()
#define posix_ipc_MessageQueue_max_message_size_get(self) (self)->max_message_size()
#define posix_ipc_MessageQueue_current_messages_get(self) (self)->current_messages()
%}
