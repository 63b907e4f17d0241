-- A producer process sends work over a message queue; urgent items (higher
-- priority) overtake the rest. Run:
--   LUA_CPATH='build/lua/?.so;;' LUA_PATH='build/lua/?.lua;;' lua5.4 examples/lua/message_queue_conversation.lua
local posix_ipc = require "posix_ipc"

if arg[1] == "child" then
  -- The producer: opens the queue by name, write-only.
  local producer = posix_ipc.MessageQueue{name = arg[2], read = false}
  local ok, err = pcall(function()
    for number = 1, 5 do producer:send("job " .. number, nil, 0) end
    producer:send("urgent: stop the press", nil, 9)
    producer:send("", nil, 0)  -- an empty message ends the stream
  end)
  producer:close()
  if not ok then io.stderr:write("producer: ", tostring(err), "\n") end
  os.exit(ok and 0 or 1)
end

-- The script's own arg (inside a vararg function Lua 5.1 sees a local `arg`).
local script_arg = arg
-- Lua has no fork: run this script again, with the same interpreter, as the producer.
local function run_self(...)
  local lua, i = script_arg[-1], -1
  while script_arg[i - 1] do i = i - 1; lua = script_arg[i] end
  local words = { lua, script_arg[0], ... }
  for n, word in ipairs(words) do words[n] = "'" .. word:gsub("'", "'\\''") .. "'" end
  -- Waits; true if it exited 0 (Lua 5.1 and LuaJIT return the status, 0, instead of true).
  local status = os.execute(table.concat(words, " "))
  return status == true or status == 0
end

local queue
local ok, err = pcall(function()
  queue = posix_ipc.MessageQueue{flags = posix_ipc.O_CREX, max_messages = 8, max_message_size = 128}
  assert(run_self("child", queue.name), "the producer failed")
  -- Everything is queued now; the kernel hands it out highest priority first.
  while true do
    local message, priority = queue:receive(5)
    if message == "" then break end
    print(string.format("priority %d: %s", priority, message))
  end
end)
if queue then queue:close(); queue:unlink() end
if not ok then io.stderr:write(tostring(err), "\n") end
os.exit(ok and 0 or 1)
