# Message queue notifications, both kinds: a signal, and a callback that
# re-arms itself. The callback is delivered through the Tcl event loop of this
# thread, so it runs during vwait. Run:
#   TCLLIBPATH=build/tcl tclsh examples/tcl/notification.tcl
package require posix_ipc

# Lets the event loop run for `ms` milliseconds.
proc pause {ms} {
    after $ms {set ::tick 1}
    vwait ::tick
}

# Drains the queue, re-arming first (a notification fires once, when a
# message arrives on an empty queue); cancels after three messages.
proc on_message {queue} {
    incr ::calls
    $queue request_notification [list on_message $queue]
    while {[$queue cget -current_messages] > 0} {
        lappend ::seen [lindex [$queue receive 0] 0]
    }
    if {[llength $::seen] >= 3} {
        $queue request_notification ;# cancel
        set ::done ok
    }
}

set queue ""
set failed [catch {
    set queue [posix_ipc::MessageQueue "" $posix_ipc::O_CREX -max_messages 4 -max_message_size 64]

    # 1. A signal when the empty queue gets a message. Tcl has no signal API:
    # catch_signal installs a handler that only counts arrivals.
    set notify_signal $posix_ipc::USER_SIGNAL_MIN
    posix_ipc::catch_signal $notify_signal
    set before [posix_ipc::signal_count $notify_signal]
    $queue request_notification $notify_signal
    $queue send "wake up"
    set deadline [expr {[clock milliseconds] + 5000}]
    while {[posix_ipc::signal_count $notify_signal] == $before} {
        if {[clock milliseconds] > $deadline} {error "no signal within 5 s"}
        pause 10
    }
    puts "signal $notify_signal arrived; message: \"[lindex [$queue receive 0] 0]\""

    # 2. A callback from the event loop, re-arming itself for the next message.
    set seen {}
    set calls 0
    $queue request_notification [list on_message $queue]
    foreach text {one two three} {
        $queue send $text
        pause 50
    }
    after 5000 {set ::done timeout}
    if {![info exists ::done]} {vwait ::done}
    if {$::done ne "ok"} {error "the callback saw only: $seen"}
    puts "callback ran $calls times and received: [join $seen {, }]"
} message]
if {$queue ne ""} {
    $queue close
    $queue unlink
}
if {$failed} {puts stderr $message}
exit $failed
