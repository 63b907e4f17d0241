# A producer process sends work over a message queue; urgent items (higher
# priority) overtake the rest. Run:
#   TCLLIBPATH=build/tcl tclsh examples/tcl/message_queue_conversation.tcl
package require posix_ipc

if {[lindex $argv 0] eq "child"} {
    # The producer: opens the queue by name, write-only.
    set producer [posix_ipc::MessageQueue [lindex $argv 1] -read 0]
    set failed [catch {
        for {set number 1} {$number <= 5} {incr number} {
            $producer send "job $number" "" 0
        }
        $producer send "urgent: stop the press" -priority 9
        $producer send "" -priority 0 ;# an empty message ends the stream
    } message]
    $producer close
    if {$failed} {puts stderr "producer: $message"}
    exit $failed
}

set queue ""
set failed [catch {
    set queue [posix_ipc::MessageQueue "" $posix_ipc::O_CREX -max_messages 8 -max_message_size 128]
    # exec waits for the producer, and raises an error if it fails.
    exec [info nameofexecutable] [info script] child [$queue cget -name] >@stdout 2>@stderr
    # Everything is queued now; the kernel hands it out highest priority first.
    while 1 {
        lassign [$queue receive 5] message priority
        if {$message eq ""} break
        puts "priority $priority: $message"
    }
} message]
if {$queue ne ""} {
    $queue close
    $queue unlink
}
if {$failed} {puts stderr $message}
exit $failed
