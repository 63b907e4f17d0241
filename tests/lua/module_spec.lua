local posix_ipc = require "posix_ipc"
local H = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "helpers.lua")

describe("module", function()
  before_each(H.before_each)
  after_each(H.after_each)

  it("module.constants.flags: O_* are the OS values and O_CREX == O_CREAT|O_EXCL", function()
    assert.are.equal(64, posix_ipc.O_CREAT)
    assert.are.equal(128, posix_ipc.O_EXCL)
    assert.are.equal(512, posix_ipc.O_TRUNC)
    assert.are.equal(0, posix_ipc.O_RDONLY)
    assert.are.equal(1, posix_ipc.O_WRONLY)
    assert.are.equal(2, posix_ipc.O_RDWR)
    assert.are.equal(2048, posix_ipc.O_NONBLOCK)
    assert.are.equal(posix_ipc.O_CREAT + posix_ipc.O_EXCL, posix_ipc.O_CREX)
    for _, key in ipairs { "O_CREAT", "O_EXCL", "O_CREX", "O_TRUNC", "O_RDONLY", "O_WRONLY", "O_RDWR", "O_NONBLOCK" } do
      assert.are.equal("integer", H.math_type(posix_ipc[key]))
    end
  end)

  it("module.constants.limits: the limits have their values", function()
    local pipe = io.popen("getconf PAGESIZE")
    local page = tonumber(pipe:read("*l"))
    pipe:close()
    assert.are.equal(page, posix_ipc.PAGE_SIZE)
    assert.are.equal(2147483647, posix_ipc.SEMAPHORE_VALUE_MAX)
    assert.are.equal(32767, posix_ipc.QUEUE_PRIORITY_MAX)
    assert.are.equal(H.read_number("/proc/sys/fs/mqueue/msg_default", 10), posix_ipc.QUEUE_MESSAGES_MAX_DEFAULT)
    -- as upstream: the system default, but never more than 8 KiB
    assert.are.equal(math.min(H.read_number("/proc/sys/fs/mqueue/msgsize_default", 8192), 8192),
      posix_ipc.QUEUE_MESSAGE_SIZE_MAX_DEFAULT)
    assert.are.equal(H.signal_number("RTMIN"), posix_ipc.USER_SIGNAL_MIN)
    assert.are.equal(H.signal_number("RTMAX"), posix_ipc.USER_SIGNAL_MAX)
    for _, key in ipairs { "PAGE_SIZE", "SEMAPHORE_VALUE_MAX", "QUEUE_PRIORITY_MAX", "QUEUE_MESSAGES_MAX_DEFAULT",
                           "QUEUE_MESSAGE_SIZE_MAX_DEFAULT", "USER_SIGNAL_MIN", "USER_SIGNAL_MAX" } do
      assert.are.equal("integer", H.math_type(posix_ipc[key]))
    end
  end)

  -- What the build's platform lacks, as ctest passes it (POSIX_IPC_EXPECT_UNSUPPORTED:
  -- empty on Linux; e.g. MESSAGE_QUEUES_SUPPORTED,... in the simulated macOS lane).
  local unsupported = "," .. (os.getenv("POSIX_IPC_EXPECT_UNSUPPORTED") or "") .. ","
  local function expect_supported(capability) return not unsupported:find("," .. capability .. ",", 1, true) end

  it("module.constants.supported: the *_SUPPORTED constants are booleans, false exactly for what the platform lacks", function()
    for _, capability in ipairs { "MESSAGE_QUEUES_SUPPORTED", "SEMAPHORE_TIMEOUT_SUPPORTED", "SEMAPHORE_VALUE_SUPPORTED" } do
      assert.are.equal(expect_supported(capability), posix_ipc[capability], capability)
    end
  end)

  it("platform.message_queues: the queue class, function and constants exist exactly with MESSAGE_QUEUES_SUPPORTED", function()
    local supported = expect_supported("MESSAGE_QUEUES_SUPPORTED")
    assert.are.equal(supported, posix_ipc.MESSAGE_QUEUES_SUPPORTED)
    for _, key in ipairs { "MessageQueue", "unlink_message_queue", "O_RDONLY", "O_WRONLY", "O_RDWR", "O_NONBLOCK",
                           "QUEUE_MESSAGES_MAX_DEFAULT", "QUEUE_MESSAGE_SIZE_MAX_DEFAULT", "QUEUE_PRIORITY_MAX" } do
      assert.are.equal(supported, posix_ipc[key] ~= nil, key)
    end
    if not supported then
      assert.is_nil(posix_ipc.USER_SIGNAL_MIN)
      assert.is_nil(posix_ipc.USER_SIGNAL_MAX)
    end
  end)

  it("platform.semaphore_value: value reads the count, or raises AttributeError where there is no sem_getvalue", function()
    local name = H.name("s")
    local s = posix_ipc.Semaphore(name, posix_ipc.O_CREX, 384, 2)
    local ok, err = pcall(function() return s.value end)
    s:unlink()
    s:close()
    if expect_supported("SEMAPHORE_VALUE_SUPPORTED") then
      assert.is_true(ok, tostring(err))
      assert.are.equal(2, err)
    else
      assert.is_false(ok)
      assert.are.equal("AttributeError", err.class)
      assert.are.equal("'posix_ipc.Semaphore' object has no attribute 'value'", err.message)
    end
  end)

  it("platform.semaphore_timeout: acquire(0.2) expires, or waits for the release where there is no timed wait", function()
    local name = H.name("s")
    local s = posix_ipc.Semaphore(name, posix_ipc.O_CREX, 384, 0)
    if expect_supported("SEMAPHORE_TIMEOUT_SUPPORTED") then
      local elapsed, ok, err = H.timed(s.acquire, s, 0.2)
      s:unlink()
      s:close()
      assert.is_false(ok)
      assert.are.equal("BusyError", err.class)
      assert.is_true(elapsed >= 0.19, "returned after " .. elapsed)
      return
    end
    -- As upstream: the timeout is treated as infinite, so only the release
    -- (0.6 s later, three times the timeout) ends the wait.
    local child = H.spawn(string.format([[
      os.execute("sleep 0.6")
      posix_ipc.Semaphore(%q):release()
    ]], name))
    local dog = H.watchdog(20, string.format("posix_ipc.Semaphore(%q):release()", name))
    local elapsed, ok, err = H.timed(s.acquire, s, 0.2)
    dog:cancel()
    local output, child_ok = child:wait()
    s:unlink()
    s:close()
    assert.is_true(ok, tostring(err))
    assert.is_true(child_ok, output)
    assert.is_true(elapsed >= 0.5, "returned after " .. elapsed)
  end)

  it("module.version: VERSION is 1.3.2", function()
    assert.are.equal("1.3.2", posix_ipc.VERSION)
    assert.are.equal("1.3.2", posix_ipc.__version__)
    assert.are.equal("string", type(posix_ipc.__author__))
    assert.are.equal("string", type(posix_ipc.__license__))
    assert.are.equal("string", type(posix_ipc.__copyright__))
  end)

  it("module.errors.classes: Error and its subclasses exist and are Errors", function()
    for _, class in ipairs { "Error", "SignalError", "PermissionsError", "ExistentialError", "BusyError" } do
      assert.is_not_nil(posix_ipc[class])
      local err = require("posix_ipc.core")._error(class, "m")
      assert.are.equal(posix_ipc[class], err.class)
      assert.is_true(err:is(posix_ipc.Error))
      assert.is_true(err:is(posix_ipc[class]))
    end
    -- a real one
    local err = H.raises("ExistentialError", nil, posix_ipc.Semaphore, H.name("s"))
    assert.is_true(err:is(posix_ipc.Error))
    assert.is_true(err:is(posix_ipc.ExistentialError))
    assert.is_false(err:is(posix_ipc.BusyError))
  end)

  it("lua.module.no_globals: require creates no global; the C part is the submodule posix_ipc.core", function()
    local lua = os.getenv("POSIX_IPC_LUA") or "lua5.4"
    local script = [[
      local before = {}
      for key in pairs(_G) do before[key] = true end
      local posix_ipc = require "posix_ipc"
      local added = {}
      for key in pairs(_G) do if not before[key] then added[#added + 1] = tostring(key) end end
      table.sort(added)
      io.write(table.concat(added, " "), "|", type(package.loaded["posix_ipc.core"]), "|",
               tostring(package.loaded["posix_ipc_core"]))
    ]]
    local pipe = assert(io.popen(lua .. " -e " .. string.format("%q", script):gsub("\\\n", " ")))
    local output = pipe:read("*a")
    pipe:close()
    assert.are.equal("|table|nil", output)
  end)
end)
