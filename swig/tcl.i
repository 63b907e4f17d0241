// Tcl 8.6: `package require posix_ipc`, everything in namespace ::posix_ipc
// (SWIG's -namespace). SWIG generates the module, its init and the unlink_*
// commands. The classes are left out of SWIG's Tcl output (%ignore below):
// SWIG's Tcl objects are pointer strings parsed on every call, never freed by
// a `destroy`, without -options, cget/configure of a writable attribute,
// `$s with`, event-loop notifications or `$q channel`. Their commands are
// bindings/tcl/posix_ipc_tcl_objects.hpp, real C++ that calls the core and
// reads the attributes from the table posix_ipc.i's POSIX_IPC_ATTRIBUTE
// lines fill (posix_ipc::attributes<T>()).
%module posix_ipc

// The oldest Tcl the glue is written for (SWIG's default asks for 8.4);
// "8.6-" also accepts Tcl 9 (a separate build, see bindings/tcl/CMakeLists.txt).
%begin %{
#define SWIG_TCL_STUBS_VERSION "8.6-"
%}

%{
#include "posix_ipc_tcl.hpp"
#define POSIX_IPC_RAISE(error) do { posix_ipc_tcl::set_error(interp, error); SWIG_fail; } while (0)
#define POSIX_IPC_RETHROW_IF_THREAD_EXIT do {} while (0)
%}

// ---- conversions -------------------------------------------------------------
// Typemaps convert outside %exception's try block, so each conversion catches
// posix_ipc::IpcError itself (inside posix_ipc_tcl::to_*).
%typemap(in) const posix_ipc::Name& (posix_ipc::Name temp) {
  if (posix_ipc_tcl::to_name(interp, $input, temp) != TCL_OK) SWIG_fail;
  $1 = &temp;
}

%ignore posix_ipc::Semaphore;
%ignore posix_ipc::SharedMemory;
%ignore posix_ipc::MessageQueue;

%include "posix_ipc.i"

// ---- Tcl object commands -----------------------------------------------------
// (SWIG's wrapper section is inside extern "C"; the glue is C++.)
%wrapper %{
// Both init functions are found by `load` under their C names (SWIG defines
// the safe one without extern "C" in C++).
extern "C" {
SWIGEXPORT int Posix_ipc_Init(Tcl_Interp* interp);
SWIGEXPORT int Posix_ipc_SafeInit(Tcl_Interp* interp);
}
extern "C++" {
#include "posix_ipc_tcl_objects.hpp"
}
%}

%init %{
  if (posix_ipc_tcl::init(interp) != TCL_OK) return TCL_ERROR;
%}
