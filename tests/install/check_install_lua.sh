#!/bin/sh
# `cmake --install` puts each built Lua's module where that Lua looks: installs
# into a temporary prefix, then each interpreter, with its own default
# package.path/cpath moved from /usr/local to that prefix (and nothing else on
# them), loads posix_ipc and posix_ipc.core from the prefix and runs a
# semaphore round trip.
# Usage: check_install_lua.sh BUILD_DIR LUA...
set -eu
build=$1
shift
work=$(mktemp -d "${TMPDIR:-/tmp}/posix_ipc_install_lua.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; exit 1; }
unset LUA_PATH LUA_CPATH LUA_PATH_5_2 LUA_CPATH_5_2 LUA_PATH_5_3 LUA_CPATH_5_3 LUA_PATH_5_4 LUA_CPATH_5_4 || true
cd "$work"
for lua in "$@"; do
  PREFIX="$work/prefix" TAG=$$ "$lua" -e '
local prefix = os.getenv("PREFIX")
local function moved(path)
  local kept = {}
  for template in path:gmatch("[^;]+") do
    if template:find("^/usr/local/") then kept[#kept + 1] = prefix .. template:sub(#"/usr/local" + 1) end
  end
  return table.concat(kept, ";")
end
package.path, package.cpath = moved(package.path), moved(package.cpath)
local posix_ipc = require "posix_ipc"
local sem = posix_ipc.Semaphore("/pi_install_" .. os.getenv("TAG"), posix_ipc.O_CREX, 384, 1)
sem:acquire(); sem:release(); sem:unlink(); sem:close()
print(_VERSION .. (jit and (" (" .. jit.version .. ")") or "") .. ": posix_ipc " .. posix_ipc.VERSION .. " from " .. prefix)
' || { echo "$lua: posix_ipc does not load from the install prefix" >&2; exit 1; }
done
