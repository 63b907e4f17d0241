# One turn-taker of the cross-language demo (see demo.py).
package require posix_ipc

proc fnv1a {data} {
    set value 0x811C9DC5
    binary scan $data cu* bytes
    foreach byte $bytes {
        set value [expr {(($value ^ $byte) * 0x01000193) & 0xFFFFFFFF}]
    }
    return $value
}

lassign $argv memory_name my_turn next_turn transcript_name rounds
set memory [posix_ipc::SharedMemory $memory_name]
set mine [posix_ipc::Semaphore $my_turn]
set following [posix_ipc::Semaphore $next_turn]
set transcript [posix_ipc::MessageQueue $transcript_name -read 0 -write 1]

set failed [catch {
    for {set round 1} {$round <= $rounds} {incr round} {
        $mine acquire 20
        set previous [lindex [split [$memory read] "\0"] 0]
        set line [format "tcl    round %d: read %d bytes, fnv1a=%08x" $round [string length $previous] [fnv1a $previous]]
        $memory write [encoding convertto utf-8 $line]\0
        $transcript send [encoding convertto utf-8 $line]
        $following release
    }
} message]
$memory close_fd
$mine close
$following close
$transcript close
if {$failed} {
    puts stderr $message
    exit 1
}
