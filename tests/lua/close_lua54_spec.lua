-- Lua 5.4 only: to-be-closed variables (`local x <close>`), a syntax the
-- older Luas do not parse. ctest runs this file under 5.4 alone (busted's
-- --exclude-pattern=_lua54_spec elsewhere; suite_check.lua skips it too).
local posix_ipc = require "posix_ipc"
local H = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "helpers.lua")

describe("Lua 5.4 binding", function()
  before_each(H.before_each)
  after_each(H.after_each)

  it("lua.close.scope: a <close> variable closes the handle at scope end and never unlinks", function()
    local names = { H.name("s"), H.name("m"), H.queue_name() }
    local sem, shm, q
    do
      local s <close> = posix_ipc.Semaphore(names[1], posix_ipc.O_CREX, 384, 1)
      local m <close> = posix_ipc.SharedMemory(names[2], posix_ipc.O_CREX, 384, 8)
      local mq <close> = posix_ipc.MessageQueue(names[3], posix_ipc.O_CREX, 384, 2, 16)
      sem, shm, q = s, m, mq
      s:acquire(0)
      s:release()
      assert.is_true(m.fd >= 0)
    end
    H.raises("ExistentialError", "The semaphore has been closed", sem.acquire, sem, 0)
    assert.are.equal(-1, shm.fd)
    H.raises("ExistentialError", nil, q.receive, q, 0)
    -- The names are still there.
    posix_ipc.Semaphore(names[1]):close()
    posix_ipc.unlink_semaphore(names[1])
    posix_ipc.SharedMemory(names[2]):close_fd()
    posix_ipc.unlink_shared_memory(names[2])
    posix_ipc.MessageQueue(names[3]):close()
    posix_ipc.unlink_message_queue(names[3])
  end)

  it("lua.close.already_closed: a <close> variable closed by hand ends its scope silently", function()
    local names = { H.name("s"), H.name("m"), H.queue_name() }
    local ok, err = pcall(function()
      local s <close> = posix_ipc.Semaphore(names[1], posix_ipc.O_CREX, 384, 1)
      local m <close> = posix_ipc.SharedMemory(names[2], posix_ipc.O_CREX, 384, 8)
      local mq <close> = posix_ipc.MessageQueue(names[3], posix_ipc.O_CREX, 384, 2, 16)
      s:unlink()
      s:close()
      m:unlink()
      m:close_fd()
      mq:unlink()
      mq:close()
    end)
    assert.is_true(ok, tostring(err))
  end)

  it("lua.close.on_error: a <close> variable closes the handle when the scope ends by an error", function()
    local sem
    local ok, err = pcall(function()
      local s <close> = posix_ipc.Semaphore(H.name("s"), posix_ipc.O_CREX, 384, 1)
      sem = s
      s:unlink()
      error({ boom = true })
    end)
    assert.is_false(ok)
    assert.is_true(err.boom)                    -- the original error, untouched
    H.raises("ExistentialError", "The semaphore has been closed", sem.release, sem)
  end)

  it("lua.close.callback: closing a queue by <close> drops its pending callback", function()
    local ran = 0
    do
      local q <close> = posix_ipc.MessageQueue(H.queue_name(), posix_ipc.O_CREX, 384, 2, 16)
      q:request_notification(function() ran = ran + 1 end)
      q:send("x")                               -- the token is queued...
      H.sleep(0.2)
    end                                         -- ...and dropped with the handle
    assert.are.equal(0, posix_ipc.dispatch())
    assert.are.equal(0, ran)
  end)
end)
