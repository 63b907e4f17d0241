-- busted helper (--helper=suite_check.lua) that makes a run fail unless every
-- test it has ran, and records what passed.
--
-- "Every test it has" is found in the source: each it("...", ...) with a literal
-- name in the *_spec.lua files beside this helper must have ended (success,
-- failure, error or pending). A file that stops partway, a before_each that
-- fails, or a filter that leaves tests out turns the run red.
--
-- With POSIX_IPC_RESULTS=FILE the outcome of every test is written to FILE, one
-- line each: "passed|failed|skipped <TAB> case ID (or -) <TAB> test name". The
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

local OUTCOME = { success = "passed", failure = "failed", error = "failed", pending = "skipped" }
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
      out:write(ran[name], "\t", name:match("^([%w_%-]+%.[%w_%.%-]+):") or "-", "\t", name, "\n")
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
