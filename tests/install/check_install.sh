#!/bin/sh
# Installs the build tree into a fresh prefix, then loads each module with only
# the install tree on the search paths, uses one semaphore per language and
# checks that all three report the same VERSION. Also: the Python directory
# for the configured prefix, /usr/local and /usr (cmake/python_install_dir.py,
# which the install step asks for the prefix it installs to) is on the
# interpreter's own sys.path, for every prefix under which it searches at all.
# Usage: check_install.sh BUILD_DIR PYTHON LUA TCLSH PY_DIR LUA_CMOD_DIR LUA_LMOD_DIR TCL_DIR
#                         EXPECTED_VERSION INSTALL_PREFIX SOURCE_DIR
# PY_DIR "ask": the interpreter chooses (the default); else the directory
# POSIX_IPC_PYTHON_INSTALL_DIR fixes, relative to any prefix.
set -eu
build=$1 python=$2 lua=$3 tclsh=$4 py_dir=$5 lua_cdir=$6 lua_ldir=$7 tcl_dir=$8 expected=$9
install_prefix=${10} source_dir=${11}
python_dir_for() {  # PREFIX
  if [ "$py_dir" = ask ]; then "$python" "$source_dir/cmake/python_install_dir.py" "$1"; else echo "$py_dir"; fi
}

# Where `cmake --install` with the default prefix puts the package is where the
# interpreter looks (Debian's Python: /usr/local/lib/python3.X/dist-packages).
searched_under() {  # PREFIX DIR: 0 if PREFIX/DIR is on sys.path; 2 if nothing under PREFIX is
  env -u PYTHONPATH PYTHONNOUSERSITE=1 "$python" -c '
import os, sys
prefix, directory = os.path.normpath(sys.argv[1]), os.path.normpath(os.path.join(sys.argv[1], sys.argv[2]))
paths = [os.path.normpath(p) for p in sys.path if p]
if directory in paths: sys.exit(0)
sys.exit(1 if any(p.startswith(prefix + os.sep) for p in paths) else 2)' "$1" "$2"
}
check_searched() {  # PREFIX DIR
  rc=0; searched_under "$1" "$2" || rc=$?
  case $rc in
    0) echo "python: $1/$2 is on sys.path" ;;
    2) echo "python: searches nothing under $1 ($1/$2 needs PYTHONPATH)" ;;
    *) echo "python searches under $1, but not $1/$2" >&2; exit 1 ;;
  esac
}
check_searched "$install_prefix" "$(python_dir_for "$install_prefix")"
if [ "$py_dir" = ask ]; then
  for prefix in /usr/local /usr; do
    check_searched "$prefix" "$(python_dir_for "$prefix")"
  done
fi

prefix=$(mktemp -d "${TMPDIR:-/tmp}/posix_ipc_install.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
trap 'exit 1' INT TERM

cmake --install "$build" --prefix "$prefix" >/dev/null
py_installed=$(python_dir_for "$prefix")

# The Python directory follows the prefix given at install time: a staged
# (DESTDIR) install for /usr and for /usr/local lands where the interpreter
# looks under each.
for system_prefix in /usr /usr/local; do
  stage=$prefix/stage$system_prefix
  DESTDIR=$prefix/stage cmake --install "$build" --prefix "$system_prefix" >/dev/null
  wanted=$stage/$(python_dir_for "$system_prefix")/posix_ipc/__init__.py
  [ -f "$wanted" ] || { echo "install --prefix $system_prefix: no $wanted" >&2; exit 1; }
  echo "install --prefix $system_prefix: python package in ${wanted#"$prefix"/stage}"
  rm -rf "$prefix/stage"
done

for f in "$py_installed/posix_ipc/__init__.py" "$py_installed/posix_ipc/__init__.pyi" "$py_installed/posix_ipc/py.typed" "$lua_cdir/posix_ipc/core.so" "$lua_ldir/posix_ipc.lua" \
         "$tcl_dir/posix_ipc.so" "$tcl_dir/pkgIndex.tcl"; do
  [ -f "$prefix/$f" ] || { echo "missing in install tree: $f" >&2; exit 1; }
done

# Only the install tree on the search paths; run from inside it, away from the build tree.
unset PYTHONPATH PYTHONHOME LUA_PATH LUA_CPATH LUA_PATH_5_4 LUA_CPATH_5_4 TCLLIBPATH POSIX_IPC_BUILD || true
cd "$prefix"
export PREFIX="$prefix" TAG=$$

py_version=$(env PYTHONPATH="$prefix/$py_installed" PYTHONNOUSERSITE=1 PYTHONDONTWRITEBYTECODE=1 "$python" -c '
import os, posix_ipc
assert posix_ipc.__file__.startswith(os.environ["PREFIX"] + "/"), posix_ipc.__file__
s = posix_ipc.Semaphore("/pi_install_py_" + os.environ["TAG"], posix_ipc.O_CREX, initial_value=1)
s.acquire(); s.release()
assert s.value == 1, s.value
s.unlink(); s.close()
print(posix_ipc.VERSION)
')

lua_version=$(env LUA_PATH="$prefix/$lua_ldir/?.lua" LUA_CPATH="$prefix/$lua_cdir/?.so" "$lua" -e '
local posix_ipc = require "posix_ipc"
local prefix = os.getenv("PREFIX")
local s = posix_ipc.Semaphore("/pi_install_lua_" .. os.getenv("TAG"), posix_ipc.O_CREX, 384, 1)
s:acquire(); s:release()
assert(s.value == 1, s.value)
s:unlink(); s:close()
assert(package.searchpath("posix_ipc.core", package.cpath):sub(1, #prefix + 1) == prefix .. "/")
io.write(posix_ipc.VERSION, "\n")
')

tcl_version=$(printf '%s\n' '
set prefix $env(PREFIX)
set v [package require posix_ipc]
set s [posix_ipc::Semaphore /pi_install_tcl_$env(TAG) $posix_ipc::O_CREX 0600 1]
$s acquire; $s release
if {[$s cget -value] != 1} { error "value [$s cget -value]" }
$s unlink; $s close; $s destroy
set loaded [lindex [info loaded] [lsearch -index 1 [info loaded] Posix_ipc] 0]
if {[string first $prefix/ $loaded] != 0} { error "loaded from $loaded" }
if {$v ne $posix_ipc::VERSION} { error "package version $v vs VERSION $posix_ipc::VERSION" }
puts $posix_ipc::VERSION
' | env TCLLIBPATH="$prefix/$tcl_dir" "$tclsh")

echo "python: $py_version  lua: $lua_version  tcl: $tcl_version  (expected $expected)"
[ "$py_version" = "$expected" ] && [ "$lua_version" = "$expected" ] && [ "$tcl_version" = "$expected" ] || {
  echo "VERSION mismatch" >&2; exit 1; }
echo "install tree OK"
