-- posix_ipc for Lua 5.1, 5.2, 5.3, 5.4 and LuaJIT: `local posix_ipc = require "posix_ipc"`.
--
-- A thin layer over the SWIG module posix_ipc.core (swig/lua.i). Objects are
-- plain tables {[1] = <SWIG userdata>, acquire = ..., ...}: the methods are
-- raw fields of each object, so `sem:acquire()` costs one table lookup in the
-- VM and one C call; only attributes (`sem.value`, `mq.block = false`) and
-- `__close` (`local sem <close> = ...`) go through the metatable. See
-- bindings/lua/README.md.
local core = require "posix_ipc.core"

local M = {}

-- The same on every Lua: 5.1 and LuaJIT have unpack but no table.unpack or table.pack.
local unpack = table.unpack or unpack
local function pack(...) return { n = select("#", ...), ... } end
-- Anything a call accepts: a function, or a value whose metatable has __call
-- (debug.getmetatable sees past a __metatable field).
local function callable(value)
  if type(value) == "function" then return true end
  local mt = debug.getmetatable(value)
  return mt ~= nil and mt.__call ~= nil
end

-- ---- constants (the core's one table) ---------------------------------------
for key, value in pairs(core._constants()) do M[key] = value end
M.__version__ = M.VERSION
M.__author__ = "The posix_ipc for Python, Lua and Tcl authors"
M.__license__ = "BSD"
M.__copyright__ = "Copyright 2026 The posix_ipc for Python, Lua and Tcl authors"

-- ---- errors ------------------------------------------------------------------
-- A class is its name (a string); err.class == posix_ipc.BusyError.
-- As docs/api.md says, err:is(posix_ipc.Error) holds for every error the
-- module raises: every class, ValueError and TypeError included, derives
-- from Error (in Python those two are builtins; Lua has no such classes).
local parent_of = core._error_classes()  -- class -> its parent (Error's: false)
for class in pairs(parent_of) do M[class] = class end

local error_methods = {}
-- err:is(posix_ipc.Error): true for the class itself and its ancestors.
function error_methods:is(class)
  local c = self.class
  while c ~= nil do
    if c == class then return true end
    c = parent_of[c] or nil
  end
  return false
end
-- tostring(err): "file:line: posix_ipc.<Class>: <message>", where file:line
-- (err.where) is the user's call that failed, as for error(msg, 2).
local function error_text(err)
  local text = "posix_ipc." .. tostring(err.class) .. ": " .. tostring(err.message)
  if type(err.where) == "string" then return err.where .. " " .. text end
  return text
end
local error_metatable = {
  __index = error_methods,
  __name = "posix_ipc.error",
  __tostring = error_text,
  -- "failed: " .. err and err .. "!" concatenate its text.
  __concat = function(a, b) return tostring(a) .. tostring(b) end,
}
core._set_error_metatable(error_metatable)


-- ---- argument checks (Lua's own "bad argument" wording) ----------------------
-- The type name Lua's own errors show: a metatable's __name, else type().
local function type_name(value)
  if value == nil then return "no value" end
  local mt = getmetatable(value)
  local name = type(mt) == "table" and rawget(mt, "__name")
  return type(name) == "string" and name or type(value)
end
-- `level` 3 blames the caller of the function that called bad_argument (the default).
local function bad_argument(n, fname, expected, value, level)
  error(string.format("bad argument #%d to '%s' (%s expected, got %s)", n, fname, expected,
    type_name(value)), level or 3)
end
-- ---- classes -----------------------------------------------------------------
-- Callback notifications: the core's notification thread only posts a token
-- to the state's NotificationInbox; posix_ipc.dispatch() runs the callbacks
-- of the tokens that arrived, on the calling thread. The notification
-- typemap (swig/lua.i) keeps this module's requests here: pending[token] =
-- {func, param}, pending[SWIG object] = its token (the last it asked for).
local pending = setmetatable({}, { __mode = "k" })

-- Closing a queue drops its pending callback.
local function forget_callback(object)
  local token = pending[object]
  if token then pending[token], pending[object] = nil, nil end
end

-- Each class's constructor and methods come from the core's one table of
-- parameters (core._signature). The methods SWIG wraps call SWIG's own
-- wrappers, read from the class's first object through SWIG's method lookup
-- (object.close), which check the arguments; the hot methods are C closures
-- that core._bind gives each object.

-- self:m(a, b) -> SWIG's f(self's SWIG object, a, b), passing exactly the
-- method's `count` arguments.
local function forwarder(f, name, count, object_of, bad_self)
  if count == 0 then
    return function(self) return f(object_of[self] or bad_self(self, name)) end
  elseif count == 1 then
    return function(self, a) return f(object_of[self] or bad_self(self, name), a) end
  elseif count == 2 then
    return function(self, a, b) return f(object_of[self] or bad_self(self, name), a, b) end
  end
  return function(self, ...)
    return f(object_of[self] or bad_self(self, name), unpack(pack(...), 1, count))
  end
end

-- self:m(...) for a method taking a notification: SWIG's f(self's SWIG
-- object, {..., pending = pending}), the values in one table with the
-- module's pending callbacks (see core._signature and posix_ipc_lua.hpp).
local function packing_forwarder(f, name, object_of, bad_self)
  return function(self, ...) return f(object_of[self] or bad_self(self, name), { pending = pending, ... }) end
end

-- One proxy class, and its constructor M[class]: Class(name, ...) with the
-- parameters in the table's order, or Class{name=, ...}. Returns
--   metatable  attributes are read and written by C functions over the one
--              attribute table (attribute_index/attribute_newindex in
--              posix_ipc_lua_objects.hpp); the class adds __close;
--   methods    copied into each object: the class's own (those that do more
--              in Lua), and, from the first object on, a forwarder to SWIG's
--              wrapper for every other method of the table that SWIG wraps;
--   swig       SWIG's wrappers of the methods (and of `own`, the class's
--              Lua-only members), filled from the class's first object;
--   object_of  object_of[self] is the SWIG object of a proxy of this class,
--              nil for anything else (a weak-keyed table: one VM lookup);
--   bad_self   bad_self(self, "m"): the error of method m called on something
--              else, worded as the C methods word it (see swig/lua.i). Call it
--              from m itself, never as a tail call: level 2 is m, 3 m's caller.
-- So a Lua-side method m reads `f(object_of[self] or bad_self(self, "m"))`.
local function make_class(class, own)
  local class_name = "posix_ipc." .. class
  local index, newindex = core._attribute_functions(class)
  local parameters, method_counts, packed = core._signature(class)
  local metatable = {
    __name = class_name,
    __index = index,
    __newindex = newindex,
    __tostring = function(self) return self.name end,
  }
  local methods, swig = {}, {}
  local object_of = setmetatable({}, { __mode = "k" })
  local function bad_self(self, method)
    local detail = string.format("%s expected, got %s", class_name, type_name(self))
    local call = debug.getinfo(2, "n")
    if call and call.namewhat == "method" then
      error(string.format("calling '%s' on bad self (%s)", method, detail), 3)
    end
    error(string.format("bad argument #1 to '%s' (%s)", method, detail), 3)
  end
  local function wrap(object)
    if next(swig) == nil then
      for name, count in pairs(method_counts) do
        local f = object[name]
        swig[name] = f
        if f and methods[name] == nil then
          methods[name] = packed[name] and packing_forwarder(f, name, object_of, bad_self)
            or forwarder(f, name, count, object_of, bad_self)
        end
      end
      for _, name in ipairs(own) do swig[name] = object[name] end
    end
    local proxy = { object }
    for key, method in pairs(methods) do proxy[key] = method end
    core._bind(proxy, class)  -- records its C++ object; the C hot methods
    object_of[proxy] = object
    return setmetatable(proxy, metatable)
  end
  local new, count = core[class], #parameters
  M[class] = function(...)
    if type((...)) == "table" then return wrap(new(core._fields(class, (...)))) end
    return wrap(new(unpack(pack(...), 1, count)))
  end
  return metatable, methods, swig, object_of, bad_self
end

-- Semaphore ---------------------------------------------------------------------
do
  local metatable, methods, swig, object_of, bad_self = make_class("Semaphore", { "_closed" })
  -- sem:with(body, ...): acquire, return body(...), release (also when body raises).
  methods.with = function(self, body, ...)
    if not object_of[self] then bad_self(self, "with") end
    if not callable(body) then
      bad_argument(1, "with", "function", body)
    end
    self:acquire()
    local result = pack(pcall(body, ...))
    if not result[1] then
      -- The body's error is the one raised, even if releasing fails too.
      pcall(self.release, self)
      error(result[2], 0)
    end
    self:release()
    return unpack(result, 2, result.n)
  end
  -- local sem <close> = ...: closes the handle (never unlinks) unless already closed.
  metatable.__close = function(self)
    local object = self[1]
    if not swig._closed(object) then swig.close(object) end
  end
end

-- SharedMemory ------------------------------------------------------------------
do
  local metatable, methods, swig, object_of, bad_self = make_class("SharedMemory", {})
  -- getfd(): the descriptor, -1 once closed (LuaSocket's socket.select and
  -- cqueues-style loops ask objects for getfd).
  methods.getfd = function(self)
    if not object_of[self] then bad_self(self, "getfd") end
    return self.fd
  end
  -- local shm <close> = ...: close_fd() (a no-op when already closed); never unlinks.
  metatable.__close = function(self) swig.close_fd(self[1]) end
end

-- MessageQueue ------------------------------------------------------------------
do
  local metatable, methods, swig, object_of, bad_self = make_class("MessageQueue", { "_closed" })
  -- getfd(): the queue's descriptor (readable when a message waits), -1 once
  -- closed, for LuaSocket's socket.select and cqueues-style loops.
  methods.getfd = function(self)
    local object = object_of[self] or bad_self(self, "getfd")
    if swig._closed(object) then return -1 end
    return swig.fileno(object)
  end
  methods.close = function(self)
    local object = object_of[self] or bad_self(self, "close")
    swig.close(object)
    forget_callback(object)
  end
  -- local mq <close> = ...: closes the handle (never unlinks) unless already closed.
  metatable.__close = function(self)
    local object = self[1]
    if not swig._closed(object) then swig.close(object) end
    forget_callback(object)
  end
end

-- posix_ipc.dispatch([wait]) -> n: runs the callbacks whose notifications
-- arrived (waiting up to `wait` seconds for one if none has), on this thread.
-- A callback may re-arm. If callbacks raise, all still run and the first
-- error is re-raised afterwards.
function M.dispatch(wait)
  if wait ~= nil and type(wait) ~= "number" then bad_argument(1, "dispatch", "number", wait) end
  local tokens = core._take_tokens(wait)
  local ran, first_error = 0, nil
  for _, token in ipairs(tokens) do
    local callback = pending[token]
    if callback then
      pending[token] = nil
      ran = ran + 1
      local ok, err = pcall(callback[1], callback[2])
      if not ok and first_error == nil then first_error = err end
    end
  end
  if first_error ~= nil then error(first_error, 0) end
  return ran
end

-- ---- functions ---------------------------------------------------------------
-- unlink_*(name): SWIG's wrappers (which check the name), given exactly one argument.
for _, fname in ipairs { "unlink_semaphore", "unlink_shared_memory", "unlink_message_queue" } do
  local unlink = core[fname]
  M[fname] = function(name) return unlink(name) end
end

-- Helpers (Lua has no clock or signal API of its own):
M.notification_fd = core.notification_fd  -- readable when dispatch() has work
M.catch_signal = core.catch_signal        -- catch_signal(signum): count it; waits raise SignalError
M.signal_count = core.signal_count        -- signal_count(signum) -> times caught
M.default_signal = core.default_signal    -- default_signal(signum): the system's default action again
M.monotonic = core.monotonic              -- monotonic() -> seconds on CLOCK_MONOTONIC

-- As upstream's Python module where the platform has no message queues
-- (macOS): neither the class nor the unlink function.
if not M.MESSAGE_QUEUES_SUPPORTED then
  M.MessageQueue, M.unlink_message_queue = nil, nil
end

return M
