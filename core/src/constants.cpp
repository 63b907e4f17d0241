#include "posix_ipc/constants.hpp"

#include <fcntl.h>
#include <semaphore.h>
#include <signal.h>
#include <unistd.h>

#include <climits>
#include <fstream>

#include "posix_ipc/config.h"
#include "posix_ipc_version.h"

namespace posix_ipc {

const char* const VERSION = POSIX_IPC_VERSION;

const int O_CREAT_FLAG = O_CREAT;
const int O_EXCL_FLAG = O_EXCL;
const int O_CREX_FLAG = O_CREAT | O_EXCL;
const int O_TRUNC_FLAG = O_TRUNC;
const int O_RDONLY_FLAG = O_RDONLY;
const int O_WRONLY_FLAG = O_WRONLY;
const int O_RDWR_FLAG = O_RDWR;
const int O_NONBLOCK_FLAG = O_NONBLOCK;

// From the feature probes (cmake/PosixIpcPlatform.cmake): false on macOS.
const bool SEMAPHORE_TIMEOUT_SUPPORTED = POSIX_IPC_SEMAPHORE_TIMEOUT_SUPPORTED;
const bool SEMAPHORE_VALUE_SUPPORTED = POSIX_IPC_SEMAPHORE_VALUE_SUPPORTED;
const bool MESSAGE_QUEUES_SUPPORTED = POSIX_IPC_MESSAGE_QUEUES_SUPPORTED;

#ifdef SEM_VALUE_MAX
const long SEMAPHORE_VALUE_MAX = SEM_VALUE_MAX;
#else
const long SEMAPHORE_VALUE_MAX = INT_MAX;
#endif
const long QUEUE_PRIORITY_MAX = 32767;

namespace {
long read_proc_long(const char* path, long fallback) {
    std::ifstream in(path);
    long value = 0;
    if (in >> value && value > 0) return value;
    return fallback;
}
}  // namespace

long page_size() {
    static const long value = sysconf(_SC_PAGESIZE);
    return value;
}

// A queue created with these defaults must be allowed for an unprivileged user,
// so take the system default, bounded as upstream does (10 messages, 8 KiB).
long queue_messages_max_default() {
    static const long value = read_proc_long("/proc/sys/fs/mqueue/msg_default", 10);
    return value;
}

long queue_message_size_max_default() {
    static const long value = [] {
        const long system_default = read_proc_long("/proc/sys/fs/mqueue/msgsize_default", 8192);
        return system_default < 8192 ? system_default : 8192L;
    }();
    return value;
}

// Where there are no realtime signals (macOS) the modules have no
// USER_SIGNAL_MIN/MAX, as upstream; these then give 0.
#if POSIX_IPC_HAVE_REALTIME_SIGNALS
int user_signal_min() { return SIGRTMIN; }
int user_signal_max() { return SIGRTMAX; }
#else
int user_signal_min() { return 0; }
int user_signal_max() { return 0; }
#endif

int accepted_flags() {
    return O_CREAT | O_EXCL | O_TRUNC | O_RDONLY | O_WRONLY | O_RDWR | O_NONBLOCK;
}

const ModuleConstant* module_constants(int& count) {
    using T = ModuleConstant::Type;
    // As upstream: without message queues (macOS) the queue constants, the
    // access flags only queues use and the signal range are left out; the
    // signal range also where there are no realtime signals.
    static const ModuleConstant table[] = {
        {"O_CREAT", T::Integer, O_CREAT_FLAG, nullptr},
        {"O_EXCL", T::Integer, O_EXCL_FLAG, nullptr},
        {"O_CREX", T::Integer, O_CREX_FLAG, nullptr},
        {"O_TRUNC", T::Integer, O_TRUNC_FLAG, nullptr},
#if POSIX_IPC_MESSAGE_QUEUES_SUPPORTED
        {"O_RDONLY", T::Integer, O_RDONLY_FLAG, nullptr},
        {"O_WRONLY", T::Integer, O_WRONLY_FLAG, nullptr},
        {"O_RDWR", T::Integer, O_RDWR_FLAG, nullptr},
        {"O_NONBLOCK", T::Integer, O_NONBLOCK_FLAG, nullptr},
#endif
        {"PAGE_SIZE", T::Integer, page_size(), nullptr},
        {"SEMAPHORE_VALUE_MAX", T::Integer, SEMAPHORE_VALUE_MAX, nullptr},
        {"SEMAPHORE_TIMEOUT_SUPPORTED", T::Boolean, SEMAPHORE_TIMEOUT_SUPPORTED, nullptr},
        {"SEMAPHORE_VALUE_SUPPORTED", T::Boolean, SEMAPHORE_VALUE_SUPPORTED, nullptr},
        {"MESSAGE_QUEUES_SUPPORTED", T::Boolean, MESSAGE_QUEUES_SUPPORTED, nullptr},
#if POSIX_IPC_MESSAGE_QUEUES_SUPPORTED
        {"QUEUE_MESSAGES_MAX_DEFAULT", T::Integer, queue_messages_max_default(), nullptr},
        {"QUEUE_MESSAGE_SIZE_MAX_DEFAULT", T::Integer, queue_message_size_max_default(), nullptr},
        {"QUEUE_PRIORITY_MAX", T::Integer, QUEUE_PRIORITY_MAX, nullptr},
#if POSIX_IPC_HAVE_REALTIME_SIGNALS
        {"USER_SIGNAL_MIN", T::Integer, user_signal_min(), nullptr},
        {"USER_SIGNAL_MAX", T::Integer, user_signal_max(), nullptr},
#endif
#endif
        {"VERSION", T::Text, 0, VERSION},
    };
    count = static_cast<int>(sizeof table / sizeof table[0]);
    return table;
}

}  // namespace posix_ipc
