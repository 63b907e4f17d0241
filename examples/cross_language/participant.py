"""One turn-taker of the cross-language demo (see demo.py)."""
import sys

import posix_ipc


def fnv1a(data):
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def main(memory_name, my_turn, next_turn, transcript_name, rounds):
    memory = posix_ipc.SharedMemory(memory_name)
    mine = posix_ipc.Semaphore(my_turn)
    following = posix_ipc.Semaphore(next_turn)
    transcript = posix_ipc.MessageQueue(transcript_name, write=True, read=False)
    try:
        for round_number in range(1, int(rounds) + 1):
            mine.acquire(timeout=20)
            previous = memory.read().split(b"\0", 1)[0]
            line = "python round %d: read %d bytes, fnv1a=%08x" % (round_number, len(previous), fnv1a(previous))
            memory.write(line.encode() + b"\0")
            transcript.send(line)
            following.release()
    finally:
        memory.close_fd()
        mine.close()
        following.close()
        transcript.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
