"""The cross-language demo: a Python, a Lua and a Tcl process take turns.

Each turn, one process waits for its semaphore, reads what the previous one
left in shared memory, writes back its own line (carrying an FNV-1a hash of
what it read), reports the line over a message queue, and posts the next
process's semaphore. This script creates the objects, starts the three
processes, prints the transcript from the queue, and removes everything at
the end, also on Ctrl-C or when a process fails.

usage: python3 demo.py BUILD_DIR [ROUNDS]
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def fnv1a(data):
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    sys.path.insert(0, os.path.join(build, "python"))
    import posix_ipc

    languages = ["python", "lua", "tcl"]
    prefix = "/xdemo_%d" % os.getpid()
    env = dict(os.environ,
               PYTHONPATH=os.path.join(build, "python"),
               LUA_CPATH=os.path.join(build, "lua", "?.so") + ";;",
               LUA_PATH=os.path.join(build, "lua", "?.lua") + ";;",
               TCLLIBPATH=os.path.join(build, "tcl"))
    commands = {
        "python": [sys.executable, os.path.join(HERE, "participant.py")],
        "lua": ["lua5.4", os.path.join(HERE, "participant.lua")],
        "tcl": ["tclsh", os.path.join(HERE, "participant.tcl")],
    }
    created, children = [], []
    try:
        memory = posix_ipc.SharedMemory(prefix + "_memory", posix_ipc.O_CREX, size=4096)
        created.append(memory)
        memory.write(b"hello from the demo\0")
        turns = []
        for index, language in enumerate(languages):
            # Python's semaphore starts at 1: it has the first turn.
            turn = posix_ipc.Semaphore("%s_turn_%s" % (prefix, language), posix_ipc.O_CREX,
                                       initial_value=1 if index == 0 else 0)
            created.append(turn)
            turns.append(turn)
        transcript = posix_ipc.MessageQueue(prefix + "_transcript", posix_ipc.O_CREX,
                                            max_messages=10, max_message_size=256)
        created.append(transcript)

        print("Three processes share %s (guarded by semaphores) and report over %s.\n"
              % (memory.name, transcript.name))
        for index, language in enumerate(languages):
            following = languages[(index + 1) % len(languages)]
            arguments = [memory.name, turns[index].name,
                         "%s_turn_%s" % (prefix, following), transcript.name, str(rounds)]
            children.append(subprocess.Popen(commands[language] + arguments, env=env))

        previous = b"hello from the demo"
        for _ in range(rounds * len(languages)):
            line, priority = transcript.receive(timeout=20)
            # Each process reports the hash of what the one before it wrote:
            # check it here, so a byte lost or changed between languages shows.
            expected = "read %d bytes, fnv1a=%08x" % (len(previous), fnv1a(previous))
            verdict = "ok" if line.decode().endswith(expected) else "MISMATCH, expected " + expected
            print("%s  [%s]" % (line.decode(), verdict))
            if verdict != "ok":
                raise SystemExit("the transcript does not match what was written")
            previous = line
        for child in children:
            if child.wait(timeout=20) != 0:
                raise SystemExit("a participant failed with exit code %d" % child.returncode)
        print("\nAll %d turns done; every hash matched what the previous process wrote." % (rounds * 3))
    except posix_ipc.BusyError:
        raise SystemExit("a participant did not answer in time")
    except KeyboardInterrupt:
        print("\nInterrupted: stopping the participants and removing the demo's objects.")
        return 130
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
        for thing in created:
            if isinstance(thing, posix_ipc.SharedMemory):
                thing.close_fd()
            else:
                thing.close()
            thing.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
