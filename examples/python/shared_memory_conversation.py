"""Two processes talk through shared memory, taking turns with two semaphores.

The parent writes a line, the child reads it and answers, five times. Run:
    PYTHONPATH=build/python python3 examples/python/shared_memory_conversation.py
"""
import os
import sys

import posix_ipc

ROUNDS = 5


def converse(memory, my_turn, their_turn, speaker, first):
    for round_number in range(ROUNDS):
        if not (first and round_number == 0):
            my_turn.acquire(timeout=10)
            heard = memory.read().split(b"\0", 1)[0].decode()
            print("%s heard: %s" % (speaker, heard))
        memory.write(("%s says hello #%d" % (speaker, round_number + 1)).encode() + b"\0")
        their_turn.release()
    if not first:
        return
    my_turn.acquire(timeout=10)
    print("%s heard: %s" % (speaker, memory.read().split(b"\0", 1)[0].decode()))


def main():
    memory = posix_ipc.SharedMemory(None, posix_ipc.O_CREX, size=posix_ipc.PAGE_SIZE)
    parent_turn = posix_ipc.Semaphore(None, posix_ipc.O_CREX)
    child_turn = posix_ipc.Semaphore(None, posix_ipc.O_CREX)
    try:
        pid = os.fork()
        if pid == 0:
            # The child opens everything again by name, as an unrelated program would.
            converse(posix_ipc.SharedMemory(memory.name), posix_ipc.Semaphore(child_turn.name),
                     posix_ipc.Semaphore(parent_turn.name), "child ", first=False)
            os._exit(0)
        converse(memory, parent_turn, child_turn, "parent", first=True)
        os.waitpid(pid, 0)
    finally:
        memory.close_fd()
        memory.unlink()
        for semaphore in (parent_turn, child_turn):
            semaphore.close()
            semaphore.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
