// Tests of the C++ core on its own: the error model, validation, and each
// object type's system calls. Every test uses unique names and removes them.
#include <gtest/gtest.h>
#include <limits.h>
#include <poll.h>
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

// A test that needs what the platform lacks (a simulated macOS lane) is
// skipped, naming the capability; Linux has everything.
#define NEEDS(capability)                                                                           \
    if (!posix_ipc::capability) GTEST_SKIP() << "not supported on this platform (" #capability " false)"

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

// Every code, in order: its class and text (the strings all three languages show).
TEST(Errors, EveryCodeHasItsClassAndText) {
    using K = ErrorKind;
    const struct {
        ErrorCode code;
        K kind;
        const char* text;
    } expected[] = {
        {ErrorCode::SemaphoreNotFound, K::ExistentialError, "No semaphore exists with the specified name"},
        {ErrorCode::SemaphoreExists, K::ExistentialError, "A semaphore with the specified name already exists"},
        {ErrorCode::SemaphoreClosed, K::ExistentialError, "The semaphore has been closed"},
        {ErrorCode::SemaphoreBusy, K::BusyError, "Semaphore is busy"},
        {ErrorCode::SemaphoreOverflow, K::ValueError, "The semaphore's value would exceed SEMAPHORE_VALUE_MAX"},
        {ErrorCode::BadInitialValue, K::ValueError, "The initial value must be between 0 and SEMAPHORE_VALUE_MAX"},
        {ErrorCode::WaitInterrupted, K::SignalError, "The wait was interrupted by a signal"},
        {ErrorCode::BadTimeout, K::TypeError, "The timeout must be None or a non-negative number"},
        {ErrorCode::TimeoutTooLarge, K::OverflowError, "The timeout is too large"},
        {ErrorCode::SharedMemoryNotFound, K::ExistentialError, "No shared memory exists with the specified name"},
        {ErrorCode::SharedMemoryExists, K::ExistentialError, "Shared memory with the specified name already exists"},
        {ErrorCode::BadSize, K::ValueError, "The size is invalid or the memory is read-only"},
        {ErrorCode::SharedMemoryClosed, K::ExistentialError, "The shared memory's file descriptor has been closed"},
        {ErrorCode::SharedMemoryReadOnly, K::PermissionsError, "The shared memory is read-only"},
        {ErrorCode::OutOfBounds, K::ValueError, "The offset and byte count must lie within the segment"},
        {ErrorCode::QueueNotFound, K::ExistentialError, "No queue exists with the specified name"},
        {ErrorCode::QueueExists, K::ExistentialError, "A queue with the specified name already exists"},
        {ErrorCode::InvalidParameters, K::ValueError, "Invalid parameter(s)"},
        {ErrorCode::MessageTooLong, K::ValueError, "The message is too long"},
        {ErrorCode::BadPriority, K::ValueError,
         "The priority must be a positive number no greater than QUEUE_PRIORITY_MAX (32767)"},
        {ErrorCode::QueueFull, K::BusyError, "The queue is full"},
        {ErrorCode::QueueEmpty, K::BusyError, "The queue is empty"},
        {ErrorCode::QueueNotReadable, K::PermissionsError, "The queue is not open for reading"},
        {ErrorCode::QueueNotWritable, K::PermissionsError, "The queue is not open for writing"},
        {ErrorCode::NoReadNoWrite, K::ValueError, "At least one of read or write must be True"},
        {ErrorCode::SendOnClosedQueue, K::ExistentialError, "The message queue does not exist or is not open for writing"},
        {ErrorCode::ReceiveOnClosedQueue, K::ExistentialError, "The message queue does not exist or is not open for reading"},
        {ErrorCode::QueueClosed, K::ExistentialError, "The queue does not exist"},
        {ErrorCode::BadNotification, K::ValueError,
         "The notification must be None, an integer, or a tuple of (function, parameter)"},
        {ErrorCode::NotificationBusy, K::BusyError, "The queue is already delivering notifications elsewhere"},
        {ErrorCode::PermissionDenied, K::PermissionsError, "Permission denied"},
        {ErrorCode::NameTooLong, K::ValueError, "The name is too long"},
        {ErrorCode::NameHasNul, K::ValueError, "The name must not contain a NUL byte"},
        {ErrorCode::BadNameType, K::TypeError, "The name must be None, a string or bytes"},
        {ErrorCode::BadMessageType, K::TypeError, "The message must be bytes or a string"},
        {ErrorCode::BadDataType, K::TypeError, "The data must be bytes or a string"},
        {ErrorCode::BadBlockType, K::TypeError, "The block attribute must be a boolean"},
        {ErrorCode::TooManyFilesProcess, K::OSError, "This process already has the maximum number of files open"},
        {ErrorCode::TooManyFilesSystem, K::OSError, "The system limit on the total number of open files has been reached"},
        {ErrorCode::NotEnoughMemory, K::MemoryError, "Not enough memory"},
        {ErrorCode::QueueLimitReached, K::OSError, "Insufficient space for a new queue"},
        {ErrorCode::QueueMemoryLimitReached, K::OSError,
         "The queue would exceed this user's message queue memory limit (RLIMIT_MSGQUEUE)"},
        {ErrorCode::SizeTooLarge, K::ValueError, "The size is too large"},
        {ErrorCode::NotSupported, K::Error, "This operation is not supported on this platform"},
        {ErrorCode::InternalError, K::Error, "Internal error: an unexpected C++ exception"},
        {ErrorCode::RandomNameNeedsExcl, K::ValueError, "Name can only be None if O_EXCL is set"},
        {ErrorCode::NoUnusedRandomName, K::ExistentialError, "No unused random name was found in 100 tries"},
        {ErrorCode::ByteCountTooLarge, K::OverflowError,
         "The byte count is larger than the biggest byte string of the language"},
        {ErrorCode::BadSignalNumber, K::ValueError, "invalid signal number"},
        {ErrorCode::AttributeNotWritable, K::AttributeError, "attribute '%s' of '%s' objects is not writable"},
        {ErrorCode::AttributeNotFound, K::AttributeError, "'%s' object has no attribute '%s'"},
        {ErrorCode::SystemError, K::OSError, nullptr},
    };
    ASSERT_EQ(sizeof expected / sizeof expected[0], static_cast<size_t>(kErrorCodeCount));
    for (int i = 0; i < kErrorCodeCount; ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(static_cast<int>(expected[i].code), i);
        const IpcError error(expected[i].code);
        EXPECT_EQ(error.kind(), expected[i].kind);
        EXPECT_EQ(error.error_number(), 0);
        if (expected[i].text) EXPECT_STREQ(error.what(), expected[i].text);
    }
    // SystemError's text is the errno's.
    EXPECT_STREQ(IpcError(ErrorCode::SystemError, EBADF).what(), strerror(EBADF));
}

// Past the last code or class: a generic Error, never a crash or an empty text.
TEST(Errors, BoundsOfCodesAndClasses) {
    const IpcError beyond(static_cast<ErrorCode>(kErrorCodeCount));
    EXPECT_EQ(beyond.kind(), ErrorKind::Error);
    EXPECT_STREQ(beyond.what(), "Unknown error");
    EXPECT_EQ(kind_of(static_cast<ErrorCode>(-1)), ErrorKind::Error);
    EXPECT_STREQ(kind_name(static_cast<ErrorKind>(kErrorKindCount)), "Error");
    EXPECT_STREQ(kind_doc(static_cast<ErrorKind>(kErrorKindCount)), "");
}

TEST(Errors, TreeAndNames) {
    const char* names[] = {"Error", "SignalError", "PermissionsError", "ExistentialError", "BusyError", "ValueError",
                           "TypeError", "OverflowError", "MemoryError", "OSError", "AttributeError"};
    ASSERT_EQ(sizeof names / sizeof names[0], static_cast<size_t>(kErrorKindCount));
    for (int i = 0; i < kErrorKindCount; ++i) {
        const auto kind = static_cast<ErrorKind>(i);
        SCOPED_TRACE(names[i]);
        EXPECT_STREQ(kind_name(kind), names[i]);
        EXPECT_EQ(parent_of(kind), ErrorKind::Error);
        EXPECT_EQ(is_ipc_specific(kind), i < 5);
        EXPECT_GT(std::strlen(kind_doc(kind)), 0u);
    }
}

TEST(Errors, AttributeNotWritableNamesClassAndAttribute) {
    const IpcError error = attribute_not_writable("posix_ipc.Semaphore", "mode");
    EXPECT_EQ(error.kind(), ErrorKind::AttributeError);
    EXPECT_STREQ(error.what(), "attribute 'mode' of 'posix_ipc.Semaphore' objects is not writable");
    const IpcError missing = attribute_not_found("posix_ipc.MessageQueue", "blocking");
    EXPECT_EQ(missing.kind(), ErrorKind::AttributeError);
    EXPECT_STREQ(missing.what(), "'posix_ipc.MessageQueue' object has no attribute 'blocking'");
}

TEST(Notifications, RequestValidatesTheSignalNumberOnce) {
    EXPECT_EQ(NotificationRequest::cancel().kind(), NotificationRequest::Kind::Cancel);
    EXPECT_EQ(NotificationRequest::signal(1).signal_number(), 1);
    EXPECT_EQ(NotificationRequest::signal(NSIG - 1).signal_number(), NSIG - 1);
    for (long long bad : {0LL, -1LL, static_cast<long long>(NSIG), 1LL << 40})
        EXPECT_EQ(capture([&] { NotificationRequest::signal(bad); }).code(), ErrorCode::BadNotification) << bad;
    EXPECT_EQ(capture([] { NotificationRequest::callback({}); }).code(), ErrorCode::BadNotification);
    EXPECT_EQ(NotificationRequest::callback([] {}).kind(), NotificationRequest::Kind::Callback);
}

TEST(Notifications, InboxQueuesTokensAndPollsReadable) {
    auto inbox = NotificationInbox::create();
    const auto first = inbox->next_token(), second = inbox->next_token();
    EXPECT_EQ(first, 1u);
    EXPECT_EQ(second, 2u);
    EXPECT_TRUE(inbox->take().empty());
    std::thread poster([inbox, second] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        inbox->post(second);
    });
    const auto start = std::chrono::steady_clock::now();
    const auto tokens = inbox->take(5.0);  // waits for the post, not the whole 5 s
    poster.join();
    EXPECT_LT(seconds_since(start), 2.0);
    ASSERT_EQ(tokens.size(), 1u);
    EXPECT_EQ(tokens[0], second);
    inbox->post(first);
    inbox->post(second);
    struct pollfd ready {inbox->fd(), POLLIN, 0};
    EXPECT_EQ(poll(&ready, 1, 0), 1);
    EXPECT_EQ(inbox->take(), (std::vector<std::uint64_t>{first, second}));
    EXPECT_EQ(poll(&ready, 1, 0), 0);  // drained: no longer readable
}

TEST(Signals, CounterValidatesCountsAndRestores) {
    for (long long bad : {0LL, -3LL, static_cast<long long>(NSIG), static_cast<long long>(SIGKILL),
                          static_cast<long long>(SIGSTOP)})
        EXPECT_EQ(capture([&] { catch_signal(bad); }).code(), ErrorCode::BadSignalNumber) << bad;
    EXPECT_EQ(capture([] { signal_count(0); }).code(), ErrorCode::BadSignalNumber);
    catch_signal(SIGUSR1);
    const long before = signal_count(SIGUSR1);
    ::raise(SIGUSR1);
    EXPECT_EQ(signal_count(SIGUSR1), before + 1);
    default_signal(SIGUSR1);
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
    NEEDS(SEMAPHORE_VALUE_SUPPORTED);
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
    NEEDS(SEMAPHORE_TIMEOUT_SUPPORTED);
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

// Where the platform lacks a feature (the simulated macOS lane), the core
// behaves as upstream there: no queue can be made, value is an
// AttributeError, a timeout > 0 waits until released. Elsewhere the same
// calls work.
TEST(Platform, GapsBehaveAsUpstream) {
    if (MESSAGE_QUEUES_SUPPORTED) {
        MessageQueue mq(Name::random(), O_CREX_FLAG, 0600, 1, 8);
        mq.close();
        mq.unlink();
    } else {
        EXPECT_EQ(capture([] { MessageQueue mq(Name::random(), O_CREX_FLAG, 0600, 1, 8); }).code(),
                  ErrorCode::NotSupported);
    }
    Semaphore sem(Name::random(), O_CREX_FLAG, 0600, 0);
    if (SEMAPHORE_VALUE_SUPPORTED)
        EXPECT_EQ(sem.value(), 0);
    else
        EXPECT_EQ(capture([&] { sem.value(); }).code(), ErrorCode::AttributeNotFound);
    const auto start = std::chrono::steady_clock::now();
    if (SEMAPHORE_TIMEOUT_SUPPORTED) {
        EXPECT_EQ(capture([&] { sem.acquire(Timeout::seconds(0.2)); }).code(), ErrorCode::SemaphoreBusy);
        EXPECT_GE(seconds_since(start), 0.19);
    } else {
        std::thread releaser([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(600));
            sem.release();
        });
        sem.acquire(Timeout::seconds(0.2));  // treated as infinite: ends with the release
        EXPECT_GE(seconds_since(start), 0.5);
        releaser.join();
    }
    sem.close();
    sem.unlink();
}

TEST(MessageQueues, TimedReceiveAndSendExpireOnTime) {
    NEEDS(MESSAGE_QUEUES_SUPPORTED);
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
    NEEDS(SEMAPHORE_VALUE_SUPPORTED);
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
    NEEDS(SEMAPHORE_TIMEOUT_SUPPORTED);
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
    NEEDS(MESSAGE_QUEUES_SUPPORTED);
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
    NEEDS(MESSAGE_QUEUES_SUPPORTED);
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
    NEEDS(MESSAGE_QUEUES_SUPPORTED);
    MessageQueue mq(Name::random(), O_CREX_FLAG, 0600, 4, 16);
    std::atomic<int> calls{0};
    mq.request_notification(NotificationRequest::callback([&] { ++calls; }));
    // Linux drops a process's registration when it closes any descriptor of
    // the queue, so the second handle stays open until the end.
    MessageQueue other(Name::from(mq.name()));
    // Another process is refused while this one is registered.
    const pid_t child = fork();
    if (child == 0) {
        int code = 3;
        try {
            MessageQueue theirs(Name::from(mq.name()));
            code = capture([&] { theirs.request_notification(NotificationRequest::signal(SIGUSR2)); }).code() ==
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
    other.request_notification(NotificationRequest::callback([&] { ++other_calls; }));
    mq.request_notification(NotificationRequest::callback([&] { ++calls; }));  // and back through the first handle
    mq.send({"x", 1}, Timeout());
    const auto wait_for_calls = [&](int count) {
        for (int i = 0; i < 2000 && calls.load() < count; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return calls.load();
    };
    EXPECT_EQ(wait_for_calls(1), 1);
    mq.receive(Timeout::poll());
    mq.request_notification(NotificationRequest::callback([&] { ++calls; }));
    mq.request_notification(NotificationRequest::cancel());
    mq.send({"y", 1}, Timeout());
    // No fixed sleep: a control request triggered now must bring the only
    // further call, and a control callback that counts separately must be it.
    mq.receive(Timeout::poll());
    std::atomic<int> control{0};
    mq.request_notification(NotificationRequest::callback([&] { ++control; }));
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
    NEEDS(MESSAGE_QUEUES_SUPPORTED);
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
    NEEDS(MESSAGE_QUEUES_SUPPORTED);
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
    NEEDS(MESSAGE_QUEUES_SUPPORTED);
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

// The table of parameters (signatures.hpp, generated from the POSIX_IPC_API
// declarations) that Lua and Tcl parse by: every class starts with its
// constructor, whose defaults are the C++ ones.
TEST(Signatures, ConstructorsComeFirstWithTheDeclaredDefaults) {
    const posix_ipc::ClassSignatures* classes[] = {&posix_ipc::signatures<posix_ipc::Semaphore>(),
                                                   &posix_ipc::signatures<posix_ipc::SharedMemory>(),
                                                   &posix_ipc::signatures<posix_ipc::MessageQueue>()};
    for (const posix_ipc::ClassSignatures* table : classes) {
        ASSERT_GE(table->count, 2);
        const posix_ipc::Signature& constructor = table->calls[0];
        EXPECT_EQ(constructor.method, posix_ipc::Method::Construct);
        EXPECT_STREQ(constructor.name, table->name);
        ASSERT_GE(constructor.count, 3);
        EXPECT_EQ(constructor.parameters[0].type, posix_ipc::ParameterType::Name);
        EXPECT_TRUE(constructor.parameters[0].required);
        EXPECT_EQ(constructor.parameters[1].default_value(), posix_ipc::defaults::flags);
        EXPECT_EQ(constructor.parameters[2].default_value(), 0600);
        for (int i = 1; i < table->count; ++i) EXPECT_NE(table->calls[i].method, posix_ipc::Method::Construct);
        for (int i = 0; i < table->count; ++i) {
            EXPECT_LE(table->calls[i].count, 8) << table->calls[i].name;  // Tcl's kMaxParameters
            for (int k = 0; k < table->calls[i].count; ++k) {
                const posix_ipc::Parameter& parameter = table->calls[i].parameters[k];
                const bool has_value = parameter.type == posix_ipc::ParameterType::Integer ||
                                       parameter.type == posix_ipc::ParameterType::Boolean;
                EXPECT_EQ(parameter.default_value != nullptr, has_value && !parameter.required) << parameter.name;
            }
        }
    }
    const posix_ipc::Signature& queue = posix_ipc::signatures<posix_ipc::MessageQueue>().calls[0];
    ASSERT_EQ(queue.count, 7);
    EXPECT_EQ(queue.parameters[3].default_value(), posix_ipc::queue_messages_max_default());
    EXPECT_EQ(queue.parameters[4].default_value(), posix_ipc::queue_message_size_max_default());
    EXPECT_EQ(queue.parameters[5].default_value(), 1);
}

// A language that cannot even convert an integer argument (Python's beyond
// long long) raises out_of_range_error() for it: the error the core
// itself gives that parameter for a value just outside its range.
TEST(Signatures, OutOfRangeErrorIsTheCoresOwn) {
    using posix_ipc::out_of_range_error;
    const std::string name = unique_name("sem");
    EXPECT_EQ(capture([&] { Semaphore s(Name::from(name), O_CREX_FLAG, 0600, -1); }).code(),
              out_of_range_error("initial_value"));
    EXPECT_EQ(capture([&] { Semaphore s(Name::from(name), 1LL << 40); }).code(), out_of_range_error("flags"));
    EXPECT_EQ(capture([&] { Semaphore s(Name::from(name), O_CREX_FLAG, 010000); }).code(), out_of_range_error("mode"));
    EXPECT_EQ(capture([&] { SharedMemory s(Name::from(name), O_CREAT_FLAG, 0600, -5); }).code(),
              out_of_range_error("size"));
    SharedMemory shm(Name::random(), O_CREX_FLAG, 0600, 8);
    EXPECT_EQ(capture([&] { shm.read(1, 64); }).code(), out_of_range_error("offset"));
    EXPECT_EQ(capture([&] { shm.read(64); }).code(), out_of_range_error("byte_count"));
    shm.unlink();
    shm.close_fd();
    EXPECT_EQ(out_of_range_error("no such parameter"), ErrorCode::InvalidParameters);
    if (posix_ipc::MESSAGE_QUEUES_SUPPORTED) {
        MessageQueue mq(Name::random(), O_CREX_FLAG, 0600, 1, 4);
        EXPECT_EQ(capture([&] { mq.send({"1", 1}, Timeout(), 32768); }).code(), out_of_range_error("priority"));
        mq.close();
        mq.unlink();
        EXPECT_EQ(capture([&] { MessageQueue q(Name::from(name), O_CREX_FLAG, 0600, 0); }).code(),
                  out_of_range_error("max_messages"));
    }
}

// signature_of finds each method's entry by its Method (the Python fast
// methods and SharedMemory's constructor parse their arguments by it).
TEST(Signatures, SignatureOfFindsEachEntry) {
    const posix_ipc::Signature& acquire = posix_ipc::signature_of<Semaphore>(posix_ipc::Method::Acquire);
    EXPECT_STREQ(acquire.name, "acquire");
    ASSERT_EQ(acquire.count, 1);
    EXPECT_STREQ(acquire.parameters[0].name, "timeout");
    const posix_ipc::Signature& send = posix_ipc::signature_of<MessageQueue>(posix_ipc::Method::Send);
    EXPECT_STREQ(send.name, "send");
    EXPECT_EQ(send.count, 3);
    EXPECT_TRUE(send.parameters[0].required);
    EXPECT_EQ(&posix_ipc::signature_of<SharedMemory>(posix_ipc::Method::Construct),
              &posix_ipc::signatures<SharedMemory>().calls[0]);
}
