// Tcl 8.6: `package require posix_ipc`, everything in namespace ::posix_ipc
// (SWIG's -namespace). SWIG generates the module, the unlink_* commands, the
// constants and the %extend helpers of posix_ipc.i; bindings/tcl replaces
// SWIG's Tcl object system (its commands are deleted at init, see %init
// below) with what that system lacks: object commands that are freed by
// `destroy`, subcommand dispatch through Tcl_GetIndexFromObj, -option
// arguments, cget/configure, `$s with`, read-only constants, callback
// notifications delivered through the Tcl event loop and `$q channel` (a
// channel over the queue's descriptor, for fileevent). Those object commands
// call the %extend helpers (posix_ipc_Semaphore_acquire, ...) directly.
%module posix_ipc

%{
#include "posix_ipc_tcl.hpp"
#define POSIX_IPC_RAISE(error) do { posix_ipc_tcl::set_error(interp, error); SWIG_fail; } while (0)
#define POSIX_IPC_RETHROW_IF_THREAD_EXIT do {} while (0)
%}

// One wrapper (and one %extend helper) per function, defaults included.
%feature("compactdefaultargs");

// ---- conversions -------------------------------------------------------------
// Typemaps convert outside %exception's try block, so each conversion catches
// posix_ipc::IpcError itself (inside posix_ipc_tcl::to_*).
%typemap(in) const posix_ipc::Name& (posix_ipc::Name temp) {
  if (posix_ipc_tcl::to_name(interp, $input, temp) != TCL_OK) SWIG_fail;
  $1 = &temp;
}
%typemap(in) posix_ipc::Timeout {
  if (posix_ipc_tcl::to_timeout(interp, $input, $1) != TCL_OK) SWIG_fail;
}
%typemap(in) posix_ipc::Bytes {
  if (posix_ipc_tcl::to_bytes(interp, $input, $1) != TCL_OK) SWIG_fail;
}
%typemap(in) bool {
  if (posix_ipc_tcl::to_bool(interp, $input, $1) != TCL_OK) SWIG_fail;
}
%typemap(out) posix_ipc::Received {
  Tcl_SetObjResult(interp, posix_ipc_tcl::received_to_list($1));
}
%typemap(out) posix_ipc::ByteString {
  Tcl_SetObjResult(interp, Tcl_NewByteArrayObj(reinterpret_cast<const unsigned char*>($1.data()),
                                               static_cast<int>($1.size())));
}
%typemap(out) bool {
  Tcl_SetObjResult(interp, Tcl_NewBooleanObj($1 ? 1 : 0));
}

%include "posix_ipc.i"

// ---- Tcl object commands (after the %extend helpers they call) --------------
// (SWIG's wrapper section is inside extern "C"; the glue is C++.)
%wrapper %{
extern "C++" {
#include "posix_ipc_tcl_objects.hpp"
}
%}

// SWIG's own commands (new_Semaphore, Semaphore_acquire $ptr, delete_*, its
// class commands, ...) take pointer strings; the object commands call the
// C++ helpers directly, so all but unlink_* are deleted here: the namespace
// holds only the public API. (Their wrappers stay compiled, unreachable.)
%init %{
  for (const swig_command_info* command = swig_commands; command->name; ++command)
    if (!posix_ipc_tcl::public_swig_command(command->name)) Tcl_DeleteCommand(interp, command->name);
  if (posix_ipc_tcl::init(interp) != TCL_OK) return TCL_ERROR;
%}
