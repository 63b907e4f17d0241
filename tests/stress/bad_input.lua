-- Bad-input matrix for the Lua module (ctest: bad_input.lua). Every constructor
-- and method is fed wrong types, negative and huge numbers, NaN/inf timeouts,
-- names with NUL bytes, too long or without a leading slash, empty and
-- oversized messages, sizes beyond the address space and nonsense flags. Each
-- case must end in one of the outcomes listed for it (docs/api.md, "Lua 5.4" and "One behaviour"):
--   ok        the call succeeded (anything it created is closed and unlinked)
--   badarg    Lua's "bad argument #n to 'f'" string error (wrong argument type)
--   <Class>   a posix_ipc error object with err.class == <Class>
--   any       any posix_ipc error object (OS-dependent: names without a slash)
-- never a crash. Afterwards nothing of this run may be left in /dev/shm.
local posix_ipc = require "posix_ipc"

local stat = assert(io.open("/proc/self/stat"))
local PID = stat:read("*n")
stat:close()
local PREFIX = "/bad_lua_" .. PID
local NOSLASH = "bad_lua_noslash_" .. PID
local LONG = "/" .. string.rep("x", 299)
local NUL = PREFIX .. "_nul\0tail"
-- 2^62 where integers are 64-bit (5.3+); on 5.1, 5.2 and LuaJIT the largest
-- integer a number holds exactly, 2^53.
local HUGE = math.maxinteger and math.tointeger(2 ^ 62) or 2 ^ 53
local MAXINT, MININT = math.maxinteger or 2 ^ 53, math.mininteger or -2 ^ 53
local unpack = table.unpack or unpack
local NAN, INF = 0 / 0, math.huge
local O_CREX, O_CREAT = posix_ipc.O_CREX, posix_ipc.O_CREAT

local function shm_listing()
  local listing = {}
  local pipe = assert(io.popen("ls -A /dev/shm 2>/dev/null"))
  for line in pipe:lines() do listing[line] = true end
  pipe:close()
  return listing
end
local before = shm_listing()

-- Names a case may create; all are unlinked after every case.
local created_names = { PREFIX .. "_new", NOSLASH, PREFIX .. "_nul" }
local function cleanup_created()
  for _, name in ipairs(created_names) do
    pcall(posix_ipc.unlink_semaphore, name)
    pcall(posix_ipc.unlink_shared_memory, name)
    pcall(posix_ipc.unlink_message_queue, name)
  end
end

-- Fixtures used by the method cases.
local S = posix_ipc.Semaphore(PREFIX .. "_sem", O_CREX, 384, 1)
local M = posix_ipc.SharedMemory(PREFIX .. "_shm", O_CREX, 384, 16)
local Q = posix_ipc.MessageQueue(PREFIX .. "_mq", O_CREX, 384, 4, 64)
local closed_S = posix_ipc.Semaphore(PREFIX .. "_csem", O_CREX, 384, 1)
closed_S:unlink(); closed_S:close()
local closed_M = posix_ipc.SharedMemory(PREFIX .. "_cshm", O_CREX, 384, 16)
closed_M:unlink(); closed_M:close_fd()
local closed_Q = posix_ipc.MessageQueue(PREFIX .. "_cmq", O_CREX, 384, 4, 64)
closed_Q:unlink(); closed_Q:close()

-- Closes and unlinks whatever a successful constructor returned.
local function drop(obj)
  if type(obj) ~= "table" then return end
  pcall(function() obj:close() end)
  pcall(function() obj:close_fd() end)
  pcall(function() obj:unlink() end)
end

local cases = {}
local function case(label, accepted, fn) cases[#cases + 1] = { label, accepted, fn } end
-- Constructors: the result is dropped right away.
local function ctor(label, accepted, constructor, ...)
  local args, n = { ... }, select("#", ...)
  case(label, accepted, function() drop(constructor(unpack(args, 1, n))) end)
end

local Sem, Shm, Mq = posix_ipc.Semaphore, posix_ipc.SharedMemory, posix_ipc.MessageQueue
local NEW = PREFIX .. "_new"

-- ---- names (every constructor and unlink function) ---------------------------
for kind, c in pairs { Semaphore = Sem, SharedMemory = Shm, MessageQueue = Mq } do
  ctor(kind .. "(true)", "badarg", c, true)
  ctor(kind .. "({} as name in a table)", "badarg", c, { name = {} })
  ctor(kind .. "(function)", "badarg", c, print)
  ctor(kind .. "(name with NUL)", "ValueError", c, NUL, O_CREX)
  ctor(kind .. "(300-char name)", "ValueError", c, LONG, O_CREX)
  ctor(kind .. "(name without slash)", "ok|any", c, NOSLASH, O_CREX)
  ctor(kind .. "('' name)", "ok|any", c, "", O_CREX)
  ctor(kind .. "('/' name)", "ok|any", c, "/", O_CREX)
  ctor(kind .. "(missing, flags 0)", "ExistentialError", c, NEW, 0)
  ctor(kind .. "(flags 'x')", "badarg", c, NEW, "x")
  ctor(kind .. "(flags 1.5)", "badarg", c, NEW, 1.5)
  ctor(kind .. "(flags NaN)", "badarg", c, NEW, NAN)
  ctor(kind .. "(flags -1)", "ok|any", c, NEW, -1)
  ctor(kind .. "(flags 1<<30)", "ok|any", c, NEW, 2 ^ 30)
  ctor(kind .. "(flags 1<<30 | O_CREX)", "ok|any", c, NEW, 2 ^ 30 + O_CREX)
  ctor(kind .. "(flags 2^62)", "ok|any|OverflowError", c, NEW, HUGE)
  ctor(kind .. "(mode -1)", "ok|ValueError|OverflowError", c, NEW, O_CREX, -1)
  ctor(kind .. "(mode 2^62)", "ok|ValueError|OverflowError", c, NEW, O_CREX, HUGE)
  ctor(kind .. "(mode 'rw')", "badarg", c, NEW, O_CREX, "rw")
  ctor(kind .. "(unknown table key)", "ok|badarg|TypeError|ValueError", c, { name = NEW, flags = O_CREX, bogus = 1 })
end
for _, f in ipairs { "unlink_semaphore", "unlink_shared_memory", "unlink_message_queue" } do
  local fn = posix_ipc[f]
  case(f .. "()", "badarg", function() fn() end)
  case(f .. "(true)", "badarg", function() fn(true) end)
  case(f .. "({})", "badarg", function() fn({}) end)
  case(f .. "(missing)", "ExistentialError", function() fn(NEW) end)
  case(f .. "(NUL)", "ValueError", function() fn(NUL) end)
  case(f .. "(300 chars)", "ValueError", function() fn(LONG) end)
  case(f .. "(no slash)", "any", function() fn(NOSLASH) end)
end

-- ---- Semaphore ---------------------------------------------------------------
ctor("Semaphore(initial_value -1)", "ValueError|OverflowError", Sem, NEW, O_CREX, 384, -1)
ctor("Semaphore(initial_value 2^62)", "ValueError|OverflowError", Sem, NEW, O_CREX, 384, HUGE)
ctor("Semaphore(initial_value VALUE_MAX+1)", "ValueError|OverflowError", Sem, NEW, O_CREX, 384, posix_ipc.SEMAPHORE_VALUE_MAX + 1)
ctor("Semaphore(initial_value 'x')", "badarg", Sem, NEW, O_CREX, 384, "x")
ctor("Semaphore(initial_value 0.5)", "badarg", Sem, NEW, O_CREX, 384, 0.5)
-- acquire on a value-1 semaphore, released again if it succeeds: never blocks.
local function acquire_case(label, accepted, timeout)
  case("sem:acquire(" .. label .. ")", accepted, function()
    S:acquire(timeout)
    S:release()
  end)
end
acquire_case("-1", "TypeError", -1)
acquire_case("-0.001", "TypeError", -0.001)
acquire_case("NaN", "TypeError", NAN)
acquire_case("-inf", "TypeError", -INF)
acquire_case("inf", "ok|OverflowError", INF)
acquire_case("2^62", "ok|OverflowError", HUGE)
acquire_case("1e300", "ok|OverflowError", 1e300)
acquire_case("'x'", "TypeError|badarg", "x")
acquire_case("{}", "ok", {})  -- the table form: no timeout, and the value is 1
acquire_case("{timeout = -1}", "TypeError", { timeout = -1 })
acquire_case("{timeout = 'x'}", "TypeError", { timeout = "x" })
acquire_case("{timout = 1}", "badarg", { timout = 1 })
acquire_case("{1}", "badarg", { 1 })
acquire_case("true", "TypeError|badarg", true)
case("sem:acquire(0) on a busy semaphore", "BusyError", function()
  S:acquire(0)
  local ok, err = pcall(S.acquire, S, 0)
  S:release()
  if not ok then error(err, 0) end
end)
case("sem.acquire(nil self)", "badarg", function() S.acquire(nil) end)
case("sem.acquire({} self)", "badarg", function() S.acquire({}) end)
case("sem.release('x' self)", "badarg", function() S.release("x") end)
case("sem.close(Q as self)", "badarg", function() S.close(Q) end)
case("sem.unlink() (no self)", "badarg", function() S.unlink() end)
case("sem.value = 3", "AttributeError", function() S.value = 3 end)
case("sem.name = 'x'", "AttributeError", function() S.name = "x" end)
case("sem.bogus = 1", "AttributeError", function() S.bogus = 1 end)
case("closed sem:acquire", "ExistentialError", function() closed_S:acquire(0) end)
case("closed sem:release", "ExistentialError", function() closed_S:release() end)
case("closed sem.value", "ExistentialError", function() return closed_S.value end)
case("closed sem:close again", "ok|ExistentialError", function() closed_S:close() end)
-- with() refuses a non-callable before acquiring; the semaphore must be
-- released again either way.
case("sem:with(non-function)", "badarg", function()
  local ok, err = pcall(S.with, S, 42)
  assert(S.value == 1, "with() left the semaphore acquired")
  error(err, 0)
end)

-- ---- SharedMemory ------------------------------------------------------------
ctor("SharedMemory(size -1)", "ValueError", Shm, NEW, O_CREX, 384, -1)
-- tmpfs takes sparse sizes up to 2^63-1, so these succeed (as in Python); reading
-- the whole segment must then fail with MemoryError, not abort (std::length_error).
local function huge_segment(size)
  return function()
    local big = Shm(NEW, O_CREX, 384, size)
    local ok, err = pcall(function()
      assert(big.size == size)
      assert(#big:read(16) == 16)
      big:write("z", size - 1)
      assert(big:read(1, size - 1) == "z")
      big:read()
    end)
    drop(big)
    if not ok then error(err, 0) end
  end
end
case("SharedMemory(size 2^62) then read()", "MemoryError", huge_segment(HUGE))
case("SharedMemory(size maxinteger) then read()", "MemoryError", huge_segment(MAXINT))
ctor("SharedMemory(size mininteger)", "ValueError|OverflowError", Shm, NEW, O_CREX, 384, MININT)
ctor("SharedMemory(size 1.5)", "badarg", Shm, NEW, O_CREX, 384, 1.5)
ctor("SharedMemory(size inf)", "badarg", Shm, NEW, O_CREX, 384, INF)
ctor("SharedMemory(size NaN)", "badarg", Shm, NEW, O_CREX, 384, NAN)
ctor("SharedMemory(size 'big')", "badarg", Shm, NEW, O_CREX, 384, "big")
ctor("SharedMemory(size with read_only)", "ValueError", Shm, NEW, O_CREX, 384, 16, true)
ctor("SharedMemory(read_only 'yes')", "badarg|TypeError", Shm, NEW, O_CREX, 384, 0, "yes")
ctor("SharedMemory(existing, O_CREX)", "ExistentialError", Shm, M.name, O_CREX)
case("shm:read(-1)", "ValueError|OverflowError", function() M:read(-1) end)
case("shm:read(17)", "ValueError", function() M:read(17) end)
case("shm:read(2^62)", "ValueError|OverflowError", function() M:read(HUGE) end)
case("shm:read(1, 2^62)", "ValueError|OverflowError", function() M:read(1, HUGE) end)
case("shm:read(maxint, maxint)", "ValueError|OverflowError", function() M:read(MAXINT, MAXINT) end)
case("shm:read(1, -1)", "ValueError|OverflowError", function() M:read(1, -1) end)
case("shm:read(0, 16)", "ok", function() assert(M:read(0, 16) == "") end)
case("shm:read(1.5)", "badarg", function() M:read(1.5) end)
case("shm:read('x')", "badarg", function() M:read("x") end)
case("shm:read(NaN)", "badarg", function() M:read(NAN) end)
case("shm:write('')", "ok", function() M:write("") end)
case("shm:write(5) (a number: its string)", "ok", function() M:write(5); assert(M:read(1) == "5") end)
case("shm:write(-1.5e300)", "ok", function() M:write(-1.5e300) end)
case("shm:write(17 bytes)", "ValueError", function() M:write(string.rep("y", 17)) end)
case("shm:write('x', 16)", "ValueError", function() M:write("x", 16) end)
case("shm:write('x', -1)", "ValueError|OverflowError", function() M:write("x", -1) end)
case("shm:write('x', 2^62)", "ValueError|OverflowError", function() M:write("x", HUGE) end)
case("shm:write('x', maxint)", "ValueError|OverflowError", function() M:write("x", MAXINT) end)
case("shm:write(nil)", "badarg|TypeError", function() M:write(nil) end)
case("shm:write({})", "badarg|TypeError", function() M:write({}) end)
case("shm:write(true)", "badarg|TypeError", function() M:write(true) end)
case("shm:write('x', 'y')", "badarg", function() M:write("x", "y") end)
case("shm.size = 1", "AttributeError", function() M.size = 1 end)
case("shm.fd = 1", "AttributeError", function() M.fd = 1 end)
case("closed shm:read", "ExistentialError", function() closed_M:read(1) end)
case("closed shm:write", "ExistentialError", function() closed_M:write("x") end)
case("closed shm:close_fd again", "ok|ExistentialError", function() closed_M:close_fd() end)
-- Methods called with '.' and no object, or another object: bad argument #1.
case("shm.read(nil self)", "badarg", function() M.read(nil) end)
case("shm.write(nil self)", "badarg", function() M.write(nil, "x") end)
case("shm.fileno(S as self)", "badarg", function() M.fileno(S) end)
case("shm.close_fd('x' self)", "badarg", function() M.close_fd("x") end)

-- ---- MessageQueue ------------------------------------------------------------
ctor("MessageQueue(max_messages 0)", "ValueError", Mq, NEW, O_CREX, 384, 0, 64)
ctor("MessageQueue(max_messages -1)", "ValueError|OverflowError", Mq, NEW, O_CREX, 384, -1, 64)
ctor("MessageQueue(max_messages 2^62)", "ValueError|OverflowError", Mq, NEW, O_CREX, 384, HUGE, 64)
ctor("MessageQueue(max_message_size 0)", "ValueError", Mq, NEW, O_CREX, 384, 4, 0)
ctor("MessageQueue(max_message_size -1)", "ValueError|OverflowError", Mq, NEW, O_CREX, 384, 4, -1)
ctor("MessageQueue(max_message_size 2^62)", "ValueError|OverflowError", Mq, NEW, O_CREX, 384, 4, HUGE)
ctor("MessageQueue(max_messages 1.5)", "badarg", Mq, NEW, O_CREX, 384, 1.5, 64)
ctor("MessageQueue(max_message_size NaN)", "badarg", Mq, NEW, O_CREX, 384, 4, NAN)
ctor("MessageQueue(read=false, write=false)", "ValueError", Mq, NEW, O_CREX, 384, 4, 64, false, false)
ctor("MessageQueue(read 'no')", "badarg|TypeError", Mq, NEW, O_CREX, 384, 4, 64, "no")
ctor("MessageQueue(existing, O_CREX)", "ExistentialError", Mq, Q.name, O_CREX)
case("mq:send('') (empty message)", "ok", function()
  Q:send("")
  local message, priority = Q:receive(0)
  assert(message == "" and priority == 0)
end)
case("mq:send(64 bytes)", "ok", function()
  Q:send(string.rep("m", 64))
  assert(Q:receive(0) == string.rep("m", 64))
end)
case("mq:send(65 bytes)", "ValueError", function() Q:send(string.rep("m", 65)) end)
case("mq:send(nil)", "badarg", function() Q:send(nil) end)
case("mq:send(true)", "badarg", function() Q:send(true) end)
case("mq:send(print)", "badarg", function() Q:send(print) end)
case("mq:send(5) (a number: its string)", "ok", function()
  Q:send(5)
  assert(Q:receive(0) == "5")
end)
case("mq:send(1e300) (a number: its string)", "ok", function()
  Q:send(1e300)
  assert(Q:receive(0) == "1e+300")
end)
case("mq:send{} (no message)", "badarg", function() Q:send({}) end)
case("mq:send{message = {}}", "badarg", function() Q:send({ message = {} }) end)
case("mq:send{message = 'x', bogus = 1}", "badarg", function() Q:send({ message = "x", bogus = 1 }) end)
case("mq:send{message = 'x', priority = 'x'}", "badarg", function() Q:send({ message = "x", priority = "x" }) end)
case("mq:send{message = 'x', timeout = -1}", "TypeError", function() Q:send({ message = "x", timeout = -1 }) end)
case("mq:send{[{}] = 1}", "badarg", function() Q:send({ [{}] = 1 }) end)
case("mq:send(msg, nil, -1)", "ValueError|OverflowError", function() Q:send("p", nil, -1) end)
case("mq:send(msg, nil, 32768)", "ValueError", function() Q:send("p", nil, posix_ipc.QUEUE_PRIORITY_MAX + 1) end)
case("mq:send(msg, nil, 2^62)", "ValueError|OverflowError", function() Q:send("p", nil, HUGE) end)
case("mq:send(msg, nil, 1.5)", "badarg", function() Q:send("p", nil, 1.5) end)
case("mq:send(msg, nil, 'x')", "badarg", function() Q:send("p", nil, "x") end)
case("mq:send(msg, -1)", "TypeError", function() Q:send("p", -1) end)
case("mq:send(msg, NaN)", "TypeError", function() Q:send("p", NAN) end)
case("mq:send(msg, -inf)", "TypeError", function() Q:send("p", -INF) end)
case("mq:send(msg, 'x')", "TypeError|badarg", function() Q:send("p", "x") end)
local function send_then_drain(timeout)
  return function()
    local ok, err = pcall(Q.send, Q, "p", timeout)
    while Q.current_messages > 0 do Q:receive(0) end
    if not ok then error(err, 0) end
  end
end
case("mq:send(msg, inf)", "ok|OverflowError", send_then_drain(INF))
case("mq:send(msg, 2^62)", "ok|OverflowError", send_then_drain(HUGE))
case("mq:send(msg, 1e300)", "ok|OverflowError", send_then_drain(1e300))
case("mq:receive(-1)", "TypeError", function() Q:receive(-1) end)
case("mq:receive(NaN)", "TypeError", function() Q:receive(NAN) end)
case("mq:receive(-inf)", "TypeError", function() Q:receive(-INF) end)
case("mq:receive('x')", "TypeError|badarg", function() Q:receive("x") end)
case("mq:receive(0) on empty", "BusyError", function() Q:receive(0) end)
case("mq:receive{timeout = 0} on empty", "BusyError", function() Q:receive({ timeout = 0 }) end)
case("mq:receive{timeout = -1}", "TypeError", function() Q:receive({ timeout = -1 }) end)
case("mq:receive{timeout = NaN}", "TypeError", function() Q:receive({ timeout = NAN }) end)
case("mq:receive{timout = 0}", "badarg", function() Q:receive({ timout = 0 }) end)
local function receive_after_send(timeout)
  return function()
    Q:send("r")
    local ok, err = pcall(Q.receive, Q, timeout)
    while Q.current_messages > 0 do Q:receive(0) end
    if not ok then error(err, 0) end
  end
end
case("mq:receive(inf) with a message", "ok|OverflowError", receive_after_send(INF))
case("mq:receive(2^62) with a message", "ok|OverflowError", receive_after_send(HUGE))
case("mq:request_notification('x')", "ValueError", function() Q:request_notification("x") end)
case("mq:request_notification(true)", "ValueError", function() Q:request_notification(true) end)
case("mq:request_notification(-5)", "ValueError", function() Q:request_notification(-5) end)
case("mq:request_notification(1<<30)", "ValueError", function() Q:request_notification(2 ^ 30) end)
case("mq:request_notification(2^62)", "ValueError|OverflowError", function() Q:request_notification(HUGE) end)
case("mq:request_notification(1.5)", "ValueError", function() Q:request_notification(1.5) end)
case("mq:request_notification(NaN)", "ValueError", function() Q:request_notification(NAN) end)
case("mq:request_notification({1, 2})", "ValueError", function() Q:request_notification({ 1, 2 }) end)
case("mq:request_notification({print})", "ok|ValueError", function()
  Q:request_notification({ print }); Q:request_notification()
end)
-- An extra argument after a signal number is ignored (Lua style): the signal is
-- registered; cancelled again right away.
case("mq:request_notification(42, 'param')", "ok", function()
  Q:request_notification(42, "param"); Q:request_notification()
end)
case("mq.block = 'yes'", "TypeError|badarg", function() Q.block = "yes" end)
case("mq.block = 1", "TypeError|badarg", function() Q.block = 1 end)
case("mq.block = nil", "TypeError|badarg", function() Q.block = nil end)
case("mq.max_messages = 1", "AttributeError", function() Q.max_messages = 1 end)
case("closed mq:send", "ExistentialError", function() closed_Q:send("x") end)
case("closed mq:receive", "ExistentialError", function() closed_Q:receive(0) end)
case("closed mq.current_messages", "ExistentialError", function() return closed_Q.current_messages end)
case("closed mq:request_notification", "ExistentialError|ValueError", function() closed_Q:request_notification(10) end)
case("closed mq:close again", "ok|ExistentialError", function() closed_Q:close() end)
case("mq.send(nil self)", "badarg", function() Q.send(nil, "x") end)
case("mq.receive(S as self)", "badarg", function() Q.receive(S) end)
case("mq.close() (no self)", "badarg", function() Q.close() end)
case("mq.request_notification(M as self)", "badarg", function() Q.request_notification(M, 10) end)

-- ---- module functions --------------------------------------------------------
case("dispatch(-1)", "ok|TypeError|badarg", function() posix_ipc.dispatch(-1) end)
case("dispatch(NaN)", "ok|TypeError|badarg", function() posix_ipc.dispatch(NAN) end)
case("dispatch('x')", "TypeError|badarg", function() posix_ipc.dispatch("x") end)
case("catch_signal(-1)", "ValueError|badarg|OSError", function() posix_ipc.catch_signal(-1) end)
case("catch_signal(1<<30)", "ValueError|badarg|OSError", function() posix_ipc.catch_signal(2 ^ 30) end)
case("signal_count('x')", "badarg|TypeError", function() posix_ipc.signal_count("x") end)
case("signal_count(1<<30)", "ok|ValueError|badarg", function() posix_ipc.signal_count(2 ^ 30) end)

-- ---- run ---------------------------------------------------------------------
local function outcome(ok, err)
  if ok then return "ok" end
  if type(err) == "table" and err.class then return err.class, tostring(err) end
  if type(err) == "string" and err:find("bad argument", 1, true) then return "badarg", err end
  return "other", tostring(err)
end

local passed, failed = 0, 0
local verbose = os.getenv("VERBOSE")
for _, c in ipairs(cases) do
  local label, accepted, fn = c[1], c[2], c[3]
  local got, detail = outcome(pcall(fn))
  cleanup_created()
  local good = false
  for option in accepted:gmatch("[^|]+") do
    if option == got or (option == "any" and got ~= "ok" and got ~= "badarg" and got ~= "other") then
      good = true
    end
  end
  if good then
    passed = passed + 1
    if verbose then print(string.format("ok   %-45s -> %s %s", label, got, detail or "")) end
  else
    failed = failed + 1
    print(string.format("FAIL %-45s -> %s (expected %s) %s", label, got, accepted, detail or ""))
  end
end

-- Every case listed must have run (a case that ends the script early would not).
if passed + failed ~= #cases then
  print(string.format("FAIL only %d of the %d cases ran", passed + failed, #cases))
  failed = failed + 1
end

-- Tear down the fixtures, then nothing new may remain in /dev/shm.
for _, obj in ipairs { S, M, Q } do drop(obj) end
cleanup_created()
collectgarbage(); collectgarbage()
local leaked = {}
-- Only this run's names count: other tests may run in parallel.
for entry in pairs(shm_listing()) do
  if not before[entry] and entry:find("bad_lua_" .. PID, 1, true) then leaked[#leaked + 1] = entry; os.remove("/dev/shm/" .. entry) end
end
if #leaked > 0 then
  failed = failed + 1
  print("FAIL left behind in /dev/shm: " .. table.concat(leaked, ", "))
end
print(string.format("lua bad_input: %d passed, %d failed (of %d cases)", passed, failed, #cases))
os.exit(failed == 0 and 0 or 1)
