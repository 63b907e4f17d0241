"""A producer process sends work over a message queue; urgent items (higher
priority) overtake the rest. Run:
    PYTHONPATH=build/python python3 examples/python/message_queue_conversation.py
"""
import os
import sys

import posix_ipc


def main():
    queue = posix_ipc.MessageQueue(None, posix_ipc.O_CREX, max_messages=8, max_message_size=128)
    try:
        pid = os.fork()
        if pid == 0:
            producer = posix_ipc.MessageQueue(queue.name, read=False)
            for number in range(1, 6):
                producer.send("job %d" % number, priority=0)
            producer.send("urgent: stop the press", priority=9)
            producer.send(b"", priority=0)  # an empty message ends the stream
            producer.close()
            os._exit(0)
        os.waitpid(pid, 0)
        while True:
            message, priority = queue.receive(timeout=5)
            if not message:
                break
            print("priority %d: %s" % (priority, message.decode()))
    finally:
        queue.close()
        queue.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
