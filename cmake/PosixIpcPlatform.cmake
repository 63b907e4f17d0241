# What this platform offers the core, found by feature probes (never by the
# platform's name), written to posix_ipc/config.h in the build tree.
#
# -DPOSIX_IPC_SIMULATE_PLATFORM=macos|freebsd forces the probes to what that
# platform has, so its code paths build and run here (Linux): the simulated
# lanes (README, "Platform notes"). The probe results are POSIX_IPC_HAVE_<X>
# (0 or 1); the core reads them from config.h, and the module constants
# MESSAGE_QUEUES_SUPPORTED, SEMAPHORE_TIMEOUT_SUPPORTED and
# SEMAPHORE_VALUE_SUPPORTED follow from them (core/src/constants.cpp).
include(CheckSymbolExists)
include(CheckIncludeFile)
include(CheckLibraryExists)
include(CheckCSourceRuns)
include(CMakePushCheckState)

set(POSIX_IPC_SIMULATE_PLATFORM "" CACHE STRING
  "Build as on another platform, with its probe results forced (macos, freebsd; empty: probe this one)")
set_property(CACHE POSIX_IPC_SIMULATE_PLATFORM PROPERTY STRINGS "" macos freebsd)

set(POSIX_IPC_FEATURES
  MQUEUE SEM_CLOCKWAIT SEM_CLOCKWAIT_NP SEM_TIMEDWAIT SEM_GETVALUE EVENTFD PPOLL PIPE2
  GETRANDOM PROCESS_VM_WRITEV SIGEV_THREAD REALTIME_SIGNALS MQ_GETFD_NP LIBRT)

# ---- the probes --------------------------------------------------------------
cmake_push_check_state(RESET)
set(CMAKE_REQUIRED_DEFINITIONS -D_GNU_SOURCE)
check_library_exists(rt mq_open "" POSIX_IPC_PROBE_LIBRT)
check_library_exists(rt sem_open "" POSIX_IPC_PROBE_LIBRT_SEM)
find_package(Threads REQUIRED)
set(CMAKE_REQUIRED_LIBRARIES Threads::Threads)
if(POSIX_IPC_PROBE_LIBRT OR POSIX_IPC_PROBE_LIBRT_SEM)
  list(APPEND CMAKE_REQUIRED_LIBRARIES rt)
endif()
check_include_file(mqueue.h POSIX_IPC_PROBE_MQUEUE_H)
if(POSIX_IPC_PROBE_MQUEUE_H)
  # Every call the core makes on a queue.
  set(_posix_ipc_mq_ok 1)
  foreach(call mq_open mq_close mq_unlink mq_getattr mq_setattr mq_timedsend mq_timedreceive mq_notify)
    check_symbol_exists(${call} mqueue.h POSIX_IPC_PROBE_${call})
    if(NOT POSIX_IPC_PROBE_${call})
      set(_posix_ipc_mq_ok 0)
    endif()
  endforeach()
  set(POSIX_IPC_PROBE_MQUEUE ${_posix_ipc_mq_ok})
  check_symbol_exists(mq_getfd_np mqueue.h POSIX_IPC_PROBE_MQ_GETFD_NP)
else()
  set(POSIX_IPC_PROBE_MQUEUE 0)
endif()
check_symbol_exists(sem_clockwait semaphore.h POSIX_IPC_PROBE_SEM_CLOCKWAIT)
check_symbol_exists(sem_clockwait_np semaphore.h POSIX_IPC_PROBE_SEM_CLOCKWAIT_NP)
check_symbol_exists(sem_timedwait semaphore.h POSIX_IPC_PROBE_SEM_TIMEDWAIT)
# Declared on macOS too, where it always fails: run it (when the build can run
# what it compiles) rather than only look for it.
if(CMAKE_CROSSCOMPILING)
  check_symbol_exists(sem_getvalue semaphore.h POSIX_IPC_PROBE_SEM_GETVALUE)
else()
  check_c_source_runs([[
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
    char name[64];
    int value = -1, ok;
    snprintf(name, sizeof name, "/posix_ipc_probe_%ld", (long)getpid());
    sem_t* sem = sem_open(name, O_CREAT | O_EXCL, 0600, 3);
    if (sem == SEM_FAILED) return 1;
    sem_unlink(name);
    ok = sem_getvalue(sem, &value) == 0 && value == 3;
    sem_close(sem);
    return ok ? 0 : 1;
}]] POSIX_IPC_PROBE_SEM_GETVALUE)
endif()
check_symbol_exists(eventfd sys/eventfd.h POSIX_IPC_PROBE_EVENTFD)
check_symbol_exists(ppoll poll.h POSIX_IPC_PROBE_PPOLL)
check_symbol_exists(pipe2 unistd.h POSIX_IPC_PROBE_PIPE2)
check_symbol_exists(getrandom sys/random.h POSIX_IPC_PROBE_GETRANDOM)
check_symbol_exists(process_vm_writev sys/uio.h POSIX_IPC_PROBE_PROCESS_VM_WRITEV)
check_symbol_exists(SIGEV_THREAD signal.h POSIX_IPC_PROBE_SIGEV_THREAD)
check_symbol_exists(SIGRTMIN signal.h POSIX_IPC_PROBE_REALTIME_SIGNALS)
cmake_pop_check_state()

foreach(feature ${POSIX_IPC_FEATURES})
  if(POSIX_IPC_PROBE_${feature})
    set(POSIX_IPC_HAVE_${feature} 1)
  else()
    set(POSIX_IPC_HAVE_${feature} 0)
  endif()
endforeach()
if(POSIX_IPC_PROBE_LIBRT_SEM)
  set(POSIX_IPC_HAVE_LIBRT 1)
endif()

# ---- a simulated platform: what it has, whatever this one has -----------------
# Only what this machine has can be kept on (a simulation runs here).
macro(_posix_ipc_force feature value)
  if(${value} AND NOT POSIX_IPC_HAVE_${feature} AND NOT "${ARGN}" STREQUAL "SIMULATED")
    message(FATAL_ERROR "POSIX_IPC_SIMULATE_PLATFORM: ${feature} is needed but this machine lacks it")
  endif()
  set(POSIX_IPC_HAVE_${feature} ${value})
endmacro()
set(POSIX_IPC_SIMULATED_SEM_CLOCKWAIT_NP 0)
set(POSIX_IPC_SIMULATED_MQD_POINTER 0)
if(POSIX_IPC_SIMULATE_PLATFORM STREQUAL "macos")
  # macOS: no message queues, no sem_timedwait (nor any clock wait), a
  # sem_getvalue that always fails, no eventfd, ppoll, pipe2, getrandom,
  # process_vm_writev, realtime signals nor librt.
  foreach(feature MQUEUE MQ_GETFD_NP SEM_CLOCKWAIT SEM_CLOCKWAIT_NP SEM_TIMEDWAIT SEM_GETVALUE EVENTFD PPOLL PIPE2
                  GETRANDOM PROCESS_VM_WRITEV REALTIME_SIGNALS LIBRT)
    _posix_ipc_force(${feature} 0)
  endforeach()
  _posix_ipc_force(SIGEV_THREAD 1)
elseif(POSIX_IPC_SIMULATE_PLATFORM STREQUAL "freebsd")
  # FreeBSD 13: message queues (in librt) whose mqd_t is a pointer, with
  # mq_getfd_np for the descriptor; sem_clockwait_np instead of
  # sem_clockwait; eventfd, ppoll, pipe2, getrandom and realtime signals;
  # no process_vm_writev. glibc has neither sem_clockwait_np nor a pointer
  # mqd_t: core/src/simulated_freebsd.hpp gives both, built on what glibc has.
  foreach(feature MQUEUE SEM_TIMEDWAIT SEM_GETVALUE EVENTFD PPOLL PIPE2 GETRANDOM SIGEV_THREAD REALTIME_SIGNALS LIBRT)
    _posix_ipc_force(${feature} 1)
  endforeach()
  _posix_ipc_force(SEM_CLOCKWAIT 0)
  _posix_ipc_force(PROCESS_VM_WRITEV 0)
  _posix_ipc_force(SEM_CLOCKWAIT_NP 1 SIMULATED)
  _posix_ipc_force(MQ_GETFD_NP 1 SIMULATED)
  set(POSIX_IPC_SIMULATED_SEM_CLOCKWAIT_NP 1)
  set(POSIX_IPC_SIMULATED_MQD_POINTER 1)
elseif(NOT POSIX_IPC_SIMULATE_PLATFORM STREQUAL "")
  message(FATAL_ERROR "POSIX_IPC_SIMULATE_PLATFORM must be macos, freebsd or empty, not '${POSIX_IPC_SIMULATE_PLATFORM}'")
endif()

# Any probe forced off by hand, e.g. -DPOSIX_IPC_DISABLE_FEATURES="PPOLL;EVENTFD":
# runs a fallback path (poll, a pipe, sem_timedwait, ...) on a machine that
# would not take it.
set(POSIX_IPC_DISABLE_FEATURES "" CACHE STRING "Probes to force off (e.g. PPOLL;EVENTFD;SEM_CLOCKWAIT)")
foreach(feature ${POSIX_IPC_DISABLE_FEATURES})
  if(NOT feature IN_LIST POSIX_IPC_FEATURES)
    message(FATAL_ERROR "POSIX_IPC_DISABLE_FEATURES: unknown feature ${feature} (one of: ${POSIX_IPC_FEATURES})")
  endif()
  _posix_ipc_force(${feature} 0)
endforeach()

# The three capabilities the modules report.
set(POSIX_IPC_MESSAGE_QUEUES_SUPPORTED ${POSIX_IPC_HAVE_MQUEUE})
if(POSIX_IPC_HAVE_SEM_CLOCKWAIT OR POSIX_IPC_HAVE_SEM_CLOCKWAIT_NP OR POSIX_IPC_HAVE_SEM_TIMEDWAIT)
  set(POSIX_IPC_SEMAPHORE_TIMEOUT_SUPPORTED 1)
else()
  set(POSIX_IPC_SEMAPHORE_TIMEOUT_SUPPORTED 0)
endif()
set(POSIX_IPC_SEMAPHORE_VALUE_SUPPORTED ${POSIX_IPC_HAVE_SEM_GETVALUE})
# The constants false here, for the tests that skip what needs them.
set(POSIX_IPC_UNSUPPORTED "")
foreach(capability MESSAGE_QUEUES_SUPPORTED SEMAPHORE_TIMEOUT_SUPPORTED SEMAPHORE_VALUE_SUPPORTED)
  if(NOT POSIX_IPC_${capability})
    list(APPEND POSIX_IPC_UNSUPPORTED ${capability})
  endif()
endforeach()

set(_posix_ipc_summary "")
foreach(feature ${POSIX_IPC_FEATURES})
  string(APPEND _posix_ipc_summary " ${feature}=${POSIX_IPC_HAVE_${feature}}")
endforeach()
if(POSIX_IPC_SIMULATE_PLATFORM)
  message(STATUS "posix_ipc: simulating ${POSIX_IPC_SIMULATE_PLATFORM}:${_posix_ipc_summary}")
else()
  message(STATUS "posix_ipc: probed:${_posix_ipc_summary}")
endif()
