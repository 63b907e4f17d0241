# Shared by every .test file: unique names, cleanup tracking, child processes.
package require tcltest
namespace import -force ::tcltest::*
package require posix_ipc

# Upper bounds on how long a call may take are strict in a normal run and this
# many times looser under valgrind or a sanitizer (scripts/sanitize sets it).
set ::time_scale [expr {[info exists ::env(POSIX_IPC_TIME_SCALE)] ? max(1.0, $::env(POSIX_IPC_TIME_SCALE)) : 1.0}]

if {![info exists ::test_counter]} {
    set ::test_counter 0
    set ::created_names {}
}

# A fresh name for this run: /tcl_test_<pid>_<n>; remembered for the final check.
proc uname {} {
    set name /tcl_test_[pid]_[incr ::test_counter]
    lappend ::created_names $name
    return $name
}
# Random names the module picked, remembered too.
proc track {obj} {
    lappend ::created_names [$obj cget -name]
    return $obj
}

# Semaphores: sem.NAME; shared memory: NAME in /dev/shm.
proc shm_entries {} {
    ipc_entries /dev/shm
}

# The names in an IPC directory. Another program may have left a name that is
# not UTF-8 there, which Tcl 9's glob refuses: ls -b in the C locale writes
# such bytes as escapes (our names are ASCII, so they compare as they are).
proc ipc_entries {directory} {
    lsort [split [string trim [exec env LC_ALL=C ls -A -b $directory]] \n]
}

# Close, unlink and destroy, ignoring what is already gone.
proc drop {args} {
    foreach obj $args {
        if {[info commands $obj] eq ""} continue
        foreach m {close close_fd unlink} {catch {$obj $m}}
        $obj destroy
    }
}

# Runs a Tcl script in a child tclsh that has the package; returns its output.
proc child {script} {
    exec [info nameofexecutable] << "package require posix_ipc\n$script"
}
# The same in the background; returns the pid.
proc child_bg {script} {
    exec [info nameofexecutable] << "package require posix_ipc\n$script" &
}

# A bound for a test that waits with no timeout on a child process: after
# `seconds` another child runs `script`, which must end that wait in a way the
# test tells apart (a second release, a marker message), so a child that failed
# costs `seconds` and a failed test, not the ctest timeout. The watchdog is a
# pipeline kept in the caller's variable `var`; the test's -cleanup calls
# `cancel_watchdog var`, which ends it (if it is still waiting) and reaps it.
proc watchdog {var seconds script} {
    upvar 1 $var chan
    set chan [open |[list [info nameofexecutable] << \
        "package require posix_ipc\nafter [expr {int($seconds * 1000)}]\n$script"] r]
}
proc cancel_watchdog {var} {
    upvar 1 $var chan
    if {[info exists chan]} {
        catch {exec kill [pid $chan]}   ;# our child, not yet reaped: its pid is still its own
        catch {close $chan}             ;# waits for it
        unset chan
    }
}

# Sends `signal` (a name such as USR1) to this process once its main thread is
# blocked in the kernel: /proc/<pid>/task/<pid>/wchan names `wchan` (futex for a
# semaphore, poll for a queue, which waits in ppoll) in three polls in a row, 10 ms apart. Where
# wchan is not readable it sends after 10 s of polling anyway; pair it with a
# watchdog, so a signal that came too early costs a failed test, not a hang.
proc signal_when_blocked {signal wchan} {
    set pid [pid]
    exec sh -c [string map [list @PID@ $pid @WCHAN@ $wchan @SIGNAL@ $signal] {
        seen=0; tries=0
        while [ $seen -lt 3 ] && [ $tries -lt 1000 ]; do
          case "$(cat /proc/@PID@/task/@PID@/wchan 2>/dev/null)" in *@WCHAN@*) seen=$((seen + 1));; *) seen=0;; esac
          tries=$((tries + 1)); sleep 0.01
        done
        kill -@SIGNAL@ @PID@}] &
}

# What `bash -c 'kill -l NAME'` prints: the C library's signal number, found
# without the module.
proc signal_number {name} {
    exec bash -c "kill -l $name"
}

# One number from a file, or `default` where the file is missing.
proc read_number {path default} {
    if {[catch {open $path} channel]} {return $default}
    set value [string trim [read $channel]]
    close $channel
    return $value
}

# Checks no notification is still on its way, however slow the machine: a
# control callback requested on the (empty) queue `q` and triggered now must be
# the only one that runs; callbacks lappend to ::notified. Notifications reach
# the event loop in the order the kernel sent them, so a late one would come
# first. Returns what arrived meanwhile (expected: control). No fixed sleep.
proc no_late_notification {q} {
    set before [llength $::notified]
    $q request_notification [list notified control]
    $q send control
    wait_until {[llength $::notified] > $before} 10000
    $q receive
    lrange $::notified $before end
}

# The -errorcode and message of a failing script, as "{CODE...} message".
proc error_of {script} {
    if {[catch {uplevel 1 $script} message options]} {
        return [list [dict get $options -errorcode] $message]
    }
    return "no error"
}

proc elapsed_ms {script} {
    set start [clock microseconds]
    catch {uplevel 1 $script}
    expr {([clock microseconds] - $start) / 1000.0}
}

# Waits (through the event loop) until `condition` holds or `ms` pass.
proc wait_until {condition {ms 2000}} {
    set deadline [expr {[clock milliseconds] + $ms}]
    while {![uplevel 1 [list expr $condition]] && [clock milliseconds] < $deadline} {
        after 10 {set ::wait_tick 1}
        vwait ::wait_tick
    }
    uplevel 1 [list expr $condition]
}
