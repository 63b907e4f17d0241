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
  end)
end)
