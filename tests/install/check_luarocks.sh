#!/bin/sh
# `luarocks make` as a user runs it from a fresh checkout: copies the source
# tree (without build*/) to a temporary directory, builds and installs the
# rock into a temporary tree, loads the module from that tree only (VERSION,
# a semaphore, shared memory and message queue round trip), checks
# `luarocks list`, then `luarocks remove`.
# Usage: check_luarocks.sh SOURCE_DIR LUAROCKS LUA EXPECTED_VERSION [LUA_VERSION]
# LUA_VERSION (default 5.4) is luarocks' --lua-version: 5.1, 5.2, 5.3 or 5.4.
set -eu
src=$1 luarocks=$2 lua=$3 expected=$4 lua_version=${5:-5.4}

work=$(mktemp -d "${TMPDIR:-/tmp}/posix_ipc_luarocks.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
mkdir "$work/src"
tree=$work/tree
rocks() { "$luarocks" --lua-version "$lua_version" --tree "$tree" "$@"; }

sh "$(dirname "$0")/copy_sources.sh" "$src" "$work/src"

# Exactly one rockspec at the root; a versioned one must carry the project's version.
set -- "$work"/src/*.rockspec
[ $# -eq 1 ] && [ -f "$1" ] || { echo "expected one rockspec at the source root, found: $*" >&2; exit 1; }
rockspec=$(basename "$1")
rock_version=$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$1")
case $rock_version in
  scm-*|dev-*) ;;
  "$expected"-*) ;;
  *) echo "$rockspec: version $rock_version does not match the project's $expected" >&2; exit 1 ;;
esac
[ "$rockspec" = "posix_ipc-$rock_version.rockspec" ] || { echo "$rockspec: file name vs version $rock_version" >&2; exit 1; }

start=$(date +%s)
if ! (cd "$work/src" && rocks make "$rockspec") >"$work/make.log" 2>&1; then
  cat "$work/make.log" >&2
  echo "luarocks make failed" >&2
  exit 1
fi
echo "luarocks make: $(($(date +%s) - start)) s"

rocks list --porcelain | grep -q "^posix_ipc[[:space:]]$rock_version[[:space:]]" || {
  rocks list >&2; echo "luarocks list does not show posix_ipc $rock_version" >&2; exit 1; }

# Only the rock tree (as `luarocks path` gives it) on the search paths; a neutral cwd.
unset LUA_PATH LUA_CPATH LUA_PATH_5_2 LUA_CPATH_5_2 LUA_PATH_5_3 LUA_CPATH_5_3 LUA_PATH_5_4 LUA_CPATH_5_4 || true
mkdir "$work/cwd"
cd "$work/cwd"
export TREE="$tree" TAG=$$
version=$(eval "$(rocks path)" && "$lua" -e '
local tree = os.getenv("TREE")
local posix_ipc = require "posix_ipc"
-- package.searchpath (Lua 5.1 has none): the first file of path that exists.
local searchpath = package.searchpath or function(name, path)
  for template in path:gmatch("[^;]+") do
    local file = template:gsub("%?", (name:gsub("%.", "/")))
    local handle = io.open(file)
    if handle then handle:close() return file end
  end
end
for module, path in pairs { posix_ipc = package.path, ["posix_ipc.core"] = package.cpath } do
  local file = assert(searchpath(module, path))
  assert(file:sub(1, #tree + 1) == tree .. "/", module .. " loaded from " .. file)
end
local tag = os.getenv("TAG")

local sem = posix_ipc.Semaphore("/pi_rocks_sem_" .. tag, posix_ipc.O_CREX, 384, 1)
local ok, err = pcall(function()
  sem:acquire(); sem:release()
  assert(sem.value == 1, sem.value)
end)
sem:unlink(); sem:close()
assert(ok, err)

local shm = posix_ipc.SharedMemory{name = "/pi_rocks_shm_" .. tag, flags = posix_ipc.O_CREX, size = 4096}
ok, err = pcall(function()
  shm:write("\0rock\255", 10)
  assert(shm:read(6, 10) == "\0rock\255")
  assert(shm.size == 4096, shm.size)
end)
shm:close_fd(); shm:unlink()
assert(ok, err)

if posix_ipc.MESSAGE_QUEUES_SUPPORTED then
  local mq = posix_ipc.MessageQueue{name = "/pi_rocks_mq_" .. tag, flags = posix_ipc.O_CREX,
                                    max_messages = 4, max_message_size = 64}
  ok, err = pcall(function()
    mq:send("low", nil, 1); mq:send("high", nil, 5)
    local message, priority = mq:receive(1)
    assert(message == "high" and priority == 5, message)
    message, priority = mq:receive(1)
    assert(message == "low" and priority == 1, message)
  end)
  mq:close(); mq:unlink()
  assert(ok, err)
end
io.write(posix_ipc.VERSION, "\n")
')
echo "lua $lua_version (luarocks tree): $version  (expected $expected)"
[ "$version" = "$expected" ] || { echo "VERSION mismatch" >&2; exit 1; }

rocks remove posix_ipc >"$work/remove.log" 2>&1 || { cat "$work/remove.log" >&2; echo "luarocks remove failed" >&2; exit 1; }
for f in "$tree/lib/lua/$lua_version/posix_ipc/core.so" "$tree/share/lua/$lua_version/posix_ipc.lua"; do
  [ ! -e "$f" ] || { echo "still there after luarocks remove: $f" >&2; exit 1; }
done
if rocks list --porcelain | grep -q '^posix_ipc[[:space:]]'; then
  echo "luarocks list still shows posix_ipc after remove" >&2; exit 1
fi
echo "luarocks make/list/remove OK"
