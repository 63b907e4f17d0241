"""Python micro-benchmark of the posix_ipc module: the same operations as
raw_c.cpp through the real module. Prints "<op> <ns_per_op>" lines."""
import time

import posix_ipc


def ns_per_op(body, per_call=1):
    """Best of 3 rounds of about 1/6 s each; `body(n)` runs n iterations."""
    best = float("inf")
    for _ in range(3):
        iterations, start = 0, time.perf_counter_ns()
        while True:
            body(1000)
            iterations += 1000
            elapsed = time.perf_counter_ns() - start
            if elapsed > 0.5e9 / 3:
                break
        best = min(best, elapsed / iterations / per_call)
    return best


def main():
    sem = posix_ipc.Semaphore(None, posix_ipc.O_CREX, initial_value=1)
    mq = posix_ipc.MessageQueue(None, posix_ipc.O_CREX, max_messages=10, max_message_size=8192)
    message64, message4k = b"x" * 64, b"x" * 4096
    try:
        def sem_pair(n):
            acquire, release = sem.acquire, sem.release
            for _ in range(n):
                acquire()
                release()

        def sem_pair_attr(n):  # as people write it: attribute lookup each time
            for _ in range(n):
                sem.acquire()
                sem.release()

        def mq_roundtrip(message):
            def run(n):
                for _ in range(n):
                    mq.send(message)
                    mq.receive()
            return run

        def sem_value(n):
            for _ in range(n):
                sem.value

        def mq_current(n):
            for _ in range(n):
                mq.current_messages

        def method_call(n):
            for _ in range(n):
                mq.fileno()

        print("sem_pair %.1f" % ns_per_op(sem_pair_attr))
        print("sem_pair_bound %.1f" % ns_per_op(sem_pair))
        print("mq_64 %.1f" % ns_per_op(mq_roundtrip(message64)))
        print("mq_4096 %.1f" % ns_per_op(mq_roundtrip(message4k)))
        print("sem_value %.1f" % ns_per_op(sem_value))
        print("mq_current_messages %.1f" % ns_per_op(mq_current))
        print("method_call %.1f" % ns_per_op(method_call))
    finally:
        sem.close()
        sem.unlink()
        mq.close()
        mq.unlink()


if __name__ == "__main__":
    main()
