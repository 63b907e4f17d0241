-- Message queue notifications, both kinds: a signal, and a callback that
-- re-arms itself. Lua code never runs on the kernel's notification thread:
-- the callback runs when this thread calls posix_ipc.dispatch(). Run:
--   LUA_CPATH='build/lua/?.so;;' LUA_PATH='build/lua/?.lua;;' lua5.4 examples/lua/notification.lua
local posix_ipc = require "posix_ipc"

local queue
local ok, err = pcall(function()
  queue = posix_ipc.MessageQueue{flags = posix_ipc.O_CREX, max_messages = 4, max_message_size = 64}

  -- 1. A signal when the empty queue gets a message. Lua has no signal API:
  -- catch_signal installs a handler that only counts arrivals.
  local notify_signal = posix_ipc.USER_SIGNAL_MIN
  posix_ipc.catch_signal(notify_signal)
  local before = posix_ipc.signal_count(notify_signal)
  queue:request_notification(notify_signal)
  queue:send("wake up")
  local deadline = posix_ipc.monotonic() + 5
  while posix_ipc.signal_count(notify_signal) == before do
    assert(posix_ipc.monotonic() < deadline, "no signal within 5 s")
    os.execute("sleep 0.01")
  end
  print(string.format("signal %d arrived; message: %q", notify_signal, (queue:receive(0))))

  -- 2. A callback, re-arming itself for the next message (a notification
  -- fires once, when a message arrives on an empty queue).
  local seen = {}
  local function on_message(q)
    q:request_notification(on_message, q)  -- re-arm before draining
    while q.current_messages > 0 do seen[#seen + 1] = (q:receive(0)) end
    if #seen >= 3 then q:request_notification() end  -- cancel
  end
  queue:request_notification(on_message, queue)
  local dispatched = 0
  for _, text in ipairs { "one", "two", "three" } do
    queue:send(text)
    dispatched = dispatched + posix_ipc.dispatch(5)  -- wait up to 5 s, run the callback here
  end
  assert(#seen == 3, "expected 3 messages, the callback saw " .. #seen)
  print(string.format("callback ran %d times and received: %s", dispatched, table.concat(seen, ", ")))
end)
if queue then queue:close(); queue:unlink() end
if not ok then io.stderr:write(tostring(err), "\n") end
os.exit(ok and 0 or 1)
