// Lua's C API, the same on Lua 5.1, 5.2, 5.3, 5.4 and LuaJIT: the glue is
// written against 5.4; on 5.1/5.2/LuaJIT lua-compat-5.3 (compat-5.3.h, built
// into this translation unit as static functions) supplies what 5.3 added
// (lua_tointegerx, luaL_tolstring, lua_rawget and luaL_getmetafield returning
// the value's type, ...), and this header what 5.4 added.
#pragma once

extern "C" {
#include <lauxlib.h>
#include <lua.h>
}

#if LUA_VERSION_NUM < 503
#include "compat-5.3.h"
#endif

#if LUA_VERSION_NUM < 504
// 5.4's luaL_typeerror, with its message: "T expected, got U" where U is
// __name when the value's metatable has a string one.
inline int posix_ipc_lua_typeerror(lua_State* L, int arg, const char* expected) {
  const char* shown;
  if (luaL_getmetafield(L, arg, "__name") == LUA_TSTRING)
    shown = lua_tostring(L, -1);
  else if (lua_type(L, arg) == LUA_TLIGHTUSERDATA)
    shown = "light userdata";
  else
    shown = luaL_typename(L, arg);
  return luaL_argerror(L, arg, lua_pushfstring(L, "%s expected, got %s", expected, shown));
}
#define luaL_typeerror posix_ipc_lua_typeerror
// Before 5.4 a full userdata has one user value (none is needed here).
#define lua_newuserdatauv(L, size, user_values) lua_newuserdata(L, size)
#endif
