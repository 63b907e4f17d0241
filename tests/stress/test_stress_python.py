"""Load and leak checks for the Python module (ctest label: stress).

Bounded in count and time so they run in CI: several processes contending on
one semaphore-guarded counter, producers and consumers on one queue, a
notification re-armed hundreds of times, and create/use/close/unlink cycles
that must leave RSS and the open-fd count flat.
"""
import os
import resource
import struct
import subprocess
import sys
import threading
import time

import posix_ipc

PREFIX = "/stress_py_%d" % os.getpid()


def run_children(count, code, *arguments):
    env = dict(os.environ)
    children = [subprocess.Popen([sys.executable, "-c", code] + [str(a) for a in arguments], env=env)
                for _ in range(count)]
    for child in children:
        assert child.wait(timeout=120) == 0


def test_counter_under_contention_loses_no_update():
    workers, increments = 6, 2000
    lock = posix_ipc.Semaphore(PREFIX + "_lock", posix_ipc.O_CREX, initial_value=1)
    memory = posix_ipc.SharedMemory(PREFIX + "_counter", posix_ipc.O_CREX, size=8)
    try:
        run_children(workers, """
import struct, sys, posix_ipc
lock = posix_ipc.Semaphore(sys.argv[1]); memory = posix_ipc.SharedMemory(sys.argv[2])
for _ in range(int(sys.argv[3])):
    with lock:
        memory.write(struct.pack("q", struct.unpack("q", memory.read(8))[0] + 1))
lock.close(); memory.close_fd()
""", lock.name, memory.name, increments)
        assert struct.unpack("q", memory.read(8))[0] == workers * increments
    finally:
        lock.close(); lock.unlink(); memory.close_fd(); memory.unlink()


def test_producers_and_consumers_lose_duplicate_and_reorder_nothing():
    producers, per_producer = 4, 2000
    queue = posix_ipc.MessageQueue(PREFIX + "_queue", posix_ipc.O_CREX, max_messages=10, max_message_size=64)
    try:
        code = """
import sys, posix_ipc
queue = posix_ipc.MessageQueue(sys.argv[1], read=False)
for number in range(int(sys.argv[3])):
    queue.send(b"%s:%d" % (sys.argv[2].encode(), number), timeout=30, priority=number % 3)
queue.close()
"""
        env = dict(os.environ)
        children = [subprocess.Popen([sys.executable, "-c", code, queue.name, str(p), str(per_producer)], env=env)
                    for p in range(producers)]
        last_seen = {}  # (producer, priority) -> last number: FIFO within a priority per sender
        received = set()
        for _ in range(producers * per_producer):
            message, priority = queue.receive(timeout=30)
            producer, number = message.decode().split(":")
            number = int(number)
            assert number % 3 == priority
            assert (producer, number) not in received
            received.add((producer, number))
            key = (producer, priority)
            assert last_seen.get(key, -1) < number
            last_seen[key] = number
        for child in children:
            assert child.wait(timeout=60) == 0
        assert len(received) == producers * per_producer
        assert queue.current_messages == 0
    finally:
        queue.close(); queue.unlink()


def test_notification_rearmed_hundreds_of_times_is_never_lost():
    rounds = 300
    queue = posix_ipc.MessageQueue(PREFIX + "_notify", posix_ipc.O_CREX, max_messages=4, max_message_size=16)
    delivered = threading.Semaphore(0)
    count = [0]

    def on_message(q):
        count[0] += 1
        q.receive(0)
        q.request_notification((on_message, q))
        delivered.release()

    try:
        queue.request_notification((on_message, queue))
        for _ in range(rounds):
            queue.send(b"x")
            assert delivered.acquire(timeout=5), "notification %d was lost" % (count[0] + 1)
        assert count[0] == rounds
        queue.request_notification()
    finally:
        queue.close(); queue.unlink()


def rss_kib():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() // 1024


def open_fds():
    return len(os.listdir("/proc/self/fd"))


def cycles(count):
    for _ in range(count):
        sem = posix_ipc.Semaphore(PREFIX + "_cycle", posix_ipc.O_CREX, initial_value=1)
        sem.acquire(0); sem.release(); sem.close(); sem.unlink()
        shm = posix_ipc.SharedMemory(PREFIX + "_cycle", posix_ipc.O_CREX, size=4096)
        shm.write(b"abc"); shm.read(3); shm.close_fd(); shm.unlink()
        mq = posix_ipc.MessageQueue(PREFIX + "_cycle", posix_ipc.O_CREX, max_messages=2, max_message_size=64)
        mq.send(b"abc"); mq.receive(0); mq.close(); mq.unlink()


def test_create_use_close_unlink_cycles_leave_memory_and_fds_flat():
    cycles(2000)  # warm up allocators and caches
    rss_before, fds_before = rss_kib(), open_fds()
    cycles(int(os.environ.get("POSIX_IPC_STRESS_CYCLES", "100000")))
    growth = rss_kib() - rss_before
    assert open_fds() == fds_before
    assert growth < 2048, "RSS grew by %d KiB" % growth
