-- Shared by the *_spec.lua files (loaded with dofile): unique names, the
-- /dev/shm leak check, error assertions, child processes and a clock.
local posix_ipc = require "posix_ipc"

local H = {}

local stat = assert(io.open("/proc/self/stat"))
H.pid = stat:read("*n")
stat:close()

H.LUA = os.getenv("POSIX_IPC_LUA") or "lua5.4"
-- math.type on every Lua: on 5.1, 5.2 and LuaJIT (one number type) a whole
-- number within 2^53 is what the module treats as an integer.
H.math_type = math.type or function(x)
  if type(x) ~= "number" then return nil end
  return (x % 1 == 0 and x >= -2 ^ 53 and x <= 2 ^ 53) and "integer" or "float"
end
-- Upper bounds on how long a call may take are strict in a normal run and this
-- many times looser under valgrind or a sanitizer (scripts/sanitize sets it).
H.TIME_SCALE = math.max(1, tonumber(os.getenv("POSIX_IPC_TIME_SCALE") or "1") or 1)
H.now = posix_ipc.monotonic

local counter = 0
-- "/lua_test_<pid>_<counter>", unique in this run.
function H.name(kind)
  counter = counter + 1
  return string.format("/lua_test_%s_%d_%d", kind or "x", H.pid, counter)
end

-- Message queues are not visible in /dev/mqueue here: each test tracks the
-- queue names it creates and after_each unlinks them.
H.queues = {}
function H.queue_name()
  local name = H.name("q")
  H.queues[#H.queues + 1] = name
  return name
end
function H.track_queue(name)
  H.queues[#H.queues + 1] = name
  return name
end

-- The entries of a directory as a set (empty where it is missing).
local function listing(directory)
  local entries = {}
  local pipe = assert(io.popen("ls -A " .. directory .. " 2>/dev/null"))
  for line in pipe:lines() do entries[line] = true end
  pipe:close()
  return entries
end

function H.shm_listing() return listing("/dev/shm") end

local before
function H.before_each()
  H.queues = {}
  before = H.shm_listing()
end

-- Unlinks tracked queues; fails (after removing them) if a semaphore or a
-- segment of this run (H.name's prefix) appeared in /dev/shm during the test.
-- Entries of other programs, such as the other languages' suites running at
-- the same time, are neither counted nor touched.
local OURS = string.format("lua_test_.-_%d_", H.pid)
function H.after_each()
  for _, name in ipairs(H.queues) do pcall(posix_ipc.unlink_message_queue, name) end
  H.queues = {}
  local leaked = {}
  for entry in pairs(H.shm_listing()) do
    if not before[entry] and entry:find(OURS) then
      leaked[#leaked + 1] = entry
      os.remove("/dev/shm/" .. entry)
    end
  end
  table.sort(leaked)
  assert(#leaked == 0, "left behind in /dev/shm: " .. table.concat(leaked, ", "))
end

-- Runs fn(...) and checks it raises a posix_ipc error of `class` (and `message`).
function H.raises(class, message, fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, "expected " .. class .. ", nothing was raised")
  assert(type(err) == "table", "expected an error object, got: " .. tostring(err))
  assert(err.class == class, "expected " .. class .. ", got " .. tostring(err))
  if message then
    assert(err.message == message, "expected message '" .. message .. "', got '" .. tostring(err.message) .. "'")
  end
  return err
end

-- Runs fn(...) and checks it raises Lua's "bad argument" string error.
function H.bad_argument(pattern, fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, "expected a bad argument error")
  assert(type(err) == "string" and err:find("bad argument", 1, true), "got: " .. tostring(err))
  if pattern then assert(err:find(pattern, 1, true), "expected '" .. pattern .. "' in: " .. err) end
  return err
end

-- Runs fn(...), checks it raises a string error, and returns that error
-- without its "file:line: " position (for exact comparisons).
function H.message(fn, ...)
  local ok, err = pcall(fn, ...)
  assert(not ok, "expected an error, nothing was raised")
  assert(type(err) == "string", "expected a string error, got: " .. tostring(err))
  return (err:gsub("^[^\n]-:%d+: ", ""))
end

-- Seconds fn takes, and what pcall(fn) returned.
function H.timed(fn, ...)
  local start = H.now()
  local ok, err = pcall(fn, ...)
  return H.now() - start, ok, err
end

-- Starts `lua5.4` on a script (a string) in the background, with the same
-- LUA_PATH/LUA_CPATH; returns a handle whose :wait() returns its output.
function H.spawn(script)
  local file = os.tmpname()
  local out = assert(io.open(file, "w"))
  out:write('local posix_ipc = require "posix_ipc"\n', script)
  out:close()
  -- The shell prints the exit status last: Lua 5.1's and LuaJIT's pipe:close() do not return it.
  local pipe = assert(io.popen(H.LUA .. " " .. file .. " 2>&1; echo \"exit status $?\""))
  return {
    wait = function()
      local output = pipe:read("*a")
      pipe:close()
      os.remove(file)
      local code
      output = output:gsub("exit status (%d+)\n$", function(status) code = tonumber(status); return "" end)
      return output, code == 0, code
    end,
  }
end

-- Runs a child to completion; asserts it succeeded.
function H.run(script)
  local output, ok, code = H.spawn(script):wait()
  assert(ok, "child failed (" .. tostring(code) .. "): " .. output)
  return output
end

-- Sends `signal` (a name such as "USR1") to this process after `delay` s.
function H.signal_later(signal, delay)
  return assert(io.popen(string.format("sleep %s; kill -%s %d", delay, signal, H.pid)))
end

-- Sends `signal` to this process once it is blocked in the kernel: its
-- /proc/<pid>/wchan names `wchan` (futex for a semaphore, poll for a queue, which waits in ppoll)
-- in three polls in a row, 10 ms apart. Where wchan is not readable it sends
-- after 10 s of polling anyway, so a test never waits on it for ever.
function H.signal_when_blocked(signal, wchan)
  return assert(io.popen(string.format([[
    seen=0; tries=0
    while [ $seen -lt 3 ] && [ $tries -lt 1000 ]; do
      case "$(cat /proc/%d/wchan 2>/dev/null)" in *%s*) seen=$((seen + 1));; *) seen=0;; esac
      tries=$((tries + 1)); sleep 0.01
    done
    kill -%s %d]], H.pid, wchan, signal, H.pid)))
end

-- A bound for a wait with no timeout: after `seconds` a child runs the Lua
-- `script` (with posix_ipc loaded), which must end the wait in a way the test
-- tells apart (a release, a marker message). Returns a handle whose :cancel()
-- stops the child if it has not fired yet; call it when the wait is over.
function H.watchdog(seconds, script)
  local file = os.tmpname()
  local out = assert(io.open(file, "w"))
  out:write('local posix_ipc = require "posix_ipc"\n', script)
  out:close()
  -- The shell's pid first; a TERM stops the sleep and skips the script.
  local pipe = assert(io.popen(string.format(
    "echo $$; trap 'kill $! 2>/dev/null; exit 0' TERM; sleep %s & wait $!; exec %s %s >/dev/null 2>&1",
    seconds, H.LUA, file)))
  local pid = assert(tonumber(pipe:read("*l")))
  return {
    cancel = function()
      os.execute("kill " .. pid .. " 2>/dev/null")
      pipe:close()
      os.remove(file)
    end,
  }
end

-- Checks no notification is still on its way, however slow the machine: a
-- control callback requested on the (empty) queue `q` and triggered now must be
-- the only one dispatched; `calls` is the list the callbacks append to.
-- Notifications are queued in the order the kernel sent them, so a late one
-- would come first. No fixed sleep.
function H.no_late_notification(q, calls)
  local before = #calls
  q:request_notification(function(param) calls[#calls + 1] = param end, "control")
  q:send("control")
  local deadline = H.now() + 10
  while #calls == before and H.now() < deadline do posix_ipc.dispatch(0.1) end
  q:receive()
  local arrived = {}
  for i = before + 1, #calls do arrived[#arrived + 1] = tostring(calls[i]) end
  if table.concat(arrived, ",") ~= "control" then
    error("expected only the control notification, got: " .. table.concat(arrived, ","), 2)
  end
end

-- The entries of /dev/mqueue (empty where it is not mounted).
function H.mqueue_listing() return listing("/dev/mqueue") end

-- Reads one number from a file, or `default` where the file is missing.
function H.read_number(path, default)
  local file = io.open(path)
  if not file then return default end
  local value = file:read("*n")
  file:close()
  return value
end

-- What `bash -c 'kill -l NAME'` prints: the C library's signal number, found
-- without the module.
function H.signal_number(name)
  local pipe = assert(io.popen("bash -c 'kill -l " .. name .. "'"))
  local value = tonumber(pipe:read("*l"))
  pipe:close()
  return value
end

function H.sleep(seconds)
  os.execute("sleep " .. seconds)
end

return H
