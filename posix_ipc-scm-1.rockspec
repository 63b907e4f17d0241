-- `luarocks [--lua-version 5.1|5.2|5.3|5.4] make` from a checkout builds and
-- installs the module for that Lua
-- (posix_ipc.lua + the C module posix_ipc/core.so) through the project's one
-- CMake build, with Python, Tcl and the tests switched off. The module's
-- version is the one in CMakeLists.txt (`posix_ipc.VERSION`); "scm" is the
-- luarocks convention for a rockspec that builds the checkout it sits in.
-- Needs cmake, a C++17 compiler, SWIG >= 4.1, Python 3 (the build generates
-- the core's table of parameters with it), that Lua's headers and, for
-- Lua 5.1 and 5.2, lua-compat-5.3's compat-5.3.h beside them
-- (Debian 12: scripts/install-deps).
rockspec_format = "3.0"
package = "posix_ipc"
version = "scm-1"
source = {
   url = "git+https://example.invalid/posix_ipc.git",
}
description = {
   summary = "POSIX named semaphores, shared memory and message queues",
   detailed = [[
Lua (5.1, 5.2, 5.3, 5.4, LuaJIT) binding of posix_ipc: POSIX named semaphores, shared memory and
message queues from one C++17 core shared with the Python and Tcl modules
(same behaviour, errors and messages as Python's posix_ipc 1.3.2).
]],
   license = "BSD",
   labels = { "ipc", "posix", "semaphore", "shared-memory", "message-queue" },
}
supported_platforms = { "linux" }
dependencies = {
   "lua >= 5.1",
}
build = {
   type = "cmake",
   variables = {
      CMAKE_BUILD_TYPE = "Release",
      CMAKE_INSTALL_PREFIX = "$(PREFIX)",
      POSIX_IPC_PYTHON = "OFF",
      POSIX_IPC_LUA = "ON",
      POSIX_IPC_TCL = "OFF",
      POSIX_IPC_TESTS = "OFF",
      -- The Lua version is read from this directory's lua.h.
      POSIX_IPC_LUA_INCLUDE_DIR = "$(LUA_INCDIR)",
      -- Absolute: luarocks' per-rock lib/ and lua/ dirs, which it then deploys.
      POSIX_IPC_LUA_CMOD_DIR = "$(LIBDIR)",
      POSIX_IPC_LUA_LMOD_DIR = "$(LUADIR)",
   },
   -- luarocks' default would copy a doc/ directory; the project has none.
   copy_directories = {},
}
