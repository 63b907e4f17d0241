"""Cross-language checks: objects made in each language are opened by name and
used from the other two — a queue with a binary payload and a priority, a
semaphore handshake, shared-memory bytes — and the maker checks what came back.
Run by ctest as `cross_language` (POSIX_IPC_BUILD names the build tree).
"""
import os
import subprocess
import sys

import pytest

BUILD = os.environ["POSIX_IPC_BUILD"]
sys.path.insert(0, os.path.join(BUILD, "python"))
import posix_ipc  # noqa: E402

ALL_BYTES = bytes(range(256))
LANGUAGES = ["python", "lua", "tcl"]

# Each language: a script that makes the three objects (the semaphore at 0, the
# segment holding all 256 byte values, two such messages at priority 7), and a
# script that opens them by name, checks the bytes, sends back
# "from <language>\0\xff" at priority 5 and releases the semaphore.
MAKE = {
    "python": """
import sys, posix_ipc
p = sys.argv[1]
posix_ipc.Semaphore(p + "_sem", posix_ipc.O_CREX, initial_value=0).close()
m = posix_ipc.SharedMemory(p + "_shm", posix_ipc.O_CREX, size=256); m.write(bytes(range(256))); m.close_fd()
q = posix_ipc.MessageQueue(p + "_mq", posix_ipc.O_CREX, max_messages=4, max_message_size=512)
q.send(bytes(range(256)), priority=7); q.send(bytes(range(256)), priority=7); q.close()
""",
    "lua": """
local posix_ipc = require "posix_ipc"
local p = arg[1]
local t = {} for i = 0, 255 do t[#t + 1] = string.char(i) end
local all = table.concat(t)
posix_ipc.Semaphore(p .. "_sem", posix_ipc.O_CREX, 384, 0):close()
local m = posix_ipc.SharedMemory{name = p .. "_shm", flags = posix_ipc.O_CREX, size = 256}
m:write(all) m:close_fd()
local q = posix_ipc.MessageQueue{name = p .. "_mq", flags = posix_ipc.O_CREX, max_messages = 4, max_message_size = 512}
q:send(all, nil, 7) q:send{message = all, priority = 7} q:close()
""",
    "tcl": """
package require posix_ipc
set p [lindex $argv 0]
for {set i 0} {$i < 256} {incr i} { lappend values $i }
set all [binary format c* $values]
set s [posix_ipc::Semaphore ${p}_sem $posix_ipc::O_CREX 0600 0]; $s close; $s destroy
set m [posix_ipc::SharedMemory ${p}_shm -flags $posix_ipc::O_CREX -size 256]; $m write $all; $m close_fd; $m destroy
set q [posix_ipc::MessageQueue ${p}_mq -flags $posix_ipc::O_CREX -max_messages 4 -max_message_size 512]
$q send $all -priority 7; $q send $all "" 7; $q close; $q destroy
""",
}

USE = {
    "python": """
import sys, posix_ipc
p = sys.argv[1]
m = posix_ipc.SharedMemory(p + "_shm"); assert m.read() == bytes(range(256)); m.close_fd()
q = posix_ipc.MessageQueue(p + "_mq")
message, priority = q.receive(timeout=5)
assert message == bytes(range(256)) and priority == 7, (message, priority)
q.send(b"from python\\0\\xff", priority=5); q.close()
s = posix_ipc.Semaphore(p + "_sem"); s.release(); s.close()
""",
    "lua": """
local posix_ipc = require "posix_ipc"
local p = arg[1]
local t = {} for i = 0, 255 do t[#t + 1] = string.char(i) end
local all = table.concat(t)
local m = posix_ipc.SharedMemory(p .. "_shm"); assert(m:read() == all, "shm bytes differ"); m:close_fd()
local q = posix_ipc.MessageQueue(p .. "_mq")
local message, priority = q:receive(5)
assert(message == all and priority == 7, "message or priority differs")
q:send("from lua\\0\\255", nil, 5) q:close()
local s = posix_ipc.Semaphore(p .. "_sem"); s:release(); s:close()
""",
    "tcl": """
package require posix_ipc
set p [lindex $argv 0]
for {set i 0} {$i < 256} {incr i} { lappend values $i }
set all [binary format c* $values]
set m [posix_ipc::SharedMemory ${p}_shm]
if {[$m read] ne $all} { error "shm bytes differ" }
$m close_fd
set q [posix_ipc::MessageQueue ${p}_mq]
lassign [$q receive 5] message priority
if {$message ne $all || $priority != 7} { error "message or priority differs" }
$q send [binary format a*cc "from tcl" 0 255] -priority 5
$q close
set s [posix_ipc::Semaphore ${p}_sem]; $s release; $s close
""",
}


def run(language, script, prefix):
    env = dict(os.environ,
               PYTHONPATH=os.path.join(BUILD, "python"),
               LUA_CPATH=os.path.join(BUILD, "lua", "?.so") + ";;",
               LUA_PATH=os.path.join(BUILD, "lua", "?.lua") + ";;",
               TCLLIBPATH=os.path.join(BUILD, "tcl"))
    if language == "python":
        command = [sys.executable, "-c", script, prefix]
    elif language == "lua":
        command = ["lua5.4", "-", prefix]
    else:
        command = ["tclsh", "/dev/stdin", prefix]
    done = subprocess.run(command, input=script if language != "python" else None, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, "%s failed:\n%s%s" % (language, done.stdout, done.stderr)


@pytest.mark.parametrize("maker", LANGUAGES)
def test_objects_made_in_one_language_work_from_the_other_two(maker):
    prefix = "/cross_%s_%d" % (maker, os.getpid())
    try:
        run(maker, MAKE[maker], prefix)
        users = [language for language in LANGUAGES if language != maker]
        for user in users:
            run(user, USE[user], prefix)
        semaphore = posix_ipc.Semaphore(prefix + "_sem")
        assert semaphore.value == len(users)
        semaphore.close()
        queue = posix_ipc.MessageQueue(prefix + "_mq")
        replies = sorted(queue.receive(0) for _ in users)
        assert replies == sorted((b"from " + user.encode() + b"\0\xff", 5) for user in users)
        assert queue.current_messages == 0
        queue.close()
    finally:
        for unlink in (posix_ipc.unlink_semaphore, posix_ipc.unlink_shared_memory, posix_ipc.unlink_message_queue):
            suffix = {posix_ipc.unlink_semaphore: "_sem", posix_ipc.unlink_shared_memory: "_shm",
                      posix_ipc.unlink_message_queue: "_mq"}[unlink]
            try:
                unlink(prefix + suffix)
            except posix_ipc.ExistentialError:
                pass
