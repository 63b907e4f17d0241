#include "posix_ipc/signal_counter.hpp"

#include <signal.h>

#include <atomic>
#include <cerrno>

#include "posix_ipc/error.hpp"

namespace posix_ipc {
namespace {

std::atomic<long> counts[NSIG];

extern "C" void count_signal(int signal_number) {
    if (signal_number > 0 && signal_number < NSIG) counts[signal_number].fetch_add(1);
}

int checked(long long signal_number) {
    if (signal_number <= 0 || signal_number >= NSIG || signal_number == SIGKILL || signal_number == SIGSTOP)
        raise(ErrorCode::BadSignalNumber);
    return static_cast<int>(signal_number);
}

void install(int signal_number, void (*handler)(int)) {
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: an interrupted wait raises SignalError
    if (sigaction(signal_number, &action, nullptr) != 0) raise(ErrorCode::SystemError, errno);
}

}  // namespace

void catch_signal(long long signal_number) { install(checked(signal_number), count_signal); }

void default_signal(long long signal_number) { install(checked(signal_number), SIG_DFL); }

long signal_count(long long signal_number) { return counts[checked(signal_number)].load(); }

}  // namespace posix_ipc
