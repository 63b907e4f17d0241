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
-- A number with an integer representation (5.1/LuaJIT: whole, within 2^53).
local integer_valued = math.tointeger or function(x) return x % 1 == 0 and x >= -2 ^ 53 and x <= 2 ^ 53 end
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
-- The table form: known keys only, returned in positional order.
local function from_table(t, keys, fname)
  for key in pairs(t) do
    local known = false
    for _, k in ipairs(keys) do if k == key then known = true break end end
    if not known then
      error(string.format("bad argument #1 to '%s' (unknown field '%s')", fname, tostring(key)), 3)
    end
  end
  local values = {}
  for i, k in ipairs(keys) do values[i] = t[k] end
  return unpack(values, 1, #keys)
end

-- ---- classes -----------------------------------------------------------------
-- The cold methods call SWIG's own wrappers of the class, read from its
-- first object through SWIG's method lookup (object.close) and kept in
-- upvalues by each class's `fill`, which every new SWIG object goes through.

-- One proxy class. Returns
--   metatable  attributes are read and written by C functions over the one
--              attribute table (attribute_index/attribute_newindex in
--              swig/lua.i); the class adds __close;
--   methods    filled by the class, copied into each object;
--   object_of  object_of[self] is the SWIG object of a proxy of this class,
--              nil for anything else (a weak-keyed table: one VM lookup);
--   bad_self   bad_self(self, "m"): the error of method m called on something
--              else, worded as the C methods word it (see swig/lua.i). Call it
--              from m itself, never as a tail call: level 2 is m, 3 m's caller.
--   wrap       wrap(swig_object) -> a new proxy.
-- So a Lua-side method m reads `f(object_of[self] or bad_self(self, "m"))`.
local function make_class(class)
  local class_name = "posix_ipc." .. class
  local index, newindex = core._attribute_functions(class)
  local metatable = {
    __name = class_name,
    __index = index,
    __newindex = newindex,
    __tostring = function(self) return self.name end,
  }
  local methods = {}
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
    local proxy = { object }
    for key, method in pairs(methods) do proxy[key] = method end
    core._bind(proxy, class)  -- records its C++ object; the C hot methods
    object_of[proxy] = object
    return setmetatable(proxy, metatable)
  end
  return metatable, methods, object_of, bad_self, wrap
end

-- Semaphore ---------------------------------------------------------------------
do
  local close, unlink, closed
  local function fill(object)
    if not close then close, unlink, closed = object.close, object.unlink, object._closed end
    return object
  end
  local metatable, methods, object_of, bad_self, wrap =
    make_class("Semaphore")
  -- acquire(timeout=nil) or acquire{timeout=}, and release(): from core._bind.
  methods.close = function(self) return close(object_of[self] or bad_self(self, "close")) end
  methods.unlink = function(self) return unlink(object_of[self] or bad_self(self, "unlink")) end
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
    if not closed(object) then close(object) end
  end
  local new = core.Semaphore
  local keys = { "name", "flags", "mode", "initial_value" }
  -- Semaphore(name, flags=0, mode=0600, initial_value=0) or Semaphore{...}
  function M.Semaphore(name, flags, mode, initial_value)
    if type(name) == "table" then name, flags, mode, initial_value = from_table(name, keys, "Semaphore") end
    return wrap(fill(new(name, flags, mode, initial_value)))
  end
end

-- SharedMemory ------------------------------------------------------------------
do
  local close_fd, unlink, fileno, read, write
  local function fill(object)
    if not close_fd then
      close_fd, unlink, fileno, read, write = object.close_fd, object.unlink, object.fileno, object.read, object.write
    end
    return object
  end
  local metatable, methods, object_of, bad_self, wrap =
    make_class("SharedMemory")
  methods.close_fd = function(self) return close_fd(object_of[self] or bad_self(self, "close_fd")) end
  methods.unlink = function(self) return unlink(object_of[self] or bad_self(self, "unlink")) end
  methods.fileno = function(self) return fileno(object_of[self] or bad_self(self, "fileno")) end
  -- getfd(): the descriptor, -1 once closed (LuaSocket's socket.select and
  -- cqueues-style loops ask objects for getfd).
  methods.getfd = function(self)
    if not object_of[self] then bad_self(self, "getfd") end
    return self.fd
  end
  -- read(byte_count=0, offset=0): 0 bytes means "to the end".
  methods.read = function(self, byte_count, offset)
    return read(object_of[self] or bad_self(self, "read"), byte_count, offset)
  end
  -- write(data, offset=0): data is a string, or a number (written as Lua's tostring shows it).
  methods.write = function(self, data, offset)
    return write(object_of[self] or bad_self(self, "write"), data, offset)
  end
  -- local shm <close> = ...: close_fd() (a no-op when already closed); never unlinks.
  metatable.__close = function(self) close_fd(self[1]) end
  local new = core.SharedMemory
  local keys = { "name", "flags", "mode", "size", "read_only" }
  -- SharedMemory(name, flags=0, mode=0600, size=0, read_only=false) or SharedMemory{...}
  function M.SharedMemory(name, flags, mode, size, read_only)
    if type(name) == "table" then name, flags, mode, size, read_only = from_table(name, keys, "SharedMemory") end
    return wrap(fill(new(name, flags, mode, size, read_only)))
  end
end

-- MessageQueue ------------------------------------------------------------------
-- Callback notifications: the core's notification thread only queues a
-- token (C++, under a mutex, plus an eventfd write); posix_ipc.dispatch()
-- runs the callbacks of the tokens that arrived, on the calling thread.
local callbacks = {}                         -- token -> {func, param}
local token_of = setmetatable({}, { __mode = "k" })  -- proxy -> its pending token

local function forget_callback(proxy)
  local token = token_of[proxy]
  if token then
    callbacks[token] = nil
    token_of[proxy] = nil
  end
end

do
  local close, unlink, fileno, closed, request_signal, request_callback, cancel
  local function fill(object)
    if not close then
      close, unlink, fileno, closed = object.close, object.unlink, object.fileno, object._closed
      request_signal, request_callback, cancel = object._request_signal, object._request_callback,
        object._cancel_notification
    end
    return object
  end
  local bad_notification = core._bad_notification
  local metatable, methods, object_of, bad_self, wrap = make_class("MessageQueue")
  -- send(message, timeout=nil, priority=0) or send{...}, and
  -- receive(timeout=nil) or receive{timeout=} -> message, priority: from core._bind.
  methods.fileno = function(self) return fileno(object_of[self] or bad_self(self, "fileno")) end
  -- getfd(): the queue's descriptor (readable when a message waits), -1 once
  -- closed, for LuaSocket's socket.select and cqueues-style loops.
  methods.getfd = function(self)
    local object = object_of[self] or bad_self(self, "getfd")
    if closed(object) then return -1 end
    return fileno(object)
  end
  methods.close = function(self)
    close(object_of[self] or bad_self(self, "close"))
    forget_callback(self)
  end
  methods.unlink = function(self) return unlink(object_of[self] or bad_self(self, "unlink")) end
  -- request_notification(): cancel; (signum): raise that signal;
  -- (func[, param]) or ({func, param}): func(param) on a later posix_ipc.dispatch().
  methods.request_notification = function(self, notification, param)
    local object = object_of[self] or bad_self(self, "request_notification")
    if notification == nil then
      cancel(object)
      forget_callback(self)
      return
    end
    -- An integer-valued number is a signal (10 and 10.0 alike, as luaL_checkinteger takes them).
    if type(notification) == "number" and integer_valued(notification) then
      request_signal(object, notification)
      forget_callback(self)
      return
    end
    -- A callable (a function, or a table or userdata with __call) is the
    -- callback itself; another table is {func, param}.
    local func = notification
    if type(notification) == "table" and not callable(notification) then
      func, param = notification[1], notification[2]
    end
    if not callable(func) then
      error(bad_notification(), 0)
    end
    -- The token is unique in this Lua state: a module loaded again never runs this one's callbacks.
    local token = request_callback(object)
    forget_callback(self)
    callbacks[token] = { func, param }
    token_of[self] = token
  end
  -- local mq <close> = ...: closes the handle (never unlinks) unless already closed.
  metatable.__close = function(self)
    local object = self[1]
    if not closed(object) then close(object) end
    forget_callback(self)
  end
  local new = core.MessageQueue
  local keys = { "name", "flags", "mode", "max_messages", "max_message_size", "read", "write" }
  -- MessageQueue(name, flags=0, mode=0600, max_messages=<the system's default>,
  --              max_message_size=<the system's default, at most 8 KiB>, read=true, write=true)
  function M.MessageQueue(name, flags, mode, max_messages, max_message_size, read, write)
    if type(name) == "table" then
      name, flags, mode, max_messages, max_message_size, read, write = from_table(name, keys, "MessageQueue")
    end
    return wrap(fill(new(name, flags, mode, max_messages, max_message_size, read, write)))
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
    local callback = callbacks[token]
    if callback then
      callbacks[token] = nil
      for proxy, t in pairs(token_of) do
        if t == token then token_of[proxy] = nil end
      end
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
