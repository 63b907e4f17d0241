-- Load and leak checks for the Lua module (ctest: stress.lua), the Lua twin of
-- test_stress_python.py: contention on one semaphore-guarded counter, producers
-- and a consumer on one queue, a notification re-armed from its callback, and
-- create/use/close/unlink cycles that must leave RSS and the fd count flat.
-- Usage: lua5.4 stress.lua   (or: lua5.4 stress.lua child-counter|child-producer ...)
local posix_ipc = require "posix_ipc"
local unpack = table.unpack or unpack

local LUA = os.getenv("POSIX_IPC_LUA") or "lua5.4"
local SCRIPT = arg[0]

-- Children: increment the counter / produce messages, then exit.
-- An 8-byte little-endian counter (non-negative, below 2^53), in arithmetic
-- every Lua has (5.1 and LuaJIT lack string.pack).
local function u64(s)
  local n = 0
  for i = 8, 1, -1 do n = n * 256 + s:byte(i) end
  return n
end
local function p64(n)
  local bytes = {}
  for i = 1, 8 do
    bytes[i] = n % 256
    n = math.floor(n / 256)
  end
  return string.char(unpack(bytes))
end

if arg[1] == "child-counter" then
  local lock = posix_ipc.Semaphore(arg[2])
  local memory = posix_ipc.SharedMemory(arg[3])
  for _ = 1, tonumber(arg[4]) do
    lock:acquire()
    memory:write(p64(u64(memory:read(8)) + 1))
    lock:release()
  end
  lock:close(); memory:close_fd()
  os.exit(0)
elseif arg[1] == "child-producer" then
  local queue = posix_ipc.MessageQueue { name = arg[2], read = false }
  for number = 0, tonumber(arg[4]) - 1 do
    queue:send(arg[3] .. ":" .. number, 30, number % 3)
  end
  queue:close()
  os.exit(0)
end

local stat = assert(io.open("/proc/self/stat"))
local PID = stat:read("*n")
stat:close()
local PREFIX = "/stress_lua_" .. PID

-- Everything this run may create; unlinked (ignoring errors) at the end of every path.
local function cleanup()
  for _, suffix in ipairs { "_lock", "_counter", "_queue", "_notify", "_cycle" } do
    pcall(posix_ipc.unlink_semaphore, PREFIX .. suffix)
    pcall(posix_ipc.unlink_shared_memory, PREFIX .. suffix)
    pcall(posix_ipc.unlink_message_queue, PREFIX .. suffix)
  end
end

local function spawn(...)
  local words = { LUA, SCRIPT, ... }
  for i, w in ipairs(words) do words[i] = "'" .. tostring(w) .. "'" end
  return assert(io.popen(table.concat(words, " ") .. " 2>&1"))
end

local function reap(pipe)
  local output = pipe:read("*a")
  local ok, _, code = pipe:close()
  assert(ok, "child failed (" .. tostring(code) .. "): " .. output)
end

local function test_counter()
  local workers, increments = 4, 5000
  local lock = posix_ipc.Semaphore(PREFIX .. "_lock", posix_ipc.O_CREX, 384, 1)
  local memory = posix_ipc.SharedMemory(PREFIX .. "_counter", posix_ipc.O_CREX, 384, 8)
  local ok, err = pcall(function()
    local children = {}
    for i = 1, workers do children[i] = spawn("child-counter", lock.name, memory.name, increments) end
    for _, child in ipairs(children) do reap(child) end
    local total = u64(memory:read(8))
    assert(total == workers * increments, "counter is " .. total .. ", expected " .. workers * increments)
  end)
  lock:close(); lock:unlink(); memory:close_fd(); memory:unlink()
  assert(ok, err)
  return string.format("%d processes x %d increments", workers, increments)
end

local function test_producers()
  local producers, per_producer = 4, 5000
  local queue = posix_ipc.MessageQueue(PREFIX .. "_queue", posix_ipc.O_CREX, 384, 10, 64)
  local ok, err = pcall(function()
    local children = {}
    for p = 1, producers do children[p] = spawn("child-producer", queue.name, p, per_producer) end
    local last, received, count = {}, {}, 0
    for _ = 1, producers * per_producer do
      local message, priority = queue:receive(30)
      local producer, number = message:match("^(%d+):(%d+)$")
      number = tonumber(number)
      assert(producer, "bad message " .. message)
      assert(number % 3 == priority, "priority " .. priority .. " for " .. message)
      assert(not received[message], "duplicate " .. message)
      received[message] = true
      count = count + 1
      local key = producer .. "/" .. priority
      assert((last[key] or -1) < number, "reordered " .. message)
      last[key] = number
    end
    for _, child in ipairs(children) do reap(child) end
    assert(count == producers * per_producer)
    assert(queue.current_messages == 0, "queue not empty")
  end)
  queue:close(); queue:unlink()
  assert(ok, err)
  return string.format("%d producers x %d messages", producers, per_producer)
end

local function test_rearm()
  local rounds = 300
  local queue = posix_ipc.MessageQueue(PREFIX .. "_notify", posix_ipc.O_CREX, 384, 4, 16)
  local ok, err = pcall(function()
    local count = 0
    local function on_message(q)
      count = count + 1
      q:receive(0)
      q:request_notification(on_message, q)
    end
    queue:request_notification(on_message, queue)
    for round = 1, rounds do
      queue:send("x")
      local ran = posix_ipc.dispatch(5)
      assert(ran == 1, "notification " .. round .. " was lost (dispatch returned " .. ran .. ")")
      assert(count == round)
    end
    queue:request_notification()
  end)
  queue:close(); queue:unlink()
  assert(ok, err)
  return string.format("%d re-arms", rounds)
end

local function rss_kib()
  local f = assert(io.open("/proc/self/statm"))
  local _, resident = f:read("*n", "*n")
  f:close()
  return math.floor(resident * posix_ipc.PAGE_SIZE / 1024)
end

-- Lua cannot list a directory, so `ls -l` lists ours; pipes are left out:
-- popen's own write end may or may not still be open in this process when ls
-- looks (a race), and segments and queues are never pipes.
local function open_fds()
  local pipe = assert(io.popen("ls -l /proc/" .. PID .. "/fd"))
  local n = 0
  for line in pipe:lines() do
    if line:find(" -> ", 1, true) and not line:find("pipe:", 1, true) then n = n + 1 end
  end
  pipe:close()
  return n
end

local function cycles(count)
  local name = PREFIX .. "_cycle"
  for _ = 1, count do
    local sem = posix_ipc.Semaphore(name, posix_ipc.O_CREX, 384, 1)
    sem:acquire(0); sem:release(); sem:close(); sem:unlink()
    local shm = posix_ipc.SharedMemory(name, posix_ipc.O_CREX, 384, 4096)
    shm:write("abc"); shm:read(3); shm:close_fd(); shm:unlink()
    local mq = posix_ipc.MessageQueue(name, posix_ipc.O_CREX, 384, 2, 64)
    mq:send("abc"); mq:receive(0); mq:close(); mq:unlink()
  end
end

local function test_cycles()
  local count = tonumber(os.getenv("POSIX_IPC_STRESS_CYCLES") or "100000")
  cycles(10000) -- warm up allocators and let the GC heap reach its working size
  collectgarbage(); collectgarbage()
  local rss_before, fds_before = rss_kib(), open_fds()
  cycles(count)
  collectgarbage(); collectgarbage()
  local growth = rss_kib() - rss_before
  local fds_after = open_fds()
  assert(fds_after == fds_before, "open fds " .. fds_before .. " -> " .. fds_after)
  assert(growth < 2048, "RSS grew by " .. growth .. " KiB")
  return string.format("%d cycles x 3 types, RSS growth %d KiB, fds %d", count, growth, fds_after)
end

-- The cycles run first: garbage left by the other tests would let malloc trim
-- the heap under the baseline and make the GC's working size look like growth.
local tests = {
  { "create/use/close/unlink cycles", test_cycles },
  { "counter under contention", test_counter },
  { "producers and consumer", test_producers },
  { "notification re-armed", test_rearm },
}

local passed, failed = 0, 0
for _, t in ipairs(tests) do
  local start = posix_ipc.monotonic()
  local ok, result = pcall(t[2])
  local took = posix_ipc.monotonic() - start
  if ok then
    passed = passed + 1
    print(string.format("ok   %s (%s) %.2fs", t[1], result, took))
  else
    failed = failed + 1
    print(string.format("FAIL %s: %s", t[1], tostring(result)))
  end
  cleanup()
end
if passed + failed ~= #tests then
  print(string.format("FAIL only %d of the %d checks ran", passed + failed, #tests))
  failed = failed + 1
end
print(string.format("lua stress: %d passed, %d failed", passed, failed))
os.exit(failed == 0 and 0 or 1)
