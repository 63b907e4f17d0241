-- A semaphore as a lock with sem:with(fn): four processes increment one counter
-- in shared memory; none of the 4000 increments is lost. Run:
--   LUA_CPATH='build/lua/?.so;;' LUA_PATH='build/lua/?.lua;;' lua5.4 examples/lua/semaphore_guard.lua
local posix_ipc = require "posix_ipc"

local WORKERS, INCREMENTS = 4, 1000

-- The counter is 16 decimal digits (text, so every Lua from 5.1 on reads it alike).
local function read_count(memory) return tonumber(memory:read(16)) end
local function write_count(memory, count) memory:write(string.format("%016d", count)) end

if arg[1] == "child" then
  local lock, memory = posix_ipc.Semaphore(arg[2]), posix_ipc.SharedMemory(arg[3])
  local ok, err = pcall(function()
    for _ = 1, INCREMENTS do
      -- Read, add, write back: without the lock, two workers could read the same value.
      lock:with(function() write_count(memory, read_count(memory) + 1) end)
    end
  end)
  lock:close()
  memory:close_fd()
  if not ok then io.stderr:write("worker: ", tostring(err), "\n") end
  os.exit(ok and 0 or 1)
end

-- The script's own arg (inside a vararg function Lua 5.1 sees a local `arg`).
local script_arg = arg
-- Lua has no fork: each worker is this script again, run by the same interpreter.
local function spawn_self(...)
  local lua, i = script_arg[-1], -1
  while script_arg[i - 1] do i = i - 1; lua = script_arg[i] end
  local words = { lua, script_arg[0], ... }
  for n, word in ipairs(words) do words[n] = "'" .. word:gsub("'", "'\\''") .. "'" end
  return assert(io.popen(table.concat(words, " "), "w"))  -- close() waits for it
end

local lock, memory
local workers = {}
local ok, err = pcall(function()
  lock = posix_ipc.Semaphore{flags = posix_ipc.O_CREX, initial_value = 1}
  memory = posix_ipc.SharedMemory{flags = posix_ipc.O_CREX, size = 16}
  write_count(memory, 0)
  for n = 1, WORKERS do workers[n] = spawn_self("child", lock.name, memory.name) end
end)
local all_exited_ok = true
for _, worker in ipairs(workers) do all_exited_ok = worker:close() and all_exited_ok end
local count
if ok then ok, err = pcall(function() count = read_count(memory) end) end
if lock then lock:close(); lock:unlink() end
if memory then memory:close_fd(); memory:unlink() end
if not ok then
  io.stderr:write(tostring(err), "\n")
  os.exit(1)
end
print(string.format("counter = %d (expected %d)", count, WORKERS * INCREMENTS))
os.exit(all_exited_ok and count == WORKERS * INCREMENTS and 0 or 1)
