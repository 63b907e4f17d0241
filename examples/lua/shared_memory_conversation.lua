-- Two processes talk through shared memory, taking turns with two semaphores.
-- The parent writes a line, the child reads it and answers, five times. Run:
--   LUA_CPATH='build/lua/?.so;;' LUA_PATH='build/lua/?.lua;;' lua5.4 examples/lua/shared_memory_conversation.lua
local posix_ipc = require "posix_ipc"

local ROUNDS = 5
-- Both processes print to the same stdout: flush every line so they interleave in order.
io.stdout:setvbuf("line")

local function heard(memory)
  return (memory:read():match("^[^%z]*"))  -- the text up to the first NUL
end

local function converse(memory, my_turn, their_turn, speaker, first)
  for round = 1, ROUNDS do
    if not (first and round == 1) then
      my_turn:acquire(10)
      print(speaker .. " heard: " .. heard(memory))
    end
    memory:write(string.format("%s says hello #%d\0", speaker, round))
    their_turn:release()
  end
  if first then
    my_turn:acquire(10)
    print(speaker .. " heard: " .. heard(memory))
  end
end

if arg[1] == "child" then
  -- The child opens everything again by name, as an unrelated program would.
  local memory = posix_ipc.SharedMemory(arg[2])
  local my_turn, their_turn = posix_ipc.Semaphore(arg[3]), posix_ipc.Semaphore(arg[4])
  local ok, err = pcall(converse, memory, my_turn, their_turn, "child ", false)
  memory:close_fd()
  my_turn:close()
  their_turn:close()
  if not ok then io.stderr:write("child: ", tostring(err), "\n") end
  os.exit(ok and 0 or 1)
end

-- The script's own arg (inside a vararg function Lua 5.1 sees a local `arg`).
local script_arg = arg
-- Lua has no fork: the child is this script again, run by the same interpreter.
local function spawn_self(...)
  local lua, i = script_arg[-1], -1
  while script_arg[i - 1] do i = i - 1; lua = script_arg[i] end
  local words = { lua, script_arg[0], ... }
  for n, word in ipairs(words) do words[n] = "'" .. word:gsub("'", "'\\''") .. "'" end
  -- "w": the child writes to our stdout; close() waits for it and gives its status.
  return assert(io.popen(table.concat(words, " "), "w"))
end

local memory, parent_turn, child_turn, child
local ok, err = pcall(function()
  memory = posix_ipc.SharedMemory(nil, posix_ipc.O_CREX, nil, posix_ipc.PAGE_SIZE)
  parent_turn = posix_ipc.Semaphore(nil, posix_ipc.O_CREX)
  child_turn = posix_ipc.Semaphore(nil, posix_ipc.O_CREX)
  child = spawn_self("child", memory.name, child_turn.name, parent_turn.name)
  converse(memory, parent_turn, child_turn, "parent", true)
end)
local child_ok = child == nil or child:close()
if memory then memory:close_fd(); memory:unlink() end
for _, semaphore in ipairs { parent_turn, child_turn } do
  semaphore:close()
  semaphore:unlink()
end
if not ok then io.stderr:write("parent: ", tostring(err), "\n") end
os.exit(ok and child_ok and 0 or 1)
