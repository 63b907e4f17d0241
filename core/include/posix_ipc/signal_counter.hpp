// For languages with no signal API of their own (Lua, Tcl): a handler that
// only counts, so a signal interrupts a blocking call (SignalError) instead
// of killing the process, and a test or program can see that it arrived.
#pragma once

namespace posix_ipc {

// Each raises BadSignalNumber unless 1 <= signal_number < NSIG and the signal
// can be caught (not SIGKILL or SIGSTOP).
// From now on the signal is counted, installed without SA_RESTART.
void catch_signal(long long signal_number);
// Back to the system's default action.
void default_signal(long long signal_number);
// How many times the signal arrived while caught.
long signal_count(long long signal_number);

}  // namespace posix_ipc
