local posix_ipc = require "posix_ipc"
local H = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "helpers.lua")

local SIGUSR1 = 10

describe("Semaphore", function()
  before_each(H.before_each)
  after_each(H.after_each)

  -- A fresh semaphore (O_CREX) and a cleanup function.
  local function fresh(initial_value, mode)
    local sem = posix_ipc.Semaphore(H.name("s"), posix_ipc.O_CREX, mode or 384, initial_value or 0)
    return sem, function()
      pcall(sem.unlink, sem)
      pcall(sem.close, sem)
    end
  end

  it("sem.create.excl: O_CREX creates a semaphore with initial_value as its value", function()
    local sem, done = fresh(3)
    assert.are.equal(3, sem.value)
    assert.are.equal("integer", H.math_type(sem.value))
    done()
  end)

  it("sem.create.exists: O_CREX on an existing name raises ExistentialError", function()
    local sem, done = fresh()
    H.raises("ExistentialError", "A semaphore with the specified name already exists",
      posix_ipc.Semaphore, sem.name, posix_ipc.O_CREX)
    done()
  end)

  it("sem.create.random_name: no name with O_CREX picks an unused name starting with /", function()
    local before = H.shm_listing()
    local a = posix_ipc.Semaphore(nil, posix_ipc.O_CREX, 384, 3)
    local b = posix_ipc.Semaphore { name = nil, flags = posix_ipc.O_CREX }
    local after = H.shm_listing()
    assert.are_not.equal(a.name, b.name)
    for _, sem in ipairs { a, b } do
      assert.is_truthy(sem.name:match("^/[^/]+$"), sem.name)
      local file = "sem." .. sem.name:sub(2)
      assert.is_nil(before[file], sem.name .. " existed before")  -- the name was unused
      assert.is_true(after[file])                                  -- and is used now
    end
    assert.are.equal(3, a.value)  -- a new semaphore, with the value given
    assert.are.equal(3, posix_ipc.Semaphore(a.name).value)
    for _, sem in ipairs { a, b } do
      sem:unlink()
      sem:close()
    end
  end)

  it("sem.create.bad_initial_value: initial_value < 0 or > SEMAPHORE_VALUE_MAX raises ValueError, nothing created", function()
    for _, value in ipairs { -1, posix_ipc.SEMAPHORE_VALUE_MAX + 1 } do
      local name = H.name("s")
      H.raises("ValueError", nil, posix_ipc.Semaphore, name, posix_ipc.O_CREX, 384, value)
      H.raises("ExistentialError", nil, posix_ipc.unlink_semaphore, name)
    end
  end)

  it("sem.open.missing: flags 0 on a missing name raises ExistentialError", function()
    H.raises("ExistentialError", "No semaphore exists with the specified name", posix_ipc.Semaphore, H.name("s"))
  end)

  it("sem.open.creat_existing: O_CREAT on an existing semaphore opens it and ignores initial_value", function()
    local sem, done = fresh(2)
    local other = posix_ipc.Semaphore(sem.name, posix_ipc.O_CREAT, 384, 5)
    assert.are.equal(2, other.value)
    other:close()
    done()
  end)

  it("sem.acquire_release: acquire decrements and release increments the value", function()
    local sem, done = fresh(1)
    sem:acquire()
    assert.are.equal(0, sem.value)
    sem:release()
    sem:release()
    assert.are.equal(2, sem.value)
    done()
  end)

  it("sem.acquire.timeout_zero_busy: acquire(0) on a zero semaphore raises BusyError", function()
    local sem, done = fresh(0)
    H.raises("BusyError", "Semaphore is busy", sem.acquire, sem, 0)
    done()
  end)

  it("sem.acquire.timeout_expires: acquire(0.1) on a zero semaphore waits about 0.1 s, then BusyError", function()
    local sem, done = fresh(0)
    local elapsed, ok, err = H.timed(sem.acquire, sem, 0.1)
    assert.is_false(ok)
    assert.are.equal(posix_ipc.BusyError, err.class)
    assert.is_true(elapsed >= 0.09 and elapsed < 1.0 * H.TIME_SCALE, "waited " .. elapsed)
    done()
  end)

  it("sem.acquire.timeout_positive_ok: acquire(1) on a positive semaphore returns at once", function()
    local sem, done = fresh(1)
    local elapsed, ok = H.timed(sem.acquire, sem, 1)
    assert.is_true(ok)
    assert.is_true(elapsed < 0.5 * H.TIME_SCALE)
    assert.are.equal(0, sem.value)
    done()
  end)

  it("sem.acquire.bad_timeout: a negative or non-numeric timeout raises TypeError", function()
    local sem, done = fresh(1)
    for _, timeout in ipairs { -1, -0.5, "soon", print, true, 0 / 0 } do
      H.raises("TypeError", "The timeout must be None or a non-negative number", sem.acquire, sem, timeout)
      H.raises("TypeError", "The timeout must be None or a non-negative number", sem.acquire, sem, { timeout = timeout })
    end
    assert.are.equal(1, sem.value)
    done()
  end)

  it("sem.acquire.waits_for_release: acquire() returns once another process releases", function()
    local sem, done = fresh(0)
    local child = H.spawn(string.format([[
      os.execute("sleep 0.2")
      local sem = posix_ipc.Semaphore(%q)
      sem:release()
      sem:close()
    ]], sem.name))
    -- If that child fails, this one releases twice after 20 s: value 1, too late.
    local dog = H.watchdog(20, string.format("local s = posix_ipc.Semaphore(%q); s:release(); s:release()", sem.name))
    local elapsed, ok, err = H.timed(sem.acquire, sem)
    dog:cancel()
    local output, child_ok = child:wait()
    assert.is_true(ok, tostring(err))
    assert.is_true(child_ok, output)
    assert.is_true(elapsed >= 0.1, "returned after " .. elapsed)
    assert.are.equal(0, sem.value)
    done()
  end)

  it("sem.acquire.signal_interrupts: a signal during acquire() raises SignalError", function()
    local sem, done = fresh(0)
    posix_ipc.catch_signal(SIGUSR1)
    -- acquire() with no timeout (sem_wait), then with one (sem_clockwait)
    for _, timeout in ipairs { false, 5 } do
      local before = posix_ipc.signal_count(SIGUSR1)
      local dog = H.watchdog(20, string.format("posix_ipc.Semaphore(%q):release()", sem.name))
      local killer = H.signal_when_blocked("USR1", "futex")
      local ok, err
      if timeout then ok, err = pcall(sem.acquire, sem, timeout) else ok, err = pcall(sem.acquire, sem) end
      killer:close()
      dog:cancel()
      assert.is_false(ok, "acquire returned: the watchdog released it")
      assert.are.equal("SignalError", err.class)
      assert.are.equal("The wait was interrupted by a signal", err.message)
      assert.are.equal(before + 1, posix_ipc.signal_count(SIGUSR1))
      assert.are.equal(0, sem.value)
    end
    done()
  end)

  it("sem.guard: sem:with(fn) acquires and releases, also on error", function()
    local sem, done = fresh(1)
    local inside
    local a, b = sem:with(function(x, y)
      inside = sem.value
      return x + 1, y
    end, 1, "y")
    assert.are.equal(0, inside)
    assert.are.equal(2, a)
    assert.are.equal("y", b)
    assert.are.equal(1, sem.value)
    local ok, err = pcall(sem.with, sem, function() error({ mine = true }) end)
    assert.is_false(ok)
    assert.is_true(err.mine)
    assert.are.equal(1, sem.value)
    done()
  end)

  it("sem.mode: mode is the mode given at creation", function()
    local sem, done = fresh(0, 416)
    assert.are.equal(416, sem.mode)
    done()
  end)

  it("sem.attributes.readonly: name, mode and value refuse assignment", function()
    local sem, done = fresh(1)
    for _, key in ipairs { "name", "mode", "value" } do
      -- The core's one text, as Python's and Tcl's.
      H.raises("AttributeError", "attribute '" .. key .. "' of 'posix_ipc.Semaphore' objects is not writable",
        function() sem[key] = 1 end)
    end
    assert.are.equal(1, sem.value)
    done()
  end)

  it("sem.closed.use: acquire, release and value after close raise ExistentialError", function()
    local sem, done = fresh(1)
    sem:unlink()
    sem:close()
    local text = "The semaphore has been closed"
    H.raises("ExistentialError", text, sem.acquire, sem)
    H.raises("ExistentialError", text, sem.release, sem)
    H.raises("ExistentialError", text, function() return sem.value end)
    done()
  end)

  it("sem.closed.twice: close after close raises ExistentialError", function()
    local sem, done = fresh(1)
    sem:unlink()
    sem:close()
    H.raises("ExistentialError", nil, sem.close, sem)
    done()
  end)

  it("sem.close.other_handle: closing one handle leaves another working", function()
    local sem, done = fresh(1)
    local other = posix_ipc.Semaphore(sem.name)
    other:close()
    sem:acquire(0)
    sem:release()
    assert.are.equal(1, sem.value)
    done()
  end)

  it("sem.unlink: after unlink the name is gone; unlink again raises ExistentialError", function()
    local sem, done = fresh(1)
    sem:unlink()
    H.raises("ExistentialError", nil, posix_ipc.Semaphore, sem.name)
    H.raises("ExistentialError", "No semaphore exists with the specified name", sem.unlink, sem)
    done()
  end)

  it("sem.unlink_function: unlink_semaphore(name) removes it; a missing name raises ExistentialError", function()
    local sem, done = fresh(1)
    posix_ipc.unlink_semaphore(sem.name)
    H.raises("ExistentialError", nil, posix_ipc.Semaphore, sem.name)
    H.raises("ExistentialError", "No semaphore exists with the specified name", posix_ipc.unlink_semaphore, sem.name)
    done()
  end)

  it("sem.cross_process: a child process opens the semaphore by name and releases it", function()
    local sem, done = fresh(0)
    H.run(string.format([[
      local sem = posix_ipc.Semaphore(%q)
      sem:release()
      sem:close()
    ]], sem.name))
    sem:acquire(5)
    assert.are.equal(0, sem.value)
    done()
  end)
end)
