-- One turn-taker of the cross-language demo (see demo.py).
local posix_ipc = require "posix_ipc"

local function fnv1a(data)
  local value = 0x811C9DC5
  for i = 1, #data do
    value = ((value ~ data:byte(i)) * 0x01000193) & 0xFFFFFFFF
  end
  return value
end

local memory_name, my_turn, next_turn, transcript_name, rounds = table.unpack(arg)
local memory = posix_ipc.SharedMemory(memory_name)
local mine = posix_ipc.Semaphore(my_turn)
local following = posix_ipc.Semaphore(next_turn)
local transcript = posix_ipc.MessageQueue{name = transcript_name, read = false, write = true}

local ok, err = pcall(function()
  for round = 1, tonumber(rounds) do
    mine:acquire(20)
    local previous = memory:read():match("^([^%z]*)")
    local line = string.format("lua    round %d: read %d bytes, fnv1a=%08x", round, #previous, fnv1a(previous))
    memory:write(line .. "\0")
    transcript:send(line)
    following:release()
  end
end)
memory:close_fd()
mine:close()
following:close()
transcript:close()
if not ok then
  io.stderr:write(tostring(err), "\n")
  os.exit(1)
end
