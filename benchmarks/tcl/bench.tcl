# Tcl micro-benchmark of the posix_ipc package: the same operations as
# raw_c.cpp through the real package path (object commands called from inside
# procs, so the loops are byte-compiled). Prints "<op> <ns_per_op>" lines.
#
#   TCLLIBPATH=build/tcl tclsh benchmarks/tcl/bench.tcl
package require posix_ipc

# Best of 3 rounds of about 1/6 s each; `body` is the name of a proc taking
# an iteration count.
proc ns_per_op {body args} {
    set best Inf
    for {set round 0} {$round < 3} {incr round} {
        set iterations 0
        set start [clock microseconds]
        while 1 {
            $body 1000 {*}$args
            incr iterations 1000
            set elapsed [expr {[clock microseconds] - $start}]
            if {$elapsed > 500000 / 3} break
        }
        set ns [expr {$elapsed * 1000.0 / $iterations}]
        if {$ns < $best} {set best $ns}
    }
    return [format %.1f $best]
}

proc sem_pair {n s} {
    for {set i 0} {$i < $n} {incr i} {
        $s acquire
        $s release
    }
}
proc mq_roundtrip {n q message} {
    for {set i 0} {$i < $n} {incr i} {
        $q send $message
        $q receive
    }
}
proc sem_value {n s} {
    for {set i 0} {$i < $n} {incr i} {
        $s cget -value
    }
}
proc mq_current {n q} {
    for {set i 0} {$i < $n} {incr i} {
        $q cget -current_messages
    }
}
proc method_call {n q} {
    for {set i 0} {$i < $n} {incr i} {
        $q fileno
    }
}

set s [posix_ipc::Semaphore "" $posix_ipc::O_CREX -initial_value 1]
set q [posix_ipc::MessageQueue "" $posix_ipc::O_CREX -max_messages 10 -max_message_size 8192]
set message64 [string repeat x 64]
set message4k [string repeat x 4096]
# Messages are byte arrays.
set message64 [binary format a* $message64]
set message4k [binary format a* $message4k]
try {
    puts "sem_pair [ns_per_op sem_pair $s]"
    puts "mq_64 [ns_per_op mq_roundtrip $q $message64]"
    puts "mq_4096 [ns_per_op mq_roundtrip $q $message4k]"
    puts "sem_value [ns_per_op sem_value $s]"
    puts "mq_current_messages [ns_per_op mq_current $q]"
    puts "method_call [ns_per_op method_call $q]"
} finally {
    $s close
    $s unlink
    $s destroy
    $q close
    $q unlink
    $q destroy
}
