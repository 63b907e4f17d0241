"""A semaphore as a lock with "with": four processes increment one counter in
shared memory; none of the 4000 increments is lost. Run:
    PYTHONPATH=build/python python3 examples/python/semaphore_guard.py
"""
import os
import struct
import sys

import posix_ipc

WORKERS, INCREMENTS = 4, 1000


def main():
    lock = posix_ipc.Semaphore(None, posix_ipc.O_CREX, initial_value=1)
    memory = posix_ipc.SharedMemory(None, posix_ipc.O_CREX, size=8)
    try:
        children = []
        for _ in range(WORKERS):
            pid = os.fork()
            if pid == 0:
                for _ in range(INCREMENTS):
                    with lock:
                        (count,) = struct.unpack("q", memory.read(8))
                        memory.write(struct.pack("q", count + 1))
                os._exit(0)
            children.append(pid)
        for pid in children:
            os.waitpid(pid, 0)
        (count,) = struct.unpack("q", memory.read(8))
        print("counter = %d (expected %d)" % (count, WORKERS * INCREMENTS))
        return 0 if count == WORKERS * INCREMENTS else 1
    finally:
        lock.close()
        lock.unlink()
        memory.close_fd()
        memory.unlink()


if __name__ == "__main__":
    sys.exit(main())
