"""Type-checked by mypy against the generated stub (the ctest stub_types):
what each compiled method returns, as a program uses it. stubtest compares
the stub's names and parameters with the module, not the return types."""
import posix_ipc


def uses(sem: posix_ipc.Semaphore, shm: posix_ipc.SharedMemory, mq: posix_ipc.MessageQueue) -> None:
    entered: posix_ipc.Semaphore = sem.__enter__()
    data: bytes = shm.read(1, offset=0)
    descriptors: int = shm.fileno() + mq.fileno()
    message, priority = mq.receive(timeout=0)
    received: bytes = message
    level: int = priority
    counts: int = mq.current_messages + mq.max_messages + mq.max_message_size
    name: str = sem.name
    blocking: bool = mq.block
    print(entered, data, descriptors, received, level, counts, name, blocking)
