// A test-only LD_PRELOAD library: operator new of exactly
// $POSIX_IPC_FAIL_NEW_SIZE bytes throws std::bad_alloc, every other size is
// served by malloc. The interpreters (C) never call operator new, so with a
// queue whose max_message_size is that unusual size, the allocation that fails
// is the module's receive buffer: a deterministic out-of-memory in receive().
#include <cstdlib>
#include <new>

namespace {
std::size_t failing_size() {
    static const std::size_t size = [] {
        const char* text = std::getenv("POSIX_IPC_FAIL_NEW_SIZE");
        return text ? static_cast<std::size_t>(std::strtoull(text, nullptr, 10)) : std::size_t{0};
    }();
    return size;
}
}  // namespace

void* operator new(std::size_t size) {
    if (size != 0 && size == failing_size()) throw std::bad_alloc();
    if (void* memory = std::malloc(size != 0 ? size : 1)) return memory;
    throw std::bad_alloc();
}

void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }
