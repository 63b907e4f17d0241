# Two processes talk through shared memory, taking turns with two semaphores.
# The parent writes a line, the child reads it and answers, five times. Run:
#   TCLLIBPATH=build/tcl tclsh examples/tcl/shared_memory_conversation.tcl
package require posix_ipc

set ROUNDS 5
# Both processes print to the same stdout: flush every line so they interleave in order.
fconfigure stdout -buffering line

proc heard {memory} {
    lindex [split [$memory read] "\0"] 0 ;# the text up to the first NUL
}

proc converse {memory my_turn their_turn speaker first} {
    for {set round 1} {$round <= $::ROUNDS} {incr round} {
        if {!($first && $round == 1)} {
            $my_turn acquire 10
            puts "$speaker heard: [heard $memory]"
        }
        $memory write "$speaker says hello #$round\0"
        $their_turn release
    }
    if {$first} {
        $my_turn acquire 10
        puts "$speaker heard: [heard $memory]"
    }
}

if {[lindex $argv 0] eq "child"} {
    # The child opens everything again by name, as an unrelated program would.
    lassign $argv - memory_name my_name their_name
    set memory [posix_ipc::SharedMemory $memory_name]
    set my_turn [posix_ipc::Semaphore $my_name]
    set their_turn [posix_ipc::Semaphore $their_name]
    set failed [catch {converse $memory $my_turn $their_turn "child " 0} message]
    $memory close_fd
    $my_turn close
    $their_turn close
    if {$failed} {puts stderr "child: $message"}
    exit $failed
}

set made {}
set child ""
set failed [catch {
    lappend made [set memory [posix_ipc::SharedMemory "" $posix_ipc::O_CREX -size $posix_ipc::PAGE_SIZE]]
    lappend made [set parent_turn [posix_ipc::Semaphore "" $posix_ipc::O_CREX]]
    lappend made [set child_turn [posix_ipc::Semaphore "" $posix_ipc::O_CREX]]
    # The child is this script again; it prints to our stdout, and closing the
    # pipe waits for it (and raises an error if it exited non-zero).
    set child [open |[list [info nameofexecutable] [info script] child \
        [$memory cget -name] [$child_turn cget -name] [$parent_turn cget -name] >@stdout 2>@stderr] w]
    converse $memory $parent_turn $child_turn "parent" 1
} message]
if {$child ne "" && [catch {close $child} child_error]} {
    if {$failed} {puts stderr "parent: $message"}
    set failed 1
    set message "child: $child_error"
}
foreach obj $made {
    catch {$obj close}
    catch {$obj close_fd}
    $obj unlink
}
if {$failed} {puts stderr $message}
exit $failed
