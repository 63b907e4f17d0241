// The Lua methods SWIG's wrappers cannot be: the hot methods (C closures
// over each object, see bind()), the attribute functions over the one
// attribute table, and the helpers registered with %native in swig/lua.i.
// Included by swig/lua.i in SWIG's header section, after the SWIG runtime
// (SWIG_ConvertPtr, the SWIGTYPE_* descriptors) and posix_ipc_lua.hpp.
#pragma once

namespace posix_ipc_lua {

// ---- self: the C++ object behind a proxy ---------------------------------------
// posix_ipc.lua's objects are proxies {[1] = the SWIG userdata, [2] = a box,
// methods...}. bind() finds the C++ object once, through SWIG_ConvertPtr
// (the runtime call SWIG's own wrappers make), and puts it in the box: a
// full userdata of ours that names its class and keeps the SWIG userdata
// alive (its user value). A field of a proxy can be overwritten by the
// program: whatever is found at [2] is used only if it is such a box of the
// right class, so the worst a program can do is make one of its objects act
// on another of the same class. The hot methods are C closures over (the
// C++ object, the proxy): obj:m() finds its object with one rawequal.
template <class T> struct ProxyClass;
template <> struct ProxyClass<posix_ipc::Semaphore> {
  static swig_type_info* type() { return SWIGTYPE_p_posix_ipc__Semaphore; }
  static constexpr const char* name = "posix_ipc.Semaphore";
  static inline const char tag = 0;
};
template <> struct ProxyClass<posix_ipc::SharedMemory> {
  static swig_type_info* type() { return SWIGTYPE_p_posix_ipc__SharedMemory; }
  static constexpr const char* name = "posix_ipc.SharedMemory";
  static inline const char tag = 0;
};
template <> struct ProxyClass<posix_ipc::MessageQueue> {
  static swig_type_info* type() { return SWIGTYPE_p_posix_ipc__MessageQueue; }
  static constexpr const char* name = "posix_ipc.MessageQueue";
  static inline const char tag = 0;
};

struct ProxyBox {
  const void* tag;  // &ProxyClass<T>::tag
  void* object;
};

// The C++ object of the proxy, if `index` holds a table, whose box is of
// class T. Leaves one value on the stack (a metamethod may: it returns only
// its result, at the top; lua_pop costs as much as the rest of the check).
template <class T>
inline T* proxy_pointer_leaving_one(lua_State* L, int index) {
  if (lua_rawgeti(L, index, 2) != LUA_TUSERDATA || lua_rawlen(L, -1) != sizeof(ProxyBox)) return nullptr;
  const auto* box = static_cast<const ProxyBox*>(lua_touserdata(L, -1));
  return box->tag == &ProxyClass<T>::tag ? static_cast<T*>(box->object) : nullptr;
}

// A hot method closure's upvalues: 1 the C++ object, 2 the proxy, 3 the box
// (which keeps the object alive), 4 its entry in the core's table of
// parameters (its name and parameters, for the table form and the errors).
inline const posix_ipc::Signature& called(lua_State* L) {
  return *static_cast<const posix_ipc::Signature*>(lua_touserdata(L, lua_upvalueindex(4)));
}

// Self of a hot method closure: its own proxy, another proxy of the same
// class (sem.acquire(other)), or a bad-self error.
template <class T>
inline T* bound_self(lua_State* L) {
  if (lua_rawequal(L, 1, lua_upvalueindex(2))) return static_cast<T*>(lua_touserdata(L, lua_upvalueindex(1)));
  T* object = lua_type(L, 1) == LUA_TTABLE ? proxy_pointer_leaving_one<T>(L, 1) : nullptr;
  if (lua_type(L, 1) == LUA_TTABLE) lua_pop(L, 1);  // the hot methods count their arguments
  if (object) return object;
  method_typeerror(L, called(L).name, 1, nullptr, ProxyClass<T>::name);
}

// Self of __index/__newindex (leaves one value on the stack).
template <class T>
inline T* proxy_self(lua_State* L, const char* method) {
  if (lua_type(L, 1) == LUA_TTABLE)
    if (T* object = proxy_pointer_leaving_one<T>(L, 1)) return object;
  method_typeerror(L, method, 1, nullptr, ProxyClass<T>::name);
}

// Each runs the core call in a try block and raises after it, so no C++
// object is alive when lua_error longjmps. Arguments are positional, or
// one table of the parameters' names (m{timeout = 1}).

inline int fast_acquire(lua_State* L) {
  auto* sem = bound_self<posix_ipc::Semaphore>(L);
  posix_ipc::Timeout timeout;
  if (lua_gettop(L) >= 2) {
    if (lua_type(L, 2) == LUA_TTABLE) unpack_fields(L, called(L));
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
  auto* sem = bound_self<posix_ipc::Semaphore>(L);
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

// (message, timeout, priority)
inline int fast_send(lua_State* L) {
  auto* queue = bound_self<posix_ipc::MessageQueue>(L);
  const char* message_field = nullptr;
  const char* priority_field = nullptr;
  if (lua_type(L, 2) == LUA_TTABLE) {
    const posix_ipc::Signature& call = called(L);
    unpack_fields(L, call);
    message_field = call.parameters[0].name;
    priority_field = call.parameters[2].name;
  }
  const posix_ipc::Bytes message = check_data(L, 2, called(L).name, message_field);
  posix_ipc::Timeout timeout;
  if (!to_timeout(L, 3, timeout)) return lua_error(L);
  const long long priority =
      lua_isnoneornil(L, 4) ? posix_ipc::defaults::priority : check_integer(L, 4, called(L).name, priority_field);
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

// (timeout) -> message, priority
inline int fast_receive(lua_State* L) {
  auto* queue = bound_self<posix_ipc::MessageQueue>(L);
  posix_ipc::Timeout timeout;
  if (lua_gettop(L) >= 2) {
    if (lua_type(L, 2) == LUA_TTABLE) unpack_fields(L, called(L));
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

// The C closure of each method of the core's table that Lua calls without
// SWIG's wrapper (the hot ones), or nullptr.
inline lua_CFunction hot_method(posix_ipc::Method method) {
  switch (method) {
  case posix_ipc::Method::Acquire: return fast_acquire;
  case posix_ipc::Method::Release: return fast_release;
  case posix_ipc::Method::Send: return fast_send;
  case posix_ipc::Method::Receive: return fast_receive;
  default: return nullptr;
  }
}

// ---- attributes, from the one table (posix_ipc::attributes<T>()) -------------
// The attribute that key (stack index 2) names, or nullptr: upvalue 1 maps
// each name to its position in the table (one Lua hash lookup).
template <class T>
const posix_ipc::Attribute<T>* attribute_of(lua_State* L) {
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNUMBER) return nullptr;  // leaves the value: see above
  return &posix_ipc::attributes<T>()[static_cast<size_t>(lua_tointeger(L, -1))];
}

// The __index of a proxy of T: its attributes; other keys give nil.
template <class T>
int attribute_index(lua_State* L) {
  const posix_ipc::Attribute<T>* attribute = attribute_of<T>(L);
  if (!attribute) return 0;
  T* object = proxy_self<T>(L, "__index");
  posix_ipc::AttributeValue value{};
  bool failed = false;
  try {
    value = attribute->get(*object);
  } catch (...) {  // any C++ exception (std::bad_alloc: MemoryError) becomes a Lua error
    push_error(L, posix_ipc::current_error());
    failed = true;
  }
  if (failed) return lua_error(L);
  switch (value.type) {
  case posix_ipc::AttributeValue::Type::Text: lua_pushstring(L, value.text); break;
  case posix_ipc::AttributeValue::Type::Boolean: lua_pushboolean(L, value.number != 0); break;
  case posix_ipc::AttributeValue::Type::Integer: lua_pushinteger(L, static_cast<lua_Integer>(value.number)); break;
  }
  return 1;
}

// The __newindex of a proxy of T: a writable attribute takes a boolean; the
// others are AttributeError, with the core's texts.
template <class T>
int attribute_newindex(lua_State* L) {
  lua_settop(L, 3);
  const posix_ipc::Attribute<T>* attribute = attribute_of<T>(L);
  bool failed = false;
  try {
    if (!attribute) {
      const char* key = luaL_tolstring(L, 2, nullptr);
      throw posix_ipc::attribute_not_found(ProxyClass<T>::name, key);
    }
    if (!attribute->set) throw posix_ipc::attribute_not_writable(ProxyClass<T>::name, attribute->name);
    if (lua_type(L, 3) != LUA_TBOOLEAN) throw posix_ipc::IpcError(attribute->bad_value);
    T* object = proxy_self<T>(L, "__newindex");
    attribute->set(*object, lua_toboolean(L, 3) != 0);
  } catch (...) {  // any C++ exception (std::bad_alloc: MemoryError) becomes a Lua error
    push_error(L, posix_ipc::current_error());
    failed = true;
  }
  if (failed) return lua_error(L);
  return 0;
}

// _attribute_functions(class) -> __index, __newindex for proxies of that class.
template <class T>
inline int push_attribute_functions(lua_State* L) {
  const auto& table = posix_ipc::attributes<T>();
  lua_createtable(L, 0, static_cast<int>(table.size()));
  for (size_t i = 0; i < table.size(); ++i) {
    lua_pushinteger(L, static_cast<lua_Integer>(i));
    lua_setfield(L, -2, table[i].name);
  }
  lua_pushvalue(L, -1);
  lua_pushcclosure(L, attribute_index<T>, 1);
  lua_insert(L, -2);
  lua_pushcclosure(L, attribute_newindex<T>, 1);
  return 2;
}

// f<T>(L) for the class that argument 1 names (a class of the core's table).
template <template <class> class F>
inline int for_class(lua_State* L, int index = 1) {
  const char* name = luaL_checkstring(L, index);
  if (strcmp(name, posix_ipc::signatures<posix_ipc::Semaphore>().name) == 0) return F<posix_ipc::Semaphore>::push(L);
  if (strcmp(name, posix_ipc::signatures<posix_ipc::SharedMemory>().name) == 0)
    return F<posix_ipc::SharedMemory>::push(L);
  return F<posix_ipc::MessageQueue>::push(L);
}

template <class T>
struct AttributeFunctions {
  static int push(lua_State* L) { return push_attribute_functions<T>(L); }
};
inline int attribute_functions(lua_State* L) { return for_class<AttributeFunctions>(L); }

// _signature(class) -> {parameter name, ...} of its constructor,
// {method name = its parameter count, ...}, and {method name = true, ...} for
// the methods that take a notification: posix_ipc.lua passes their values
// (a callback and its param are two) to SWIG's wrapper in one table. From the
// core's one table (posix_ipc::signatures<T>()), for posix_ipc.lua's
// constructors and methods.
template <class T>
struct Signature {
  static int push(lua_State* L) {
    const posix_ipc::ClassSignatures& table = posix_ipc::signatures<T>();
    const posix_ipc::Signature& constructor = table.calls[0];
    lua_createtable(L, constructor.count, 0);
    for (int i = 0; i < constructor.count; ++i) {
      lua_pushstring(L, constructor.parameters[i].name);
      lua_rawseti(L, -2, i + 1);
    }
    lua_createtable(L, 0, table.count - 1);
    lua_createtable(L, 0, 1);
    for (int i = 1; i < table.count; ++i) {
      lua_pushinteger(L, table.calls[i].count);
      lua_setfield(L, -3, table.calls[i].name);
      for (int k = 0; k < table.calls[i].count; ++k)
        if (table.calls[i].parameters[k].type == posix_ipc::ParameterType::Notification) {
          lua_pushboolean(L, 1);
          lua_setfield(L, -2, table.calls[i].name);
        }
    }
    return 3;
  }
};
inline int signature(lua_State* L) { return for_class<Signature>(L); }

// _fields(class, t) -> the values of t's fields in the order of the class's
// constructor parameters; an unknown field is the constructor's argument error.
template <class T>
struct ConstructorFields {
  static int push(lua_State* L) {
    const posix_ipc::Signature& constructor = posix_ipc::signatures<T>().calls[0];
    unpack_fields(L, constructor, true);
    return constructor.count;
  }
};
inline int constructor_fields(lua_State* L) {
  luaL_checktype(L, 2, LUA_TTABLE);
  return for_class<ConstructorFields>(L);
}

// _bind(proxy, class): records the proxy's C++ object and gives it the hot methods (see above).
template <class T>
inline int bind_class(lua_State* L) {
  lua_rawgeti(L, 1, 1);
  void* pointer = nullptr;
  if (lua_type(L, -1) != LUA_TUSERDATA || !SWIG_IsOK(SWIG_ConvertPtr(L, -1, &pointer, ProxyClass<T>::type(), 0)) ||
      !pointer)
    return luaL_error(L, "posix_ipc: proxy[1] is not a %s", ProxyClass<T>::name);
  // [2] = the box, whose user value keeps the SWIG userdata (at the top) alive.
  auto* box = static_cast<ProxyBox*>(lua_newuserdatauv(L, sizeof(ProxyBox), 1));
  box->tag = &ProxyClass<T>::tag;
  box->object = pointer;
  lua_pushvalue(L, -2);
  lua_setiuservalue(L, -2, 1);
  const int box_index = lua_gettop(L);
  const posix_ipc::ClassSignatures& table = posix_ipc::signatures<T>();
  for (int i = 1; i < table.count; ++i) {
    const lua_CFunction method = hot_method(table.calls[i].method);
    if (!method) continue;
    lua_pushlightuserdata(L, pointer);  // the upvalues: see called()
    lua_pushvalue(L, 1);
    lua_pushvalue(L, box_index);
    lua_pushlightuserdata(L, const_cast<posix_ipc::Signature*>(&table.calls[i]));
    lua_pushcclosure(L, method, 4);
    lua_setfield(L, 1, table.calls[i].name);
  }
  lua_rawseti(L, 1, 2);
  lua_pop(L, 1);
  return 0;
}

template <class T>
struct Bind {
  static int push(lua_State* L) { return bind_class<T>(L); }
};
inline int bind(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  return for_class<Bind>(L, 2);
}


}  // namespace posix_ipc_lua

static int posix_ipc_lua_bind(lua_State* L) { return posix_ipc_lua::bind(L); }
static int posix_ipc_lua_take_tokens(lua_State* L) { return posix_ipc_lua::take_tokens(L); }
static int posix_ipc_lua_monotonic(lua_State* L) { return posix_ipc_lua::monotonic(L); }
static int posix_ipc_lua_constants(lua_State* L) { return posix_ipc_lua::constants(L); }
static int posix_ipc_lua_error_classes(lua_State* L) { return posix_ipc_lua::error_classes(L); }
static int posix_ipc_lua_notification_fd(lua_State* L) { return posix_ipc_lua::notification_fd(L); }
static int posix_ipc_lua_set_error_metatable(lua_State* L) { return posix_ipc_lua::set_error_metatable(L); }
static int posix_ipc_lua_make_error(lua_State* L) { return posix_ipc_lua::make_error(L); }
static int posix_ipc_lua_attribute_functions(lua_State* L) { return posix_ipc_lua::attribute_functions(L); }
static int posix_ipc_lua_signature(lua_State* L) { return posix_ipc_lua::signature(L); }
static int posix_ipc_lua_constructor_fields(lua_State* L) { return posix_ipc_lua::constructor_fields(L); }
