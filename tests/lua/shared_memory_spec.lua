local posix_ipc = require "posix_ipc"
local H = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "helpers.lua")

describe("SharedMemory", function()
  before_each(H.before_each)
  after_each(H.after_each)

  local function fresh(size, mode)
    local shm = posix_ipc.SharedMemory(H.name("m"), posix_ipc.O_CREX, mode or 384, size or 0)
    return shm, function()
      pcall(shm.unlink, shm)
      pcall(shm.close_fd, shm)
    end
  end

  it("shm.create.excl: O_CREX with a size creates a segment of that size", function()
    local shm, done = fresh(4096)
    assert.are.equal(4096, shm.size)
    assert.are.equal("integer", H.math_type(shm.size))
    done()
  end)

  it("shm.create.exists: O_CREX on an existing name raises ExistentialError", function()
    local shm, done = fresh(16)
    H.raises("ExistentialError", "Shared memory with the specified name already exists",
      posix_ipc.SharedMemory, shm.name, posix_ipc.O_CREX)
    done()
  end)

  it("shm.create.random_name: no name with O_CREX picks an unused name starting with /", function()
    local before = H.shm_listing()
    local shm = posix_ipc.SharedMemory(nil, posix_ipc.O_CREX, 384, 16)
    local other = posix_ipc.SharedMemory(nil, posix_ipc.O_CREX, 384, 16)
    assert.is_truthy(shm.name:match("^/[^/]+$"), shm.name)
    assert.are_not.equal(shm.name, other.name)
    assert.is_nil(before[shm.name:sub(2)], shm.name .. " existed before")  -- the name was unused
    assert.is_true(H.shm_listing()[shm.name:sub(2)])                     -- and is used now
    assert.are.equal(16, shm.size)
    assert.are.equal(string.rep("\0", 16), shm:read())  -- a new segment: zeros
    other:unlink()
    other:close_fd()
    shm:unlink()
    shm:close_fd()
  end)

  it("shm.open.missing: flags 0 on a missing name raises ExistentialError", function()
    H.raises("ExistentialError", "No shared memory exists with the specified name",
      posix_ipc.SharedMemory, H.name("m"))
  end)

  it("shm.size.resize: opening an existing segment with a size resizes it", function()
    local shm, done = fresh(100)
    local other = posix_ipc.SharedMemory(shm.name, 0, 384, 200)
    assert.are.equal(200, other.size)
    assert.are.equal(200, shm.size)
    other:close_fd()
    done()
  end)

  -- ftruncate fails with EFBIG above RLIMIT_FSIZE (the child counts SIGXFSZ
  -- instead of dying of it); before the fix that read "The size is invalid or
  -- the memory is read-only". prlimit (util-linux) lowers the limit.
  it("shm.size.too_large: a size over RLIMIT_FSIZE raises ValueError 'The size is too large'", function()
    if not os.execute("command -v prlimit >/dev/null 2>&1") then
      pending("needs prlimit (util-linux) to lower RLIMIT_FSIZE for a child")
      return
    end
    local name = H.name("m")
    local file = os.tmpname()
    local script = assert(io.open(file, "w"))
    script:write(string.format([[
      local posix_ipc = require "posix_ipc"
      posix_ipc.catch_signal(25)  -- SIGXFSZ
      local ok, err = pcall(posix_ipc.SharedMemory, %q, posix_ipc.O_CREX, 384, 2097152)
      print(ok, err.class, err.message)
    ]], name))
    script:close()
    local pipe = assert(io.popen(string.format("prlimit --fsize=1048576 %s %s 2>&1", H.LUA, file)))
    local output = pipe:read("*a")
    pipe:close()
    os.remove(file)
    assert.are.equal("false\tValueError\tThe size is too large\n", output)
    assert.is_nil(H.shm_listing()[name:sub(2)])
  end)

  it("shm.size.invalid: a negative size, or a size with read_only, raises ValueError", function()
    local text = "The size is invalid or the memory is read-only"
    local name = H.name("m")
    H.raises("ValueError", text, posix_ipc.SharedMemory, name, posix_ipc.O_CREX, 384, -1)
    H.raises("ExistentialError", nil, posix_ipc.unlink_shared_memory, name)
    local shm, done = fresh(16)
    H.raises("ValueError", text, posix_ipc.SharedMemory, shm.name, 0, 384, 32, true)
    assert.are.equal(16, shm.size)
    done()
  end)

  it("shm.trunc: O_TRUNC on an existing segment truncates it to 0 bytes", function()
    local shm, done = fresh(100)
    local other = posix_ipc.SharedMemory(shm.name, posix_ipc.O_TRUNC)
    assert.are.equal(0, other.size)
    other:close_fd()
    done()
  end)

  it("shm.read_write: write(data, offset) then read(count, offset) returns the same bytes, NULs included", function()
    local shm, done = fresh(64)
    local data = "a\0b\0\255\0"
    shm:write(data, 10)
    assert.are.equal(data, shm:read(#data, 10))
    shm:write("xyz")
    assert.are.equal("xyz", shm:read(3))
    done()
  end)

  it("shm.read.defaults: read() returns the whole segment; read(n) the first n bytes", function()
    local shm, done = fresh(32)
    shm:write("hello")
    local all = shm:read()
    assert.are.equal(32, #all)
    assert.are.equal("hello" .. string.rep("\0", 27), all)
    assert.are.equal("hel", shm:read(3))
    done()
  end)

  it("shm.read_write.bounds: reads or writes past the end raise ValueError", function()
    local shm, done = fresh(16)
    local text = "The offset and byte count must lie within the segment"
    H.raises("ValueError", text, shm.read, shm, 17)
    H.raises("ValueError", text, shm.read, shm, 8, 9)
    H.raises("ValueError", text, shm.read, shm, 1, -1)
    H.raises("ValueError", text, shm.write, shm, string.rep("x", 17))
    H.raises("ValueError", text, shm.write, shm, "xx", 15)
    done()
  end)

  it("shm.read_only: a read_only handle reads; write raises PermissionsError", function()
    local shm, done = fresh(16)
    shm:write("data")
    local reader = posix_ipc.SharedMemory { name = shm.name, read_only = true }
    assert.are.equal("data", reader:read(4))
    H.raises("PermissionsError", "The shared memory is read-only", reader.write, reader, "x")
    reader:close_fd()
    done()
  end)

  it("shm.fd: fd is a non-negative integer equal to fileno()", function()
    local shm, done = fresh(16)
    assert.are.equal("integer", H.math_type(shm.fd))
    assert.is_true(shm.fd >= 0)
    assert.are.equal(shm.fd, shm:fileno())
    done()
  end)

  it("shm.close_fd: after close_fd fd is -1, close_fd again does nothing, read raises ExistentialError", function()
    local shm, done = fresh(16)
    shm:close_fd()
    assert.are.equal(-1, shm.fd)
    shm:close_fd()
    H.raises("ExistentialError", nil, shm.read, shm)
    done()
  end)

  it("shm.mode: mode is the mode given at creation", function()
    local shm, done = fresh(16, 416)
    assert.are.equal(416, shm.mode)
    done()
  end)

  it("shm.attributes.readonly: name, mode, fd and size refuse assignment", function()
    local shm, done = fresh(16)
    for _, key in ipairs { "name", "mode", "fd", "size" } do
      H.raises("AttributeError", nil, function() shm[key] = 1 end)
    end
    assert.are.equal(16, shm.size)
    done()
  end)

  it("shm.unlink: after unlink the name is gone; unlink again raises ExistentialError", function()
    local shm, done = fresh(16)
    shm:unlink()
    H.raises("ExistentialError", nil, posix_ipc.SharedMemory, shm.name)
    H.raises("ExistentialError", "No shared memory exists with the specified name", shm.unlink, shm)
    done()
  end)

  it("shm.unlink_function: unlink_shared_memory(name) removes it; a missing name raises ExistentialError", function()
    local shm, done = fresh(16)
    posix_ipc.unlink_shared_memory(shm.name)
    H.raises("ExistentialError", nil, posix_ipc.SharedMemory, shm.name)
    H.raises("ExistentialError", "No shared memory exists with the specified name",
      posix_ipc.unlink_shared_memory, shm.name)
    done()
  end)

  -- Another process truncates the segment to 0 and sizes it again, over and
  -- over, while this one writes its second MiB and reads it all.
  -- Before the fix a write that passed its size check just before a
  -- truncation grew the segment back (to a size the other process never
  -- sets) and a read returned fewer bytes than asked for, without error.
  it("shm.concurrent_truncation: write never grows a truncated segment back, read is never short", function()
    local size, block = 4 * 1048576, string.rep("x", 1048576)
    local shm, done = fresh(size)
    local child = H.spawn(string.format([[
      local stop = posix_ipc.monotonic() + 1.0
      while posix_ipc.monotonic() < stop do
        posix_ipc.SharedMemory(%q, posix_ipc.O_TRUNC):close_fd()
        posix_ipc.SharedMemory(%q, 0, 384, %d):close_fd()
      end
    ]], shm.name, shm.name, size))
    local regrown, short, succeeded, refused = 0, 0, 0, 0
    local stop = H.now() + 0.9
    while H.now() < stop do
      local ok, err = pcall(shm.write, shm, block, #block)
      local read_ok, data = pcall(shm.read, shm, size)
      for _, result in ipairs({{ok, err}, {read_ok, data}}) do
        if result[1] then
          succeeded = succeeded + 1
        else
          assert.are.equal("The offset and byte count must lie within the segment", result[2].message)
          refused = refused + 1
        end
      end
      if read_ok and #data ~= size then short = short + 1 end
      local now = shm.size
      if now ~= 0 and now ~= size then regrown = regrown + 1 end
    end
    local output, child_ok = child:wait()
    assert.is_true(child_ok, output)
    assert.are.same({0, 0}, {regrown, short})
    assert.is_true(succeeded > 0 and refused > 0, "the race did not run both ways")
    done()
  end)

  it("shm.cross_process: bytes a child process writes by name are read by the parent", function()
    local shm, done = fresh(16)
    H.run(string.format([[
      local shm = posix_ipc.SharedMemory(%q)
      shm:write("from\0child", 3)
      shm:close_fd()
    ]], shm.name))
    assert.are.equal("from\0child", shm:read(10, 3))
    done()
  end)
end)
