-- busted helper (--helper=suite_check.lua) that makes a run fail unless every
-- test it has ran, and records what passed.
--
-- "Every test it has" is found in the source: each it("...", ...) with a literal
-- name in the *_spec.lua files beside this helper must have ended (success,
-- failure, error or pending). A file that stops partway, a before_each that
-- fails, or a filter that leaves tests out turns the run red.
--
-- With POSIX_IPC_RESULTS=FILE the outcome of every test is written to FILE, one
-- line each: "passed|failed|skipped <TAB> case ID (or -) <TAB> test name" (and
-- for a skipped test <TAB> its reason). The
-- file is removed when the run starts; tests/parity.py reads it.
local busted = require "busted"

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local results_file = os.getenv("POSIX_IPC_RESULTS")
if results_file then os.remove(results_file) end

-- *_lua54_spec.lua files use 5.4-only syntax: the older Luas do not run them.
local runs_lua54_specs = _VERSION == "Lua 5.4"

local function declared_tests()
  local names, listing = {}, assert(io.popen("ls '" .. here .. "'"))
  for file in listing:lines() do
    if file:match("_spec%.lua$") and (runs_lua54_specs or not file:match("_lua54_spec%.lua$")) then
      local source = assert(io.open(here .. file)):read("*a")
      for _, name in source:gmatch("%f[%w_]it%s*%(%s*([\"'])(.-)%1%s*,") do
        names[#names + 1] = { file = file, name = name }
      end
    end
  end
  listing:close()
  return names
end

-- What a test uses, read from its source and name: where the platform lacks
-- it (a simulated macOS lane), the test is skipped (busted's pending) with a
-- reason naming the feature and its constant. Linux has every feature, so
-- there nothing is skipped.
local posix_ipc = require "posix_ipc"
local platform = os.getenv("POSIX_IPC_PLATFORM")
if platform == nil or platform == "" then platform = "this platform" end
local USES = {
  { "MESSAGE_QUEUES_SUPPORTED", "message queues",
    { "MessageQueue", "unlink_message_queue", "queue_name", "track_queue", "QUEUE_", "O_NONBLOCK", "O_RDONLY",
      "O_WRONLY", "O_RDWR", "USER_SIGNAL", "%f[%w_]mq%f[^%w_]", "%f[%w_]mq%.", "message queue" } },
  { "SEMAPHORE_VALUE_SUPPORTED", "a semaphore's value (sem_getvalue)", { "%.value%f[^%w_]" } },
  -- a finite timeout > 0: s:acquire(0.3), H.timed(s.acquire, s, 0.2)
  { "SEMAPHORE_TIMEOUT_SUPPORTED", "semaphore timeouts (sem_timedwait)",
    { ":acquire%(%s*[1-9%.]", ":acquire%(%s*0%.%d*[1-9]", "%.acquire,%s*[%w_]+,%s*[1-9%.]",
      "%.acquire,%s*[%w_]+,%s*0%.%d*[1-9]" } },
}
local source_lines = {}
local function source_of(fn, name)
  local info = debug.getinfo(fn, "S")
  local file = info.source:match("^@(.*)")
  if not file then return name end
  if not source_lines[file] then
    local lines = {}
    for line in io.lines(file) do lines[#lines + 1] = line end
    source_lines[file] = lines
  end
  local lines = source_lines[file]
  return name .. "\n" .. table.concat(lines, "\n", info.linedefined, math.min(info.lastlinedefined, #lines))
end
local function missing_capability(element)
  if type(element.run) ~= "function" then return nil end
  -- The tests of the platform's gaps check both sides themselves.
  local name = element.name or ""
  if name:find("^platform%.") or name:find("^module%.constants%.supported") then return nil end
  local source
  for _, use in ipairs(USES) do
    if posix_ipc[use[1]] == false then
      source = source or source_of(element.run, element.name or "")
      for _, pattern in ipairs(use[3]) do
        if source:find(pattern) then
          return string.format("%s not supported on %s (%s false)", use[2], platform, use[1])
        end
      end
    end
  end
end
busted.subscribe({ "test", "start" }, function(element)
  local reason = missing_capability(element)
  -- The test's own pending() (busted sets it before "test start"): it ends
  -- the test as pending with this reason.
  local pending = element.env and element.env.pending
  if reason and pending then element.run = function() pending(reason) end end
  return nil, true
end)

local OUTCOME = { success = "passed", failure = "failed", error = "failed", pending = "skipped" }
local reasons = {}
busted.subscribe({ "pending" }, function(element, _, message)
  if element.name then reasons[element.name] = tostring(message or "") end
  return nil, true
end)
local ran, order = {}, {}
busted.subscribe({ "test", "end" }, function(element, _, status)
  local name = element.name or "?"
  if not ran[name] or OUTCOME[status] == "failed" then
    if not ran[name] then order[#order + 1] = name end
    ran[name] = OUTCOME[status] or "failed"
  end
  return nil, true
end)

busted.subscribe({ "exit" }, function()
  local problems = {}
  for _, test in ipairs(declared_tests()) do
    if not ran[test.name] then
      problems[#problems + 1] = test.file .. ": \"" .. test.name .. "\" is in the source but never ran"
    end
  end
  if #order == 0 then problems[#problems + 1] = "no test ran" end
  if results_file then
    local directory = results_file:match("^(.*)/[^/]*$")
    if directory then os.execute("mkdir -p '" .. directory .. "'") end
    local out = assert(io.open(results_file .. ".tmp", "w"))
    for _, name in ipairs(order) do
      out:write(ran[name], "\t", name:match("^([%w_%-]+%.[%w_%.%-]+):") or "-", "\t", name)
      -- A skipped test's reason, for tests/parity.py.
      if ran[name] == "skipped" and reasons[name] then out:write("\t", (reasons[name]:gsub("%s+", " "))) end
      out:write("\n")
    end
    out:close()
    assert(os.rename(results_file .. ".tmp", results_file))
  end
  if #problems > 0 then
    for _, problem in ipairs(problems) do io.stdout:write("suite check: ", problem, "\n") end
    io.stdout:flush()
    os.exit(1)
  end
  return nil, true
end)
