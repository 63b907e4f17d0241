# A semaphore as a lock with "$lock with script": four processes increment one
# counter in shared memory; none of the 4000 increments is lost. Run:
#   TCLLIBPATH=build/tcl tclsh examples/tcl/semaphore_guard.tcl
package require posix_ipc

set WORKERS 4
set INCREMENTS 1000

proc read_count {memory} {
    binary scan [$memory read 8] w count ;# a little-endian 64-bit integer
    return $count
}

if {[lindex $argv 0] eq "child"} {
    set lock [posix_ipc::Semaphore [lindex $argv 1]]
    set memory [posix_ipc::SharedMemory [lindex $argv 2]]
    set failed [catch {
        for {set i 0} {$i < $INCREMENTS} {incr i} {
            # Read, add, write back: without the lock, two workers could read the same value.
            $lock with {
                $memory write [binary format w [expr {[read_count $memory] + 1}]]
            }
        }
    } message]
    $lock close
    $memory close_fd
    if {$failed} {puts stderr "worker: $message"}
    exit $failed
}

set lock ""
set memory ""
set workers {}
set failed [catch {
    set lock [posix_ipc::Semaphore "" $posix_ipc::O_CREX -initial_value 1]
    set memory [posix_ipc::SharedMemory "" $posix_ipc::O_CREX -size 8] ;# a new segment is zero-filled
    for {set n 0} {$n < $WORKERS} {incr n} {
        # Each worker is this script again; closing its pipe waits for it.
        lappend workers [open |[list [info nameofexecutable] [info script] child \
            [$lock cget -name] [$memory cget -name] >@stdout 2>@stderr] w]
    }
} message]
foreach worker $workers {
    if {[catch {close $worker} worker_error]} {
        set failed 1
        set message "a worker failed: $worker_error"
    }
}
if {!$failed} {
    set failed [catch {read_count $memory} count]
    if {$failed} {set message $count}
}
if {$lock ne ""} {
    $lock close
    $lock unlink
}
if {$memory ne ""} {
    $memory close_fd
    $memory unlink
}
if {$failed} {
    puts stderr $message
    exit 1
}
set expected [expr {$WORKERS * $INCREMENTS}]
puts "counter = $count (expected $expected)"
exit [expr {$count != $expected}]
