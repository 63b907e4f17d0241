# Runs every tests/tcl/*.test in this interpreter and exits non-zero unless
# every test it has ran and none failed. Needs TCLLIBPATH pointing at the
# build's tcl/ directory.
#
# "Every test it has" is found in the source: each `test NAME ...` with a
# literal name in the .test files must have run (passed, failed, or skipped for
# a constraint, which tcltest reports). A file that fails to load or stops at an
# error partway turns the run red.
#
# With POSIX_IPC_RESULTS=FILE the outcome of every test is written to FILE, one
# line each: "passed|failed|skipped <TAB> case ID (or -) <TAB> test name". The
# file is removed when the run starts; tests/parity.py reads it.
package require tcltest
set here [file dirname [file normalize [info script]]]
set ::results_file [expr {[info exists env(POSIX_IPC_RESULTS)] ? $env(POSIX_IPC_RESULTS) : ""}]
if {$::results_file ne ""} {file delete $::results_file}

# What a test uses, read from its name and script: where the platform lacks it
# (a simulated macOS lane), the test gets that capability as a constraint,
# false here, so tcltest skips it, and its reason names the feature and the
# constant. Linux has every feature, so there nothing is skipped. The tests of
# the platform's gaps (platform.*, module.constants.supported) check both sides
# themselves.
package require posix_ipc
set ::platform [expr {[info exists env(POSIX_IPC_PLATFORM)] && $env(POSIX_IPC_PLATFORM) ne ""
                      ? $env(POSIX_IPC_PLATFORM) : "this platform"}]
set ::uses {
    MESSAGE_QUEUES_SUPPORTED {message queues}
        {MessageQueue|unlink_message_queue|QUEUE_|O_NONBLOCK|O_RDONLY|O_WRONLY|O_RDWR|USER_SIGNAL|\mmq\M|message queue|new_queue|\mchurn\M|\$q\M|^(mq|channel)\.test }
    SEMAPHORE_VALUE_SUPPORTED {a semaphore's value (sem_getvalue)} {-value\M|\mvalue\]}
    SEMAPHORE_TIMEOUT_SUPPORTED {semaphore timeouts (sem_timedwait)}
        {\macquire\s+(?:[1-9.]|0\.\d*[1-9]|\$)}
}
set ::skip_reasons [dict create]
foreach {capability feature pattern} $::uses {
    ::tcltest::testConstraint $capability [set ::posix_ipc::$capability]
}
proc needed_capability {name script} {
    if {[string match platform.* $name] || [string match module.constants.supported* $name]} {return ""}
    foreach {capability feature pattern} $::uses {
        if {![set ::posix_ipc::$capability] && [regexp -- $pattern "$script $name"]} {
            dict set ::skip_reasons $name "$feature not supported on $::platform ($capability false)"
            return $capability
        }
    }
    return ""
}

# Every test reports its outcome through this wrapper: tcltest's counters tell
# which one it was.
rename ::tcltest::test ::tcltest::RealTest
proc ::tcltest::test {name args} {
    variable numTests
    # (the file first: every test of mq.test and channel.test is about queues)
    set capability [needed_capability $name "[file tail [info script]] $args"]
    if {$capability ne "" && [lsearch -exact $args -body] >= 0} {
        set at [lsearch -exact $args -constraints]
        if {$at >= 0} {
            lset args [expr {$at + 1}] [concat [lindex $args [expr {$at + 1}]] $capability]
        } else {
            lappend args -constraints $capability
        }
    }
    set failed $numTests(Failed)
    set skipped $numTests(Skipped)
    set code [catch {uplevel 1 [list ::tcltest::RealTest $name {*}$args]} result options]
    set outcome [expr {$numTests(Failed) > $failed || $code ? "failed"
                       : $numTests(Skipped) > $skipped ? "skipped" : "passed"}]
    if {![dict exists $::outcomes $name] || $outcome eq "failed"} {dict set ::outcomes $name $outcome}
    return -options $options $result
}
set ::outcomes [dict create]
namespace import ::tcltest::*

# (ls -b, not glob: see ipc_entries in helpers.tcl)
set ::shm_before [lsort [split [string trim [exec env LC_ALL=C ls -A -b /dev/shm]] \n]]
configure -testdir $here -tmpdir [expr {[info exists env(TMPDIR)] ? $env(TMPDIR) : "/tmp"}] -singleproc 1 {*}$argv
set failed [runAllTests]

set problems {}
foreach file [lsort [glob -directory $here *.test]] {
    set channel [open $file]
    set source [read $channel]
    close $channel
    foreach {- name} [regexp -all -inline -line {^\s*(?:tcltest::)?test\s+([\w.\-]+)\s} $source] {
        if {![dict exists $::outcomes $name]} {
            lappend problems "[file tail $file]: $name is in the source but never ran"
        }
    }
}
if {[dict size $::outcomes] == 0} {lappend problems "no test ran"}
foreach problem $problems {puts "suite check: $problem"}

if {$::results_file ne ""} {
    file mkdir [file dirname $::results_file]
    set out [open $::results_file.tmp w]
    dict for {name outcome} $::outcomes {
        set case [expr {[regexp {^[\w\-]+\.[\w.\-]+$} $name] ? $name : "-"}]
        set line "$outcome\t$case\t$name"
        # A skipped test's reason, for tests/parity.py: the platform's gap, or the constraints tcltest named.
        if {$outcome eq "skipped" && [dict exists $::skip_reasons $name]} {
            append line "\t[dict get $::skip_reasons $name]"
        }
        puts $out $line
    }
    close $out
    file rename -force $::results_file.tmp $::results_file
}
exit [expr {$failed || [llength $problems] > 0}]
