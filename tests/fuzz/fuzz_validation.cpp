// libFuzzer target for the core's input validation: names, flags, modes,
// sizes, timeouts, priorities and shared-memory bounds. Any input must end in
// success or an IpcError of a documented kind: never a crash, never a leak,
// never an object left behind.
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "posix_ipc/posix_ipc.hpp"

using namespace posix_ipc;

namespace {

template <class T>
T take(const uint8_t*& data, size_t& size) {
    T value{};
    const size_t n = size < sizeof(T) ? size : sizeof(T);
    std::memcpy(&value, data, n);
    data += n;
    size -= n;
    return value;
}

// Names are confined to a per-process prefix so the fuzzer cannot touch
// anything but its own objects, and every one it makes is removed.
std::string fuzz_name(const uint8_t*& data, size_t& size) {
    const size_t length = take<uint8_t>(data, size) % 40;
    std::string tail(reinterpret_cast<const char*>(data), length < size ? length : size);
    data += tail.size();
    size -= tail.size();
    return "/fuzz_" + std::to_string(getpid()) + "_" + tail;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const uint8_t selector = take<uint8_t>(data, size) % 4;
    try {
        switch (selector) {
        case 0: {
            Timeout::seconds(take<double>(data, size));
            break;
        }
        case 1: {
            const std::string text = fuzz_name(data, size);
            const long long flags = take<long long>(data, size) & ~static_cast<long long>(O_CREAT_FLAG);
            const long long mode = take<long long>(data, size);
            Semaphore sem(Name::from(text), flags | O_CREX_FLAG, mode, take<long long>(data, size));
            sem.close();
            sem.unlink();
            break;
        }
        case 2: {
            const std::string text = fuzz_name(data, size);
            const long long wanted = take<uint16_t>(data, size);
            SharedMemory shm(Name::from(text), O_CREX_FLAG, 0600, wanted);
            struct Cleanup {
                SharedMemory& shm;
                ~Cleanup() {
                    shm.close_fd();
                    try {
                        shm.unlink();
                    } catch (const IpcError&) {
                    }
                }
            } cleanup{shm};
            const long long offset = take<int32_t>(data, size);
            const long long count = take<int32_t>(data, size);
            shm.write({reinterpret_cast<const char*>(data), size}, offset);
            shm.read(count, offset);
            break;
        }
        case 3: {
            const long long max_messages = take<int8_t>(data, size);
            const long long max_size = take<int16_t>(data, size);
            MessageQueue mq(Name::from(fuzz_name(data, size)), O_CREX_FLAG, 0600, max_messages, max_size);
            struct Cleanup {
                MessageQueue& mq;
                ~Cleanup() {
                    mq.close();
                    unlink_message_queue(Name::from(mq.name()));
                }
            } cleanup{mq};
            const long long priority = take<int32_t>(data, size);
            mq.send({reinterpret_cast<const char*>(data), size}, Timeout::poll(), priority);
            mq.receive(Timeout::poll());
            break;
        }
        }
    } catch (const IpcError& error) {
        // Every error must carry a documented class name and a message.
        if (std::strlen(error.kind_name()) == 0 || std::strlen(error.what()) == 0) __builtin_trap();
    }
    return 0;
}
