# Bad-input matrix for the Tcl package (ctest: bad_input.tcl). Every constructor
# and subcommand is fed wrong types, negative and huge numbers, NaN/inf
# timeouts, names with NUL bytes, too long or without a leading slash, empty
# and oversized messages, sizes beyond the address space and nonsense flags.
# Each case must end in one of the outcomes listed for it (docs/api.md, "Tcl 8.6" and "One behaviour"):
#   ok        the call succeeded (anything it created is closed, unlinked, destroyed)
#   <Class>   an error with -errorcode {POSIX_IPC <Class> ?errno?}
#   tcl       Tcl's own argument error (-errorcode {TCL ...}: wrong # args,
#             bad option, option value missing or repeated, expected
#             integer/boolean; or {ARITH IOVERFLOW} for integers beyond 64
#             bits) for a wrong type, arity, range or option
#   none      an error with -errorcode NONE (SWIG's low-level argument check;
#             Tcl's refusal to half-close a queue channel)
#   posix     Tcl's own I/O error, -errorcode {POSIX ...} (seek on a queue channel)
#   any       any POSIX_IPC error (OS-dependent: names without a slash)
# never a crash. Afterwards nothing of this run may be left in /dev/shm.
package require posix_ipc

set PREFIX /bad_tcl_[pid]
set NOSLASH bad_tcl_noslash_[pid]
set LONG /[string repeat x 299]
set NUL "$PREFIX\_nul\0tail"
set HUGE [expr {1 << 62}]
set MAXW [expr {(1 << 63) - 1}]
set NEW $PREFIX\_new
set O_CREX $posix_ipc::O_CREX

proc shm_listing {} { lsort [glob -nocomplain -tails -directory /dev/shm *] }
set before [shm_listing]

proc cleanup_created {} {
    foreach name [list $::NEW $::NOSLASH $::PREFIX\_nul] {
        catch {posix_ipc::unlink_semaphore $name}
        catch {posix_ipc::unlink_shared_memory $name}
        catch {posix_ipc::unlink_message_queue $name}
    }
}

# Closes, unlinks and destroys what a successful constructor returned.
proc drop {obj} {
    if {$obj eq "" || [info commands $obj] eq ""} return
    foreach m {close close_fd unlink} {catch {$obj $m}}
    $obj destroy
}

# Fixtures for the subcommand cases.
set S [posix_ipc::Semaphore $PREFIX\_sem $O_CREX 0o600 1]
set M [posix_ipc::SharedMemory $PREFIX\_shm $O_CREX 0o600 16]
set Q [posix_ipc::MessageQueue $PREFIX\_mq $O_CREX 0o600 4 64]
set CS [posix_ipc::Semaphore $PREFIX\_csem $O_CREX 0o600 1]; $CS unlink; $CS close
set CM [posix_ipc::SharedMemory $PREFIX\_cshm $O_CREX 0o600 16]; $CM unlink; $CM close_fd
set CQ [posix_ipc::MessageQueue $PREFIX\_cmq $O_CREX 0o600 4 64]; $CQ unlink; $CQ close

set cases {}
proc case {label accepted script} { lappend ::cases $label $accepted $script }
# A constructor case: the object, if one is made, is dropped right away.
proc ctor {label accepted args} { case $label $accepted "drop \[$args\]" }

# ---- names (every constructor and unlink command) --------------------------------
foreach kind {Semaphore SharedMemory MessageQueue} {
    set c posix_ipc::$kind
    ctor "$kind (no args)" tcl $c
    ctor "$kind name with NUL" ValueError $c $NUL $O_CREX
    ctor "$kind 300-char name" ValueError $c $LONG $O_CREX
    ctor "$kind name without slash" ok|any $c $NOSLASH $O_CREX
    ctor "$kind name /" ok|any $c / $O_CREX
    ctor "$kind missing, flags 0" ExistentialError $c $NEW 0
    ctor "$kind flags abc" tcl $c $NEW abc
    ctor "$kind flags 1.5" tcl $c $NEW 1.5
    ctor "$kind flags NaN" tcl $c $NEW NaN
    ctor "$kind flags -1" ok|any $c $NEW -1
    ctor "$kind flags 1<<30" ok|any $c $NEW [expr {1 << 30}]
    ctor "$kind flags 1<<30|O_CREX" ok|any $c $NEW [expr {(1 << 30) | $O_CREX}]
    ctor "$kind flags 2^62" ok|any|OverflowError|tcl $c $NEW $HUGE
    ctor "$kind flags 2^100" tcl|OverflowError $c $NEW [expr {2**100}]
    ctor "$kind mode -1" ok|ValueError|OverflowError $c $NEW $O_CREX -1
    ctor "$kind mode 2^62" ok|ValueError|OverflowError|tcl $c $NEW $O_CREX $HUGE
    ctor "$kind mode rw" tcl $c $NEW $O_CREX rw
    ctor "$kind -bogus option" tcl $c $NEW -bogus 1
    ctor "$kind -flg (typo of -flags)" tcl $c $NEW -flg $O_CREX
    ctor "$kind positional, then -bogus" tcl $c $NEW $O_CREX -bogus 1
    ctor "$kind -flags without value" tcl $c $NEW -flags
    ctor "$kind -flags twice" tcl $c $NEW -flags $O_CREX -flags 0
    ctor "$kind flags positional and -flags" tcl $c $NEW $O_CREX -flags 0
    ctor "$kind -name only" ExistentialError $c -name $NEW
    ctor "$kind options without a name" tcl $c -flags $O_CREX
    ctor "$kind too many args" tcl $c $NEW 0 0o600 1 2 3 4 5 6 7
}
foreach f {unlink_semaphore unlink_shared_memory unlink_message_queue} {
    case "$f (no args)" tcl|none "posix_ipc::$f"
    case "$f missing" ExistentialError "posix_ipc::$f $NEW"
    case "$f NUL" ValueError [list posix_ipc::$f $NUL]
    case "$f 300 chars" ValueError "posix_ipc::$f $LONG"
    case "$f no slash" any "posix_ipc::$f $NOSLASH"
    case "$f two args" tcl|none "posix_ipc::$f $NEW $NEW"
}

# ---- Semaphore ------------------------------------------------------------------
ctor "Semaphore initial_value -1" ValueError|OverflowError posix_ipc::Semaphore $NEW $O_CREX 0o600 -1
ctor "Semaphore initial_value 2^62" ValueError|OverflowError posix_ipc::Semaphore $NEW $O_CREX 0o600 $HUGE
ctor "Semaphore initial_value MAX+1" ValueError|OverflowError posix_ipc::Semaphore $NEW $O_CREX 0o600 [expr {$posix_ipc::SEMAPHORE_VALUE_MAX + 1}]
ctor "Semaphore initial_value x" tcl posix_ipc::Semaphore $NEW $O_CREX 0o600 x
# acquire on the value-1 fixture, released again if it succeeds: never blocks.
foreach {label accepted timeout} {
    -1 TypeError -1
    -0.001 TypeError -0.001
    NaN TypeError NaN
    -Inf TypeError -Inf
    Inf ok|OverflowError Inf
    2^62 ok|OverflowError 4611686018427387904
    1e300 ok|OverflowError 1e300
    abc TypeError|tcl abc
    {list} TypeError|tcl {1 2}
} {
    case "sem acquire $label" $accepted "\$S acquire [list $timeout]; \$S release"
}
case "sem acquire 0 when busy" BusyError {
    $S acquire 0
    set r [catch {$S acquire 0} msg opts]
    $S release
    if {$r} { return -options $opts $msg }
}
case "sem acquire two args" tcl {$S acquire 1 2}
case "sem acquire -bogus" tcl {$S acquire -bogus}
case "sem acquire -bogus 1" tcl {$S acquire -bogus 1}
case "sem acquire -timeout (no value)" tcl {$S acquire -timeout}
case "sem release extra arg" tcl {$S release 1}
case "sem bogus subcommand" tcl {$S bogus}
case "sem configure -value 3" AttributeError {$S configure -value 3}
case "sem configure -name x" AttributeError {$S configure -name x}
case "sem cget -bogus" tcl|AttributeError {$S cget -bogus}
case "sem with NaN script" TypeError {$S with NaN {set x 1}}
case "sem with script error releases" none {
    catch {$S with {error boom}}
    if {[$S cget -value] != 1} { error "with left the semaphore acquired" }
    $S with {error boom}
}
case "closed sem acquire" ExistentialError {$CS acquire 0}
case "closed sem release" ExistentialError {$CS release}
case "closed sem cget -value" ExistentialError {$CS cget -value}
case "closed sem close again" ok|ExistentialError {$CS close}

# ---- SharedMemory ----------------------------------------------------------------
ctor "SharedMemory size -1" ValueError posix_ipc::SharedMemory $NEW $O_CREX 0o600 -1
ctor "SharedMemory size 2^100" tcl|OverflowError|ValueError posix_ipc::SharedMemory $NEW $O_CREX 0o600 [expr {2**100}]
ctor "SharedMemory size min wide" ValueError|OverflowError posix_ipc::SharedMemory $NEW $O_CREX 0o600 [expr {-(1 << 63)}]
ctor "SharedMemory size 1.5" tcl posix_ipc::SharedMemory $NEW $O_CREX 0o600 1.5
ctor "SharedMemory size Inf" tcl posix_ipc::SharedMemory $NEW $O_CREX 0o600 Inf
ctor "SharedMemory size big" tcl posix_ipc::SharedMemory $NEW $O_CREX 0o600 big
ctor "SharedMemory size with read_only" ValueError posix_ipc::SharedMemory $NEW $O_CREX 0o600 16 1
ctor "SharedMemory read_only maybe" tcl posix_ipc::SharedMemory $NEW $O_CREX 0o600 0 maybe
ctor "SharedMemory existing O_CREX" ExistentialError posix_ipc::SharedMemory [$M cget -name] $O_CREX
# tmpfs takes sparse sizes up to 2^63-1, so creating succeeds (as in Python);
# reading the whole segment must then fail with MemoryError, not abort.
proc huge_segment {size} {
    set big [posix_ipc::SharedMemory $::NEW $::O_CREX 0o600 $size]
    set r [catch {
        if {[$big cget -size] != $size} { error "size [$big cget -size]" }
        if {[string length [$big read 16]] != 16} { error "short read" }
        $big write z [expr {$size - 1}]
        if {[$big read 1 [expr {$size - 1}]] ne "z"} { error "bad byte" }
        $big read
    } msg opts]
    drop $big
    if {$r} { return -options $opts $msg }
}
case "SharedMemory size 2^62 then read" MemoryError {huge_segment $HUGE}
case "SharedMemory size 2^63-1 then read" MemoryError {huge_segment $MAXW}
case "shm read -1" ValueError|OverflowError {$M read -1}
case "shm read 17" ValueError {$M read 17}
case "shm read 2^62" ValueError|OverflowError {$M read $HUGE}
case "shm read 1 2^62" ValueError|OverflowError {$M read 1 $HUGE}
case "shm read max max" ValueError|OverflowError {$M read $MAXW $MAXW}
case "shm read 1 -1" ValueError|OverflowError {$M read 1 -1}
case "shm read 0 16" ok {if {[$M read 0 16] ne ""} { error "not empty" }}
case "shm read 1.5" tcl {$M read 1.5}
case "shm read x" tcl {$M read x}
case "shm read 2^100" tcl|OverflowError|ValueError {$M read [expr {2**100}]}
case "shm write {}" ok {$M write ""}
case "shm write 17 bytes" ValueError {$M write [string repeat y 17]}
case "shm write x 16" ValueError {$M write x 16}
case "shm write x -1" ValueError|OverflowError {$M write x -1}
case "shm write x 2^62" ValueError|OverflowError {$M write x $HUGE}
case "shm write x max" ValueError|OverflowError {$M write x $MAXW}
case "shm write (no data)" tcl {$M write}
case "shm write x y" tcl {$M write x y}
case "shm write U+20AC" ValueError {$M write "\u20ac"}
case "shm write U+0100 at 8" ValueError {$M write "ab\u0100" 8}
# Tcl 8.6 gives $t a lossy byte-array rep; Tcl 9 refuses to make one.
case "shm write lossy byte array" ValueError {set t "\u017f"; catch {binary scan $t c -}; $M write $t}
case "shm write U+00FF text" ok {$M write "\u00ff\u00e9"}
case "shm write -data-" ok {$M write -data-}
case "shm write x -bogus 1" tcl {$M write x -bogus 1}
case "shm read -bogus" tcl {$M read -bogus}
case "shm read -offset" tcl {$M read -offset}
case "shm configure -size 1" AttributeError {$M configure -size 1}
case "closed shm read" ExistentialError {$CM read 1}
case "closed shm write" ExistentialError {$CM write x}
case "closed shm close_fd again" ok|ExistentialError {$CM close_fd}

# ---- MessageQueue ----------------------------------------------------------------
set mq posix_ipc::MessageQueue
ctor "MessageQueue max_messages 0" ValueError $mq $NEW $O_CREX 0o600 0 64
ctor "MessageQueue max_messages -1" ValueError|OverflowError $mq $NEW $O_CREX 0o600 -1 64
ctor "MessageQueue max_messages 2^62" ValueError|OverflowError $mq $NEW $O_CREX 0o600 $HUGE 64
ctor "MessageQueue max_message_size 0" ValueError $mq $NEW $O_CREX 0o600 4 0
ctor "MessageQueue max_message_size -1" ValueError|OverflowError $mq $NEW $O_CREX 0o600 4 -1
ctor "MessageQueue max_message_size 2^62" ValueError|OverflowError $mq $NEW $O_CREX 0o600 4 $HUGE
ctor "MessageQueue max_messages 1.5" tcl $mq $NEW $O_CREX 0o600 1.5 64
ctor "MessageQueue max_message_size NaN" tcl $mq $NEW $O_CREX 0o600 4 NaN
ctor "MessageQueue read 0 write 0" ValueError $mq $NEW $O_CREX 0o600 4 64 0 0
ctor "MessageQueue read maybe" tcl $mq $NEW $O_CREX 0o600 4 64 maybe
ctor "MessageQueue existing O_CREX" ExistentialError $mq [$Q cget -name] $O_CREX
case "mq send {} (empty message)" ok {
    $Q send ""
    lassign [$Q receive 0] message priority
    if {$message ne "" || $priority != 0} { error "got [list $message $priority]" }
}
case "mq send 64 bytes" ok {
    $Q send [string repeat m 64]
    if {[lindex [$Q receive 0] 0] ne [string repeat m 64]} { error "mismatch" }
}
case "mq send 65 bytes" ValueError {$Q send [string repeat m 65]}
case "mq send (no message)" tcl {$Q send}
case "mq send U+20AC" ValueError {$Q send "\u20ac"}
case "mq send U+017F -priority 1" ValueError {$Q send "x\u017f" -priority 1}
case "mq send surrogate pair" ValueError {$Q send [encoding convertfrom utf-8 [binary decode hex f09f9880]]}
case "mq send lossy byte array" ValueError {set t "\u017f"; catch {binary scan $t c -}; $Q send $t}
case "mq send -data-" ok {$Q send -data-; $Q receive 0}
case "mq send x -foo 1" tcl {$Q send x -foo 1}
case "mq send x -priority (no value)" tcl {$Q send x -priority}
case "mq send x 5 -timeout 3" tcl {$Q send x 5 -timeout 3}
case "mq send x -priority 1 -priority 2" tcl {$Q send x -priority 1 -priority 2}
case "mq send x -priority 1 5" tcl {$Q send x -priority 1 5}
case "mq receive -bogus" tcl {$Q receive -bogus}
case "mq send prio -1" ValueError|OverflowError {$Q send p "" -1}
case "mq send prio 32768" ValueError {$Q send p "" [expr {$posix_ipc::QUEUE_PRIORITY_MAX + 1}]}
case "mq send prio 2^62" ValueError|OverflowError {$Q send p "" $HUGE}
case "mq send prio 1.5" tcl {$Q send p "" 1.5}
case "mq send prio x" tcl {$Q send p "" x}
case "mq send -priority -1" ValueError|OverflowError {$Q send p -priority -1}
case "mq send timeout -1" TypeError {$Q send p -1}
case "mq send timeout NaN" TypeError {$Q send p NaN}
case "mq send timeout -Inf" TypeError {$Q send p -Inf}
case "mq send timeout -Infinity" TypeError {$Q send p -Infinity}
case "mq send timeout x" TypeError|tcl {$Q send p x}
proc send_then_drain {timeout} {
    set r [catch {$::Q send p $timeout} msg opts]
    while {[$::Q cget -current_messages] > 0} { $::Q receive 0 }
    if {$r} { return -options $opts $msg }
}
case "mq send timeout Inf" ok|OverflowError {send_then_drain Inf}
case "mq send timeout 2^62" ok|OverflowError {send_then_drain $HUGE}
case "mq send timeout 1e300" ok|OverflowError {send_then_drain 1e300}
case "mq receive -1" TypeError {$Q receive -1}
case "mq receive NaN" TypeError {$Q receive NaN}
case "mq receive -Inf" TypeError {$Q receive -Inf}
case "mq receive -NaN" TypeError {$Q receive -NaN}
case "mq receive x" TypeError|tcl {$Q receive x}
case "mq receive 0 when empty" BusyError {$Q receive 0}
proc receive_after_send {timeout} {
    $::Q send r
    set r [catch {$::Q receive $timeout} msg opts]
    while {[$::Q cget -current_messages] > 0} { $::Q receive 0 }
    if {$r} { return -options $opts $msg }
}
case "mq receive Inf with a message" ok|OverflowError {receive_after_send Inf}
case "mq receive 2^62 with a message" ok|OverflowError {receive_after_send $HUGE}
case "mq request_notification x" ok {$Q request_notification x; $Q request_notification}
case "mq request_notification -5" ValueError {$Q request_notification -5}
case "mq request_notification -bogus" ok {$Q request_notification -bogus; $Q request_notification}
case "mq request_notification x -bogus 1" tcl {$Q request_notification x -bogus 1}
case "mq request_notification 1<<30" ValueError {$Q request_notification [expr {1 << 30}]}
case "mq request_notification 2^62" ValueError|OverflowError {$Q request_notification $HUGE}
case "mq request_notification 1.5" ok {$Q request_notification 1.5; $Q request_notification}
case "mq request_notification NaN" ok {$Q request_notification NaN; $Q request_notification}
case "mq request_notification {a b c}" ok {$Q request_notification {a b c}; $Q request_notification}
case "mq request_notification {1 2}" ok {$Q request_notification {1 2}; $Q request_notification}
case "mq request_notification blank" ValueError {$Q request_notification " "}
case "mq request_notification unbalanced" ValueError {$Q request_notification "a \{"}
case "mq configure -block yes" ok {$Q configure -block yes; $Q configure -block 1}
case "mq configure -block maybe" TypeError|tcl {$Q configure -block maybe}
case "mq configure -block 2^62" ok|TypeError|tcl {$Q configure -block $HUGE; $Q configure -block 1}
case "mq configure -block (no value)" ok|tcl|TypeError {$Q configure -block}
case "mq configure -max_messages 1" AttributeError {$Q configure -max_messages 1}
case "closed mq send" ExistentialError {$CQ send x}
case "closed mq receive" ExistentialError {$CQ receive 0}
case "closed mq cget -current_messages" ExistentialError {$CQ cget -current_messages}
case "closed mq request_notification" ExistentialError|ValueError {$CQ request_notification 10}
case "closed mq close again" ok|ExistentialError {$CQ close}
case "mq channel extra arg" tcl {$Q channel 1}
case "mq channel -option" tcl {$Q channel -blocking 0}
case "closed mq channel" ExistentialError {$CQ channel}
case "mq channel read" Error {read [$Q channel]}
case "mq channel gets" Error {gets [$Q channel]}
case "mq channel puts" Error {puts [$Q channel] x}
case "mq channel read 2^62" Error|tcl {read [$Q channel] $HUGE}
case "mq channel seek" posix {seek [$Q channel] 0}
case "mq channel close half" none {close [$Q channel] read}
case "mq channel fconfigure -blocking 0" ok {fconfigure [$Q channel] -blocking 0; fconfigure [$Q channel] -blocking 1}
case "mq channel close, channel again" ok {close [$Q channel]; $Q channel}
case "mq channel fileevent bogus" tcl {fileevent [$Q channel] bogus {}}

# ---- SWIG's low-level commands are gone ---------------------------------------------
case "posix_ipc::new_Semaphore" tcl {posix_ipc::new_Semaphore $NEW $O_CREX}
case "posix_ipc::Semaphore_acquire" tcl {posix_ipc::Semaphore_acquire _0000_p_posix_ipc__Semaphore}
case "posix_ipc::delete_MessageQueue" tcl {posix_ipc::delete_MessageQueue _0000_p_posix_ipc__MessageQueue}

# ---- module commands -----------------------------------------------------------------
case "catch_signal -1" ValueError|tcl|OSError {posix_ipc::catch_signal -1}
case "catch_signal 1<<30" ValueError|tcl|OSError {posix_ipc::catch_signal [expr {1 << 30}]}
case "signal_count x" tcl|TypeError {posix_ipc::signal_count x}
case "signal_count 1<<30" ok|ValueError|tcl {posix_ipc::signal_count [expr {1 << 30}]}
case "default_signal 1<<30" ValueError|tcl|OSError {posix_ipc::default_signal [expr {1 << 30}]}

# ---- run ---------------------------------------------------------------------
proc outcome {code result options} {
    if {$code == 0} { return ok }
    set errorcode [dict get $options -errorcode]
    switch -- [lindex $errorcode 0] {
        POSIX_IPC { return [lindex $errorcode 1] }
        TCL - ARITH { return tcl }
        NONE { return none }
        POSIX { return posix }
    }
    return other
}

set passed 0; set failed 0
set verbose [info exists env(VERBOSE)]
foreach {label accepted script} $cases {
    set code [catch {uplevel #0 $script} result options]
    set got [outcome $code $result $options]
    cleanup_created
    set good 0
    foreach option [split $accepted |] {
        if {$option eq $got || ($option eq "any" && $got ni {ok tcl none posix other})} { set good 1 }
    }
    set detail [expr {$code ? "[dict get $options -errorcode] $result" : ""}]
    if {$good} {
        incr passed
        if {$verbose} { puts [format "ok   %-45s -> %s %s" $label $got $detail] }
    } else {
        incr failed
        puts [format "FAIL %-45s -> %s (expected %s) %s" $label $got $accepted $detail]
    }
}
# Every case listed must have run (a case that ends the script early would not).
if {$passed + $failed != [llength $cases] / 3} {
    puts "FAIL only [expr {$passed + $failed}] of the [expr {[llength $cases] / 3}] cases ran"
    incr failed
}

foreach obj [list $S $M $Q $CS $CM $CQ] { drop $obj }
cleanup_created
set leaked {}
foreach entry [shm_listing] {
    # Only this run's names count: other tests may run in parallel.
    if {$entry ni $before && [string first bad_tcl_[pid] $entry] >= 0} { lappend leaked $entry; file delete /dev/shm/$entry }
}
if {[llength $leaked]} {
    incr failed
    puts "FAIL left behind in /dev/shm: $leaked"
}
set channels [chan names mqchan*]
if {[llength $channels]} {
    incr failed
    puts "FAIL queue channels left: $channels"
}
set objects [info commands {::posix_ipc::[sm][eqh]*[0-9]}]
if {[llength $objects]} {
    incr failed
    puts "FAIL object commands left: $objects"
}
puts "tcl bad_input: $passed passed, $failed failed (of [expr {[llength $cases] / 3}] cases)"
exit [expr {$failed == 0 ? 0 : 1}]
