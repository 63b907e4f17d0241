"""Mixed-language contention (ctest: stress.mixed).

One semaphore-guarded 8-byte counter in shared memory, incremented at the same
time by Python, Lua and Tcl child processes; the final count must be exact.
The build tree comes from POSIX_IPC_BUILD; the interpreters from
POSIX_IPC_PYTHON_EXECUTABLE / POSIX_IPC_LUA / POSIX_IPC_TCLSH (defaults:
this Python, lua5.4, tclsh).
"""
import os
import struct
import subprocess
import sys

import pytest

BUILD = os.environ.get("POSIX_IPC_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
PYTHON = os.environ.get("POSIX_IPC_PYTHON_EXECUTABLE", sys.executable)
LUA = os.environ.get("POSIX_IPC_LUA", "lua5.4")
TCLSH = os.environ.get("POSIX_IPC_TCLSH", "tclsh")

sys.path.insert(0, os.path.join(BUILD, "python"))
import posix_ipc  # noqa: E402

PREFIX = "/stress_mixed_%d" % os.getpid()

PYTHON_CHILD = """
import struct, sys, posix_ipc
lock = posix_ipc.Semaphore(sys.argv[1]); memory = posix_ipc.SharedMemory(sys.argv[2])
for _ in range(int(sys.argv[3])):
    with lock:
        memory.write(struct.pack("<q", struct.unpack("<q", memory.read(8))[0] + 1))
lock.close(); memory.close_fd()
"""

LUA_CHILD = """
local posix_ipc = require "posix_ipc"
local lock = posix_ipc.Semaphore(arg[1]); local memory = posix_ipc.SharedMemory(arg[2])
for _ = 1, tonumber(arg[3]) do
  lock:acquire()
  memory:write(string.pack("<i8", (string.unpack("<i8", memory:read(8))) + 1))
  lock:release()
end
lock:close(); memory:close_fd()
"""

TCL_CHILD = """
package require posix_ipc
lassign $argv lock_name memory_name count
set lock [posix_ipc::Semaphore $lock_name]; set memory [posix_ipc::SharedMemory $memory_name]
for {set i 0} {$i < $count} {incr i} {
    $lock acquire
    binary scan [$memory read 8] w value
    $memory write [binary format w [expr {$value + 1}]]
    $lock release
}
$lock close; $memory close_fd
"""


def environment():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(BUILD, "python")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["LUA_CPATH"] = os.path.join(BUILD, "lua", "?.so") + ";;"
    env["LUA_PATH"] = os.path.join(BUILD, "lua", "?.lua") + ";;"
    env["TCLLIBPATH"] = os.path.join(BUILD, "tcl")
    return env


def test_python_lua_and_tcl_share_one_counter_without_losing_updates(tmp_path):
    per_language, increments = 2, 2000
    tcl_script = tmp_path / "child.tcl"
    tcl_script.write_text(TCL_CHILD)
    lua_script = tmp_path / "child.lua"
    lua_script.write_text(LUA_CHILD)
    lock = posix_ipc.Semaphore(PREFIX + "_lock", posix_ipc.O_CREX, initial_value=1)
    memory = posix_ipc.SharedMemory(PREFIX + "_counter", posix_ipc.O_CREX, size=8)
    try:
        names = [lock.name, memory.name, str(increments)]
        commands = ([[PYTHON, "-c", PYTHON_CHILD] + names] * per_language
                    + [[LUA, str(lua_script)] + names] * per_language
                    + [[TCLSH, str(tcl_script)] + names] * per_language)
        env = environment()
        children = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                    for command in commands]
        failures = []
        for command, child in zip(commands, children):
            output, _ = child.communicate(timeout=120)
            if child.returncode != 0:
                failures.append((command[0], child.returncode, output.decode(errors="replace")))
        assert not failures, failures
        total = struct.unpack("<q", memory.read(8))[0]
        assert total == len(commands) * increments
    finally:
        lock.close(); lock.unlink(); memory.close_fd(); memory.unlink()


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-p", "no:cacheprovider"]))
