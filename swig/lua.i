// Lua 5.4: the SWIG C module posix_ipc.core (posix_ipc/core.so, whose
// luaopen_posix_ipc_core this %module names), loaded by the thin Lua module
// posix_ipc (bindings/lua/posix_ipc.lua), which adds what SWIG's Lua classes
// lack: constructors that take a table of keyword names, plain-table method
// dispatch (no C __index per call), error classes, sem:with(fn) and callback
// notifications delivered by posix_ipc.dispatch(). The four hot methods
// (acquire, release, send, receive) are C closures that _bind (a %native)
// gives each object, calling the core templates without SWIG's per-call
// type checks; their argument errors name the method the user called
// (method_argerror below). The cold methods are SWIG's own wrappers.
%module posix_ipc_core

%{
#include "posix_ipc_lua.hpp"
#define POSIX_IPC_RAISE(error) do { posix_ipc_lua::push_error(L, error); SWIG_fail; } while (0)
#define POSIX_IPC_RETHROW_IF_THREAD_EXIT do {} while (0)
%}

%init %{
  posix_ipc_lua::pin_library();
  posix_ipc_lua::keep_out_of_globals(L, SWIG_Lua_type, SWIG_Lua_class_equal);
  posix_ipc_lua::inbox(L);  // made now, so no later call has to raise for it
%}

// One wrapper per function, defaults included (no overload dispatcher).
%feature("compactdefaultargs");

// ---- conversions -------------------------------------------------------------
// Typemaps convert outside %exception's try block, so each conversion catches
// posix_ipc::IpcError itself (inside posix_ipc_lua::to_*). Wrong Lua types
// raise luaL_typeerror's "bad argument #n to 'f'".
// Every argument is checked here, once (posix_ipc.lua passes them through):
// a wrong type is Lua's "bad argument #n to 'f'", naming the function the
// user called ($symname: new_Semaphore, SharedMemory_read, ...); nil keeps
// the default of the C++ declaration.
// A Lua error longjmps past the wrapper's C++ locals: the name's string is
// freed by freearg, which SWIG runs on the way out, failed or not.
%typemap(in) const posix_ipc::Name& (std::optional<posix_ipc::Name> temp) {
  temp.emplace();
  if (!posix_ipc_lua::arg_name(L, $input, "$symname", *temp)) SWIG_fail;
  $1 = &*temp;
}
%typemap(freearg) const posix_ipc::Name& {
  temp$argnum.reset();
}
%typemap(in) posix_ipc::Bytes {
  if (!posix_ipc_lua::arg_bytes(L, $input, "$symname", $1)) SWIG_fail;
}
%typemap(in) long long {
  if (!lua_isnoneornil(L, $input) && !posix_ipc_lua::arg_integer(L, $input, "$symname", $1)) SWIG_fail;
}
%typemap(in) bool {
  if (!lua_isnoneornil(L, $input) && !posix_ipc_lua::arg_boolean(L, $input, "$symname", $1)) SWIG_fail;
}
// A notification: the call's values in one table (posix_ipc_lua::to_notification).
// Once the request succeeded, the object's module keeps its callback (argout).
%typemap(in) const posix_ipc::NotificationRequest& notification
    (std::optional<posix_ipc::NotificationRequest> request, int entry = 0, std::uint64_t token = 0) {
  if (!posix_ipc_lua::to_notification(L, $input, request, entry, token)) SWIG_fail;
  $1 = &*request;
}
%typemap(argout) const posix_ipc::NotificationRequest& notification {
  posix_ipc_lua::keep_notification(L, $input, entry$argnum, token$argnum);
}
%typemap(freearg) const posix_ipc::NotificationRequest& notification {
  request$argnum.reset();
}
// Integers stay Lua integers (SWIG's default pushes floats: 1.0).
%typemap(out) int, long, long long {
  lua_pushinteger(L, static_cast<lua_Integer>($1));
  SWIG_arg++;
}
%typemap(out) posix_ipc::ByteString {
  lua_pushlstring(L, $1.data(), $1.size());
  SWIG_arg++;
}

// acquire, release, send and receive are the closures of _bind (posix_ipc.i
// leaves them to each language), and the attributes go through the table
// (attribute_index): SWIG makes no wrappers for them.
#define POSIX_IPC_ATTRIBUTES_BY_TABLE_ONLY

%include "posix_ipc.i"

// Lua has no signal API: the core's counter, wrapped as it is declared.
%include "posix_ipc/signal_counter.hpp"


// ---- Lua-only members --------------------------------------------------------
%extend posix_ipc::MessageQueue {
  // For __close in posix_ipc.lua: a to-be-closed variable closes only an open handle.
  bool _closed() const { return $self->closed(); }
}
%extend posix_ipc::Semaphore {
  bool _closed() const { return $self->closed(); }
}

%header %{
#include "posix_ipc_lua_objects.hpp"
%}

%native(_bind) int posix_ipc_lua_bind(lua_State* L);
%native(_take_tokens) int posix_ipc_lua_take_tokens(lua_State* L);
%native(monotonic) int posix_ipc_lua_monotonic(lua_State* L);
%native(_constants) int posix_ipc_lua_constants(lua_State* L);
%native(_error_classes) int posix_ipc_lua_error_classes(lua_State* L);
%native(notification_fd) int posix_ipc_lua_notification_fd(lua_State* L);
%native(_set_error_metatable) int posix_ipc_lua_set_error_metatable(lua_State* L);
%native(_error) int posix_ipc_lua_make_error(lua_State* L);
%native(_attribute_functions) int posix_ipc_lua_attribute_functions(lua_State* L);
%native(_signature) int posix_ipc_lua_signature(lua_State* L);
%native(_fields) int posix_ipc_lua_constructor_fields(lua_State* L);
