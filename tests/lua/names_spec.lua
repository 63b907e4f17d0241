local posix_ipc = require "posix_ipc"
local H = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "helpers.lua")

describe("names", function()
  before_each(H.before_each)
  after_each(H.after_each)

  it("name.nul_rejected: a name with an embedded NUL raises ValueError, for all three object types", function()
    local name = H.name("n") .. "\0tail"
    H.raises("ValueError", "The name must not contain a NUL byte", posix_ipc.Semaphore, name, posix_ipc.O_CREX)
    H.raises("ValueError", "The name must not contain a NUL byte", posix_ipc.SharedMemory, name, posix_ipc.O_CREX, 384, 16)
    H.raises("ValueError", "The name must not contain a NUL byte", posix_ipc.MessageQueue, name, posix_ipc.O_CREX)
    H.raises("ValueError", nil, posix_ipc.unlink_semaphore, name)
  end)

  it("name.random_needs_excl: nil name without O_EXCL raises ValueError, nothing created", function()
    local text = "Name can only be None if O_EXCL is set"
    for _, flags in ipairs({0, posix_ipc.O_CREAT}) do
      H.raises("ValueError", text, posix_ipc.Semaphore, nil, flags)
      H.raises("ValueError", text, posix_ipc.SharedMemory, nil, flags, 384, 16)
      H.raises("ValueError", text, posix_ipc.MessageQueue, nil, flags)
    end
  end)

  it("name.too_long: a name longer than NAME_MAX raises ValueError", function()
    local name = "/" .. string.rep("n", 300)
    H.raises("ValueError", "The name is too long", posix_ipc.Semaphore, name, posix_ipc.O_CREX)
    H.raises("ValueError", "The name is too long", posix_ipc.SharedMemory, name, posix_ipc.O_CREX, 384, 16)
    H.raises("ValueError", "The name is too long", posix_ipc.MessageQueue, name, posix_ipc.O_CREX)
    -- The boundary: NAME_MAX (255) characters work, 256 do not; a semaphore
    -- lives in /dev/shm/sem.<name without "/">, so it stops at 252.
    local function of_length(length) return (H.name("b") .. string.rep("n", 300)):sub(1, length) end
    for _, t in ipairs {
      { posix_ipc.Semaphore, 252, { posix_ipc.O_CREX } },
      { posix_ipc.SharedMemory, 255, { posix_ipc.O_CREX, 384, 16 } },
      { posix_ipc.MessageQueue, 255, { posix_ipc.O_CREX, 384, 1, 8 } },
    } do
      local class, longest, args = t[1], t[2], t[3]
      local fits, over = of_length(longest), of_length(longest + 1)
      local made = class(fits, (table.unpack or unpack)(args))
      assert.are.equal(fits, made.name)
      made:unlink()
      if class == posix_ipc.SharedMemory then made:close_fd() else made:close() end
      H.raises("ValueError", "The name is too long", class, over, (table.unpack or unpack)(args))
      H.raises("ExistentialError", nil, class, over:sub(1, longest))  -- nothing made under either name
    end
  end)
end)
