// Lua 5.4 glue for the SWIG module posix_ipc.core: error objects, the
// argument checks behind swig/lua.i's typemaps, the state's notification
// inbox (the core's; drained by posix_ipc.dispatch() on the calling thread,
// never on the core's notification thread) and a monotonic clock. Included
// by swig/lua.i only.
//
// Lua raises errors with longjmp (liblua5.4 is C): every function here that
// raises does so only after its C++ locals are gone or trivially destructible.
#pragma once

#include "posix_ipc_lua_compat.hpp"

#include <dlfcn.h>
#include <string.h>
#include <time.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "posix_ipc/posix_ipc.hpp"

namespace posix_ipc_binding {
// Lua has no global lock to release around a blocking call.
using BlockingRegion = posix_ipc::NoRegion;
}  // namespace posix_ipc_binding

namespace posix_ipc_lua {

// Registry key of the error metatable that posix_ipc.lua installs.
inline char error_metatable_key = 0;

inline void push_user_where(lua_State* L);

// Pushes an error object {class=, message=, errno=, where=} (with the
// metatable from posix_ipc.lua, which gives __tostring, __concat and :is()).
// where is "file:line:" of the user's code that made the failing call, as
// error(msg, 2) would prefix a string; absent when no Lua code is on the stack.
inline void push_error(lua_State* L, const char* class_name, const char* message, int error_number) {
    lua_createtable(L, 0, 4);
    lua_pushstring(L, class_name);
    lua_setfield(L, -2, "class");
    lua_pushstring(L, message);
    lua_setfield(L, -2, "message");
    if (error_number != 0) {
        lua_pushinteger(L, error_number);
        lua_setfield(L, -2, "errno");
    }
    push_user_where(L);  // "file:line: " or ""
    size_t size = 0;
    const char* where = lua_tolstring(L, -1, &size);
    if (size > 1) {
        lua_pushlstring(L, where, size - 1);  // without the trailing space
        lua_setfield(L, -3, "where");
    }
    lua_pop(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &error_metatable_key);
    if (lua_istable(L, -1)) {
        lua_setmetatable(L, -2);
    } else {
        lua_pop(L, 1);
    }
}

// BusyError carries no errno, whichever call and timeout produced it (EAGAIN
// for a non-blocking queue, ETIMEDOUT for a timed wait, nothing for a
// semaphore's trywait): upstream posix_ipc raises BusyError without one, and
// so does this module's Python side.
inline void push_error(lua_State* L, const posix_ipc::IpcError& error) {
    const bool busy = error.kind() == posix_ipc::ErrorKind::BusyError;
    push_error(L, error.kind_name(), error.what(), busy ? 0 : error.error_number());
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

// ---- argument errors ------------------------------------------------------------
// Worded as Lua's luaL_argerror, but naming the method the user called and
// numbering its arguments after self however it was called (q:send(true),
// q.send(q, true), pcall(q.send, q, true) all give "bad argument #1 to 'send'"):
// luaL_argerror would name no function or the wrong one, and count
// self when the call site has no name. A bad self (stack index 1) is Lua's
// "calling 'm' on bad self (...)" for a method call, else "bad argument #1".
// Only the error paths run any of this.
// "file:line: " of the user's code: the first Lua function up the stack
// that is not posix_ipc.lua (whose functions call SWIG's wrappers, some
// through SWIG's own C functions), or "" if there is none.
inline void push_user_where(lua_State* L) {
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar); ++level) {
    if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
    const size_t size = strlen(ar.source);
    const char* module = "posix_ipc.lua";
    const size_t module_size = strlen(module);
    const bool ours = size >= module_size && strcmp(ar.source + size - module_size, module) == 0 &&
                      (size == module_size || ar.source[size - module_size - 1] == '/' ||
                       ar.source[size - module_size - 1] == '@');
    if (ours) continue;
    lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
    return;
  }
  lua_pushliteral(L, "");
}

// push_argerror leaves the message on the stack, for a caller that must
// unwind before raising it, positioned as luaL_error positions it (at
// whoever called this C function), or at the user's code.
inline void push_argerror(lua_State* L, const char* method, int index, const char* detail, bool at_user = false) {
  if (at_user)
    push_user_where(L);
  else
    luaL_where(L, 1);
  if (index == 1) {
    lua_Debug ar;
    if (lua_getstack(L, 0, &ar) && lua_getinfo(L, "n", &ar) && ar.namewhat && strcmp(ar.namewhat, "method") == 0)
      lua_pushfstring(L, "calling '%s' on bad self (%s)", method, detail);
    else
      lua_pushfstring(L, "bad argument #1 to '%s' (%s)", method, detail);
  } else {
    lua_pushfstring(L, "bad argument #%d to '%s' (%s)", index - 1, method, detail);
  }
  lua_concat(L, 2);
}

[[noreturn]] inline void method_argerror(lua_State* L, const char* method, int index, const char* detail) {
  push_argerror(L, method, index, detail);
  lua_error(L);
  abort();  // not reached
}

// The type name luaL_typeerror shows: __name, else Lua's type name ("no value").
inline const char* shown_type(lua_State* L, int index) {
  if (luaL_getmetafield(L, index, "__name") == LUA_TSTRING) return lua_tostring(L, -1);
  if (lua_type(L, index) == LUA_TLIGHTUSERDATA) return "light userdata";
  return luaL_typename(L, index);
}

// `expected` for the value at `index`: the argument itself, or (field != nullptr)
// field `field` of the table form, which is argument #1 (stack index 2).
[[noreturn]] inline void method_typeerror(lua_State* L, const char* method, int index, const char* field,
                                          const char* expected) {
  if (field == nullptr)
    method_argerror(L, method, index, lua_pushfstring(L, "%s expected, got %s", expected, shown_type(L, index)));
  if (lua_isnoneornil(L, index)) method_argerror(L, method, 2, lua_pushfstring(L, "field '%s' missing", field));
  method_argerror(L, method, 2,
                  lua_pushfstring(L, "field '%s': %s expected, got %s", field, expected, shown_type(L, index)));
}

// A message or data: a string, or a number, converted as Lua does (luaL_checklstring).
inline posix_ipc::Bytes check_data(lua_State* L, int index, const char* method, const char* field = nullptr) {
  size_t size = 0;
  const char* data = lua_tolstring(L, index, &size);
  if (data == nullptr) method_typeerror(L, method, index, field, "string");
  return posix_ipc::Bytes{data, size};
}

// An integer, or a string convertible to one, as luaL_checkinteger.
inline long long check_integer(lua_State* L, int index, const char* method, const char* field = nullptr) {
  int is_integer = 0;
  const lua_Integer value = lua_tointegerx(L, index, &is_integer);
  if (!is_integer) {
    if (!lua_isnumber(L, index)) method_typeerror(L, method, index, field, "number");
    const char* detail = "number has no integer representation";
    if (field != nullptr) method_argerror(L, method, 2, lua_pushfstring(L, "field '%s': %s", field, detail));
    method_argerror(L, method, index, detail);
  }
  return static_cast<long long>(value);
}

// The table form m{...} (argument #1, stack index 2): refuses unknown fields
// (a misspelt "timout" must not mean "wait forever"), then leaves the values
// of the call's parameters (the core's table) at stack indexes 2, 3, ... in order.
// `at_user`: the error names the user's line (a call from posix_ipc.lua).
inline void unpack_fields(lua_State* L, const posix_ipc::Signature& call, bool at_user = false) {
  const char* const method = call.name;
  lua_settop(L, 2);
  lua_pushnil(L);
  while (lua_next(L, 2) != 0) {
    lua_pop(L, 1);
    bool known = false;
    if (lua_type(L, -1) == LUA_TSTRING) {
      size_t size = 0;
      const char* key = lua_tolstring(L, -1, &size);
      for (int k = 0; k < call.count && !known; ++k)
        known = strlen(call.parameters[k].name) == size && memcmp(call.parameters[k].name, key, size) == 0;
    }
    if (!known) {
      const char* shown = luaL_tolstring(L, -1, nullptr);
      push_argerror(L, method, 2, lua_pushfstring(L, "unknown field '%s'", shown), at_user);
      lua_error(L);
    }
  }
  for (int k = 0; k < call.count; ++k) lua_getfield(L, 2, call.parameters[k].name);
  lua_remove(L, 2);
}

// The name the user called for a SWIG wrapper: "new_Semaphore" -> "Semaphore"
// (arguments counted from 1), "SharedMemory_read" -> "read" (counted after
// self), "unlink_semaphore" as it is. Sets `stack_offset` to what turns a
// user's argument number into the index method_argerror takes.
inline const char* user_function(const char* symname, int& stack_offset) {
    stack_offset = 1;
    if (strncmp(symname, "new_", 4) == 0) return symname + 4;
    for (const char* class_name : {posix_ipc::signatures<posix_ipc::Semaphore>().name,
                                   posix_ipc::signatures<posix_ipc::SharedMemory>().name,
                                   posix_ipc::signatures<posix_ipc::MessageQueue>().name}) {
        const size_t size = strlen(class_name);
        if (strncmp(symname, class_name, size) == 0 && symname[size] == '_') {
            stack_offset = 0;
            return symname + size + 1;
        }
    }
    return symname;
}

// The checks behind swig/lua.i's typemaps: each returns false with the
// message pushed, so the wrapper frees its locals (freearg) before raising.
inline bool wrapper_argerror(lua_State* L, int index, const char* symname, const char* detail) {
  int offset = 0;
  const char* function = user_function(symname, offset);
  push_argerror(L, function, index + offset, detail, true);
  return false;
}

inline bool wrapper_typeerror(lua_State* L, int index, const char* symname, const char* expected) {
  return wrapper_argerror(L, index, symname, lua_pushfstring(L, "%s expected, got %s", expected, shown_type(L, index)));
}

// An integer, or a string convertible to one, as luaL_checkinteger.
inline bool arg_integer(lua_State* L, int index, const char* symname, long long& value) {
  int is_integer = 0;
  const lua_Integer integer = lua_tointegerx(L, index, &is_integer);
  if (!is_integer) {
    if (!lua_isnumber(L, index)) return wrapper_typeerror(L, index, symname, "number");
    return wrapper_argerror(L, index, symname, "number has no integer representation");
  }
  value = static_cast<long long>(integer);
  return true;
}

inline bool arg_boolean(lua_State* L, int index, const char* symname, bool& value) {
  if (lua_type(L, index) != LUA_TBOOLEAN) return wrapper_typeerror(L, index, symname, "boolean");
  value = lua_toboolean(L, index) != 0;
  return true;
}

// A string, or a number converted as Lua does (luaL_checklstring's rule).
inline bool arg_bytes(lua_State* L, int index, const char* symname, posix_ipc::Bytes& bytes) {
  size_t size = 0;
  const char* data = lua_tolstring(L, index, &size);
  if (data == nullptr) return wrapper_typeerror(L, index, symname, "string");
  bytes = posix_ipc::Bytes{data, size};
  return true;
}

// A name: a string, or nil for a random one (a constructor's; unlink_* need a string).
inline bool arg_name(lua_State* L, int index, const char* symname, posix_ipc::Name& name) {
  const int type = lua_type(L, index);
  const bool may_be_nil = strncmp(symname, "unlink_", 7) != 0;
  if (type != LUA_TSTRING && !(may_be_nil && (type == LUA_TNONE || type == LUA_TNIL)))
    return wrapper_typeerror(L, index, symname, may_be_nil ? "string or nil" : "string");
  return to_name(L, index, name);
}

inline void push_received(lua_State* L, const posix_ipc::Received& received) {
    lua_pushlstring(L, received.data, received.size);
    lua_pushinteger(L, static_cast<lua_Integer>(received.priority));
}

// ---- callback notifications ----------------------------------------------------
// One posix_ipc::NotificationInbox per Lua state, kept in the registry (so
// a module loaded again into the same state shares it, and its tokens stay
// unique there). The core's notification thread only posts the token; the
// Lua side's dispatch() takes the tokens on the thread that calls it.
using InboxPtr = std::shared_ptr<posix_ipc::NotificationInbox>;
inline char inbox_key = 0;

inline int free_inbox(lua_State* L) {
    static_cast<InboxPtr*>(lua_touserdata(L, 1))->~InboxPtr();
    return 0;
}

// The state's inbox, made on first use. Raises (a Lua error) if there is no
// descriptor to give it; nothing C++ is alive then.
inline posix_ipc::NotificationInbox& inbox(lua_State* L) {
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &inbox_key) == LUA_TUSERDATA) {
        auto* inbox = static_cast<InboxPtr*>(lua_touserdata(L, -1))->get();
        lua_pop(L, 1);
        return *inbox;
    }
    lua_pop(L, 1);
    void* memory = lua_newuserdatauv(L, sizeof(InboxPtr), 0);
    bool failed = false;
    try {
        new (memory) InboxPtr(posix_ipc::NotificationInbox::create());
    } catch (...) {
        lua_pop(L, 1);
        push_error(L, posix_ipc::current_error());
        failed = true;
    }
    if (failed) lua_error(L);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, free_inbox);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &inbox_key);
    auto* inbox = static_cast<InboxPtr*>(lua_touserdata(L, -1))->get();
    lua_pop(L, 1);
    return *inbox;
}

inline InboxPtr shared_inbox(lua_State* L) {
    inbox(L);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &inbox_key);
    InboxPtr shared = *static_cast<InboxPtr*>(lua_touserdata(L, -1));
    lua_pop(L, 1);
    return shared;
}

// ---- notification requests (the typemaps of swig/lua.i) ----------------------
// SWIG gives each C++ parameter one Lua value, so posix_ipc.lua passes the
// call's values (a callback and its param are two) in one table, with its
// module's pending callbacks: {notification, param, pending = {[token] =
// {func, param}, [SWIG object] = its token}}. A notification is nil (cancel),
// an integer-valued number (that signal; the core checks it), a callable with
// its param, or a table {func, param}; anything else is BadNotification. A
// callback posts a fresh token of the state's inbox. Once a request succeeded,
// the object's previous callback is forgotten and a new one kept, for its own
// module's dispatch() only.

// A function, or a value whose metatable has __call (raw, as a call sees it).
inline bool callable(lua_State* L, int index) {
    if (lua_type(L, index) == LUA_TFUNCTION) return true;
    if (luaL_getmetafield(L, index, "__call") == LUA_TNIL) return false;
    lua_pop(L, 1);
    return true;
}

// Pushes {func, param} of a callable at `value` and its param (value + 1), or
// of a table {func, param} at `value`; false if neither.
inline bool push_callback(lua_State* L, int value) {
    const bool pair = lua_type(L, value) == LUA_TTABLE && !callable(L, value);
    if (!pair && !callable(L, value)) return false;
    lua_createtable(L, 2, 0);
    for (int i = 1; i <= 2; ++i) {
        if (pair) lua_geti(L, value, i); else lua_pushvalue(L, value + i - 1);
    }
    if (!callable(L, -2)) {
        lua_pop(L, 3);
        return false;
    }
    lua_rawseti(L, -3, 2);
    lua_rawseti(L, -2, 1);
    return true;
}

// The in typemap: `request` from the call's table at `values`. A callback
// leaves its {func, param} at stack index `entry`. False with the error pushed.
inline bool to_notification(lua_State* L, int values, std::optional<posix_ipc::NotificationRequest>& request,
                            int& entry, std::uint64_t& token) {
    luaL_checktype(L, values, LUA_TTABLE);  // posix_ipc.lua's, so never raises
    const int type = lua_rawgeti(L, values, 1), value = lua_gettop(L);
    lua_rawgeti(L, values, 2);
    int is_integer = 0;
    const lua_Integer signal_number = type == LUA_TNUMBER ? lua_tointegerx(L, value, &is_integer) : 0;
    if (type != LUA_TNIL && !is_integer && push_callback(L, value)) entry = lua_gettop(L);
    try {
        if (type == LUA_TNIL) {
            request = posix_ipc::NotificationRequest::cancel();
        } else if (is_integer) {
            request = posix_ipc::NotificationRequest::signal(static_cast<long long>(signal_number));
        } else if (!entry) {
            throw posix_ipc::IpcError(posix_ipc::ErrorCode::BadNotification);
        } else {
            InboxPtr shared = shared_inbox(L);
            token = shared->next_token();
            request = posix_ipc::NotificationRequest::callback([shared, token = token] { shared->post(token); });
        }
    } catch (...) {
        push_error(L, posix_ipc::current_error());
        return false;
    }
    return true;
}

// The argout typemap, after a successful request by the object at stack index 1.
inline void keep_notification(lua_State* L, int values, int entry, std::uint64_t token) {
    if (lua_type(L, values) != LUA_TTABLE || lua_getfield(L, values, "pending") != LUA_TTABLE) return;
    const int pending = lua_gettop(L);
    lua_pushvalue(L, 1);
    if (lua_rawget(L, pending) != LUA_TNIL) {
        lua_pushnil(L);
        lua_rawset(L, pending);  // pending[previous token] = nil
    }
    lua_pushvalue(L, 1);
    if (token != 0) lua_pushinteger(L, static_cast<lua_Integer>(token)); else lua_pushnil(L);
    lua_rawset(L, pending);  // pending[object] = token
    if (token == 0) return;
    lua_pushinteger(L, static_cast<lua_Integer>(token));
    lua_pushvalue(L, entry);
    lua_rawset(L, pending);  // pending[token] = {func, param}
}

// _take_tokens([wait]) -> {token, ...}: drains the inbox, first waiting up
// to `wait` seconds (default 0) for a token if none is there.
inline int take_tokens(lua_State* L) {
    const lua_Number wait = luaL_optnumber(L, 1, 0);
    posix_ipc::NotificationInbox& box = inbox(L);
    bool failed = false;
    {
        std::vector<std::uint64_t> tokens;
        try {
            tokens = box.take(static_cast<double>(wait));
        } catch (...) {
            failed = true;
        }
        lua_createtable(L, static_cast<int>(tokens.size()), 0);
        for (size_t i = 0; i < tokens.size(); ++i) {
            lua_pushinteger(L, static_cast<lua_Integer>(tokens[i]));
            lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
        }
    }
    if (failed) raise_code(L, posix_ipc::ErrorCode::NotEnoughMemory);
    return 1;
}

// _constants() -> {name = value, ...}: the module constants, from the core's one table.
inline int constants(lua_State* L) {
    int count = 0;
    const posix_ipc::ModuleConstant* table = posix_ipc::module_constants(count);
    lua_createtable(L, 0, count);
    for (int i = 0; i < count; ++i) {
        switch (table[i].type) {
        case posix_ipc::ModuleConstant::Type::Integer: lua_pushinteger(L, static_cast<lua_Integer>(table[i].number)); break;
        case posix_ipc::ModuleConstant::Type::Boolean: lua_pushboolean(L, table[i].number != 0); break;
        case posix_ipc::ModuleConstant::Type::Text: lua_pushstring(L, table[i].text); break;
        }
        lua_setfield(L, -2, table[i].name);
    }
    return 1;
}

// _error_classes() -> {name = parent name, ...}: the core's error tree (Error's parent is false).
inline int error_classes(lua_State* L) {
    lua_createtable(L, 0, posix_ipc::kErrorKindCount);
    for (int i = 0; i < posix_ipc::kErrorKindCount; ++i) {
        const auto kind = static_cast<posix_ipc::ErrorKind>(i);
        if (kind == posix_ipc::ErrorKind::Error)
            lua_pushboolean(L, 0);
        else
            lua_pushstring(L, posix_ipc::kind_name(posix_ipc::parent_of(kind)));
        lua_setfield(L, -2, posix_ipc::kind_name(kind));
    }
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
    lua_pushinteger(L, inbox(L).fd());
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

// SWIG's Lua runtime sets the globals swig_type and swig_equals at init,
// with no option to leave them out: `require "posix_ipc"` must create no
// global, so each is moved into the module table (at the top of the stack
// while SWIG's init runs) when it is this module's function.
inline void keep_out_of_globals(lua_State* L, lua_CFunction type_function, lua_CFunction equals_function) {
    const int module = lua_gettop(L);
    const struct {
        const char* name;
        lua_CFunction function;
    } globals[] = {{"swig_type", type_function}, {"swig_equals", equals_function}};
    for (const auto& global : globals) {
        lua_getglobal(L, global.name);
        if (lua_tocfunction(L, -1) == global.function) {
            lua_setfield(L, module, global.name);
            lua_pushnil(L);
            lua_setglobal(L, global.name);
        } else {
            lua_pop(L, 1);
        }
    }
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
