// Lua 5.4 glue for the SWIG module posix_ipc_core: error objects, argument
// conversion, callback notifications (delivered by posix_ipc.dispatch() on the
// calling thread, never on the core's notification thread), the signal
// helpers and a monotonic clock. Included by swig/lua.i only.
//
// Lua raises errors with longjmp (liblua5.4 is C): every function here that
// raises does so only after its C++ locals are gone or trivially destructible.
#pragma once

extern "C" {
#include <lauxlib.h>
#include <lua.h>
}

#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "posix_ipc/posix_ipc.hpp"

namespace posix_ipc_binding {
// Lua has no global lock to release around a blocking call.
using BlockingRegion = posix_ipc::NoRegion;
}  // namespace posix_ipc_binding

namespace posix_ipc_lua {

// Registry key of the error metatable that posix_ipc.lua installs.
inline char error_metatable_key = 0;

// Pushes an error object {class=, message=, errno=} (with the metatable from
// posix_ipc.lua, which gives __tostring and :is()).
inline void push_error(lua_State* L, const char* class_name, const char* message, int error_number) {
    lua_createtable(L, 0, 3);
    lua_pushstring(L, class_name);
    lua_setfield(L, -2, "class");
    lua_pushstring(L, message);
    lua_setfield(L, -2, "message");
    if (error_number != 0) {
        lua_pushinteger(L, error_number);
        lua_setfield(L, -2, "errno");
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &error_metatable_key);
    if (lua_istable(L, -1)) {
        lua_setmetatable(L, -2);
    } else {
        lua_pop(L, 1);
    }
}

inline void push_error(lua_State* L, const posix_ipc::IpcError& error) {
    push_error(L, error.kind_name(), error.what(), error.error_number());
}

// Raises: the caller must hold no C++ object that needs destroying.
[[noreturn]] inline void raise_code(lua_State* L, posix_ipc::ErrorCode code) {
    {
        posix_ipc::IpcError error(code);
        push_error(L, error);
    }
    lua_error(L);
    abort();  // not reached
}

// ---- conversions (each returns false with the error object pushed) ----------

inline bool to_name(lua_State* L, int index, posix_ipc::Name& name) {
    const int type = lua_type(L, index);
    if (type == LUA_TNONE || type == LUA_TNIL) {
        name = posix_ipc::Name::random();
        return true;
    }
    if (type != LUA_TSTRING) luaL_typeerror(L, index, "string or nil");
    size_t size = 0;
    const char* text = lua_tolstring(L, index, &size);
    try {
        name = posix_ipc::Name::from(std::string(text, size));
    } catch (...) {
        push_error(L, posix_ipc::current_error());
        return false;
    }
    return true;
}

inline bool to_timeout(lua_State* L, int index, posix_ipc::Timeout& timeout) {
    const int type = lua_type(L, index);
    if (type == LUA_TNONE || type == LUA_TNIL) {
        timeout = posix_ipc::Timeout::forever();
        return true;
    }
    if (type != LUA_TNUMBER) {
        push_error(L, posix_ipc::IpcError(posix_ipc::ErrorCode::BadTimeout));
        return false;
    }
    try {
        timeout = posix_ipc::Timeout::seconds(static_cast<double>(lua_tonumber(L, index)));
    } catch (...) {
        push_error(L, posix_ipc::current_error());
        return false;
    }
    return true;
}

// A string, or a number converted as Lua does (luaL_checklstring's rule).
inline posix_ipc::Bytes to_bytes(lua_State* L, int index) {
    size_t size = 0;
    const char* data = lua_tolstring(L, index, &size);
    if (data == nullptr) luaL_typeerror(L, index, "string");
    return posix_ipc::Bytes{data, size};
}

inline long long to_integer(lua_State* L, int index) {
    return static_cast<long long>(luaL_checkinteger(L, index));
}

inline bool to_bool(lua_State* L, int index) {
    luaL_checktype(L, index, LUA_TBOOLEAN);
    return lua_toboolean(L, index) != 0;
}

inline void push_received(lua_State* L, const posix_ipc::Received& received) {
    lua_pushlstring(L, received.data, received.size);
    lua_pushinteger(L, static_cast<lua_Integer>(received.priority));
}

// ---- callback notifications ---------------------------------------------------
// The core runs a notification's std::function on its own thread. Ours only
// queues the Lua-side token under a mutex and bumps an eventfd; dispatch()
// hands the tokens to posix_ipc.lua on the thread that calls it.
// One queue and eventfd per Lua state (keyed by its main thread, a pointer
// never dereferenced off the Lua thread), so one state's dispatch() never
// takes another state's tokens.
struct TokenQueue {
    std::vector<lua_Integer> tokens;
    int fd = -1;
};

struct Pending {
    std::mutex mutex;
    std::unordered_map<const void*, TokenQueue> queues;
};

inline Pending& pending() {
    static Pending* instance = new Pending;  // never freed: a late notification thread may still use it
    return *instance;
}

inline const void* state_key(lua_State* L) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
    const void* key = lua_topointer(L, -1);
    lua_pop(L, 1);
    return key;
}

// The state's eventfd, made on first use (call with the mutex held).
inline int queue_fd_locked(TokenQueue& queue) {
    if (queue.fd < 0) queue.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return queue.fd;
}

inline int queue_fd(const void* key) {
    Pending& p = pending();
    std::lock_guard<std::mutex> lock(p.mutex);
    return queue_fd_locked(p.queues[key]);
}

// Runs on the core's notification thread: no Lua here, and nothing thrown
// (out of memory, the notification is lost: there is nobody to tell).
inline void post_token(const void* key, lua_Integer token) noexcept {
    Pending& p = pending();
    int fd;
    try {
        std::lock_guard<std::mutex> lock(p.mutex);
        TokenQueue& queue = p.queues[key];
        queue.tokens.push_back(token);
        fd = queue.fd;
    } catch (...) {
        return;
    }
    if (fd >= 0) {
        const std::uint64_t one = 1;
        ssize_t ignored = ::write(fd, &one, sizeof one);
        (void)ignored;
    }
}

// Waits up to `wait` seconds for a token (none pending), then moves the
// pending tokens into `tokens`. May throw std::bad_alloc (the state's first entry).
inline void wait_and_take_tokens(const void* key, lua_Number wait, std::vector<lua_Integer>& tokens) {
    Pending& p = pending();
    bool empty;
    int fd;
    {
        std::lock_guard<std::mutex> lock(p.mutex);
        TokenQueue& queue = p.queues[key];
        empty = queue.tokens.empty();
        fd = queue_fd_locked(queue);
    }
    if (wait > 0 && empty && fd >= 0) {
        struct pollfd ready {};
        ready.fd = fd;
        ready.events = POLLIN;
        const double ms = std::ceil(wait * 1000.0);
        ::poll(&ready, 1, ms > 2147483647.0 ? -1 : static_cast<int>(ms));
    }
    std::lock_guard<std::mutex> lock(p.mutex);
    TokenQueue& queue = p.queues[key];
    tokens.swap(queue.tokens);
    if (queue.fd >= 0) {
        std::uint64_t count;
        ssize_t ignored = ::read(queue.fd, &count, sizeof count);
        (void)ignored;
    }
}

// _take_tokens([wait]) -> {token, ...}: drains the queue and the eventfd,
// first waiting up to `wait` seconds (default 0) for one to arrive.
inline int take_tokens(lua_State* L) {
    const lua_Number wait = luaL_optnumber(L, 1, 0);
    const void* key = state_key(L);
    bool failed = false;
    {
        std::vector<lua_Integer> tokens;
        try {
            wait_and_take_tokens(key, wait, tokens);
        } catch (...) {
            push_error(L, posix_ipc::current_error());
            failed = true;
        }
        if (!failed) {
            lua_createtable(L, static_cast<int>(tokens.size()), 0);
            for (size_t i = 0; i < tokens.size(); ++i) {
                lua_pushinteger(L, tokens[i]);
                lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
            }
        }
    }
    if (failed) return lua_error(L);  // no C++ object is alive here
    return 1;
}

// ---- signals: a counting handler, installed without SA_RESTART ---------------
inline std::atomic<long> signal_counts[NSIG];

extern "C" inline void count_signal(int signal_number) {
    if (signal_number > 0 && signal_number < NSIG) signal_counts[signal_number].fetch_add(1);
}

inline int check_signal_number(lua_State* L, int index) {
    const lua_Integer signal_number = luaL_checkinteger(L, index);
    luaL_argcheck(L, signal_number > 0 && signal_number < NSIG, index, "not a signal number");
    return static_cast<int>(signal_number);
}

// catch_signal(signum): from now on the signal only counts, and interrupts a
// blocking call (SignalError) instead of killing the process.
inline int catch_signal(lua_State* L) {
    const int signal_number = check_signal_number(L, 1);
    struct sigaction action {};
    action.sa_handler = count_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: waits fail with EINTR
    if (sigaction(signal_number, &action, nullptr) != 0) {
        push_error(L, "OSError", strerror(errno), errno);
        return lua_error(L);
    }
    return 0;
}

// signal_count(signum) -> how many times it arrived since catch_signal.
inline int signal_count(lua_State* L) {
    const int signal_number = check_signal_number(L, 1);
    lua_pushinteger(L, signal_counts[signal_number].load());
    return 1;
}

// monotonic() -> seconds (a float) on CLOCK_MONOTONIC.
inline int monotonic(lua_State* L) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    lua_pushnumber(L, static_cast<lua_Number>(now.tv_sec) + static_cast<lua_Number>(now.tv_nsec) * 1e-9);
    return 1;
}

inline int notification_fd(lua_State* L) {
    const void* key = state_key(L);
    int fd = -1;
    bool failed = false;
    try {
        fd = queue_fd(key);
    } catch (...) {  // the state's first entry in the table could not be allocated
        push_error(L, posix_ipc::current_error());
        failed = true;
    }
    if (failed) return lua_error(L);
    lua_pushinteger(L, fd);
    return 1;
}

// Keeps this library loaded after lua_close() would dlclose it: the core's
// notification threads and the catch_signal handler run code from it at
// any time, even after the Lua state that loaded it is gone.
inline void pin_library() {
    Dl_info info;
    if (dladdr(reinterpret_cast<void*>(&pin_library), &info) != 0 && info.dli_fname != nullptr)
        dlopen(info.dli_fname, RTLD_NOW | RTLD_NODELETE | RTLD_NOLOAD);
}

// _set_error_metatable(mt)
inline int set_error_metatable(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushvalue(L, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &error_metatable_key);
    return 0;
}

// _error(class, message [, errno]): an error object, for posix_ipc.lua.
inline int make_error(lua_State* L) {
    const char* class_name = luaL_checkstring(L, 1);
    const char* message = luaL_checkstring(L, 2);
    const int error_number = static_cast<int>(luaL_optinteger(L, 3, 0));
    push_error(L, class_name, message, error_number);
    return 1;
}

}  // namespace posix_ipc_lua
