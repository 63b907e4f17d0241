# Load and leak checks for the Tcl package (ctest: stress.tcl), the Tcl twin of
# test_stress_python.py: contention on one semaphore-guarded counter, producers
# and a consumer on one queue, a notification re-armed from its callback, and
# create/use/close/unlink/destroy cycles that must leave RSS and the fd count flat.
# Usage: tclsh stress.tcl   (or: tclsh stress.tcl child-counter|child-producer ...)
package require posix_ipc

set TCLSH [info nameofexecutable]
set SCRIPT [file normalize [info script]]

proc u64 {bytes} { binary scan $bytes w value; return $value }
proc p64 {value} { binary format w $value }

switch -- [lindex $argv 0] {
    child-counter {
        lassign $argv - lock_name memory_name increments
        set lock [posix_ipc::Semaphore $lock_name]
        set memory [posix_ipc::SharedMemory $memory_name]
        for {set i 0} {$i < $increments} {incr i} {
            $lock acquire 30   ;# bounded: a stuck sibling fails the run instead of hanging it
            $memory write [p64 [expr {[u64 [$memory read 8]] + 1}]]
            $lock release
        }
        $lock close; $memory close_fd
        exit 0
    }
    child-producer {
        lassign $argv - queue_name producer count
        set queue [posix_ipc::MessageQueue $queue_name -read 0]
        for {set number 0} {$number < $count} {incr number} {
            $queue send $producer:$number 30 [expr {$number % 3}]
        }
        $queue close
        exit 0
    }
}

set PREFIX /stress_tcl_[pid]

proc cleanup {} {
    foreach suffix {_lock _counter _queue _notify _cycle} {
        catch {posix_ipc::unlink_semaphore $::PREFIX$suffix}
        catch {posix_ipc::unlink_shared_memory $::PREFIX$suffix}
        catch {posix_ipc::unlink_message_queue $::PREFIX$suffix}
    }
}

# Starts a child as a pipeline (all start at once); reap closes it, which waits
# and raises if the child exited non-zero.
proc spawn {args} {
    open |[list $::TCLSH $::SCRIPT {*}$args 2>@1] r
}
proc reap {chan} {
    set output [read $chan]
    if {[catch {close $chan} message]} { error "child failed: $message $output" }
}

proc test_counter {} {
    set workers 4; set increments 5000
    set lock [posix_ipc::Semaphore $::PREFIX\_lock $posix_ipc::O_CREX 0o600 1]
    set memory [posix_ipc::SharedMemory $::PREFIX\_counter $posix_ipc::O_CREX 0o600 8]
    try {
        set children {}
        for {set i 0} {$i < $workers} {incr i} {
            lappend children [spawn child-counter [$lock cget -name] [$memory cget -name] $increments]
        }
        foreach child $children { reap $child }
        set total [u64 [$memory read 8]]
        if {$total != $workers * $increments} { error "counter is $total, expected [expr {$workers * $increments}]" }
    } finally {
        $lock close; $lock unlink; $lock destroy
        $memory close_fd; $memory unlink; $memory destroy
    }
    return "$workers processes x $increments increments"
}

proc test_producers {} {
    set producers 4; set per_producer 5000
    set queue [posix_ipc::MessageQueue $::PREFIX\_queue $posix_ipc::O_CREX 0o600 10 64]
    try {
        set children {}
        for {set p 0} {$p < $producers} {incr p} {
            lappend children [spawn child-producer [$queue cget -name] $p $per_producer]
        }
        set last [dict create]
        set received [dict create]
        for {set i 0} {$i < $producers * $per_producer} {incr i} {
            lassign [$queue receive 30] message priority
            if {![regexp {^(\d+):(\d+)$} $message - producer number]} { error "bad message $message" }
            if {$number % 3 != $priority} { error "priority $priority for $message" }
            if {[dict exists $received $message]} { error "duplicate $message" }
            dict set received $message 1
            set key $producer/$priority
            if {[dict exists $last $key] && [dict get $last $key] >= $number} { error "reordered $message" }
            dict set last $key $number
        }
        foreach child $children { reap $child }
        if {[dict size $received] != $producers * $per_producer} { error "received [dict size $received]" }
        if {[$queue cget -current_messages] != 0} { error "queue not empty" }
    } finally {
        $queue close; $queue unlink; $queue destroy
    }
    return "$producers producers x $per_producer messages"
}

proc on_message {queue} {
    incr ::notified
    $queue receive 0
    $queue request_notification [list on_message $queue]
    set ::wake delivered
}

proc test_rearm {} {
    set rounds 300
    set queue [posix_ipc::MessageQueue $::PREFIX\_notify $posix_ipc::O_CREX 0o600 4 16]
    set ::notified 0
    try {
        $queue request_notification [list on_message $queue]
        for {set round 1} {$round <= $rounds} {incr round} {
            $queue send x
            set guard [after 5000 {set ::wake timeout}]
            vwait ::wake
            after cancel $guard
            if {$::wake ne "delivered"} { error "notification $round was lost" }
            if {$::notified != $round} { error "$::notified notifications after round $round" }
        }
        $queue request_notification
    } finally {
        $queue close; $queue unlink; $queue destroy
    }
    return "$rounds re-arms"
}

proc rss_kib {} {
    set f [open /proc/self/statm]
    set resident [lindex [read $f] 1]
    close $f
    expr {$resident * $posix_ipc::PAGE_SIZE / 1024}
}

proc open_fds {} { llength [glob -nocomplain -directory /proc/self/fd *] }

proc cycles {count} {
    set name $::PREFIX\_cycle
    for {set i 0} {$i < $count} {incr i} {
        set s [posix_ipc::Semaphore $name $posix_ipc::O_CREX 0o600 1]
        $s acquire 0; $s release; $s close; $s unlink; $s destroy
        set m [posix_ipc::SharedMemory $name $posix_ipc::O_CREX 0o600 4096]
        $m write abc; $m read 3; $m close_fd; $m unlink; $m destroy
        set q [posix_ipc::MessageQueue $name $posix_ipc::O_CREX 0o600 2 64]
        $q send abc; $q receive 0; $q close; $q unlink; $q destroy
    }
}

proc test_cycles {} {
    set count 100000
    if {[info exists ::env(POSIX_IPC_STRESS_CYCLES)]} { set count $::env(POSIX_IPC_STRESS_CYCLES) }
    cycles 5000 ;# warm up allocators and caches
    set rss_before [rss_kib]; set fds_before [open_fds]
    cycles $count
    set growth [expr {[rss_kib] - $rss_before}]
    set fds_after [open_fds]
    if {$fds_after != $fds_before} { error "open fds $fds_before -> $fds_after" }
    if {$growth >= 2048} { error "RSS grew by $growth KiB" }
    set objects [llength [info commands {::posix_ipc::[sm][eqh]*[0-9]}]]
    if {$objects != 0} { error "$objects object commands left after destroy" }
    return "$count cycles x 3 types, RSS growth $growth KiB, fds $fds_after"
}

set passed 0; set failed 0
set checks {
    "create/use/close/unlink/destroy cycles" test_cycles
    "counter under contention" test_counter
    "producers and consumer" test_producers
    "notification re-armed" test_rearm
}
foreach {title proc} $checks {
    set start [clock milliseconds]
    if {[catch {$proc} result options]} {
        incr failed
        puts "FAIL $title: $result"
        puts [dict get $options -errorinfo]
    } else {
        incr passed
        puts [format "ok   %s (%s) %.2fs" $title $result [expr {([clock milliseconds] - $start) / 1000.0}]]
    }
    cleanup
}
if {$passed + $failed != [llength $checks] / 2} {
    puts "FAIL only [expr {$passed + $failed}] of the [expr {[llength $checks] / 2}] checks ran"
    incr failed
}
puts "tcl stress: $passed passed, $failed failed"
exit [expr {$failed == 0 ? 0 : 1}]
