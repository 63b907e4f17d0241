// Module constants, as posix_ipc 1.3.2 exposes them. Values that depend on the
// running system (page size, queue defaults, signal range) are read once.
#pragma once

namespace posix_ipc {

extern const char* const VERSION;

extern const int O_CREAT_FLAG;
extern const int O_EXCL_FLAG;
extern const int O_CREX_FLAG;
extern const int O_TRUNC_FLAG;
extern const int O_RDONLY_FLAG;
extern const int O_WRONLY_FLAG;
extern const int O_RDWR_FLAG;
extern const int O_NONBLOCK_FLAG;

extern const bool SEMAPHORE_TIMEOUT_SUPPORTED;
extern const bool SEMAPHORE_VALUE_SUPPORTED;
extern const bool MESSAGE_QUEUES_SUPPORTED;
extern const long SEMAPHORE_VALUE_MAX;
extern const long QUEUE_PRIORITY_MAX;

long page_size();
long queue_messages_max_default();
long queue_message_size_max_default();
int user_signal_min();
int user_signal_max();

// Flags a caller may pass to any constructor; other bits are rejected.
int accepted_flags();

// One module constant as every language shows it (posix_ipc.O_CREAT,
// $posix_ipc::O_CREAT): the one list the bindings define them from.
struct ModuleConstant {
    enum class Type { Integer, Boolean, Text };
    const char* name;
    Type type;
    long long number;  // Integer, Boolean (0 or 1)
    const char* text;  // Text
};

// Every module constant, in the order the docs list them; read once.
const ModuleConstant* module_constants(int& count);

}  // namespace posix_ipc
