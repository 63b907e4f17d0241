// What the class headers declare the shared API with. Their declarations are
// its one source: SWIG %includes them (each language's wrappers), and
// core/make_signatures.py, run by CMake, reads the ones marked POSIX_IPC_API
// into the run-time table (signatures.hpp) that Lua's table form, Tcl's
// -options and Python's hot methods parse arguments by.
#pragma once

// Marks a constructor or method every language has, with the parameters
// (names, order, defaults) the languages take, in the order the docs list
// them. Expands to nothing (for SWIG too: posix_ipc.i %imports this file).
#define POSIX_IPC_API

namespace posix_ipc {

// Every default, named once: a marked declaration names its defaults from
// here (make_signatures.py refuses a literal). The queue limits default to
// the system's: queue_messages_max_default() and
// queue_message_size_max_default() (constants.hpp); a notification request
// to none (defaults::notification, notification.hpp).
namespace defaults {
inline constexpr long long flags = 0;
inline constexpr long long mode = 0600;
inline constexpr long long initial_value = 0;  // Semaphore
inline constexpr long long size = 0;           // SharedMemory
inline constexpr bool read_only = false;
inline constexpr long long byte_count = 0;  // SharedMemory read: to the end
inline constexpr long long offset = 0;
inline constexpr bool read = true;  // MessageQueue: open for reading, writing
inline constexpr bool write = true;
inline constexpr long long priority = 0;
}  // namespace defaults

}  // namespace posix_ipc
