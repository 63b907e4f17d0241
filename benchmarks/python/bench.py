"""Python micro-benchmark of the posix_ipc module: the same operations as
raw_c.cpp through the real module. Prints "<op> <ns_per_op>" lines.

With POSIX_IPC_UPSTREAM_MODEL naming the directory of _upstream_model
(upstream_model.c, a model of posix_ipc 1.3.2's C paths), the operations
compared with upstream are timed again, through both modules in turns and in
CPU time (see ns_per_op_alternating), and printed as "cpu.<op> <ns>" and
"upstream.cpu.<op> <ns>".
"""
import os
import sys
import time

import posix_ipc


def one_round(body, seconds=0.5 / 3, batch=1000, clock=time.perf_counter_ns):
    """ns per iteration of `body(n)` over about `seconds` of `clock`."""
    iterations, start = 0, clock()
    while True:
        body(batch)
        iterations += batch
        elapsed = clock() - start
        if elapsed > seconds * 1e9:
            return elapsed / iterations


def ns_per_op(body, per_call=1):
    """Best of 3 rounds of about 1/6 s each; `body(n)` runs n iterations."""
    return min(one_round(body) for _ in range(3)) / per_call


def ns_per_op_alternating(bodies, rounds=40):
    """Best round of each body, the bodies taking turns in many short rounds
    (25 ms of this process's CPU time). CPU time leaves out the time other
    processes hold the cores, and the best of many short rounds, each right
    beside the other body's, compares the two steadily on a busy machine."""
    best = [float("inf")] * len(bodies)
    for round_number in range(rounds):
        # Who goes first rotates too: the first may find the caches (and
        # tmpfs) in a different state.
        order = list(enumerate(bodies))
        shift = round_number % len(order)
        order = order[shift:] + order[:shift]
        for i, body in order:
            best[i] = min(best[i], one_round(body, seconds=0.025, batch=100, clock=time.process_time_ns))
    return best


def compared_ops(module, tag):
    """The operations timed against upstream, through `module` (posix_ipc or
    the upstream model), as {op: body}, and a cleanup function."""
    sem = module.Semaphore("/bench_%s_sem_%d" % (tag, os.getpid()), module.O_CREX, 0o600, 1)
    mq = module.MessageQueue("/bench_%s_mq_%d" % (tag, os.getpid()), module.O_CREX, 0o600, 10, 8192)
    shm_name = "/bench_%s_shm_%d" % (tag, os.getpid())
    SharedMemory, O_CREX = module.SharedMemory, module.O_CREX

    def sem_pair(n):
        for _ in range(n):
            sem.acquire()
            sem.release()

    def sem_with(n):
        for _ in range(n):
            with sem:
                pass

    def shm_lifecycle(n):  # create a 4 KiB segment, close its fd, unlink it
        for _ in range(n):
            shm = SharedMemory(shm_name, O_CREX, size=4096)
            shm.close_fd()
            shm.unlink()

    def mq_current(n):
        for _ in range(n):
            mq.current_messages

    def cleanup():
        sem.close()
        sem.unlink()
        mq.close()
        mq.unlink()

    return {"sem_pair": sem_pair, "sem_with": sem_with, "shm_lifecycle": shm_lifecycle,
            "mq_current_messages": mq_current}, cleanup


def main():
    sem = posix_ipc.Semaphore(None, posix_ipc.O_CREX, initial_value=1)
    mq = posix_ipc.MessageQueue(None, posix_ipc.O_CREX, max_messages=10, max_message_size=8192)
    message64, message4k = b"x" * 64, b"x" * 4096
    ours, ours_cleanup = compared_ops(posix_ipc, "ours")
    model = model_cleanup = twin = twin_cleanup = None
    model_dir = os.environ.get("POSIX_IPC_UPSTREAM_MODEL")
    if model_dir:
        sys.path.insert(0, model_dir)
        import _upstream_model
        # Names as long as ours. The twin is the model timed against itself:
        # how far apart two identical paths come out shows the noise.
        model, model_cleanup = compared_ops(_upstream_model, "upst")
        twin, twin_cleanup = compared_ops(_upstream_model, "twin")
    try:
        def sem_pair_bound(n):
            acquire, release = sem.acquire, sem.release
            for _ in range(n):
                acquire()
                release()

        def mq_roundtrip(message):
            def run(n):
                for _ in range(n):
                    mq.send(message)
                    mq.receive()
            return run

        def sem_value(n):
            for _ in range(n):
                sem.value

        def method_call(n):
            for _ in range(n):
                mq.fileno()

        for op in ("sem_pair", "sem_with", "shm_lifecycle", "mq_current_messages"):
            print("%s %.1f" % (op, ns_per_op(ours[op])))
            if model is not None:
                mine, upstream, again = ns_per_op_alternating([ours[op], model[op], twin[op]])
                print("cpu.%s %.1f" % (op, mine))
                print("upstream.cpu.%s %.1f" % (op, upstream))
                print("upstream_twin.cpu.%s %.1f" % (op, again))
        print("sem_pair_bound %.1f" % ns_per_op(sem_pair_bound))
        print("mq_64 %.1f" % ns_per_op(mq_roundtrip(message64)))
        print("mq_4096 %.1f" % ns_per_op(mq_roundtrip(message4k)))
        print("sem_value %.1f" % ns_per_op(sem_value))
        print("method_call %.1f" % ns_per_op(method_call))
    finally:
        sem.close()
        sem.unlink()
        mq.close()
        mq.unlink()
        ours_cleanup()
        if model_cleanup:
            model_cleanup()
            twin_cleanup()


if __name__ == "__main__":
    main()
