"""Message queue notifications, both kinds: a signal, and a function called in
a new thread that re-arms itself. Run:
    PYTHONPATH=build/python python3 examples/python/notification.py
"""
import signal
import sys
import threading

import posix_ipc


def main():
    queue = posix_ipc.MessageQueue(None, posix_ipc.O_CREX, max_messages=4, max_message_size=64)
    try:
        # 1. A signal when the empty queue gets a message.
        arrived = threading.Event()
        notify_signal = posix_ipc.USER_SIGNAL_MIN
        signal.signal(notify_signal, lambda signum, frame: arrived.set())
        queue.request_notification(notify_signal)
        queue.send(b"wake up")
        arrived.wait(5)
        print("signal %d arrived; message: %r" % (notify_signal, queue.receive(0)[0]))

        # 2. A function in a new thread, re-arming itself for the next message.
        seen = []
        done = threading.Event()

        def on_message(q):
            q.request_notification((on_message, q))  # re-arm before draining
            while q.current_messages:
                seen.append(q.receive(0)[0])
            if len(seen) >= 3:
                q.request_notification()  # cancel
                done.set()

        queue.request_notification((on_message, queue))
        for text in (b"one", b"two", b"three"):
            queue.send(text)
            threading.Event().wait(0.05)
        done.wait(5)
        print("callback thread received:", seen)
    finally:
        queue.close()
        queue.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
