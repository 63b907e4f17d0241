# Runs every tests/tcl/*.test in this interpreter and exits non-zero on a
# failure. Needs TCLLIBPATH pointing at the build's tcl/ directory.
package require tcltest
namespace import ::tcltest::*
set here [file dirname [file normalize [info script]]]
set ::shm_before [lsort [glob -nocomplain -tails -directory /dev/shm *]]
configure -testdir $here -tmpdir [expr {[info exists env(TMPDIR)] ? $env(TMPDIR) : "/tmp"}] -singleproc 1 {*}$argv
set ::failures 0
proc tcltest::cleanupTestsHook {} {
    variable numTests
    if {$numTests(Failed) > $::failures} {set ::failures $numTests(Failed)}
}
runAllTests
if {[llength $tcltest::failFiles]} {set ::failures [expr {$::failures + [llength $tcltest::failFiles]}]}
exit [expr {$::failures > 0}]
