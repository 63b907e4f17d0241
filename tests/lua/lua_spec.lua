-- Lua-only behaviour (IDs prefixed "lua.").
local posix_ipc = require "posix_ipc"
local H = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "helpers.lua")

local SIGUSR1 = 10

describe("Lua binding", function()
  before_each(H.before_each)
  after_each(H.after_each)

  it("lua.errors.tostring: tostring(err) is <where> posix_ipc.<Class>: <message>, where err.where is the failing call's file:line:", function()
    local sem = posix_ipc.Semaphore(H.name("s"), posix_ipc.O_CREX)
    local line = debug.getinfo(1, "l").currentline + 1
    local ok, err = pcall(function() sem:acquire(0) end)
    assert.is_false(ok)
    assert.is_truthy(err.where:find("lua_spec%.lua:" .. line .. ":$"), err.where)
    assert.are.equal(err.where .. " posix_ipc.BusyError: Semaphore is busy", tostring(err))
    -- The same for an error raised inside posix_ipc.lua (a bad notification) and
    -- for a constructor: the user's line, never the module's.
    line = debug.getinfo(1, "l").currentline + 1
    ok, err = pcall(function() posix_ipc.Semaphore(H.name("missing")) end)
    assert.is_truthy(err.where:find("lua_spec%.lua:" .. line .. ":$"), err.where)
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 2, 16)
    line = debug.getinfo(1, "l").currentline + 1
    ok, err = pcall(function() q:request_notification("x") end)
    assert.is_truthy(err.where:find("lua_spec%.lua:" .. line .. ":$"), err.where)
    q:close()
    sem:unlink()
    sem:close()
  end)

  it("lua.errors.concat: an error object concatenates as its text on either side", function()
    local err = H.raises("ExistentialError", nil, posix_ipc.Semaphore, H.name("s"))
    assert.are.equal("failed: " .. tostring(err), "failed: " .. err)
    assert.are.equal(tostring(err) .. "!", err .. "!")
  end)

  it("lua.errors.uncaught: an uncaught error shows the file and line that raised it", function()
    local output, ok = H.spawn([[
local q = posix_ipc.MessageQueue(nil, posix_ipc.O_CREX, 384, 2, 16)
q:unlink()
q:receive(0)
]]):wait()
    assert.is_false(ok)
    if _VERSION == "Lua 5.1" and not jit then
      -- Lua 5.1's standalone lua prints no table error (a limit of that interpreter).
      assert.is_truthy(output:find("(error object is not a string)", 1, true), output)
    else
      assert.is_truthy(output:find(":4: posix_ipc.BusyError: The queue is empty", 1, true), output)
    end
  end)

  it("lua.errors.busy_errno: a BusyError carries no errno on any path, as upstream's", function()
    local sem = posix_ipc.Semaphore(H.name("s"), posix_ipc.O_CREX)
    assert.is_nil(H.raises("BusyError", nil, sem.acquire, sem, 0).errno)
    assert.is_nil(H.raises("BusyError", nil, sem.acquire, sem, 0.01).errno)
    sem:unlink()
    sem:close()
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 1, 16)
    assert.is_nil(H.raises("BusyError", nil, q.receive, q, 0).errno)
    assert.is_nil(H.raises("BusyError", nil, q.receive, q, 0.01).errno)
    q:send("x")
    assert.is_nil(H.raises("BusyError", nil, q.send, q, "y", 0).errno)
    assert.is_nil(H.raises("BusyError", nil, q.send, q, "y", 0.01).errno)
    q.block = false
    assert.is_nil(H.raises("BusyError", nil, q.send, q, "y").errno)
    q:receive()
    assert.is_nil(H.raises("BusyError", nil, q.receive, q).errno)
    q:close()
  end)

  it("lua.with.body_error_wins: sem:with(fn) raises the body's error even when the release fails too", function()
    local sem = posix_ipc.Semaphore(H.name("s"), posix_ipc.O_CREX, 384, 1)
    sem:unlink()
    local ok, err = pcall(sem.with, sem, function()
      sem:close()                               -- so the release after the body fails
      error({ mine = true })
    end)
    assert.is_false(ok)
    assert.is_true(err.mine)
    -- Without a body error, the release's error is raised.
    local other = posix_ipc.Semaphore(H.name("s"), posix_ipc.O_CREX, 384, 1)
    other:unlink()
    H.raises("ExistentialError", nil, other.with, other, function() other:close() end)
  end)

  it("lua.errors.fields: err.class, err.message and err.errno (or nil)", function()
    local err = H.raises("ExistentialError", "No semaphore exists with the specified name",
      posix_ipc.Semaphore, H.name("s"))
    assert.are.equal(posix_ipc.ExistentialError, err.class)
    assert.are.equal(2, err.errno) -- ENOENT
    local sem = posix_ipc.Semaphore(H.name("s"), posix_ipc.O_CREX)
    err = H.raises("BusyError", nil, sem.acquire, sem, 0)
    assert.is_nil(err.errno)
    sem:unlink()
    sem:close()
  end)

  it("lua.errors.is: err:is(Error) holds for every class; err:is(C) only for C and Error", function()
    local err = H.raises("ExistentialError", nil, posix_ipc.Semaphore, H.name("s"))
    assert.is_true(err:is(posix_ipc.Error))
    assert.is_true(err:is(posix_ipc.ExistentialError))
    assert.is_false(err:is(posix_ipc.BusyError))
    assert.is_false(err:is(posix_ipc.ValueError))
    local value = H.raises("ValueError", nil, posix_ipc.Semaphore, "/" .. string.rep("n", 300))
    assert.is_true(value:is(posix_ipc.ValueError))
    assert.is_true(value:is(posix_ipc.Error))
    assert.is_false(value:is(posix_ipc.ExistentialError))
    assert.is_false(value:is(posix_ipc.TypeError))
    assert.are.equal(value.where .. " posix_ipc.ValueError: The name is too long", tostring(value))
  end)

  it("lua.errors.bad_argument: wrong argument types raise Lua's bad argument error", function()
    H.bad_argument("bad argument #1 to 'Semaphore'", posix_ipc.Semaphore, 42)
    H.bad_argument("bad argument #2 to 'Semaphore'", posix_ipc.Semaphore, "/x", "flags")
    H.bad_argument("bad argument #4 to 'Semaphore'", posix_ipc.Semaphore, "/x", 0, 384, 1.5)
    H.bad_argument("bad argument #5 to 'SharedMemory'", posix_ipc.SharedMemory, "/x", 0, 384, 0, 1)
    H.bad_argument("bad argument #6 to 'MessageQueue'", posix_ipc.MessageQueue, "/x", 0, 384, 1, 1, "yes")
    H.bad_argument("bad argument #1 to 'unlink_semaphore'", posix_ipc.unlink_semaphore, nil)
    H.bad_argument("unknown field 'nmae'", posix_ipc.Semaphore, { nmae = "/x" })
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 2, 16)
    H.bad_argument("bad argument #1 to 'send'", function() q:send(true) end)
    H.bad_argument("bad argument #3 to 'send'", function() q:send("x", nil, "high") end)
    H.bad_argument("MessageQueue expected", q.receive, "not a queue")
    local shm = posix_ipc.SharedMemory(H.name("m"), posix_ipc.O_CREX, 384, 8)
    H.bad_argument("bad argument #1 to 'write'", function() shm:write({}) end)
    H.bad_argument("bad argument #1 to 'read'", function() shm:read("all") end)
    shm:unlink()
    shm:close_fd()
    q:close()
  end)

  it("lua.errors.method_names: a method's bad argument names it and numbers its arguments after self", function()
    local sem = posix_ipc.Semaphore(H.name("s"), posix_ipc.O_CREX, 384, 1)
    local shm = posix_ipc.SharedMemory(H.name("m"), posix_ipc.O_CREX, 384, 8)
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 2, 16)
    -- The same message for obj:m(x) and pcall(obj.m, obj, x).
    local send_message = "bad argument #1 to 'send' (string expected, got boolean)"
    assert.are.equal(send_message, H.message(function() q:send(true) end))
    assert.are.equal(send_message, H.message(q.send, q, true))
    assert.are.equal("bad argument #1 to 'send' (string expected, got no value)", H.message(q.send, q))
    assert.are.equal("bad argument #3 to 'send' (number expected, got string)",
      H.message(function() q:send("x", nil, "high") end))
    assert.are.equal("bad argument #3 to 'send' (number has no integer representation)",
      H.message(q.send, q, "x", nil, 1.5))
    assert.are.equal("bad argument #1 to 'write' (string expected, got table)", H.message(function() shm:write({}) end))
    assert.are.equal("bad argument #1 to 'write' (string expected, got table)", H.message(shm.write, shm, {}))
    assert.are.equal("bad argument #2 to 'write' (number expected, got string)", H.message(shm.write, shm, "x", "y"))
    assert.are.equal("bad argument #1 to 'read' (number expected, got string)", H.message(function() shm:read("all") end))
    assert.are.equal("bad argument #1 to 'with' (function expected, got number)", H.message(function() sem:with(42) end))
    assert.are.equal(1, sem.value)
    -- The wrong object, or none (obj.m() for obj:m()): argument #1 is self.
    assert.are.equal("bad argument #1 to 'receive' (posix_ipc.MessageQueue expected, got string)",
      H.message(q.receive, "not a queue"))
    assert.are.equal("bad argument #1 to 'acquire' (posix_ipc.Semaphore expected, got posix_ipc.MessageQueue)",
      H.message(function() sem.acquire(q, 0) end))
    assert.are.equal("bad argument #1 to 'release' (posix_ipc.Semaphore expected, got no value)",
      H.message(function() sem.release() end))
    assert.are.equal("bad argument #1 to 'close' (posix_ipc.MessageQueue expected, got no value)",
      H.message(function() q.close() end))
    assert.are.equal("bad argument #1 to 'request_notification' (posix_ipc.MessageQueue expected, got number)",
      H.message(function() q.request_notification(10) end))
    assert.are.equal("bad argument #1 to 'read' (posix_ipc.SharedMemory expected, got posix_ipc.Semaphore)",
      H.message(shm.read, sem))
    -- A method called with ':' on something else: Lua's "bad self" wording.
    local fake = { release = sem.release, fileno = q.fileno }
    assert.are.equal("calling 'release' on bad self (posix_ipc.Semaphore expected, got table)",
      H.message(function() fake:release() end))
    assert.are.equal("calling 'fileno' on bad self (posix_ipc.MessageQueue expected, got table)",
      H.message(function() fake:fileno() end))
    -- The error is positioned at the caller's line.
    assert.is_truthy(select(2, pcall(function() q:send(true) end)):find("^[^:]*lua_spec%.lua:%d+: bad argument"))
    -- Also for the constructors and cold methods, whose checks are SWIG's typemaps.
    assert.is_truthy(select(2, pcall(function() posix_ipc.Semaphore("/x", "flags") end))
      :find("^[^:]*lua_spec%.lua:%d+: bad argument #2 to 'Semaphore' %(number expected, got string%)"))
    assert.is_truthy(select(2, pcall(function() shm:read("all") end)):find("^[^:]*lua_spec%.lua:%d+: bad argument #1 to 'read'"))
    sem:unlink()
    sem:close()
    shm:unlink()
    shm:close_fd()
    q:close()
  end)

  it("lua.ctor.table_args: constructors take one table of the Python keyword names", function()
    local sem = posix_ipc.Semaphore { name = H.name("s"), flags = posix_ipc.O_CREX, mode = 416, initial_value = 2 }
    assert.are.equal(2, sem.value)
    assert.are.equal(416, sem.mode)
    sem:unlink()
    sem:close()
    local shm = posix_ipc.SharedMemory { name = H.name("m"), flags = posix_ipc.O_CREX, size = 32 }
    assert.are.equal(32, shm.size)
    assert.are.equal(384, shm.mode)
    shm:unlink()
    shm:close_fd()
    local q = posix_ipc.MessageQueue { name = H.queue_name(), flags = posix_ipc.O_CREX, max_messages = 3,
      max_message_size = 24, write = true }
    assert.are.equal(3, q.max_messages)
    assert.are.equal(24, q.max_message_size)
    q:close()
  end)

  it("lua.send.table_args: mq:send{message=, timeout=, priority=}", function()
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 1, 16)
    q:send { message = "m", priority = 3 }
    assert.are.same({ "m", 3 }, { q:receive(0) })
    q:send { message = "n" }
    H.raises("BusyError", "The queue is full", q.send, q, { message = "o", timeout = 0 })
    q:close()
  end)

  it("lua.send.table_errors: send{} names the missing, mistyped or unknown field", function()
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 1, 16)
    assert.are.equal("bad argument #1 to 'send' (field 'message' missing)", H.message(function() q:send {} end))
    assert.are.equal("bad argument #1 to 'send' (field 'message' missing)", H.message(q.send, q, { priority = 1 }))
    assert.are.equal("bad argument #1 to 'send' (field 'message': string expected, got boolean)",
      H.message(function() q:send { message = true } end))
    assert.are.equal("bad argument #1 to 'send' (field 'priority': number expected, got string)",
      H.message(q.send, q, { message = "m", priority = "high" }))
    assert.are.equal("bad argument #1 to 'send' (field 'priority': number has no integer representation)",
      H.message(q.send, q, { message = "m", priority = 1.5 }))
    assert.are.equal("bad argument #1 to 'send' (unknown field 'priorty')",
      H.message(q.send, q, { message = "m", priorty = 3 }))
    assert.are.equal("bad argument #1 to 'send' (unknown field '1')", H.message(q.send, q, { "m" }))
    assert.are.equal(0, q.current_messages)
    q:close()
  end)

  it("lua.acquire.table_args: sem:acquire{timeout=} as sem:acquire(timeout)", function()
    local sem = posix_ipc.Semaphore(H.name("s"), posix_ipc.O_CREX, 384, 2)
    sem:acquire { timeout = 1 }
    sem:acquire {}                             -- no timeout: waits forever, here not at all
    assert.are.equal(0, sem.value)
    H.raises("BusyError", "Semaphore is busy", sem.acquire, sem, { timeout = 0 })
    local elapsed, ok, err = H.timed(sem.acquire, sem, { timeout = 0.1 })
    assert.is_false(ok)
    assert.are.equal("BusyError", err.class)
    assert.is_true(elapsed >= 0.09 and elapsed < 2 * H.TIME_SCALE)
    assert.are.equal("bad argument #1 to 'acquire' (unknown field 'timout')",
      H.message(function() sem:acquire { timout = 1 } end))
    sem:release()
    sem:unlink()
    sem:close()
  end)

  it("lua.receive.table_args: mq:receive{timeout=} as mq:receive(timeout)", function()
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 2, 16)
    H.raises("BusyError", "The queue is empty", q.receive, q, { timeout = 0 })
    q:send("a", nil, 2)
    assert.are.same({ "a", 2 }, { q:receive { timeout = 0 } })
    q:send("b")
    assert.are.same({ "b", 0 }, { q:receive {} })
    assert.are.equal("bad argument #1 to 'receive' (unknown field 'wait')",
      H.message(function() q:receive { wait = 1 } end))
    q:close()
  end)

  it("lua.data.numbers: send and write take a number as the string Lua makes of it", function()
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 4, 16)
    q:send(5)
    q:send(1.5, nil, 0)
    q:send { message = -42 }
    assert.are.same({ "5", 0 }, { q:receive(0) })
    assert.are.same({ "1.5", 0 }, { q:receive(0) })
    assert.are.same({ "-42", 0 }, { q:receive(0) })
    q:close()
    local shm = posix_ipc.SharedMemory(H.name("m"), posix_ipc.O_CREX, 384, 8)
    shm:write(12)
    shm:write(3.25, 2)
    assert.are.equal("123.25", shm:read(6))
    shm:unlink()
    shm:close_fd()
  end)

  it("lua.receive.two_values: receive returns exactly message, priority", function()
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 2, 16)
    q:send("abc", 0, 4)
    assert.are.equal(2, select("#", q:receive()))
    q:close()
  end)

  it("lua.object.tostring: tostring of an object is its name", function()
    local sem = posix_ipc.Semaphore(H.name("s"), posix_ipc.O_CREX)
    assert.are.equal(sem.name, tostring(sem))
    sem:unlink()
    sem:close()
  end)

  it("lua.attributes.unknown: assigning an unknown field raises AttributeError; reading one gives nil", function()
    local sem = posix_ipc.Semaphore(H.name("s"), posix_ipc.O_CREX)
    H.raises("AttributeError", nil, function() sem.blocking = false end)
    assert.is_nil(sem.blocking)
    sem:unlink()
    sem:close()
  end)

  it("lua.gc.no_close: collecting a handle neither crashes nor closes another handle", function()
    local sem = posix_ipc.Semaphore(H.name("s"), posix_ipc.O_CREX, 384, 1)
    do
      local other = posix_ipc.Semaphore(sem.name)
      other = nil
    end
    for _ = 1, 100 do posix_ipc.Semaphore(sem.name) end
    collectgarbage()
    collectgarbage()
    sem:acquire(0)
    sem:release()
    sem:unlink()
    sem:close()
  end)

  it("lua.dispatch.calling_thread: callbacks run only inside dispatch(), never on the core's thread", function()
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 2, 16)
    local ran = 0
    q:request_notification(function() ran = ran + 1 end)
    q:send("x")
    H.sleep(0.2)                                -- room for a wrong call on another thread
    assert.are.equal(0, ran)
    local fd = posix_ipc.notification_fd()
    assert.are.equal("integer", H.math_type(fd))
    assert.is_true(fd >= 0)
    assert.are.equal(1, posix_ipc.dispatch(10))  -- waits for the token, however slow the machine
    assert.are.equal(1, ran)
    assert.are.equal(0, posix_ipc.dispatch())
    q:close()
  end)

  it("lua.dispatch.reload: a module loaded again never runs the first load's callbacks", function()
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 2, 16)
    local ran = 0
    q:request_notification(function() ran = ran + 1 end)
    local saved = package.loaded.posix_ipc
    package.loaded.posix_ipc = nil
    local again = require "posix_ipc"
    package.loaded.posix_ipc = saved
    assert.are_not.equal(posix_ipc, again)
    local q2 = again.MessageQueue(H.queue_name(), again.O_CREX, 384, 2, 16)
    local ran_again = 0
    q2:request_notification(function() ran_again = ran_again + 1 end)
    q:send("x")  -- only the first load's queue is notified
    H.sleep(0.2)
    assert.are.equal(0, again.dispatch())
    assert.are.equal(0, ran_again)
    assert.are.equal(0, ran)
    q2:unlink()
    q2:close()
    q:unlink()
    q:close()
  end)

  it("lua.objects.fields: overwriting an object's fields never reaches another object's C++ object", function()
    local sem = posix_ipc.Semaphore(nil, posix_ipc.O_CREX, 384, 1)
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 2, 16)
    local name = sem.name
    for key, value in pairs(q) do
      if type(key) == "number" then rawset(sem, key, value) end  -- the queue's internals into the semaphore
    end
    -- The semaphore's attributes refuse (a bad self), its own C methods still
    -- act on the semaphore; nothing reaches the queue as if it were one.
    H.bad_argument("bad argument #1 to '__index'", function() return sem.value end)
    sem:acquire(0)
    sem:release()
    local other = posix_ipc.Semaphore(name)
    assert.are.equal(1, other.value)
    other:close()
    collectgarbage()
    sem:acquire(0)  -- the semaphore's closures keep its object alive
    sem:release()
    q:unlink()
    q:close()
    posix_ipc.unlink_semaphore(name)
  end)

  it("lua.dispatch.errors: a raising callback's error comes out of dispatch()", function()
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 2, 16)
    q:request_notification(function() error({ oops = true }) end)
    q:send("x")
    local ok, err = pcall(posix_ipc.dispatch, 2)
    assert.is_false(ok)
    assert.is_true(err.oops)
    q:close()
  end)

  it("lua.notify.callable: a table or userdata with __call is a notification callback", function()
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 2, 16)
    local calls = {}
    local function record(_, param) calls[#calls + 1] = param end
    local callable_table = setmetatable({}, { __call = record })
    local function notified_once()
      q:send("x")
      assert.are.equal(1, posix_ipc.dispatch(2))
      q:receive(0)
    end
    q:request_notification(callable_table, "table")
    notified_once()
    -- A full userdata of its own (a temporary file) given a __call for the test.
    local userdata = io.tmpfile()
    local file_metatable = debug.getmetatable(userdata)
    debug.setmetatable(userdata, { __call = record })
    q:request_notification(userdata, "userdata")
    notified_once()
    debug.setmetatable(userdata, file_metatable)
    userdata:close()
    -- A plain table is still {func, param}, whatever func is.
    q:request_notification({ callable_table, "pair" })
    notified_once()
    assert.are.same({ "table", "userdata", "pair" }, calls)
    H.raises("ValueError", nil, q.request_notification, q, setmetatable({}, { __index = { __call = record } }))
    q:close()
  end)

  it("lua.notify.replaced: a new request or a cancel drops the callback whose token already waits", function()
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 2, 16)
    local calls = {}
    local function record(param) calls[#calls + 1] = param end
    -- However late the token, the dropped callback must never run: neither in
    -- dispatch() here nor in no_late_notification's dispatches.
    local function token_waits()
      q:send("x")
      H.sleep(0.2)
      q:receive(0)
    end
    q:request_notification(record, "replaced")
    token_waits()
    q:request_notification(record, "kept")      -- replaces "replaced", whose token waits
    assert.are.equal(0, posix_ipc.dispatch())
    q:request_notification()
    q:request_notification(record, "cancelled")
    token_waits()
    q:request_notification()                    -- cancels "cancelled", whose token waits
    assert.are.equal(0, posix_ipc.dispatch())
    H.no_late_notification(q, calls)
    assert.are.same({ "control" }, calls)
    q:unlink()
    q:close()
  end)

  it("lua.notify.values: a value after a signal number, nil or {func, param} is ignored, as any third", function()
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 2, 16)
    local calls = {}
    local function record(param) calls[#calls + 1] = param end
    q:request_notification({ record, "pair" }, "ignored")
    q:send("x")
    assert.are.equal(1, posix_ipc.dispatch(2))
    q:receive(0)
    q:request_notification(record, "param", "ignored")
    q:request_notification(nil, "ignored")      -- cancels
    q:send("x")
    q:receive(0)
    posix_ipc.catch_signal(SIGUSR1)
    local before = posix_ipc.signal_count(SIGUSR1)
    q:request_notification(SIGUSR1, "ignored")  -- a signal
    q:send("x")
    local deadline = H.now() + 2
    while posix_ipc.signal_count(SIGUSR1) == before and H.now() < deadline do H.sleep(0.01) end
    assert.are.equal(before + 1, posix_ipc.signal_count(SIGUSR1))
    q:receive(0)
    H.no_late_notification(q, calls)
    assert.are.same({ "pair", "control" }, calls)
    q:unlink()
    q:close()
  end)

  it("lua.numbers.integers: an integer argument takes what luaL_checkinteger takes: 4.0 and '4', never 4.5", function()
    local no_integer = "number has no integer representation"
    local sem = posix_ipc.Semaphore(H.name("s"), posix_ipc.O_CREX * 1.0, "384", 2.0)
    assert.are.equal(2, sem.value)
    sem:unlink()
    sem:close()
    assert.are.equal("bad argument #4 to 'Semaphore' (" .. no_integer .. ")",
      H.message(posix_ipc.Semaphore, H.name("s"), posix_ipc.O_CREX, 384, 2.5))
    assert.are.equal("bad argument #2 to 'Semaphore' (" .. no_integer .. ")",
      H.message(posix_ipc.Semaphore, H.name("s"), posix_ipc.O_CREX + 0.5))

    local shm = posix_ipc.SharedMemory(H.name("m"), posix_ipc.O_CREX, 384.0, "8")
    assert.are.equal(8, shm.size)
    shm:write("xy", 4.0)
    shm:write("z", "7")
    assert.are.equal("xy", shm:read("2", 4.0))
    assert.are.equal(4, #shm:read(shm.size / 2))
    assert.are.equal("z", shm:read(1.0, 7))
    assert.are.equal("bad argument #1 to 'read' (" .. no_integer .. ")", H.message(function() shm:read(1.5) end))
    assert.are.equal("bad argument #2 to 'write' (" .. no_integer .. ")", H.message(function() shm:write("x", 0.5) end))
    assert.are.equal("bad argument #4 to 'SharedMemory' (" .. no_integer .. ")",
      H.message(posix_ipc.SharedMemory, H.name("m"), posix_ipc.O_CREX, 384, 8.5))
    shm:unlink()
    shm:close_fd()

    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 4.0, "64")
    assert.are.equal(4, q.max_messages)
    assert.are.equal(64, q.max_message_size)
    q:send("a", nil, 3.0)
    q:send("b", nil, "5")
    assert.are.same({ "b", 5 }, { q:receive(0) })
    assert.are.same({ "a", 3 }, { q:receive(0) })
    assert.are.equal("bad argument #3 to 'send' (" .. no_integer .. ")", H.message(function() q:send("c", nil, 3.5) end))
    q:close()

    if not math.type then
      -- 5.1, 5.2, LuaJIT: one number type; past 2^53 not every integer has a number.
      assert.are.equal("bad argument #4 to 'Semaphore' (" .. no_integer .. ")",
        H.message(posix_ipc.Semaphore, H.name("s"), posix_ipc.O_CREX, 384, 2 ^ 53 + 2))
      assert.are.equal("bad argument #1 to 'read' (" .. no_integer .. ")", H.message(function() shm:read(2 ^ 60) end))
    end
  end)

  it("lua.getfd: queues and shared memory answer getfd() (-1 once closed)", function()
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 2, 16)
    assert.are.equal(q.mqd, q:getfd())
    q:close()
    assert.are.equal(-1, q:getfd())
    local shm = posix_ipc.SharedMemory(H.name("m"), posix_ipc.O_CREX, 384, 8)
    assert.are.equal(shm.fd, shm:getfd())
    assert.is_true(shm:getfd() >= 0)
    shm:unlink()
    shm:close_fd()
    assert.are.equal(-1, shm:getfd())
    local sem = posix_ipc.Semaphore(H.name("s"), posix_ipc.O_CREX)
    assert.is_nil(sem.getfd)                     -- no descriptor to wait on
    sem:unlink()
    sem:close()
  end)

  it("lua.getfd.socket_select: LuaSocket's socket.select sees a queue with a message waiting", function()
    local loaded, socket = pcall(require, "socket")
    if not loaded then
      pending("LuaSocket is not installed for " .. _VERSION .. " (Debian: lua-socket, in scripts/install-deps)")
      return
    end
    local q = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 2, 16)
    local start = H.now()
    local ready = socket.select({ q }, nil, 0.2)
    assert.are.equal(0, #ready)                  -- nothing waiting: the timeout passes
    q:send("x")
    start = H.now()
    ready = socket.select({ q }, nil, 5)
    assert.is_true(H.now() - start < 1 * H.TIME_SCALE)
    assert.are.equal(q, ready[1])
    assert.are.equal("x", (q:receive(0)))
    q:close()
  end)

  it("lua.signal.helpers: catch_signal counts a signal instead of dying", function()
    posix_ipc.catch_signal(SIGUSR1)
    local before = posix_ipc.signal_count(SIGUSR1)
    os.execute("kill -USR1 " .. H.pid)
    local deadline = H.now() + 2
    while posix_ipc.signal_count(SIGUSR1) == before and H.now() < deadline do H.sleep(0.01) end
    assert.are.equal(before + 1, posix_ipc.signal_count(SIGUSR1))
    H.raises("ValueError", "invalid signal number", posix_ipc.catch_signal, 0)
    H.raises("ValueError", "invalid signal number", posix_ipc.signal_count, 9)
  end)

  it("lua.monotonic: monotonic() is a non-decreasing clock in seconds", function()
    local a = posix_ipc.monotonic()
    H.sleep(0.1)
    local b = posix_ipc.monotonic()
    assert.is_true(b - a >= 0.09 and b - a < 2)
  end)
end)
