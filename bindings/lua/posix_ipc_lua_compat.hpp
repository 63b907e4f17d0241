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
// SWIG's Lua runtime (included first) defines these five as macros for 5.1;
// compat-5.3's functions replace them (lua_rawgetp returns the type, as on 5.3+).
#if LUA_VERSION_NUM == 501
#undef lua_absindex
#undef lua_pushglobaltable
#undef lua_rawgetp
#undef lua_rawsetp
#undef lua_rawlen
#endif
#include "compat-5.3.h"

// Every number is a double here: an integer is a whole number within 2^53,
// beyond which not every integer has a double (compat-5.3's lua_tointegerx
// takes any whole number that fits lua_Integer). Strings convert as numbers do.
inline lua_Integer posix_ipc_lua_tointegerx(lua_State* L, int index, int* is_integer) {
  const lua_Number limit = 9007199254740992.0;  // 2^53
  int is_number = 0;
  const lua_Number number = lua_tonumberx(L, index, &is_number);
  const bool whole = is_number && number >= -limit && number <= limit &&
                     number == static_cast<lua_Number>(static_cast<lua_Integer>(number));
  if (is_integer != nullptr) *is_integer = whole;
  return whole ? static_cast<lua_Integer>(number) : 0;
}
#undef lua_tointegerx
#define lua_tointegerx posix_ipc_lua_tointegerx
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
// Before 5.4 a full userdata has one user value, which is all this module
// uses (lua_setiuservalue's n is always 1 here).
#define lua_newuserdatauv(L, size, user_values) lua_newuserdata(L, size)
// Pops a value and makes it the user value of the userdata at `index`. 5.1
// (an environment) and 5.2 take only a table there: the value goes in its [1].
inline int posix_ipc_lua_setiuservalue(lua_State* L, int index, int) {
  index = lua_absindex(L, index);
#if LUA_VERSION_NUM < 503
  lua_createtable(L, 1, 0);
  lua_insert(L, -2);
  lua_rawseti(L, -2, 1);
#endif
  lua_setuservalue(L, index);
  return 1;
}
#define lua_setiuservalue posix_ipc_lua_setiuservalue
#endif
