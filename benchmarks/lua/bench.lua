-- Lua micro-benchmark of the posix_ipc module: the same operations as
-- benchmarks/raw_c.cpp through the real module (require "posix_ipc", method
-- calls with ':' and attribute reads as users write them).
-- Prints "<op> <ns_per_op>" lines. The clock is posix_ipc.monotonic()
-- (clock_gettime(CLOCK_MONOTONIC), wall time, ns resolution).
--
-- usage: LUA_CPATH='build/lua/?.so;;' LUA_PATH='build/lua/?.lua;;' lua5.4 benchmarks/lua/bench.lua
local posix_ipc = require "posix_ipc"
local now = posix_ipc.monotonic

-- Best of 3 rounds of about 1/6 s each; `body(n)` runs n iterations.
local function ns_per_op(body)
  local best = math.huge
  for _ = 1, 3 do
    local iterations, start, elapsed = 0, now(), 0
    repeat
      body(1000)
      iterations = iterations + 1000
      elapsed = now() - start
    until elapsed > 0.5 / 3
    best = math.min(best, elapsed * 1e9 / iterations)
  end
  return best
end

local sem = posix_ipc.Semaphore(nil, posix_ipc.O_CREX, 384, 1)
local mq = posix_ipc.MessageQueue(nil, posix_ipc.O_CREX, 384, 10, 8192)
local message64, message4k = string.rep("x", 64), string.rep("x", 4096)

local ok, err = pcall(function()
  print(string.format("sem_pair %.1f", ns_per_op(function(n)
    for _ = 1, n do
      sem:acquire()
      sem:release()
    end
  end)))
  print(string.format("mq_64 %.1f", ns_per_op(function(n)
    for _ = 1, n do
      mq:send(message64)
      mq:receive()
    end
  end)))
  print(string.format("mq_4096 %.1f", ns_per_op(function(n)
    for _ = 1, n do
      mq:send(message4k)
      mq:receive()
    end
  end)))
  print(string.format("sem_value %.1f", ns_per_op(function(n)
    for _ = 1, n do
      local _ = sem.value
    end
  end)))
  print(string.format("mq_current_messages %.1f", ns_per_op(function(n)
    for _ = 1, n do
      local _ = mq.current_messages
    end
  end)))
  print(string.format("method_call %.1f", ns_per_op(function(n)
    for _ = 1, n do
      mq:fileno()
    end
  end)))
end)

sem:unlink()
sem:close()
mq:unlink()
mq:close()
if not ok then error(err, 0) end
