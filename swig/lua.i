// Lua 5.4: the SWIG C module posix_ipc_core, loaded by the thin Lua module
// posix_ipc (bindings/lua/posix_ipc.lua), which adds what SWIG's Lua classes
// lack: constructors that take a table of keyword names, plain-table method
// dispatch (no C __index per call), error classes, sem:with(fn) and callback
// notifications delivered by posix_ipc.dispatch(). The four hot methods
// (acquire, release, send, receive) are also provided as %native functions
// that call the same core templates as SWIG's wrappers, without SWIG's
// per-call type checks; their argument errors name the method the user
// called (method_argerror below).
%module posix_ipc_core

%{
#include "posix_ipc_lua.hpp"
#define POSIX_IPC_RAISE(error) do { posix_ipc_lua::push_error(L, error); SWIG_fail; } while (0)
#define POSIX_IPC_RETHROW_IF_THREAD_EXIT do {} while (0)
%}

%init %{
  posix_ipc_lua::pin_library();
%}

// One wrapper per function, defaults included (no overload dispatcher).
%feature("compactdefaultargs");

// ---- conversions -------------------------------------------------------------
// Typemaps convert outside %exception's try block, so each conversion catches
// posix_ipc::IpcError itself (inside posix_ipc_lua::to_*). Wrong Lua types
// raise luaL_typeerror's "bad argument #n to 'f'".
%typemap(in) const posix_ipc::Name& (posix_ipc::Name temp) {
  if (!posix_ipc_lua::to_name(L, $input, temp)) SWIG_fail;
  $1 = &temp;
}
%typemap(in) posix_ipc::Timeout {
  if (!posix_ipc_lua::to_timeout(L, $input, $1)) SWIG_fail;
}
%typemap(in) posix_ipc::Bytes {
  $1 = posix_ipc_lua::to_bytes(L, $input);
}
%typemap(in) long long {
  $1 = posix_ipc_lua::to_integer(L, $input);
}
%typemap(in) bool {
  $1 = posix_ipc_lua::to_bool(L, $input);
}
// Integers stay Lua integers (SWIG's default pushes floats: 1.0).
%typemap(out) int, long, long long {
  lua_pushinteger(L, static_cast<lua_Integer>($1));
  SWIG_arg++;
}
%typemap(out) posix_ipc::Received {
  posix_ipc_lua::push_received(L, $1);
  SWIG_arg += 2;
}
%typemap(out) posix_ipc::ByteString {
  lua_pushlstring(L, $1.data(), $1.size());
  SWIG_arg++;
}

%include "posix_ipc.i"

// ---- Lua-only members --------------------------------------------------------
%extend posix_ipc::MessageQueue {
  void _request_signal(long long signal_number) {
    if (signal_number <= 0 || signal_number > INT_MAX)
      throw posix_ipc::IpcError(posix_ipc::ErrorCode::BadNotification);
    $self->request_signal_notification(static_cast<int>(signal_number));
  }
  // `token` names the callback that posix_ipc.lua keeps; the core's thread only queues it.
  void _request_callback(lua_State* L, long long token) {
    const lua_Integer queued = static_cast<lua_Integer>(token);
    const void* state = posix_ipc_lua::state_key(L);
    posix_ipc_lua::queue_fd(state);  // the eventfd exists before the first post
    $self->request_callback_notification([state, queued] { posix_ipc_lua::post_token(state, queued); });
  }
  void _cancel_notification() { $self->cancel_notification(); }
  // For __close in posix_ipc.lua: a to-be-closed variable closes only an open handle.
  bool _closed() const { return $self->closed(); }
}
%extend posix_ipc::Semaphore {
  bool _closed() const { return $self->closed(); }
}

%header %{
namespace posix_ipc_lua {

// ---- argument errors of the methods ------------------------------------------
// Worded as Lua's luaL_argerror, but naming the method the user called and
// numbering its arguments after self however it was called (q:send(true),
// q.send(q, true), pcall(q.send, q, true) all give "bad argument #1 to 'send'"):
// luaL_argerror would name the internal 'posix_ipc_core._fast_send' and count
// self when the call site has no name. A bad self (stack index 1) is Lua's
// "calling 'm' on bad self (...)" for a method call, else "bad argument #1".
// Only the error paths run any of this.
[[noreturn]] inline void method_argerror(lua_State* L, const char* method, int index, const char* detail) {
  if (index == 1) {
    lua_Debug ar;
    if (lua_getstack(L, 0, &ar) && lua_getinfo(L, "n", &ar) && ar.namewhat && strcmp(ar.namewhat, "method") == 0)
      luaL_error(L, "calling '%s' on bad self (%s)", method, detail);
    luaL_error(L, "bad argument #1 to '%s' (%s)", method, detail);
  }
  luaL_error(L, "bad argument #%d to '%s' (%s)", index - 1, method, detail);
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

// The SWIG object behind a posix_ipc.lua proxy ({[1] = userdata}), or a bad-self error.
template <class T>
inline T* self_of(lua_State* L, swig_type_info* type, const char* type_name, const char* method) {
  if (lua_type(L, 1) == LUA_TTABLE) {
    lua_rawgeti(L, 1, 1);
    auto* object = static_cast<swig_lua_userdata*>(lua_touserdata(L, -1));
    lua_pop(L, 1);
    if (object && object->type == type && object->ptr) return static_cast<T*>(object->ptr);
  }
  method_typeerror(L, method, 1, nullptr, type_name);
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
// of `keys` at stack indexes 2, 3, ... in order.
inline void unpack_fields(lua_State* L, const char* method, const char* const* keys) {
  lua_settop(L, 2);
  lua_pushnil(L);
  while (lua_next(L, 2) != 0) {
    lua_pop(L, 1);
    bool known = false;
    if (lua_type(L, -1) == LUA_TSTRING) {
      size_t size = 0;
      const char* key = lua_tolstring(L, -1, &size);
      for (const char* const* k = keys; *k != nullptr && !known; ++k)
        known = strlen(*k) == size && memcmp(*k, key, size) == 0;
    }
    if (!known) {
      const char* shown = luaL_tolstring(L, -1, nullptr);
      method_argerror(L, method, 2, lua_pushfstring(L, "unknown field '%s'", shown));
    }
  }
  for (const char* const* k = keys; *k != nullptr; ++k) lua_getfield(L, 2, *k);
  lua_remove(L, 2);
}

// Each runs the core call in a try block and raises after it, so no C++
// object is alive when lua_error longjmps.

// acquire(timeout=nil) or acquire{timeout=}
inline int fast_acquire(lua_State* L) {
  auto* sem = self_of<posix_ipc::Semaphore>(L, SWIGTYPE_p_posix_ipc__Semaphore, "posix_ipc.Semaphore", "acquire");
  posix_ipc::Timeout timeout;
  if (lua_gettop(L) >= 2) {
    if (lua_type(L, 2) == LUA_TTABLE) {
      static const char* const keys[] = {"timeout", nullptr};
      unpack_fields(L, "acquire", keys);
    }
    if (!to_timeout(L, 2, timeout)) return lua_error(L);
  }
  bool failed = false;
  try {
    sem->acquire<posix_ipc_binding::BlockingRegion>(timeout);
  } catch (...) {  // any C++ exception (std::bad_alloc: MemoryError) becomes a Lua error
    push_error(L, posix_ipc::current_error());
    failed = true;
  }
  if (failed) return lua_error(L);
  return 0;
}

inline int fast_release(lua_State* L) {
  auto* sem = self_of<posix_ipc::Semaphore>(L, SWIGTYPE_p_posix_ipc__Semaphore, "posix_ipc.Semaphore", "release");
  bool failed = false;
  try {
    sem->release();
  } catch (...) {  // any C++ exception (std::bad_alloc: MemoryError) becomes a Lua error
    push_error(L, posix_ipc::current_error());
    failed = true;
  }
  if (failed) return lua_error(L);
  return 0;
}

// send(message, timeout=nil, priority=0), or send{message=, timeout=, priority=}
inline int fast_send(lua_State* L) {
  auto* queue = self_of<posix_ipc::MessageQueue>(L, SWIGTYPE_p_posix_ipc__MessageQueue, "posix_ipc.MessageQueue",
                                                 "send");
  const char* message_field = nullptr;
  const char* priority_field = nullptr;
  if (lua_type(L, 2) == LUA_TTABLE) {
    static const char* const keys[] = {"message", "timeout", "priority", nullptr};
    unpack_fields(L, "send", keys);
    message_field = "message";
    priority_field = "priority";
  }
  const posix_ipc::Bytes message = check_data(L, 2, "send", message_field);
  posix_ipc::Timeout timeout;
  if (!to_timeout(L, 3, timeout)) return lua_error(L);
  const long long priority = lua_isnoneornil(L, 4) ? 0 : check_integer(L, 4, "send", priority_field);
  bool failed = false;
  try {
    queue->send<posix_ipc_binding::BlockingRegion>(message, timeout, priority);
  } catch (...) {  // any C++ exception (std::bad_alloc: MemoryError) becomes a Lua error
    push_error(L, posix_ipc::current_error());
    failed = true;
  }
  if (failed) return lua_error(L);
  return 0;
}

// receive(timeout=nil) or receive{timeout=} -> message, priority
inline int fast_receive(lua_State* L) {
  auto* queue = self_of<posix_ipc::MessageQueue>(L, SWIGTYPE_p_posix_ipc__MessageQueue, "posix_ipc.MessageQueue",
                                                 "receive");
  posix_ipc::Timeout timeout;
  if (lua_gettop(L) >= 2) {
    if (lua_type(L, 2) == LUA_TTABLE) {
      static const char* const keys[] = {"timeout", nullptr};
      unpack_fields(L, "receive", keys);
    }
    if (!to_timeout(L, 2, timeout)) return lua_error(L);
  }
  posix_ipc::Received received{nullptr, 0, 0};
  bool failed = false;
  try {
    received = queue->receive<posix_ipc_binding::BlockingRegion>(timeout);
  } catch (...) {  // any C++ exception (std::bad_alloc: MemoryError) becomes a Lua error
    push_error(L, posix_ipc::current_error());
    failed = true;
  }
  if (failed) return lua_error(L);
  push_received(L, received);
  return 2;
}

// The __index of posix_ipc.lua's proxies: upvalue 1 maps each attribute name
// of the class to an id (Semaphore 1x, SharedMemory 2x, MessageQueue 3x);
// other keys give nil. One C call per attribute read, no SWIG type dispatch.
inline int fast_index(lua_State* L) {
  lua_settop(L, 2);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNUMBER) return 0;
  const int id = static_cast<int>(lua_tointeger(L, -1));
  lua_pop(L, 1);
  posix_ipc::Semaphore* sem = nullptr;
  posix_ipc::SharedMemory* shm = nullptr;
  posix_ipc::MessageQueue* queue = nullptr;
  switch (id / 10) {
  case 1: sem = self_of<posix_ipc::Semaphore>(L, SWIGTYPE_p_posix_ipc__Semaphore, "posix_ipc.Semaphore", "__index"); break;
  case 2: shm = self_of<posix_ipc::SharedMemory>(L, SWIGTYPE_p_posix_ipc__SharedMemory, "posix_ipc.SharedMemory", "__index"); break;
  case 3: queue = self_of<posix_ipc::MessageQueue>(L, SWIGTYPE_p_posix_ipc__MessageQueue, "posix_ipc.MessageQueue", "__index"); break;
  default: return 0;
  }
  enum { Integer, Boolean, String } kind = Integer;
  long long number = 0;
  const std::string* text = nullptr;
  bool failed = false;
  try {
    switch (id) {
    case 11: kind = String; text = &sem->name(); break;
    case 12: number = sem->mode(); break;
    case 13: number = sem->value(); break;
    case 21: kind = String; text = &shm->name(); break;
    case 22: number = shm->mode(); break;
    case 23: number = shm->fd(); break;
    case 24: number = shm->size(); break;
    case 31: kind = String; text = &queue->name(); break;
    case 32: number = queue->mode(); break;
    case 33: number = queue->mqd(); break;
    case 34: kind = Boolean; number = queue->block() ? 1 : 0; break;
    case 35: number = queue->max_messages(); break;
    case 36: number = queue->max_message_size(); break;
    case 37: number = queue->current_messages(); break;
    default: return 0;
    }
  } catch (...) {  // any C++ exception (std::bad_alloc: MemoryError) becomes a Lua error
    push_error(L, posix_ipc::current_error());
    failed = true;
  }
  if (failed) return lua_error(L);
  switch (kind) {
  case String: lua_pushlstring(L, text->data(), text->size()); break;
  case Boolean: lua_pushboolean(L, number != 0); break;
  case Integer: lua_pushinteger(L, static_cast<lua_Integer>(number)); break;
  }
  return 1;
}

// _index_function({name = id, ...}) -> a fast_index closure over that table.
inline int index_function(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_pushcclosure(L, fast_index, 1);
  return 1;
}

inline int bad_notification(lua_State* L) {
  push_error(L, posix_ipc::IpcError(posix_ipc::ErrorCode::BadNotification));
  return 1;
}

inline int bad_block(lua_State* L) {
  push_error(L, posix_ipc::IpcError(posix_ipc::ErrorCode::BadBlockType));
  return 1;
}

}  // namespace posix_ipc_lua

static int posix_ipc_lua_fast_acquire(lua_State* L) { return posix_ipc_lua::fast_acquire(L); }
static int posix_ipc_lua_fast_release(lua_State* L) { return posix_ipc_lua::fast_release(L); }
static int posix_ipc_lua_fast_send(lua_State* L) { return posix_ipc_lua::fast_send(L); }
static int posix_ipc_lua_fast_receive(lua_State* L) { return posix_ipc_lua::fast_receive(L); }
static int posix_ipc_lua_take_tokens(lua_State* L) { return posix_ipc_lua::take_tokens(L); }
static int posix_ipc_lua_catch_signal(lua_State* L) { return posix_ipc_lua::catch_signal(L); }
static int posix_ipc_lua_signal_count(lua_State* L) { return posix_ipc_lua::signal_count(L); }
static int posix_ipc_lua_monotonic(lua_State* L) { return posix_ipc_lua::monotonic(L); }
static int posix_ipc_lua_notification_fd(lua_State* L) { return posix_ipc_lua::notification_fd(L); }
static int posix_ipc_lua_set_error_metatable(lua_State* L) { return posix_ipc_lua::set_error_metatable(L); }
static int posix_ipc_lua_make_error(lua_State* L) { return posix_ipc_lua::make_error(L); }
static int posix_ipc_lua_index_function(lua_State* L) { return posix_ipc_lua::index_function(L); }
static int posix_ipc_lua_bad_notification(lua_State* L) { return posix_ipc_lua::bad_notification(L); }
static int posix_ipc_lua_bad_block(lua_State* L) { return posix_ipc_lua::bad_block(L); }
%}

%native(_fast_acquire) int posix_ipc_lua_fast_acquire(lua_State* L);
%native(_fast_release) int posix_ipc_lua_fast_release(lua_State* L);
%native(_fast_send) int posix_ipc_lua_fast_send(lua_State* L);
%native(_fast_receive) int posix_ipc_lua_fast_receive(lua_State* L);
%native(_take_tokens) int posix_ipc_lua_take_tokens(lua_State* L);
%native(catch_signal) int posix_ipc_lua_catch_signal(lua_State* L);
%native(signal_count) int posix_ipc_lua_signal_count(lua_State* L);
%native(monotonic) int posix_ipc_lua_monotonic(lua_State* L);
%native(notification_fd) int posix_ipc_lua_notification_fd(lua_State* L);
%native(_set_error_metatable) int posix_ipc_lua_set_error_metatable(lua_State* L);
%native(_error) int posix_ipc_lua_make_error(lua_State* L);
%native(_index_function) int posix_ipc_lua_index_function(lua_State* L);
%native(_bad_notification) int posix_ipc_lua_bad_notification(lua_State* L);
%native(_bad_block) int posix_ipc_lua_bad_block(lua_State* L);
