// Tests of the C++ core on its own: the error model, validation, and each
// object type's system calls. Every test uses unique names and removes them.
#include <gtest/gtest.h>
#include <limits.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "posix_ipc/posix_ipc.hpp"

using namespace posix_ipc;

namespace {

std::string unique_name(const char* kind) {
    static int counter = 0;
    return "/core_test_" + std::string(kind) + "_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
}

template <class F>
IpcError capture(F&& f) {
    try {
        f();
    } catch (const IpcError& error) {
        return error;
    }
    ADD_FAILURE() << "no IpcError was raised";
    return IpcError(ErrorCode::SystemError, 0);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Timing bounds are strict in a normal run; under valgrind or a sanitizer
// (ctest and scripts/sanitize set POSIX_IPC_TIME_SCALE) every call is slower.
double time_scale() {
    const char* text = std::getenv("POSIX_IPC_TIME_SCALE");
    const double scale = text ? std::atof(text) : 1.0;
    return scale >= 1.0 ? scale : 1.0;
}

pid_t this_thread_id() { return static_cast<pid_t>(syscall(SYS_gettid)); }

// Waits until thread `tid` of this process is blocked in the kernel in `wchan`
// (futex: a semaphore wait, poll: a queue wait, in ppoll): three polls in a row, 10 ms
// apart. False after 10 s or where wchan cannot be read; the caller goes on and
// its Watchdog turns a wait that was never reached into a failure.
bool wait_until_blocked(pid_t tid, const std::string& wchan) {
    const std::string path = "/proc/self/task/" + std::to_string(tid) + "/wchan";
    int seen = 0;
    for (int poll = 0; poll < 1000 && seen < 3; ++poll) {
        std::ifstream file(path);
        std::string state;
        if (!std::getline(file, state) && !file.eof()) return false;
        seen = state.find(wchan) != std::string::npos ? seen + 1 : 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return seen >= 3;
}

// A bound for a wait with no timeout: unless cancelled (or destroyed) within
// `seconds`, runs `action`, which must end the wait in a way the test tells
// apart; fired() says whether it had to.
class Watchdog {
public:
    Watchdog(double seconds, std::function<void()> action)
        : thread_([this, seconds, action] {
              std::unique_lock<std::mutex> lock(mutex_);
              if (!cancelled_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return done_; })) {
                  fired_ = true;
                  action();
              }
          }) {}
    ~Watchdog() { cancel(); }
    void cancel() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            done_ = true;
        }
        cancelled_.notify_all();
        if (thread_.joinable()) thread_.join();
    }
    bool fired() const { return fired_; }

private:
    std::mutex mutex_;
    std::condition_variable cancelled_;
    bool done_ = false;
    std::atomic<bool> fired_{false};
    std::thread thread_;
};

}  // namespace

TEST(Errors, CodesCarryClassAndText) {
    const IpcError busy(ErrorCode::SemaphoreBusy);
    EXPECT_EQ(busy.kind(), ErrorKind::BusyError);
    EXPECT_STREQ(busy.kind_name(), "BusyError");
    EXPECT_STREQ(busy.what(), "Semaphore is busy");
    const IpcError system(ErrorCode::SystemError, ENOSPC);
    EXPECT_EQ(system.kind(), ErrorKind::OSError);
    EXPECT_EQ(system.error_number(), ENOSPC);
    EXPECT_STREQ(system.what(), strerror(ENOSPC));
}

TEST(Timeouts, ValidateAndClassify) {
    EXPECT_TRUE(Timeout().is_forever());
    EXPECT_TRUE(Timeout::seconds(0).is_poll());
    EXPECT_DOUBLE_EQ(Timeout::seconds(1.5).value(), 1.5);
    EXPECT_EQ(capture([] { Timeout::seconds(-1); }).code(), ErrorCode::BadTimeout);
    EXPECT_EQ(capture([] { Timeout::seconds(NAN); }).code(), ErrorCode::BadTimeout);
    EXPECT_EQ(capture([] { Timeout::seconds(INFINITY); }).code(), ErrorCode::TimeoutTooLarge);
}

TEST(Names, RejectNulAndLength) {
    EXPECT_EQ(capture([] { Name::from(std::string("/a\0b", 4)); }).code(), ErrorCode::NameHasNul);
    EXPECT_EQ(capture([] { Name::from("/" + std::string(300, 'x')); }).code(), ErrorCode::NameTooLong);
    // The boundary: NAME_MAX characters (the "/" included) pass, one more does not.
    EXPECT_EQ(Name::from("/" + std::string(NAME_MAX - 1, 'x')).text().size(), std::size_t{NAME_MAX});
    EXPECT_EQ(capture([] { Name::from("/" + std::string(NAME_MAX, 'x')); }).code(), ErrorCode::NameTooLong);
    // A semaphore's file is /dev/shm/sem.<name without "/">: 252 characters fit.
    const std::string longest = (unique_name("sem") + std::string(300, 'n')).substr(0, 252);
    Semaphore sem(Name::from(longest), O_CREX_FLAG, 0600, 0);
    sem.close();
    sem.unlink();
    EXPECT_EQ(capture([&] { Semaphore s(Name::from(longest + "n"), O_CREX_FLAG, 0600, 0); }).code(),
              ErrorCode::NameTooLong);
    const std::string random = random_name();
    EXPECT_EQ(random[0], '/');
    EXPECT_NE(random, random_name());
}

TEST(Semaphores, CreateAcquireReleaseUnlink) {
    const std::string name = unique_name("sem");
    Semaphore sem(Name::from(name), O_CREX_FLAG, 0600, 1);
    EXPECT_EQ(sem.value(), 1);
    sem.acquire(Timeout::poll());
    EXPECT_EQ(sem.value(), 0);
    EXPECT_EQ(capture([&] { sem.acquire(Timeout::poll()); }).code(), ErrorCode::SemaphoreBusy);
    sem.release();
    EXPECT_EQ(sem.value(), 1);
    EXPECT_EQ(capture([&] { Semaphore again(Name::from(name), O_CREX_FLAG); }).code(), ErrorCode::SemaphoreExists);
    sem.close();
    EXPECT_EQ(capture([&] { sem.release(); }).code(), ErrorCode::SemaphoreClosed);
    EXPECT_EQ(capture([&] { sem.close(); }).code(), ErrorCode::SemaphoreClosed);
    sem.unlink();
    EXPECT_EQ(capture([&] { Semaphore gone(Name::from(name)); }).code(), ErrorCode::SemaphoreNotFound);
    EXPECT_EQ(capture([&] { unlink_semaphore(Name::from(name)); }).code(), ErrorCode::SemaphoreNotFound);
}

TEST(Semaphores, BadArgumentsCreateNothing) {
    const std::string name = unique_name("sem");
    EXPECT_EQ(capture([&] { Semaphore s(Name::from(name), O_CREX_FLAG, 0600, -1); }).code(), ErrorCode::BadInitialValue);
    EXPECT_EQ(capture([&] { Semaphore s(Name::from(name), O_CREX_FLAG, 0600, SEMAPHORE_VALUE_MAX + 1LL); }).code(),
              ErrorCode::BadInitialValue);
    EXPECT_EQ(capture([&] { Semaphore s(Name::from(name), 1LL << 40); }).code(), ErrorCode::InvalidParameters);
    EXPECT_EQ(capture([&] { Semaphore s(Name::from(name), O_CREX_FLAG, 010000); }).code(), ErrorCode::InvalidParameters);
    EXPECT_EQ(capture([&] { unlink_semaphore(Name::from(name)); }).code(), ErrorCode::SemaphoreNotFound);
    EXPECT_EQ(capture([] { unlink_semaphore(Name::random()); }).code(), ErrorCode::BadNameType);
}

// Timeouts end on time: never early, and late only by scheduling (a few ms;
// the bound leaves room for a loaded CI machine).
TEST(Semaphores, TimedWaitExpiresOnTime) {
    Semaphore sem(Name::random(), O_CREX_FLAG, 0600, 0);
    for (double timeout : {0.05, 0.1}) {
        const auto start = std::chrono::steady_clock::now();
        EXPECT_EQ(capture([&] { sem.acquire(Timeout::seconds(timeout)); }).code(), ErrorCode::SemaphoreBusy);
        const double waited = seconds_since(start);
        EXPECT_GE(waited, timeout);
        EXPECT_LT(waited, timeout + 0.05 * time_scale());
    }
    sem.close();
    sem.unlink();
}

TEST(MessageQueues, TimedReceiveAndSendExpireOnTime) {
    MessageQueue mq(Name::random(), O_CREX_FLAG, 0600, 1, 8);
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(capture([&] { mq.receive(Timeout::seconds(0.1)); }).code(), ErrorCode::QueueEmpty);
    double waited = seconds_since(start);
    EXPECT_GE(waited, 0.099);  // CLOCK_REALTIME deadline: allow its rounding
    EXPECT_LT(waited, 0.1 + 0.05 * time_scale());
    mq.send({"x", 1}, Timeout::poll());
    start = std::chrono::steady_clock::now();
    EXPECT_EQ(capture([&] { mq.send({"y", 1}, Timeout::seconds(0.1)); }).code(), ErrorCode::QueueFull);
    waited = seconds_since(start);
    EXPECT_GE(waited, 0.099);
    EXPECT_LT(waited, 0.1 + 0.05 * time_scale());
    mq.close();
    mq.unlink();
}

TEST(Semaphores, WaitEndsWhenAnotherThreadReleases) {
    Semaphore sem(Name::random(), O_CREX_FLAG, 0600, 0);
    Semaphore other(Name::from(sem.name()));
    const pid_t waiter = this_thread_id();
    std::atomic<bool> released{false};
    std::thread releaser([&] {
        wait_until_blocked(waiter, "futex");
        released = true;
        other.release();
    });
    Watchdog watchdog(10, [&] { other.release(); });
    sem.acquire(Timeout());  // no timeout: sem_wait
    // It returned because of that release: after it, not the watchdog's, and
    // took the one count.
    EXPECT_TRUE(released.load());
    releaser.join();
    watchdog.cancel();
    EXPECT_FALSE(watchdog.fired());
    EXPECT_EQ(sem.value(), 0);
    other.close();
    sem.close();
    sem.unlink();
}

namespace {
void ignore_signal(int) {}
}  // namespace

TEST(Semaphores, SignalInterruptsWait) {
    struct sigaction action {};
    action.sa_handler = ignore_signal;  // no SA_RESTART: the wait must see EINTR
    sigaction(SIGUSR1, &action, nullptr);
    Semaphore sem(Name::random(), O_CREX_FLAG, 0600, 0);
    const pthread_t waiter = pthread_self();
    const pid_t waiter_id = this_thread_id();
    // No timeout (sem_wait), then one (sem_clockwait). The signal comes once the
    // wait is blocked; a signal that came too early leaves it to the watchdog.
    for (const Timeout timeout : {Timeout(), Timeout::seconds(30)}) {
        std::thread signaller([waiter, waiter_id] {
            wait_until_blocked(waiter_id, "futex");
            pthread_kill(waiter, SIGUSR1);
        });
        Watchdog watchdog(10, [&] { sem.release(); });
        EXPECT_EQ(capture([&] { sem.acquire(timeout); }).code(), ErrorCode::WaitInterrupted);
        signaller.join();
        watchdog.cancel();
        EXPECT_FALSE(watchdog.fired());
        EXPECT_EQ(sem.value(), 0);
    }
    sem.close();
    sem.unlink();
}

TEST(SharedMemory, SizeReadWriteBounds) {
    const std::string name = unique_name("shm");
    SharedMemory shm(Name::from(name), O_CREX_FLAG, 0600, 64);
    EXPECT_EQ(shm.size(), 64);
    const std::string payload("a\0b\xff", 4);
    shm.write({payload.data(), payload.size()}, 10);
    EXPECT_EQ(shm.read(4, 10), payload);
    EXPECT_EQ(shm.read().size(), 64u);
    EXPECT_EQ(capture([&] { shm.read(1, 64); }).code(), ErrorCode::OutOfBounds);
    EXPECT_EQ(capture([&] { shm.write({payload.data(), payload.size()}, 61); }).code(), ErrorCode::OutOfBounds);
    SharedMemory reader(Name::from(name), 0, 0600, 0, true);
    EXPECT_EQ(reader.read(4, 10), payload);
    EXPECT_EQ(capture([&] { reader.write({"x", 1}, 0); }).code(), ErrorCode::SharedMemoryReadOnly);
    reader.close_fd();
    shm.close_fd();
    shm.close_fd();  // a second close does nothing, as upstream
    EXPECT_EQ(shm.fd(), -1);
    EXPECT_EQ(capture([&] { shm.read(); }).code(), ErrorCode::SharedMemoryClosed);
    shm.unlink();
    EXPECT_EQ(capture([&] { unlink_shared_memory(Name::from(name)); }).code(), ErrorCode::SharedMemoryNotFound);
}

TEST(SharedMemory, HugeSparseSegmentReadIsMemoryError) {
    SharedMemory shm(Name::random(), O_CREX_FLAG, 0600, 1LL << 62);
    EXPECT_EQ(capture([&] { shm.read(); }).code(), ErrorCode::NotEnoughMemory);
    shm.close_fd();
    shm.unlink();
}

TEST(SharedMemory, FailedResizeRemovesWhatItCreated) {
    const std::string name = unique_name("shm");
    EXPECT_EQ(capture([&] { SharedMemory s(Name::from(name), O_CREAT_FLAG, 0600, -5); }).code(), ErrorCode::BadSize);
    EXPECT_EQ(capture([&] { SharedMemory s(Name::from(name), O_CREAT_FLAG, 0600, 1, true); }).code(), ErrorCode::BadSize);
    EXPECT_EQ(capture([&] { SharedMemory s(Name::from(name)); }).code(), ErrorCode::SharedMemoryNotFound);
}

TEST(MessageQueues, PriorityOrderAndFifo) {
    MessageQueue mq(Name::random(), O_CREX_FLAG, 0600, 8, 32);
    EXPECT_EQ(mq.max_messages(), 8);
    EXPECT_EQ(mq.max_message_size(), 32);
    const char* order[] = {"low1", "high", "low2", "mid"};
    const long long priorities[] = {1, 9, 1, 5};
    for (int i = 0; i < 4; ++i) mq.send({order[i], std::strlen(order[i])}, Timeout(), priorities[i]);
    EXPECT_EQ(mq.current_messages(), 4);
    const char* expected[] = {"high", "mid", "low1", "low2"};
    for (const char* want : expected) {
        const Received got = mq.receive(Timeout::poll());
        EXPECT_EQ(std::string(got.data, got.size), want);
    }
    EXPECT_EQ(capture([&] { mq.receive(Timeout::poll()); }).code(), ErrorCode::QueueEmpty);
    mq.close();
    mq.unlink();
}

TEST(MessageQueues, LimitsAndPermissions) {
    MessageQueue mq(Name::random(), O_CREX_FLAG, 0600, 1, 4);
    EXPECT_EQ(capture([&] { mq.send({"12345", 5}, Timeout()); }).code(), ErrorCode::MessageTooLong);
    EXPECT_EQ(capture([&] { mq.send({"1", 1}, Timeout(), 32768); }).code(), ErrorCode::BadPriority);
    mq.send({"1234", 4}, Timeout::poll());
    EXPECT_EQ(capture([&] { mq.send({"1", 1}, Timeout::poll()); }).code(), ErrorCode::QueueFull);
    MessageQueue writer(Name::from(mq.name()), 0, 0600, 1, 1, false, true);
    EXPECT_EQ(capture([&] { writer.receive(Timeout::poll()); }).code(), ErrorCode::QueueNotReadable);
    writer.close();
    EXPECT_EQ(capture([&] { MessageQueue q(Name::random(), O_CREX_FLAG, 0600, 0, 4); }).code(), ErrorCode::InvalidParameters);
    EXPECT_EQ(capture([&] { MessageQueue q(Name::random(), O_CREX_FLAG, 0600, 1, 4, false, false); }).code(),
              ErrorCode::NoReadNoWrite);
    mq.set_block(false);
    EXPECT_FALSE(mq.block());
    mq.close();
    EXPECT_EQ(capture([&] { mq.current_messages(); }).code(), ErrorCode::QueueClosed);
    EXPECT_EQ(capture([&] { mq.send({"1", 1}, Timeout()); }).code(), ErrorCode::SendOnClosedQueue);
    mq.unlink();
}

TEST(MessageQueues, CallbackNotificationRunsOnceAndCancels) {
    MessageQueue mq(Name::random(), O_CREX_FLAG, 0600, 4, 16);
    std::atomic<int> calls{0};
    mq.request_callback_notification([&] { ++calls; });
    // Linux drops a process's registration when it closes any descriptor of
    // the queue, so the second handle stays open until the end.
    MessageQueue other(Name::from(mq.name()));
    // Another process is refused while this one is registered.
    const pid_t child = fork();
    if (child == 0) {
        int code = 3;
        try {
            MessageQueue theirs(Name::from(mq.name()));
            code = capture([&] { theirs.request_signal_notification(SIGUSR2); }).code() ==
                           ErrorCode::NotificationBusy ? 0 : 1;
        } catch (...) {
            code = 2;
        }
        _exit(code);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    // This process: a new request through another handle replaces the first.
    std::atomic<int> other_calls{0};
    other.request_callback_notification([&] { ++other_calls; });
    mq.request_callback_notification([&] { ++calls; });   // and back through the first handle
    mq.send({"x", 1}, Timeout());
    const auto wait_for_calls = [&](int count) {
        for (int i = 0; i < 2000 && calls.load() < count; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return calls.load();
    };
    EXPECT_EQ(wait_for_calls(1), 1);
    mq.receive(Timeout::poll());
    mq.request_callback_notification([&] { ++calls; });
    mq.cancel_notification();
    mq.send({"y", 1}, Timeout());
    // No fixed sleep: a control request triggered now must bring the only
    // further call, and a control callback that counts separately must be it.
    mq.receive(Timeout::poll());
    std::atomic<int> control{0};
    mq.request_callback_notification([&] { ++control; });
    mq.send({"z", 1}, Timeout());
    for (int i = 0; i < 2000 && control.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_EQ(control.load(), 1);
    EXPECT_EQ(calls.load(), 1);
    EXPECT_EQ(other_calls.load(), 0);  // replaced before any message: never delivered
    other.close();
    mq.close();
    mq.unlink();
}

TEST(MessageQueues, ChildProcessSendsByName) {
    MessageQueue mq(Name::random(), O_CREX_FLAG, 0600, 4, 16);
    const std::string name = mq.name();
    const pid_t child = fork();
    if (child == 0) {
        try {
            MessageQueue writer(Name::from(name), 0, 0600, 1, 1, false, true);
            writer.send({"from child", 10}, Timeout(), 7);
            writer.close();
        } catch (...) {
            _exit(1);
        }
        _exit(0);
    }
    const Received got = mq.receive(Timeout::seconds(5));
    EXPECT_EQ(std::string(got.data, got.size), "from child");
    EXPECT_EQ(got.priority, 7u);
    int status = 0;
    waitpid(child, &status, 0);
    EXPECT_EQ(WEXITSTATUS(status), 0);
    mq.close();
    mq.unlink();
}

// close() while another thread waits on the same handle: the waiter is woken
// with ExistentialError, the real mq_close waits for it (so its descriptor
// number is not reused under it), and it takes no message meant for later.
TEST(MessageQueues, CloseWakesThreadsWaitingOnTheSameHandle) {
    const std::string name = unique_name("mq");
    MessageQueue queue(Name::from(name), O_CREX_FLAG, 0600, 1, 16);
    MessageQueue other(Name::from(name));
    std::atomic<int> woken_receive{0}, woken_send{0};
    std::thread receiver([&] {
        const IpcError error = capture([&] { queue.receive(Timeout::forever()); });
        if (error.code() == ErrorCode::ReceiveOnClosedQueue) ++woken_receive;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    queue.close();
    receiver.join();
    EXPECT_EQ(1, woken_receive.load());
    other.send(Bytes{"kept", 4}, Timeout::poll());
    EXPECT_EQ(1, other.current_messages());  // the woken receiver took nothing

    MessageQueue full(Name::from(name));
    std::thread sender([&] {
        const IpcError error = capture([&] { full.send(Bytes{"waits", 5}, Timeout::forever()); });
        if (error.code() == ErrorCode::SendOnClosedQueue) ++woken_send;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    full.close();
    sender.join();
    EXPECT_EQ(1, woken_send.load());
    EXPECT_EQ(1, other.current_messages());
    other.close();
    unlink_message_queue(Name::from(name));
}

// Random names come from the OS's CSPRNG: a forked child never repeats its
// parent's (before the fix a thread_local mt19937_64 did), and a random name
// needs O_EXCL.
TEST(Names, RandomNamesDifferAfterForkAndNeedExcl) {
    EXPECT_EQ(ErrorCode::RandomNameNeedsExcl, capture([] { Semaphore(Name::random(), O_CREAT_FLAG); }).code());
    EXPECT_EQ(ErrorCode::RandomNameNeedsExcl, capture([] { SharedMemory(Name::random(), 0, 0600, 8); }).code());
    EXPECT_EQ(ErrorCode::RandomNameNeedsExcl, capture([] { MessageQueue(Name::random(), O_CREAT_FLAG); }).code());
    const std::string before_fork = random_name();
    int fds[2];
    ASSERT_EQ(0, pipe(fds));
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        const std::string name = random_name();
        ssize_t ignored = write(fds[1], name.data(), name.size());
        (void)ignored;
        _exit(0);
    }
    close(fds[1]);
    char buffer[64] = {};
    const ssize_t size = read(fds[0], buffer, sizeof buffer - 1);
    close(fds[0]);
    waitpid(pid, nullptr, 0);
    const std::string in_parent = random_name();
    ASSERT_GT(size, 0);
    EXPECT_NE(std::string(buffer, static_cast<size_t>(size)), in_parent);
    EXPECT_NE(before_fork, in_parent);
    EXPECT_EQ(15u, in_parent.size());
    EXPECT_EQ(0u, in_parent.find("/psm_"));
}

// errno values that name a limit get the text that names it (upstream's where
// it has one). queues_max itself is not reached here: that would make every
// other program's queues fail meanwhile.
TEST(Errors, LimitsAreNamed) {
    EXPECT_STREQ("Insufficient space for a new queue",
                 capture([] { raise_open_error(ENOSPC, ErrorCode::QueueNotFound, ErrorCode::QueueExists); }).what());
    EXPECT_EQ(ErrorKind::ValueError, kind_of(ErrorCode::SizeTooLarge));
    EXPECT_STREQ("The size is too large", IpcError(ErrorCode::SizeTooLarge).what());
    EXPECT_STREQ("The queue is already delivering notifications elsewhere",
                 IpcError(ErrorCode::NotificationBusy).what());
}
